#include "cli/cli.hpp"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <functional>
#include <iostream>
#include <memory>
#include <optional>
#include <string_view>
#include <utility>

#include "cli/config.hpp"
#include "cli/evaluate.hpp"
#include "cli/run.hpp"
#include "cli/vocab.hpp"
#include "rules/control_set.hpp"
#include "util/error.hpp"
#include "util/version.hpp"

namespace hivelint::cli {
namespace {

std::string join(const std::vector<std::string>& words, const char* separator) {
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "" : separator) + w;
  return out;
}

// One vocabulary (issue 17 §4): an enumerated option value matches whatever its case and is stored
// as the canonical word; anything else is a usage error listing the words, with "did you mean X?"
// when one is close. CLI11 puts the option's name in front ("--format: ...").
CLI::Validator one_of(std::vector<std::string> words) {
  const std::string names =
      "{" + join(words, ",") + "}";  // as CLI::IsMember shows it (the bash completion reads it)
  return CLI::Validator(
      [words](std::string& value) -> std::string {
        if (auto m = match_ignoring_case(value, words)) {
          value = *m;
          return {};
        }
        return "\"" + value + "\" is not one of " + join(words, ", ") + did_you_mean(value, words);
      },
      names);
}

// --control-set: the words of rules::parse_control_set_choice (any case), a number or
// ControlSetNNN.
CLI::Validator control_set_words() {
  return CLI::Validator(
      [](std::string& value) -> std::string {
        try {
          (void)rules::parse_control_set_choice(value);
          return {};
        } catch (const UsageError&) {
          const std::vector<std::string> words{"current", "default", "lastknowngood", "failed",
                                               "all"};
          return "\"" + value +
                 "\" is not one of current, default, lastknowngood, failed, all or a number "
                 "1..999" +
                 did_you_mean(value, words);
        }
      },
      "");
}

// --reg-root: live or offline:NAME; the word matches in any case, NAME keeps its own.
CLI::Validator reg_root_words() {
  return CLI::Validator(
      [](std::string& value) -> std::string {
        if (match_ignoring_case(value, {"live"})) {
          value = "live";
          return {};
        }
        const std::string tag = "offline:";
        if (value.size() > tag.size() && match_ignoring_case(value.substr(0, tag.size()), {tag})) {
          value = tag + value.substr(tag.size());
          return {};
        }
        return "\"" + value + "\" is not live or offline:NAME (NAME as in `reg load HKLM\\NAME`)" +
               did_you_mean(value, {"live", "offline:NAME"});
      },
      "");
}

void add_format(CLI::App* cmd, Format& format) {
  cmd->add_option_function<std::string>(
         "--format",
         [&format](const std::string& v) { format = v == "json" ? Format::kJson : Format::kText; },
         "Output format: text (default) or json")
      ->transform(one_of({"text", "json"}))
      ->type_name("text|json");
}

void add_backend(CLI::App* cmd, std::string& backend, bool with_both = false) {
  if (with_both) {
    cmd->add_option("--backend", backend,
                    "Reader: both (default: hivelint's own regf reader evaluates, libregf confirms "
                    "what every result "
                    "shows), hivelint (its reading alone; data exactly as stored) or libregf "
                    "(libregf reads everything)")
        ->transform(one_of({"both", "hivelint", "libregf"}))
        ->default_str("both");
    return;
  }
  cmd->add_option("--backend", backend,
                  "Reader: libregf (default) or hivelint (hivelint's own regf reader; data exactly "
                  "as stored)")
      ->transform(one_of({"libregf", "hivelint"}))
      ->default_str("libregf");
}

// -q means one thing everywhere (docs/usage.md#quiet).
constexpr const char* kQuietHelp =
    "No output on stdout or stderr except an error that stops the command; the exit code tells the "
    "result";

void add_quiet(CLI::App* cmd, bool& quiet, const std::string& more = "") {
  cmd->add_flag("-q,--quiet", quiet, kQuietHelp + more);
}

// -o FILE for a report: the same name and meaning as export's and fix's -o (docs/usage.md#output).
void add_report_file(CLI::App* cmd, std::optional<std::string>& output, bool& force) {
  cmd->add_option("-o,--output", output,
                  "Write the report to FILE instead of stdout (a temporary file renamed when "
                  "complete; never over "
                  "an input; an existing FILE only with --force)")
      ->type_name("FILE");
  cmd->add_flag("--force", force, "Replace an existing -o FILE");
}

// The end of every subcommand's --help: what its exit codes mean and two typical command lines.
// (scripts/make-man.sh leaves it out of the manual pages, whose EXIT STATUS and EXAMPLES say more.)
std::string footer(const std::string& name, const std::string& exit_codes,
                   const std::string& example1, const std::string& example2) {
  return "Exit codes:\n" + exit_codes + "\nExamples:\n  " + example1 + "\n  " + example2 +
         "\n\nMore: man hivelint-" + name + ", docs/usage.md\n";
}

void add_logs(CLI::App* cmd, std::vector<std::string>& logs, bool& no_logs) {
  auto* log =
      cmd->add_option(
             "--log", logs,
             "Transaction log to replay if the hive is dirty (repeatable; default: HIVE.LOG, "
             "HIVE.LOG1, HIVE.LOG2 beside it, any case)")
          ->type_name("FILE");
  cmd->add_flag("--no-logs", no_logs,
                "Analyse a dirty hive as it is, without replaying its transaction logs")
      ->excludes(log);
}

void add_events(CLI::App* cmd, std::vector<std::string>& events, bool& no_events, bool& detail) {
  auto* opt =
      cmd->add_option(
             "--events", events,
             "System event log (EVT or EVTX, told apart by content) whose Service Control Manager "
             "failures are attached to the results as evidence (repeatable; default: SysEvent.Evt "
             "beside the hive and ../winevt/Logs/System.evtx from it, any case)")
          ->type_name("FILE");
  auto* none = cmd->add_flag("--no-events", no_events, "Read no event log")->excludes(opt);
  cmd->add_flag("--events-detail", detail,
                "List the event records behind each event summary (record number, offset in the "
                "log, time)")
      ->excludes(none);
}

// What every subcommand's run gets besides its own options.
struct Invocation {
  std::vector<std::string> argv;
  std::string started_at;
  Output output(bool quiet) const { return Output{std::cout, std::cerr, quiet, argv, started_at}; }
};

// A subcommand: its CLI11 app, with its options bound to a config the runner owns, and the runner.
struct Subcommand {
  CLI::App* app;
  std::function<ExitCode(const Invocation&)> run;
  bool raw_stdout = false;  // writes a file's bytes to stdout (export), not filtered text
};

// CLI11 lets a repeatable option take every following word (`--rule ID HIVE` would swallow HIVE,
// and
// `--rule=ID HIVE` too). Each occurrence takes exactly one value, in any position, as in other
// Linux tools.
void one_value_per_occurrence(CLI::App& app) {
  for (CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; })) {
    for (CLI::Option* opt : sub->get_options()) {
      if (!opt->get_positional() && opt->get_items_expected_max() > 1) opt->allow_extra_args(false);
    }
  }
}

