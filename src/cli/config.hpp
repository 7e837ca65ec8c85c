// One plain struct per subcommand; CLI11 binds options straight into them (cli.cpp) and run_*() consume them.
#pragma once
#include <optional>
#include <string>
#include <vector>

namespace hivelint::cli {

enum class Format { kText, kJson, kJsonl };

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
  Format format = Format::kText;
  bool quiet = false;
};

struct CheckConfig {
  std::vector<std::string> hives;
  std::string control_set = "current";     // current|default|lastknowngood|failed|N|all
  std::string backend = "libregf";         // libregf | hivelint
  std::optional<std::string> rules;        // file or directory; default: the embedded rules
  std::vector<std::string> only_rules;     // --rule ID (repeatable); empty = all
  Format format = Format::kText;           // text | json | jsonl (one line per hive, written as each finishes)
  unsigned jobs = 1;                       // hives checked in parallel (--jobs; 0 = one per core)
  bool jobs_given = false;                 // --jobs was given: batch mode (summary line, progress bar)
  bool quiet = false;
};

struct ExportConfig {
  std::string hive;
  std::string key_path;                    // start key below the hive root; "" = the whole hive
  std::string format = "reg";              // reg | json
  std::optional<std::string> output;       // file to write (atomically); stdout when absent
  std::string root = "HKEY_LOCAL_MACHINE\\SYSTEM";  // .reg path of the hive root
  std::string backend = "hivelint";        // hivelint (data exactly as stored) | libregf
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
