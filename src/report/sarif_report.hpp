// `check --format sarif`: the results as one SARIF 2.1.0 run (OASIS Static Analysis Results
// Interchange Format), the format GitHub code scanning, GitLab and most CI dashboards display.
// docs/ci/README.md describes the mapping.
#pragma once
#include <string>
#include <vector>

#include "report/check_report.hpp"
#include "rules/rule.hpp"
#include "util/exit_code.hpp"

namespace hivelint::report {

/// "error" -> "error", "warning" -> "warning", "info" -> "note" (SARIF's levels); anything else ->
/// "error".
const char* sarif_level(const std::string& severity);

/// A file path as a SARIF artifact URI: an absolute path becomes file:///..., a relative one stays
/// relative (CI systems resolve it against the checkout); every byte outside RFC 3986's unreserved
/// set and '/' is percent-encoded, so any file name (spaces, ':', '#', bytes that are not UTF-8) is
/// a valid URI reference.
std::string path_to_uri(const std::string& path);

/// A hive-relative key path as the registry path Windows shows: "HKLM\SYSTEM\" + path when the
/// result belongs to a ControlSet (SYSTEM hive), else the path below the hive root as it is.
std::string registry_path(const rules::RuleResult& result, const std::string& hive_relative);

/// The SARIF document: tool.driver.rules from `rules`, one result per failing result of a rule
/// without items and one per item of an itemized rule (level from the item's severity), unreadable
/// hives, rule errors and `input_errors` as invocations[0].toolExecutionNotifications. `per_hive`
/// holds one report per hive input, in order.
std::string render_check_sarif(const std::vector<CheckReport>& per_hive,
                               const std::vector<std::string>& input_errors,
                               const std::vector<rules::Rule>& rules, ExitCode exit_code);

}  // namespace hivelint::report