std::string g_command_label = "hivelint";

// build SOURCE.reg -o HIVE
Subcommand add_build(CLI::App& app) {
  auto config = std::make_shared<BuildConfig>();
  BuildConfig& c = *config;
  auto* cmd = app.add_subcommand("build", "Compile a .reg file into a fresh hive file");
  cmd->add_option("source", c.source, ".reg file (REGEDIT4 or Version 5.00)")->required();
  cmd->add_option("-o,--output", c.output, "Hive file to write")->required();
  cmd->add_option("--prefix", c.prefix,
                  "Key prefix in the .reg file that is the hive root (default: from the first key, "
                  "e.g. HKEY_LOCAL_MACHINE\\SYSTEM)");
  cmd->add_option("--root-name", c.root_name, "Name of the hive's root key (default: ROOT)");
  cmd->add_option(
      "--timestamp", c.timestamp,
      "Last-written time for every key and the header: ISO 8601 UTC "
      "(2004-06-01T00:00:00Z) or 'now' (default); a fixed value gives byte-identical output");
  cmd->add_option("--minor-version", c.minor_version, "regf format 1.N (3 to 6)")
      ->check(CLI::Range(3u, 6u))
      ->default_val(5u);
  cmd->add_flag("--force", c.force, "Overwrite an existing output file");
  add_quiet(cmd, c.quiet, " (the hive is still written)");
  cmd->footer(
      footer("build",
             "  0 written, 2 usage error, 3 the .reg source is unreadable or invalid, 4 write "
             "refused, 5 internal error\n",
             "hivelint build SYSTEM.reg -o SYSTEM.hiv",
             "hivelint build --timestamp 2004-06-01T00:00:00Z SYSTEM.reg -o SYSTEM.hiv"));
  return {cmd, [config, cmd](const Invocation& inv) {
            BuildConfig& r = *config;
            Output output = inv.output(r.quiet);
            return run_build(r, output);
          }};
}

