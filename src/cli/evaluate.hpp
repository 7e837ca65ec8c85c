// Evaluating rules on one hive (open, resolve the ControlSet(s), run each rule): what `check` does
// per hive, shared with `fix`, which needs the same results and the hive's bytes to patch.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "cli/output.hpp"
#include "hive/open.hpp"
#include "report/check_report.hpp"
#include "report/provenance.hpp"
#include "rules/control_set.hpp"
#include "rules/rule.hpp"
#include "rules/rule_loader.hpp"

namespace hivelint::cli {

/// Which System event logs to read as evidence: --events FILE (repeatable), --no-events, or
/// (neither) the logs Windows keeps near the hive (cli/evidence_logs.hpp).
struct EventsOptions {
  std::vector<std::string> files;
  bool none = false;
  bool detail = false;  // --events-detail: the records behind each summary
};

/// --min-severity and --fail-on, which decide whether another set's result counts as passing for
/// passes_in (the caller applies them to the results themselves afterwards).
struct SeverityOptions {
  std::string min_severity = "info";
  std::string fail_on = "error";
};

struct HiveEvaluation {
  report::HiveSummary summary;
  std::vector<rules::RuleResult> results;
  std::optional<hive::OpenedHive> opened;  // absent when the hive could not be opened
};

/// For a run that checks one hive: hands `ev.opened` (the image and both readers) to storage that
/// is never freed, from 8 MiB (kSideWorkOnThreadsFrom), so that the process ends without tearing
/// them down. libregf frees its list of hive bins and every key it opened one by one (on the 384
/// MiB `hivex13` hive, about 15 ms of a 90 ms check), where the end of the process takes the memory
/// back at once. A batch never does this: it frees each hive before the next.
void keep_until_exit(HiveEvaluation& ev);

/// Opens `path` and evaluates every rule on it; never throws for a bad hive (the failure becomes
/// error results and summary.error, also written to `output.diag()`). The SCM failures of the
/// chosen event logs are attached to the results they concern (`events`); a log that cannot be read
/// is a warning, never an error result.
HiveEvaluation evaluate_hive(const std::string& path, const std::vector<rules::Rule>& rules,
                             const rules::ControlSetChoice& choice,
                             const hive::OpenOptions& options, Output& output,
                             const EventsOptions& events = {},
                             const SeverityOptions& severity = {});

/// The rules of `--rules` (default: the built-in ones). Throws UsageError when the path is absent
/// but names a built-in rule (a hint to use --rule), what rules::select_rules throws otherwise.
std::vector<rules::Rule> load_rules(const std::optional<std::string>& rules_path);

/// The rule whose id is `id` in any case. Throws UsageError "WHAT: no such rule (did you mean X?)".
const rules::Rule& find_rule(const std::vector<rules::Rule>& all, const std::string& id,
                             const std::string& what);

/// The configured rules (`--rules`), narrowed to `only` (`--rule` ids, any case) when given. Throws
/// UsageError for an unknown id. `source`, when given, receives where all the configured rules came
/// from (provenance).
std::vector<rules::Rule> chosen_rules(const std::optional<std::string>& rules_path,
                                      const std::vector<std::string>& only,
                                      rules::RuleSource* source = nullptr);

/// The run's provenance (report/provenance.hpp): version, start time and argv from `output`, the
/// reader named `backend` with its version, and the rule source when rules are evaluated.
report::Provenance run_provenance(const Output& output, const std::string& backend,
                                  std::optional<rules::RuleSource> rules = std::nullopt);
/// The time now in UTC, "2026-12-04T17:05:44Z".
std::string utc_now_iso8601();

}  // namespace hivelint::cli
