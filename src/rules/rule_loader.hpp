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
/// The rules shipped inside the binary.
std::vector<Rule> builtin_rules();
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
/// builtin_rules() or load_rules(*path); ids must be unique (RuleError otherwise).
std::vector<Rule> select_rules(const std::optional<std::string>& path);

}  // namespace hivelint::rules
