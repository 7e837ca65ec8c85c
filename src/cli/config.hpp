// One plain struct per subcommand; CLI11 binds options straight into them (cli.cpp) and run_*() consume them.
#pragma once
#include <optional>
#include <string>
#include <vector>

namespace hivelint::cli {

enum class Format { kText, kJson };

struct BuildConfig {
  std::string source;                      // .reg file (UTF-16LE with BOM, UTF-8 or ANSI)
  std::string output;                      // hive to write
  std::optional<std::string> prefix;       // .reg key prefix mapped to the hive root; detected when absent
  std::optional<std::string> root_name;    // name of the root key in the hive
  std::optional<std::string> timestamp;    // ISO 8601 UTC ("2004-06-01T00:00:00Z") or "now"; default now
  unsigned minor_version = 5;              // regf 1.N
  bool force = false;                      // overwrite an existing output
  bool quiet = false;
};

struct InfoConfig {
  std::vector<std::string> hives;
  std::string backend = "libregf";         // libregf | hivelint
  std::vector<std::string> logs;           // --log FILE (repeatable; one hive only); default: the sibling logs
  bool no_logs = false;                    // analyse a dirty hive as it is
  Format format = Format::kText;
  bool quiet = false;
};

struct CheckConfig {
  std::vector<std::string> hives;
  std::string control_set = "current";     // current|default|lastknowngood|failed|N|all
  std::string backend = "libregf";         // libregf | hivelint
  std::vector<std::string> logs;           // --log FILE (repeatable; one hive only); default: the sibling logs
  bool no_logs = false;                    // analyse a dirty hive as it is
  std::optional<std::string> rules;        // file or directory; default: the embedded rules
  std::vector<std::string> only_rules;     // --rule ID (repeatable); empty = all
  Format format = Format::kText;
  bool quiet = false;
};

struct RecoverConfig {
  std::string hive;                        // dirty hive
  std::string output;                      // recovered hive to write (clean)
  std::vector<std::string> logs;           // --log FILE (repeatable); default: the sibling logs
  bool force = false;                      // overwrite an existing output
  bool quiet = false;
};

struct RulesConfig {
  std::string action;                      // list | show
  std::string rule_id;                     // for show
  std::optional<std::string> rules;
  Format format = Format::kText;
};

}  // namespace hivelint::cli
