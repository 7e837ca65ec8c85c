// `hivelint fix HIVE [-o OUT] [--reg FILE]`: the paths checked for an administrator's slips, the
// rules evaluated, then fix::run_steps (plan, patch, .reg, commit: fix/pipeline.hpp) and the report
// rendered. The input is only ever read; each output is written to a temporary file, verified, and
// renamed into place.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string_view>

#include "cli/evaluate.hpp"
#include "cli/evidence_logs.hpp"
#include "cli/run.hpp"
#include "cli/timestamp.hpp"
#include "fix/pipeline.hpp"
#include "report/fix_report.hpp"
#include "rules/evaluator.hpp"
#include "util/atomic_file.hpp"
#include "util/error.hpp"
#include "util/upcase.hpp"

namespace hivelint::cli {
namespace {

namespace fs = std::filesystem;

// The entry of `dir` named `name` in any case (a listing of at most 10000 entries: a user's folder,
// not a scan).
std::optional<fs::path> child_named(const fs::path& dir, std::string_view name) {
  std::error_code ec;
  fs::directory_iterator it(dir, ec);
  for (std::size_t seen = 0; !ec && it != fs::directory_iterator() && seen < 10000;
       it.increment(ec), ++seen)
    if (util::names_equal_utf8(it->path().filename().string(), name)) return it->path();
  return std::nullopt;
}

// The SYSTEM hive of a folder given in its place: the folder itself, config\, System32\config\ or
// Windows\System32\config\ below it (any case), as collected evidence and mounted Windows volumes
// lay it out.
std::optional<fs::path> system_hive_below(const fs::path& dir) {
  const std::vector<std::vector<std::string_view>> layouts = {
      {}, {"config"}, {"System32", "config"}, {"Windows", "System32", "config"}};
  for (const auto& layout : layouts) {
    std::optional<fs::path> at = dir;
    for (const auto part : layout)
      if (at) at = child_named(*at, part);
    if (!at) continue;
    if (const auto hive = child_named(*at, "SYSTEM"); hive && fix::is_hive_file(*hive)) return hive;
  }
  return std::nullopt;
}

// The slips an administrator makes with paths, answered before anything is read or planned: a
// folder as the hive or as an output, and HIVE and -o OUT swapped (the hive missing while -o names
// an existing hive).
void check_paths(const FixConfig& config) {
  std::error_code ec;
  const auto status = fs::status(config.hive, ec);
  if (fs::is_directory(status)) {
    std::string message = "fix takes one hive file, and " + config.hive + " is a directory";
    if (const auto found = system_hive_below(config.hive))
      message += ": did you mean " + found->string() + "?";
    throw UsageError(message);
  }
  if (status.type() == fs::file_type::not_found) {
    std::string message = config.hive + ": no such file";
    if (config.output && fix::is_hive_file(*config.output))
      message += "; " + *config.output +
                 " (given to -o) is an existing hive: did you swap them? The hive comes first: "
                 "hivelint fix " +
                 *config.output + " -o " + config.hive;
    throw InputError(message);
  }
  const auto refuse_directory = [&ec](const std::optional<std::string>& path, const char* option,
                                      const char* example) {
    if (path && fs::is_directory(*path, ec))
      throw UsageError(std::string(option) + " " + *path + ": is a directory; " + option +
                       " needs a file name, e.g. " + option + " " +
                       (fs::path(*path) / example).string());
  };
  refuse_directory(config.output, "-o", "SYSTEM.fixed");
  refuse_directory(config.reg, "--reg", "fix.reg");
}

ExitCode render(const report::FixReport& report, const FixConfig& config, Output& output) {
  if (!output.quiet) {
    if (config.format == Format::kJson)
      output.out << report::render_fix_json(report);
    else
      report::render_fix_text(report, output.out);
  }
  return report.exit_code;
}

}  // namespace

ExitCode run_fix(const FixConfig& config, Output& output) {
  if (!config.output && !config.reg && !config.dry_run)
    throw UsageError(
        "fix needs -o OUT (a patched copy of the hive) and/or --reg FILE (a .reg file), or "
        "--dry-run");
  check_paths(config);
  fix::FixRequest request;
  request.hive = config.hive;
  request.output = config.output;
  request.reg = config.reg;
  request.reg_root = fix::parse_reg_root(config.reg_root);
  request.reg_comments = config.reg_comments;
  request.dry_run = config.dry_run;
  request.force = config.force;
  request.copy_if_clean = config.copy_if_clean;
  request.min_severity = config.min_severity;
  request.fail_on = config.fail_on;
  rules::RuleSource rule_source;
  const auto rules = chosen_rules(config.rules, config.only_rules, &rule_source);
  const auto choice = rules::parse_control_set_choice(config.control_set);
  const hive::OpenOptions options = open_options(config.backend, config.logs, config.no_logs, 1);
  request.timestamp = parse_timestamp(config.timestamp);

  // Never write over an input (the hive, its logs, the rules), nor over an existing file without
  // --force.
  std::vector<std::filesystem::path> inputs{config.hive};
  for (const auto& log : hive::find_sibling_logs(config.hive)) inputs.emplace_back(log);
  for (const auto& log : config.logs) inputs.emplace_back(log);
  const EventsOptions events_options{config.events, config.no_events, config.events_detail};
  for (const auto& log : event_log_paths(config.hive, events_options)) inputs.emplace_back(log);
  if (config.rules) inputs.emplace_back(*config.rules);
  if (config.output) util::refuse_overwriting_inputs(*config.output, inputs);
  if (config.reg) util::refuse_overwriting_inputs(*config.reg, inputs);
  if (config.output && config.reg) util::refuse_overwriting_inputs(*config.reg, {*config.output});

  report::FixReport report;
  report.dry_run = config.dry_run;
  report.verbose = config.verbose;
  report.evidence_bytes = config.evidence_bytes;
  report.provenance = run_provenance(output, config.backend, rule_source);
  // A dirty hive is recovered from its transaction logs in memory first; the patch is made on the
  // recovered image.
  HiveEvaluation ev = evaluate_hive(config.hive, rules, choice, options, output, events_options,
                                    SeverityOptions{config.min_severity, config.fail_on});
  for (auto& r : ev.results) rules::apply_min_severity(r, config.min_severity, config.fail_on);
  report.hive = ev.summary;
  report.results = std::move(ev.results);
  fix::run_steps(request, rules, ev.opened ? &*ev.opened : nullptr, report, output.error());
  keep_until_exit(ev);  // `fix` takes one hive: its readers need not be torn down
  return render(report, config, output);
}

}  // namespace hivelint::cli
