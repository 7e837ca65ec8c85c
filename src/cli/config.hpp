// One plain struct per subcommand; CLI11 binds options straight into them (cli.cpp) and run_*()
// consume them.
#pragma once
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace hivelint::cli {

enum class Format {
  kText,
  kJson,
  kJsonl,
  kBrief,
  kSarif,
  kJunit
};  // jsonl, brief, sarif, junit: check only

struct BuildConfig {
  std::string source;  // .reg file (UTF-16LE with BOM, UTF-8 or ANSI)
  std::string output;  // hive to write
  std::optional<std::string>
      prefix;  // .reg key prefix mapped to the hive root; detected when absent
  std::optional<std::string> root_name;  // name of the root key in the hive
  std::optional<std::string>
      timestamp;               // ISO 8601 UTC ("2004-06-01T00:00:00Z") or "now"; default now
  unsigned minor_version = 5;  // regf 1.N
  bool force = false;          // overwrite an existing output
  bool quiet = false;
};

struct InfoConfig {
  std::vector<std::string> hives;
  std::string backend = "libregf";  // libregf | hivelint
  std::vector<std::string>
      logs;              // --log FILE (repeatable; one hive only); default: the sibling logs
  bool no_logs = false;  // analyse a dirty hive as it is
  Format format = Format::kText;
  std::optional<std::string>
      output;          // -o FILE: the report (written atomically); stdout when absent
  bool force = false;  // replace an existing -o FILE
  bool quiet = false;
};

struct CheckConfig {
  std::vector<std::string> hives;
  std::string control_set = "current";  // current|default|lastknowngood|failed|N|all
  std::string backend =
      "both";  // both (hivelint's reader, libregf confirming) | libregf | hivelint
  std::vector<std::string>
      logs;              // --log FILE (repeatable; one hive only); default: the sibling logs
  bool no_logs = false;  // analyse a dirty hive as it is
  std::vector<std::string>
      events;  // --events FILE (repeatable): System event logs read as evidence
  bool no_events =
      false;  // read none (default: SysEvent.Evt / ../winevt/Logs/System.evtx near the hive)
  bool events_detail = false;           // --events-detail: the records behind each event summary
  std::optional<std::string> rules;     // file or directory; default: the embedded rules
  std::vector<std::string> only_rules;  // --rule ID (repeatable); empty = all
  std::string min_severity = "info";  // items below it are left out; a result left with none passes
  std::string fail_on = "error";      // a result fails only with an item at or above this severity
  Format format =
      Format::kText;  // text | json | jsonl (one line per hive, written as each finishes) | brief
                      // | sarif (SARIF 2.1.0) | junit (JUnit XML): docs/ci/README.md
  unsigned jobs = 1;  // hives checked in parallel (--jobs; 0 = one per core)
  bool jobs_given = false;    // --jobs was given: batch mode (summary line, progress bar)
  std::size_t min_hives = 1;  // fewer hives read than this is an input error (exit 3)
  bool strict = false;        // --strict: a folder's entry that is not a hive (nor a log) is exit 3
  std::string progress = "auto";   // auto (bar on a terminal in batch mode) | bar | plain | none
  double progress_interval = 5.0;  // seconds between --progress plain lines
  std::optional<std::string>
      output;          // -o FILE: the report (written atomically); stdout when absent
  bool force = false;  // replace an existing -o FILE
  bool evidence_bytes =
      false;  // text: evidence offsets, FILETIMEs and data bytes (JSON has them always)
  bool quiet = false;
};

struct ExportConfig {
  std::string hive;
  std::string key_path;               // start key below the hive root; "" = the whole hive
  std::string format = "reg";         // reg | json
  std::optional<std::string> output;  // file to write (atomically); stdout when absent
  std::string root = "HKEY_LOCAL_MACHINE\\SYSTEM";  // .reg path of the hive root
  std::string backend = "hivelint";                 // hivelint (data exactly as stored) | libregf
  std::vector<std::string> logs;  // --log FILE (repeatable); default: the sibling logs
  bool no_logs = false;           // export a dirty hive as it is on disk
  std::optional<std::string>
      control_set;  // which set a typed CurrentControlSet\... stands for; default current
  std::optional<std::string>
      encoding;  // utf16le | utf8 (.reg); default utf16le, utf8 on a terminal
  bool reg_comments =
      false;  // ';' lines naming hive, SHA-256, key time, version (as fix --reg-comments)
  bool stdout_is_terminal = false;  // set by cli.cpp: stdout is a terminal
  bool force = false;               // overwrite an existing output
  bool quiet = false;
};

struct FixConfig {
  std::string hive;
  std::optional<std::string> output;  // -o: patched copy of the hive
  std::optional<std::string> reg;     // --reg: .reg file
  std::string reg_root = "live";      // live | offline:NAME
  bool reg_comments =
      false;  // "; ..." lines naming rule, ControlSet, hive (chntpw's reged -I rejects them)
  std::string control_set = "current";  // as for check; "all" fixes every failing set
  std::string backend = "both";   // reader for the evaluation (the patch is made on the bytes)
  std::vector<std::string> logs;  // --log FILE (repeatable); default: the sibling logs
  bool no_logs = false;  // a dirty hive is then refused (the editor edits clean hives only)
  std::vector<std::string> events;  // as for check
  bool no_events = false;
  bool events_detail = false;
  std::optional<std::string> rules;
  std::vector<std::string> only_rules;
  std::string min_severity =
      "info";                     // as for check: what the report lists and what counts as failing
  std::string fail_on = "error";  // as for check
  std::optional<std::string>
      timestamp;  // last-written time of touched keys and the header; default now
  bool dry_run = false;
  bool force = false;
  bool copy_if_clean = false;   // -o OUT is written (a verified copy) even when nothing fails
  bool verbose = false;         // text: every verification line
  bool evidence_bytes = false;  // text: failing results' evidence offsets, FILETIMEs and data bytes
  Format format = Format::kText;
  bool quiet = false;
};

struct VerifyConfig {
  std::string hive;
  std::vector<std::string> logs;  // --log FILE (repeatable); default: the sibling logs
  bool no_logs = false;           // verify a dirty hive's file as it is
  Format format = Format::kText;
  std::optional<std::string>
      output;          // -o FILE: the report (written atomically); stdout when absent
  bool force = false;  // replace an existing -o FILE
  bool quiet = false;  // no report and no stderr but a stopping error; the exit code tells
};

struct DeletedConfig {
  std::string hive;
  Format format = Format::kText;
  bool quiet = false;  // no text report; the exit code tells whether the hive was read
};

struct RecoverConfig {
  std::string hive;               // dirty hive
  std::string output;             // recovered hive to write (clean)
  std::vector<std::string> logs;  // --log FILE (repeatable); default: the sibling logs
  bool force = false;             // overwrite an existing output
  bool quiet = false;
};

struct EventsConfig {
  std::vector<std::string> logs;        // EVT or EVTX files (told apart by content)
  std::optional<std::string> hive;      // --hive: resolves display names to service keys
  std::string control_set = "current";  // whose Services key resolves them
  std::string backend = "libregf";
  Format format = Format::kText;
  bool quiet = false;
  bool detail = false;  // --detail: the records behind each summary
};

struct RulesConfig {
  std::string action;   // list | show
  std::string rule_id;  // for show
  std::optional<std::string> rules;
  Format format = Format::kText;
};

}  // namespace hivelint::cli