// info HIVE...
Subcommand add_info(CLI::App& app) {
  auto config = std::make_shared<InfoConfig>();
  InfoConfig& c = *config;
  auto* cmd =
      app.add_subcommand("info", "Show a hive's header, root, control sets and Select values");
  cmd->add_option("hives", c.hives, "Hive files")->required();
  add_quiet(cmd, c.quiet);
  add_report_file(cmd, c.output, c.force);
  cmd->footer(footer("info",
                     "  0 every hive was read, 2 usage error, 3 a hive could not be read, 4 "
                     "-o refused, 5 internal error\n",
                     "hivelint info SYSTEM",
                     "hivelint info --format json -o c.json SYSTEM SOFTWARE"));
  add_backend(cmd, c.backend);
  add_logs(cmd, c.logs, c.no_logs);
  add_format(cmd, c.format);
  return {cmd, [config, cmd](const Invocation& inv) {
            InfoConfig& r = *config;
            Output output = inv.output(r.quiet);
            std::vector<std::string> inputs = r.hives;
            inputs.insert(inputs.end(), r.logs.begin(), r.logs.end());
            return with_report_file(r.output, r.force, inputs, output,
                                    [&](Output& o) { return run_info(r, o); });
          }};
}

// check HIVE|DIR...
// check's options for runs over many hives: how few may be read, what a folder may hold, and how
// progress is shown.
void add_check_batch_options(CLI::App* cmd, CheckConfig& c) {
  cmd->add_option("--min-hives", c.min_hives,
                  "Exit 3 when fewer hives than this could be read (default 1: an empty folder or "
                  "a folder of "
                  "skipped files is not a pass; 0 allows it)")
      ->default_str("1");
  cmd->add_flag(
      "--strict", c.strict,
      "Exit 3 when a folder given holds files that are not hives (no regf signature, e.g. a hive "
      "whose first sector was zeroed) or entries that are not regular files; transaction logs are "
      "still left out. Without it they are only counted");
  cmd->add_option(
         "--progress", c.progress,
         "Progress on stderr: auto (a bar on a terminal in batch mode), bar, plain (a line every "
         "--progress-interval seconds, for CI logs) or none")
      ->transform(one_of({"auto", "bar", "plain", "none"}))
      ->default_str("auto");
  cmd->add_option("--progress-interval", c.progress_interval,
                  "Seconds between --progress plain lines")
      ->check(CLI::Range(0.0, 86400.0))
      ->default_str("5");
}

