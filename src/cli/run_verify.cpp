// `hivelint verify`: the structural check of one hive (regf::verify_hive), reported as text or
// JSON. Exit 0 clean, 1 inconsistencies found, 3 unreadable. A dirty hive is verified as the other
// commands read it: recovered in memory from its transaction logs (hive::load_hive; --log,
// --no-logs), without a reader, since verify must also judge hives no reader accepts.
#include "cli/evaluate.hpp"
#include "cli/run.hpp"
#include "hive/open.hpp"
#include "report/verify_report.hpp"

namespace hivelint::cli {

ExitCode run_verify(const VerifyConfig& config, Output& output) {
  report::VerifyReport report;
  report.hive = config.hive;
  report.provenance = run_provenance(output, "hivelint");
  ExitCode code = ExitCode::kOk;
  try {
    const hive::OpenedHive opened =
        hive::load_hive(config.hive, open_options("hivelint", config.logs, config.no_logs, 1));
    report.inputs = opened.inputs;
    report.recovery = opened.recovery;
    report.no_logs = config.no_logs;
    report.result = regf::verify_hive(opened.image->bytes());
    code = report.result->clean() ? ExitCode::kOk : ExitCode::kFail;
  } catch (const Error& e) {  // FormatError / InputError: the hive cannot be verified at all
    report.error = e.what();
    output.error() << "hivelint: " << config.hive << ": " << e.what()
                   << "\n";  // stops the command: shown under -q
    code = e.exit_code();
  }
  if (config.format == Format::kJson)
    output.out << report::render_verify_json(report);
  else
    report::render_verify_text(report, output.out);
  return code;
}

}  // namespace hivelint::cli
