// `hivelint events LOG... [--hive SYSTEM]`: the Service Control Manager failures of System event
// logs, summarised per service, event id and error; service keys resolved through the hive's
// Services key.
#include <filesystem>

#include "cli/evaluate.hpp"
#include "cli/evidence_logs.hpp"
#include "cli/run.hpp"
#include "events/error.hpp"
#include "report/events_report.hpp"

namespace hivelint::cli {

ExitCode run_events(const EventsConfig& config, Output& output) {
  report::EventsReport report;
  report.provenance = run_provenance(output, config.backend, std::nullopt);
  report.detail = config.detail;
  std::optional<events::ServiceDirectory> directory;
  if (config.hive) {
    report.hive = *config.hive;
    try {
      const hive::OpenedHive h =
          hive::open_hive(*config.hive, open_options(config.backend, {}, false, 1));
      const ServiceLookup lookup = services_of(*h.reader, config.control_set);
      report.services_key = lookup.services_key;
      directory = lookup.directory;
    } catch (const Error& e) {
      report.hive_error = e.what();
      output.diag() << "hivelint: " << *config.hive << ": " << e.what() << "\n";
    }
  }
  ExitCode code = report.hive_error.empty() ? ExitCode::kOk : ExitCode::kInput;
  for (const auto& path : config.logs) {
    report.logs.push_back(read_evidence_log(path, directory ? &*directory : nullptr));
    const auto& log = report.logs.back();
    if (!log.error.empty()) {
      output.diag() << "hivelint: " << log.error << "\n";
      code = ExitCode::kInput;
    }
    for (const auto& w : log.warnings) output.diag() << "hivelint: warning: " << w << "\n";
  }
  if (config.format == Format::kJson)
    output.out << report::render_events_json(report);
  else
    report::render_events_text(report, output.out);
  return code;
}

}  // namespace hivelint::cli