Subcommand add_check(CLI::App& app) {
  auto config = std::make_shared<CheckConfig>();
  CheckConfig& c = *config;
  auto* cmd =
      app.add_subcommand("check", "Evaluate rules (KB277770 by default) against SYSTEM hives");
  cmd->add_option(
         "hives", c.hives,
         "Hive files, or directories: every primary hive below a directory (recursively, in path "
         "order); transaction logs (file type 1, 2, 6), files without the \"regf\" signature and "
         "special files are skipped and counted")
      ->required();
  cmd->add_option("--control-set", c.control_set,
                  "Which ControlSet is CurrentControlSet: current (Select\\Current), default, "
                  "lastknowngood, failed, a number N (ControlSet00N) or all")
      ->default_str("current")
      ->check(control_set_words());
  add_backend(cmd, c.backend, true);
  add_logs(cmd, c.logs, c.no_logs);
  add_events(cmd, c.events, c.no_events, c.events_detail);
  cmd->add_option("--rules", c.rules,
                  "Rule file or directory of *.json rules (default: built-in rules)");
  cmd->add_option("--rule", c.only_rules, "Evaluate only this rule id (repeatable)");
  cmd->add_option(
         "--min-severity", c.min_severity,
         "Report only items at or above this severity (info, warning, error); a rule left with no "
         "item passes")
      ->transform(one_of({"info", "warning", "error"}))
      ->default_str("info");
  cmd->add_option(
         "--fail-on", c.fail_on,
         "A rule's result fails (exit 1) only when an item is at or above this severity (info, "
         "warning, error); items below it are listed and the result passes")
      ->transform(one_of({"info", "warning", "error"}))
      ->default_str("error");
  add_quiet(cmd, c.quiet);
  add_report_file(cmd, c.output, c.force);
  cmd->add_flag(
      "--evidence-bytes", c.evidence_bytes,
      "Text: show each result's evidence exactly: cell offsets, last-written FILETIMEs, the data "
      "cell and the stored data bytes as hex (JSON always has them)");
  cmd->add_option(
         "-j,--jobs", c.jobs,
         "Check this many hives in parallel (0 = one per core); with --jobs, a directory or "
         "--format jsonl, a summary line (and a progress bar on a terminal) goes to stderr")
      ->check(CLI::Range(0u, 1024u));
  cmd->add_option_function<std::string>(
         "--format",
         [&c](const std::string& v) {
           c.format = v == "json"    ? Format::kJson
                      : v == "jsonl" ? Format::kJsonl
                      : v == "brief" ? Format::kBrief
                      : v == "sarif" ? Format::kSarif
                      : v == "junit" ? Format::kJunit
                                     : Format::kText;
         },
         "Output format: text (default), json, jsonl (one JSON document per hive and line, as "
         "each finishes, "
         "then a summary record), brief (one line per result, for batch logs), sarif (SARIF 2.1.0 "
         "for code "
         "scanning: one result per failing rule or item) or junit (JUnit XML for GitLab and "
         "Jenkins: a "
         "testsuite per hive, a testcase per rule and ControlSet); the exit code is the same for "
         "every format")
      ->transform(one_of({"text", "json", "jsonl", "brief", "sarif", "junit"}))
      ->type_name("text|json|jsonl|brief|sarif|junit");
  add_check_batch_options(cmd, c);
  cmd->footer(footer(
      "check",
      "  0 no result failed, 1 a rule failed, 2 usage error, 3 a hive could not be read or checked "
      "(or fewer\n"
      "  than --min-hives were read, or --strict found a file that is not a hive), 4 -o refused,\n"
      "  5 internal error\n",
      "hivelint check SYSTEM",
      "hivelint check --format json -o report.json --control-set all config/"));
  return {cmd, [config, cmd](const Invocation& inv) {
            CheckConfig& r = *config;
            r.jobs_given = cmd->count("--jobs") > 0;
            Output output = inv.output(r.quiet);
            std::vector<std::string> inputs = r.hives;
            inputs.insert(inputs.end(), r.logs.begin(), r.logs.end());
            inputs.insert(inputs.end(), r.events.begin(), r.events.end());
            return with_report_file(r.output, r.force, inputs, output,
                                    [&](Output& o) { return run_check(r, o); });
          }};
}

