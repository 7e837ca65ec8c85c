// Loading rules from JSON (built-in, a file, or a directory of *.json). Errors name the file and
// the JSON location ("rules/x.json: /check/multi_string_contains_all/entries: expected an array of
// strings").
#pragma once
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "rules/rule.hpp"
#include "util/error.hpp"

namespace hivelint::rules {

/// A rule definition is invalid. Exit code 3 (unreadable input).
class RuleError : public InputError {
 public:
  using InputError::InputError;
};

/// Parses one rule file's text; `source` names it in messages. Throws RuleError.
Rule parse_rule(std::string_view json_text, const std::string& source);
/// The rules shipped inside the binary. Their texts skip check_json_limits (they are this
/// repository's files, and a unit test holds each to the limits): half the cost of parsing them,
/// which every single-hive run pays.
std::vector<Rule> builtin_rules();
/// Only the built-in rules named `ids` (in any case, as --rule takes them), in that order, each
/// parsed from the file of that name alone: a check of one rule does not parse the other four (a
/// fifth of a one-lookup check's instructions on an 11 MB hive). nullopt when an id is not a
/// built-in rule file's name, or that file defines another id: the caller then loads them all for
/// its message.
std::optional<std::vector<Rule>> builtin_rules_named(const std::vector<std::string>& ids);
/// Rules from a file or a directory (every *.json in it, sorted by name). Throws RuleError /
/// InputError.
std::vector<Rule> load_rules(const std::filesystem::path& path);
/// Where a run's rules came from, for the report's provenance.
struct RuleSource {
  struct File {
    std::string path;    // "built-in:KB277770.json" or the file's path
    std::string sha256;  // of its text
  };
  std::string source;  // "built-in" or the --rules path as given
  /// A single rule file: its SHA-256. Built-in rules or a directory: the SHA-256 of what `sha256sum
  /// *.json` prints for the rule files (name order), so `sha256sum *.json | sha256sum` in the rules
  /// directory gives it.
  std::string sha256;
  std::vector<File> files;
};
/// Describes the rules loaded by select_rules(path), all of them (before any --rule narrowing).
RuleSource describe_rule_source(const std::optional<std::string>& path,
                                const std::vector<Rule>& rules);
/// describe_rule_source(nullopt, builtin_rules()), from the texts, without parsing them.
RuleSource describe_builtin_rule_source();
/// builtin_rules() or load_rules(*path); ids must be unique (RuleError otherwise).
std::vector<Rule> select_rules(const std::optional<std::string>& path);

}  // namespace hivelint::rules