// export HIVE [KEYPATH]: the only one whose stdout is the file's bytes, not filtered text
Subcommand add_export(CLI::App& app) {
  auto config = std::make_shared<ExportConfig>();
  ExportConfig& c = *config;
  auto* cmd = app.add_subcommand(
      "export", "Write every key and value of a hive (or of KEYPATH) as .reg or JSON");
  cmd->add_option("hive", c.hive, "Hive file")->required();
  cmd->add_option("keypath", c.key_path,
                  "Key below the hive root to export (default: the whole hive)");
  cmd->add_option("--format", c.format,
                  "reg (default: regedit's format, UTF-16LE with BOM, CRLF) or json (docs/json.md)")
      ->transform(one_of({"reg", "json"}))
      ->type_name("reg|json");
  cmd->add_option("-o,--output", c.output, "File to write (default: stdout)");
  cmd->add_option("--root", c.root, "Key path that the hive root gets in .reg output")
      ->default_str("HKEY_LOCAL_MACHINE\\SYSTEM");
  cmd->add_option("--backend", c.backend,
                  "Reader: hivelint (default: data exactly as stored) or libregf (data as libregf "
                  "returns it)")
      ->transform(one_of({"libregf", "hivelint"}))
      ->default_str("hivelint");
  add_logs(cmd, c.logs, c.no_logs);
  cmd->add_option(
         "--control-set", c.control_set,
         "Which ControlSet a KEYPATH starting with CurrentControlSet stands for: current "
         "(Select\\Current, the default), default, lastknowngood, failed or N (named on stderr)")
      ->check(control_set_words());
  cmd->add_option("--encoding", c.encoding,
                  ".reg encoding: utf16le (regedit's bytes: BOM, CRLF; the default for files and "
                  "pipes) or utf8 "
                  "(no BOM, LF; the default on a terminal)")
      ->transform(one_of({"utf16le", "utf8"}));
  cmd->add_flag("--reg-comments", c.reg_comments,
                "Start the .reg file with ';' comment lines naming the hive, its SHA-256, "
                "the key's last-written "
                "time and the hivelint version (as fix --reg-comments: regedit and "
                "hivexregedit --merge accept "
                "them, chntpw's reged -I does not, so by default there are none)");
  cmd->add_flag("--force", c.force, "Overwrite an existing output file");
  add_quiet(cmd, c.quiet, " (the export itself is still written, to -o FILE or stdout)");
  cmd->footer(footer("export",
                     "  0 exported, 2 usage error (a KEYPATH the hive does not have), 3 "
                     "unreadable hive, 4 -o refused, 5 internal error\n",
                     "hivelint export SYSTEM "
                     "'HKLM\\SYSTEM\\CurrentControlSet\\Services\\InetInfo' -o inetinfo.reg",
                     "hivelint export --format json SYSTEM 'ControlSet001\\Services'"));
  return {cmd,
          [config, cmd](const Invocation& inv) {
            ExportConfig& r = *config;
            r.stdout_is_terminal = ::isatty(STDOUT_FILENO) == 1;
            Output output = inv.output(r.quiet);
            return run_export(r, output);
          },
          true};
}

// fix HIVE [-o OUT] [--reg FILE]
Subcommand add_fix(CLI::App& app) {
  auto config = std::make_shared<FixConfig>();
  FixConfig& c = *config;
  auto* cmd = app.add_subcommand(
      "fix", "Write a fixed copy of a hive and/or a .reg fix file for the failing rules");
  cmd->add_option("hive", c.hive, "Hive file (only ever read)")->required();
  cmd->add_option("-o,--output", c.output,
                  "Patched copy of the hive to write (verified, then renamed into place)");
  cmd->add_option("--reg", c.reg, ".reg file to write (regedit's format: UTF-16LE, CRLF)");
  cmd->add_option("--reg-root", c.reg_root,
                  "Paths in the .reg file: live "
                  "(HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\..., for the running "
                  "server) or offline:NAME (HKEY_LOCAL_MACHINE\\NAME\\ControlSet00N\\..., after "
                  "`reg load HKLM\\NAME`)")
      ->default_str("live")
      ->transform(reg_root_words());
  cmd->add_flag("--reg-comments", c.reg_comments,
                "Start the .reg file with ';' comment lines naming the rule, ControlSet and "
                "hive and how to import "
                "it (regedit and hivexregedit --merge accept them; chntpw's reged -I rejects "
                "any comment line, so "
                "without this option the file has none and imports with all three)");
  cmd->add_option("--control-set", c.control_set,
                  "Which ControlSet to fix: current (Select\\Current), default, lastknowngood, "
                  "failed, N or all")
      ->default_str("current")
      ->check(control_set_words());
  add_backend(cmd, c.backend, true);
  add_logs(cmd, c.logs, c.no_logs);
  add_events(cmd, c.events, c.no_events, c.events_detail);
  cmd->add_option("--rules", c.rules,
                  "Rule file or directory of *.json rules (default: built-in rules)");
  cmd->add_option("--rule", c.only_rules, "Fix only this rule id (repeatable)");
  cmd->add_option(
         "--min-severity", c.min_severity,
         "Report only items at or above this severity (info, warning, error), as for check")
      ->transform(one_of({"info", "warning", "error"}))
      ->default_str("info");
  cmd->add_option("--fail-on", c.fail_on,
                  "Items at or above this severity make a result fail, as for check")
      ->transform(one_of({"info", "warning", "error"}))
      ->default_str("error");
  cmd->add_option("--timestamp", c.timestamp,
                  "Last-written time for touched keys and the header: ISO 8601 UTC "
                  "(2004-06-01T00:00:00Z) or 'now' "
                  "(default); a fixed value gives byte-identical output");
  cmd->add_flag("--dry-run", c.dry_run,
                "Plan, patch and verify in memory; write nothing (exit 1 when a fix is needed)");
  cmd->add_flag("--force", c.force, "Replace existing output files");
  cmd->add_flag("--copy-if-clean", c.copy_if_clean,
                "When no rule fails, still write -o OUT (a verified copy of the hive, "
                "recovered when it was dirty), "
                "so that `fix HIVE -o OUT && mv OUT HIVE` cannot fail half-way");
  cmd->add_flag("-v,--verbose", c.verbose,
                "Text: list every verification check, not only their count");
  cmd->add_flag("--evidence-bytes", c.evidence_bytes,
                "Text: show each failing result's evidence exactly: cell offsets, last-written "
                "FILETIMEs, the "
                "data cell and the stored data bytes as hex (JSON always has them)");
  add_quiet(cmd, c.quiet, " (the files asked for are still written)");
  add_format(cmd, c.format);
  // A second hive-like word is almost always the output given without -o: kept for the message
  // after parsing.
  cmd->allow_extras();
  cmd->footer(footer("fix",
                     "  0 fixed and verified, or nothing to fix; 1 a fix is needed (--dry-run) "
                     "or a failing rule has no\n"
                     "  automatic fix; 2 usage error; 3 unreadable hive; 4 write refused or "
                     "verification failed; 5 internal error\n",
                     "hivelint fix SYSTEM -o SYSTEM.fixed",
                     "hivelint fix SYSTEM --reg c.reg --rule KB277770"));
  return {cmd, [config, cmd](const Invocation& inv) {
            FixConfig& r = *config;
            if (!cmd->remaining().empty()) {
              const std::string extra = cmd->remaining().front();
              if (extra.starts_with("-"))
                throw UsageError("The following argument was not expected: " + extra);
              throw UsageError("fix takes one hive; give the output with -o " + extra);
            }
            Output output = inv.output(r.quiet);
            return run_fix(r, output);
          }};
}

// verify HIVE
Subcommand add_verify(CLI::App& app) {
  auto config = std::make_shared<VerifyConfig>();
  VerifyConfig& c = *config;
  auto* cmd = app.add_subcommand("verify",
                                 "Check a whole hive's structure as Windows does when it "
                                 "loads one (exit 0 clean, 1 inconsistent, "
                                 "3 unreadable)");
  cmd->add_option("hive", c.hive, "Hive file")->required();
  add_quiet(cmd, c.quiet);
  add_report_file(cmd, c.output, c.force);
  add_logs(cmd, c.logs, c.no_logs);
  add_format(cmd, c.format);
  cmd->footer(footer(
      "verify",
      "  0 clean, 1 inconsistent, 2 usage error, 3 unreadable, 4 -o refused, 5 internal error\n",
      "hivelint verify SYSTEM", "hivelint verify --format json -o c.json SYSTEM"));
  return {cmd, [config, cmd](const Invocation& inv) {
            VerifyConfig& r = *config;
            Output output = inv.output(r.quiet);
            return with_report_file(r.output, r.force, {r.hive}, output,
                                    [&](Output& o) { return run_verify(r, o); });
          }};
}

// recover HIVE -o OUT
Subcommand add_recover(CLI::App& app) {
  auto config = std::make_shared<RecoverConfig>();
  RecoverConfig& c = *config;
  auto* cmd = app.add_subcommand(
      "recover",
      "Write a dirty hive recovered from its transaction logs (as Windows would load it), clean");
  cmd->add_option("hive", c.hive, "Dirty hive file")->required();
  cmd->add_option("-o,--output", c.output, "Recovered hive to write")->required();
  cmd->add_option("--log", c.logs,
                  "Transaction log (repeatable; default: HIVE.LOG, HIVE.LOG1, HIVE.LOG2 beside "
                  "it, any case)")
      ->type_name("FILE");
  cmd->add_flag("--force", c.force, "Overwrite an existing output file");
  add_quiet(cmd, c.quiet, " (the hive is still written)");
  cmd->footer(footer("recover",
                     "  0 written, 2 usage error, 3 unreadable hive or log, 4 write "
                     "refused (a clean hive, no usable log), 5 internal error\n",
                     "hivelint recover SYSTEM -o SYSTEM.recovered",
                     "hivelint recover SYSTEM --log SYSTEM.LOG1 -o SYSTEM.recovered"));
  return {cmd, [config, cmd](const Invocation& inv) {
            RecoverConfig& r = *config;
            Output output = inv.output(r.quiet);
            return run_recover(r, output);
          }};
}

// events LOG...
Subcommand add_events(CLI::App& app) {
  auto config = std::make_shared<EventsConfig>();
  EventsConfig& c = *config;
  auto* cmd = app.add_subcommand("events",
                                 "List the Service Control Manager failures of System event "
                                 "logs (SysEvent.Evt, System.evtx) per "
                                 "service, event id and error");
  cmd->add_option("logs", c.logs, "Event log files, EVT or EVTX (told apart by content)")
      ->required();
  cmd->add_option("--hive", c.hive,
                  "SYSTEM hive whose Services\\*\\DisplayName resolves the services the "
                  "logs name to their keys");
  cmd->add_option("--control-set", c.control_set,
                  "Whose Services key resolves them: current (Select\\Current), default, "
                  "lastknowngood, failed "
                  "or N")
      ->default_str("current")
      ->check(control_set_words());
  add_backend(cmd, c.backend);
  add_quiet(cmd, c.quiet);
  cmd->add_flag("--detail", c.detail,
                "List the records behind each summary (record number, offset in the log, time)");
  add_format(cmd, c.format);
  cmd->footer(footer("events",
                     "  0 every log was read, 2 usage error, 3 a log or the hive could not "
                     "be read, 5 internal error\n",
                     "hivelint events SysEvent.Evt", "hivelint events --hive SYSTEM System.evtx"));
  return {cmd, [config, cmd](const Invocation& inv) {
            EventsConfig& r = *config;
            Output output = inv.output(r.quiet);
            return with_report_file(std::nullopt, false, {}, output,
                                    [&](Output& o) { return run_events(r, o); });
          }};
}

// deleted HIVE
Subcommand add_deleted(CLI::App& app) {
  auto config = std::make_shared<DeletedConfig>();
  DeletedConfig& c = *config;
  auto* cmd = app.add_subcommand("deleted",
                                 "List what a hive's free cells still hold: old keys and "
                                 "values, with what could not be recovered and why");
  cmd->add_option("hive", c.hive, "Hive file (carved as found, without log replay)")->required();
  add_quiet(cmd, c.quiet);
  add_format(cmd, c.format);
  cmd->footer(footer(
      "deleted", "  0 carved (whatever it found), 2 usage error, 3 unreadable, 5 internal error\n",
      "hivelint deleted SYSTEM", "hivelint deleted --format json SYSTEM"));
  return {cmd, [config, cmd](const Invocation& inv) {
            DeletedConfig& r = *config;
            Output output = inv.output(r.quiet);
            return with_report_file(std::nullopt, false, {}, output,
                                    [&](Output& o) { return run_deleted(r, o); });
          }};
}

// rules list|show [ID]
Subcommand add_rules(CLI::App& app) {
  auto config = std::make_shared<RulesConfig>();
  RulesConfig& c = *config;
  auto* cmd = app.add_subcommand("rules", "List the rules or show one");
  cmd->add_option("action", c.action, "list or show")
      ->required()
      ->transform(one_of({"list", "show"}));
  cmd->add_option("id", c.rule_id, "Rule id (for show)");
  cmd->add_option("--rules", c.rules, "Rule file or directory (default: built-in rules)");
  add_format(cmd, c.format);
  cmd->footer(footer("rules",
                     "  0 listed or shown, 2 usage error (an unknown rule id), 3 a rule file "
                     "is invalid, 5 internal error\n",
                     "hivelint rules list", "hivelint rules show KB277770"));
  return {cmd, [config, cmd](const Invocation& inv) {
            RulesConfig& r = *config;
            Output output = inv.output(false);
            return run_rules(r, output);
          }};
}

}  // namespace

const std::string& command_label() { return g_command_label; }

ExitCode run_cli(int argc, char** argv) {
  CLI::App app{
      "hivelint: offline analysis and repair of Windows registry hives (KB277770 and more)",
      "hivelint"};
  app.set_version_flag("--version", std::string("hivelint ") + kVersion);
  app.require_subcommand(1);
  app.failure_message(CLI::FailureMessage::simple);
  app.footer(
      "Run `hivelint SUBCOMMAND --help` for its options, exit codes and examples.\n"
      "Manual: man hivelint (and man hivelint-SUBCOMMAND); documentation: docs/ in the source tree "
      "or "
      "/usr/share/doc/hivelint (usage.md first).");
  // In the order --help lists them. A command line that names one of them first (every run but
  // `hivelint`, `--help` or `--version` alone, or a mistyped name) builds that one only: building
  // all ten with their options was a tenth of the instructions of a one-lookup check of a real
  // hive (callgrind, 1.7 M). What CLI11 parses is the same either way: only the first word can
  // choose a subcommand (a later one is a positional, such as a hive named "fix").
  using Adder = Subcommand (*)(CLI::App&);
  static constexpr std::pair<std::string_view, Adder> kSubcommands[] = {
      {"build", add_build},     {"info", add_info},     {"check", add_check},
      {"export", add_export},   {"fix", add_fix},       {"verify", add_verify},
      {"recover", add_recover}, {"events", add_events}, {"deleted", add_deleted},
      {"rules", add_rules}};
  const std::string_view first = argc > 1 ? std::string_view(argv[1]) : std::string_view();
  const bool named = std::any_of(std::begin(kSubcommands), std::end(kSubcommands),
                                 [&](const auto& s) { return s.first == first; });
  std::vector<Subcommand> subcommands;
  for (const auto& [name, add] : kSubcommands) {
    if (named && name != first) continue;
    subcommands.push_back(add(app));
    if (subcommands.back().app->get_name() != name)
      throw Error("internal: subcommand \"" + std::string(name) + "\" is built as \"" +
                  subcommands.back().app->get_name() + "\"");
  }

  one_value_per_occurrence(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --version succeed; every other parse problem is a usage error (exit 2), named
    // after the subcommand it was met in ("hivelint fix: ...").
    if (e.get_exit_code() == 0) {
      app.exit(e);
      return ExitCode::kOk;
    }
    std::string sub;
    for (const CLI::App* s : app.get_subcommands()) sub = s->get_name();
    std::cerr << "hivelint" << (sub.empty() ? "" : " " + sub) << ": " << e.what() << "\n"
              << "Run `hivelint " << (sub.empty() ? "" : sub + " ") << "--help` for the options.\n";
    return ExitCode::kUsage;
  }
  for (const CLI::App* s : app.get_subcommands()) g_command_label = "hivelint " + s->get_name();

  const Invocation invocation{std::vector<std::string>(argv, argv + argc), utc_now_iso8601()};
  for (const Subcommand& s : subcommands) {
    if (!*s.app) continue;
    // Text and JSON results pass through the control-character filter; export's output is the
    // file's bytes.
    std::optional<TerminalSafe> safe_stdout;
    if (!s.raw_stdout) safe_stdout.emplace(std::cout);
    return s.run(invocation);
  }
  throw Error(
      "internal: no subcommand was chosen");  // require_subcommand(1) makes this unreachable
}

}  // namespace hivelint::cli
