#include "cli/cli.hpp"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <iostream>
#include <optional>

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

  BuildConfig build;
  auto* build_cmd = app.add_subcommand("build", "Compile a .reg file into a fresh hive file");
  build_cmd->add_option("source", build.source, ".reg file (REGEDIT4 or Version 5.00)")->required();
  build_cmd->add_option("-o,--output", build.output, "Hive file to write")->required();
  build_cmd->add_option(
      "--prefix", build.prefix,
      "Key prefix in the .reg file that is the hive root (default: from the first key, "
      "e.g. HKEY_LOCAL_MACHINE\\SYSTEM)");
  build_cmd->add_option("--root-name", build.root_name,
                        "Name of the hive's root key (default: ROOT)");
  build_cmd->add_option(
      "--timestamp", build.timestamp,
      "Last-written time for every key and the header: ISO 8601 UTC "
      "(2004-06-01T00:00:00Z) or 'now' (default); a fixed value gives byte-identical output");
  build_cmd->add_option("--minor-version", build.minor_version, "regf format 1.N (3 to 6)")
      ->check(CLI::Range(3u, 6u))
      ->default_val(5u);
  build_cmd->add_flag("--force", build.force, "Overwrite an existing output file");
  add_quiet(build_cmd, build.quiet, " (the hive is still written)");
  build_cmd->footer(
      footer("build",
             "  0 written, 2 usage error, 3 the .reg source is unreadable or invalid, 4 write "
             "refused, 5 internal error\n",
             "hivelint build SYSTEM.reg -o SYSTEM.hiv",
             "hivelint build --timestamp 2004-06-01T00:00:00Z SYSTEM.reg -o SYSTEM.hiv"));

  InfoConfig info;
  auto* info_cmd =
      app.add_subcommand("info", "Show a hive's header, root, control sets and Select values");
  info_cmd->add_option("hives", info.hives, "Hive files")->required();
  add_quiet(info_cmd, info.quiet);
  add_report_file(info_cmd, info.output, info.force);
  info_cmd->footer(footer("info",
                          "  0 every hive was read, 2 usage error, 3 a hive could not be read, 4 "
                          "-o refused, 5 internal error\n",
                          "hivelint info SYSTEM",
                          "hivelint info --format json -o info.json SYSTEM SOFTWARE"));
  add_backend(info_cmd, info.backend);
  add_logs(info_cmd, info.logs, info.no_logs);
  add_format(info_cmd, info.format);

  CheckConfig check;
  auto* check_cmd =
      app.add_subcommand("check", "Evaluate rules (KB277770 by default) against SYSTEM hives");
  check_cmd
      ->add_option(
          "hives", check.hives,
          "Hive files, or directories: every primary hive below a directory (recursively, in path "
          "order); transaction logs (file type 1, 2, 6), files without the \"regf\" signature and "
          "special files are skipped and counted")
      ->required();
  check_cmd
      ->add_option("--control-set", check.control_set,
                   "Which ControlSet is CurrentControlSet: current (Select\\Current), default, "
                   "lastknowngood, failed, a number N (ControlSet00N) or all")
      ->default_str("current")
      ->check(control_set_words());
  add_backend(check_cmd, check.backend, true);
  add_logs(check_cmd, check.logs, check.no_logs);
  add_events(check_cmd, check.events, check.no_events, check.events_detail);
  check_cmd->add_option("--rules", check.rules,
                        "Rule file or directory of *.json rules (default: built-in rules)");
  check_cmd->add_option("--rule", check.only_rules, "Evaluate only this rule id (repeatable)");
  check_cmd
      ->add_option(
          "--min-severity", check.min_severity,
          "Report only items at or above this severity (info, warning, error); a rule left with no "
          "item passes")
      ->transform(one_of({"info", "warning", "error"}))
      ->default_str("info");
  check_cmd
      ->add_option(
          "--fail-on", check.fail_on,
          "A rule's result fails (exit 1) only when an item is at or above this severity (info, "
          "warning, error); items below it are listed and the result passes")
      ->transform(one_of({"info", "warning", "error"}))
      ->default_str("error");
  add_quiet(check_cmd, check.quiet);
  add_report_file(check_cmd, check.output, check.force);
  check_cmd->add_flag(
      "--evidence-bytes", check.evidence_bytes,
      "Text: show each result's evidence exactly: cell offsets, last-written FILETIMEs, the data "
      "cell and the stored data bytes as hex (JSON always has them)");
  check_cmd
      ->add_option(
          "-j,--jobs", check.jobs,
          "Check this many hives in parallel (0 = one per core); with --jobs, a directory or "
          "--format jsonl, a summary line (and a progress bar on a terminal) goes to stderr")
      ->check(CLI::Range(0u, 1024u));
  check_cmd
      ->add_option_function<std::string>(
          "--format",
          [&check](const std::string& v) {
            check.format = v == "json"    ? Format::kJson
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
  check_cmd
      ->add_option("--min-hives", check.min_hives,
                   "Exit 3 when fewer hives than this could be read (default 1: an empty folder or "
                   "a folder of "
                   "skipped files is not a pass; 0 allows it)")
      ->default_str("1");
  check_cmd->add_flag(
      "--strict", check.strict,
      "Exit 3 when a folder given holds files that are not hives (no regf signature, e.g. a hive "
      "whose first sector was zeroed) or entries that are not regular files; transaction logs are "
      "still left out. Without it they are only counted");
  check_cmd
      ->add_option(
          "--progress", check.progress,
          "Progress on stderr: auto (a bar on a terminal in batch mode), bar, plain (a line every "
          "--progress-interval seconds, for CI logs) or none")
      ->transform(one_of({"auto", "bar", "plain", "none"}))
      ->default_str("auto");
  check_cmd
      ->add_option("--progress-interval", check.progress_interval,
                   "Seconds between --progress plain lines")
      ->check(CLI::Range(0.0, 86400.0))
      ->default_str("5");
  check_cmd->footer(footer(
      "check",
      "  0 no result failed, 1 a rule failed, 2 usage error, 3 a hive could not be read or checked "
      "(or fewer\n"
      "  than --min-hives were read, or --strict found a file that is not a hive), 4 -o refused,\n"
      "  5 internal error\n",
      "hivelint check SYSTEM",
      "hivelint check --format json -o report.json --control-set all config/"));

  ExportConfig exp;
  auto* export_cmd = app.add_subcommand(
      "export", "Write every key and value of a hive (or of KEYPATH) as .reg or JSON");
  export_cmd->add_option("hive", exp.hive, "Hive file")->required();
  export_cmd->add_option("keypath", exp.key_path,
                         "Key below the hive root to export (default: the whole hive)");
  export_cmd
      ->add_option(
          "--format", exp.format,
          "reg (default: regedit's format, UTF-16LE with BOM, CRLF) or json (docs/json.md)")
      ->transform(one_of({"reg", "json"}))
      ->type_name("reg|json");
  export_cmd->add_option("-o,--output", exp.output, "File to write (default: stdout)");
  export_cmd->add_option("--root", exp.root, "Key path that the hive root gets in .reg output")
      ->default_str("HKEY_LOCAL_MACHINE\\SYSTEM");
  export_cmd
      ->add_option("--backend", exp.backend,
                   "Reader: hivelint (default: data exactly as stored) or libregf (data as libregf "
                   "returns it)")
      ->transform(one_of({"libregf", "hivelint"}))
      ->default_str("hivelint");
  add_logs(export_cmd, exp.logs, exp.no_logs);
  export_cmd
      ->add_option(
          "--control-set", exp.control_set,
          "Which ControlSet a KEYPATH starting with CurrentControlSet stands for: current "
          "(Select\\Current, the default), default, lastknowngood, failed or N (named on stderr)")
      ->check(control_set_words());
  export_cmd
      ->add_option("--encoding", exp.encoding,
                   ".reg encoding: utf16le (regedit's bytes: BOM, CRLF; the default for files and "
                   "pipes) or utf8 "
                   "(no BOM, LF; the default on a terminal)")
      ->transform(one_of({"utf16le", "utf8"}));
  export_cmd->add_flag("--reg-comments", exp.reg_comments,
                       "Start the .reg file with ';' comment lines naming the hive, its SHA-256, "
                       "the key's last-written "
                       "time and the hivelint version (as fix --reg-comments: regedit and "
                       "hivexregedit --merge accept "
                       "them, chntpw's reged -I does not, so by default there are none)");
  export_cmd->add_flag("--force", exp.force, "Overwrite an existing output file");
  add_quiet(export_cmd, exp.quiet, " (the export itself is still written, to -o FILE or stdout)");
  export_cmd->footer(footer("export",
                            "  0 exported, 2 usage error (a KEYPATH the hive does not have), 3 "
                            "unreadable hive, 4 -o refused, 5 internal error\n",
                            "hivelint export SYSTEM "
                            "'HKLM\\SYSTEM\\CurrentControlSet\\Services\\InetInfo' -o inetinfo.reg",
                            "hivelint export --format json SYSTEM 'ControlSet001\\Services'"));

  FixConfig fix;
  auto* fix_cmd = app.add_subcommand(
      "fix", "Write a fixed copy of a hive and/or a .reg fix file for the failing rules");
  fix_cmd->add_option("hive", fix.hive, "Hive file (only ever read)")->required();
  fix_cmd->add_option("-o,--output", fix.output,
                      "Patched copy of the hive to write (verified, then renamed into place)");
  fix_cmd->add_option("--reg", fix.reg, ".reg file to write (regedit's format: UTF-16LE, CRLF)");
  fix_cmd
      ->add_option("--reg-root", fix.reg_root,
                   "Paths in the .reg file: live "
                   "(HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\..., for the running "
                   "server) or offline:NAME (HKEY_LOCAL_MACHINE\\NAME\\ControlSet00N\\..., after "
                   "`reg load HKLM\\NAME`)")
      ->default_str("live")
      ->transform(reg_root_words());
  fix_cmd->add_flag("--reg-comments", fix.reg_comments,
                    "Start the .reg file with ';' comment lines naming the rule, ControlSet and "
                    "hive and how to import "
                    "it (regedit and hivexregedit --merge accept them; chntpw's reged -I rejects "
                    "any comment line, so "
                    "without this option the file has none and imports with all three)");
  fix_cmd
      ->add_option("--control-set", fix.control_set,
                   "Which ControlSet to fix: current (Select\\Current), default, lastknowngood, "
                   "failed, N or all")
      ->default_str("current")
      ->check(control_set_words());
  add_backend(fix_cmd, fix.backend, true);
  add_logs(fix_cmd, fix.logs, fix.no_logs);
  add_events(fix_cmd, fix.events, fix.no_events, fix.events_detail);
  fix_cmd->add_option("--rules", fix.rules,
                      "Rule file or directory of *.json rules (default: built-in rules)");
  fix_cmd->add_option("--rule", fix.only_rules, "Fix only this rule id (repeatable)");
  fix_cmd
      ->add_option(
          "--min-severity", fix.min_severity,
          "Report only items at or above this severity (info, warning, error), as for check")
      ->transform(one_of({"info", "warning", "error"}))
      ->default_str("info");
  fix_cmd
      ->add_option("--fail-on", fix.fail_on,
                   "Items at or above this severity make a result fail, as for check")
      ->transform(one_of({"info", "warning", "error"}))
      ->default_str("error");
  fix_cmd->add_option("--timestamp", fix.timestamp,
                      "Last-written time for touched keys and the header: ISO 8601 UTC "
                      "(2004-06-01T00:00:00Z) or 'now' "
                      "(default); a fixed value gives byte-identical output");
  fix_cmd->add_flag(
      "--dry-run", fix.dry_run,
      "Plan, patch and verify in memory; write nothing (exit 1 when a fix is needed)");
  fix_cmd->add_flag("--force", fix.force, "Replace existing output files");
  fix_cmd->add_flag("--copy-if-clean", fix.copy_if_clean,
                    "When no rule fails, still write -o OUT (a verified copy of the hive, "
                    "recovered when it was dirty), "
                    "so that `fix HIVE -o OUT && mv OUT HIVE` cannot fail half-way");
  fix_cmd->add_flag("-v,--verbose", fix.verbose,
                    "Text: list every verification check, not only their count");
  fix_cmd->add_flag("--evidence-bytes", fix.evidence_bytes,
                    "Text: show each failing result's evidence exactly: cell offsets, last-written "
                    "FILETIMEs, the "
                    "data cell and the stored data bytes as hex (JSON always has them)");
  add_quiet(fix_cmd, fix.quiet, " (the files asked for are still written)");
  add_format(fix_cmd, fix.format);
  // A second hive-like word is almost always the output given without -o: kept for the message
  // after parsing.
  fix_cmd->allow_extras();
  fix_cmd->footer(footer("fix",
                         "  0 fixed and verified, or nothing to fix; 1 a fix is needed (--dry-run) "
                         "or a failing rule has no\n"
                         "  automatic fix; 2 usage error; 3 unreadable hive; 4 write refused or "
                         "verification failed; 5 internal error\n",
                         "hivelint fix SYSTEM -o SYSTEM.fixed",
                         "hivelint fix SYSTEM --reg fix.reg --rule KB277770"));

  VerifyConfig verify;
  auto* verify_cmd = app.add_subcommand("verify",
                                        "Check a whole hive's structure as Windows does when it "
                                        "loads one (exit 0 clean, 1 inconsistent, "
                                        "3 unreadable)");
  verify_cmd->add_option("hive", verify.hive, "Hive file")->required();
  add_quiet(verify_cmd, verify.quiet);
  add_report_file(verify_cmd, verify.output, verify.force);
  add_logs(verify_cmd, verify.logs, verify.no_logs);
  add_format(verify_cmd, verify.format);
  verify_cmd->footer(footer(
      "verify",
      "  0 clean, 1 inconsistent, 2 usage error, 3 unreadable, 4 -o refused, 5 internal error\n",
      "hivelint verify SYSTEM", "hivelint verify --format json -o verify.json SYSTEM"));

  RecoverConfig recover;
  auto* recover_cmd = app.add_subcommand(
      "recover",
      "Write a dirty hive recovered from its transaction logs (as Windows would load it), clean");
  recover_cmd->add_option("hive", recover.hive, "Dirty hive file")->required();
  recover_cmd->add_option("-o,--output", recover.output, "Recovered hive to write")->required();
  recover_cmd
      ->add_option("--log", recover.logs,
                   "Transaction log (repeatable; default: HIVE.LOG, HIVE.LOG1, HIVE.LOG2 beside "
                   "it, any case)")
      ->type_name("FILE");
  recover_cmd->add_flag("--force", recover.force, "Overwrite an existing output file");
  add_quiet(recover_cmd, recover.quiet, " (the hive is still written)");
  recover_cmd->footer(footer("recover",
                             "  0 written, 2 usage error, 3 unreadable hive or log, 4 write "
                             "refused (a clean hive, no usable log), 5 internal error\n",
                             "hivelint recover SYSTEM -o SYSTEM.recovered",
                             "hivelint recover SYSTEM --log SYSTEM.LOG1 -o SYSTEM.recovered"));

  EventsConfig events;
  auto* events_cmd = app.add_subcommand("events",
                                        "List the Service Control Manager failures of System event "
                                        "logs (SysEvent.Evt, System.evtx) per "
                                        "service, event id and error");
  events_cmd
      ->add_option("logs", events.logs, "Event log files, EVT or EVTX (told apart by content)")
      ->required();
  events_cmd->add_option("--hive", events.hive,
                         "SYSTEM hive whose Services\\*\\DisplayName resolves the services the "
                         "logs name to their keys");
  events_cmd
      ->add_option("--control-set", events.control_set,
                   "Whose Services key resolves them: current (Select\\Current), default, "
                   "lastknowngood, failed "
                   "or N")
      ->default_str("current")
      ->check(control_set_words());
  add_backend(events_cmd, events.backend);
  add_quiet(events_cmd, events.quiet);
  events_cmd->add_flag(
      "--detail", events.detail,
      "List the records behind each summary (record number, offset in the log, time)");
  add_format(events_cmd, events.format);
  events_cmd->footer(footer("events",
                            "  0 every log was read, 2 usage error, 3 a log or the hive could not "
                            "be read, 5 internal error\n",
                            "hivelint events SysEvent.Evt",
                            "hivelint events --hive SYSTEM System.evtx"));
  DeletedConfig deleted;
  auto* deleted_cmd = app.add_subcommand("deleted",
                                         "List what a hive's free cells still hold: old keys and "
                                         "values, with what could not be recovered and why");
  deleted_cmd->add_option("hive", deleted.hive, "Hive file (carved as found, without log replay)")
      ->required();
  add_quiet(deleted_cmd, deleted.quiet);
  add_format(deleted_cmd, deleted.format);
  deleted_cmd->footer(footer(
      "deleted", "  0 carved (whatever it found), 2 usage error, 3 unreadable, 5 internal error\n",
      "hivelint deleted SYSTEM", "hivelint deleted --format json SYSTEM"));

  RulesConfig rules;
  auto* rules_cmd = app.add_subcommand("rules", "List the rules or show one");
  rules_cmd->add_option("action", rules.action, "list or show")
      ->required()
      ->transform(one_of({"list", "show"}));
  rules_cmd->add_option("id", rules.rule_id, "Rule id (for show)");
  rules_cmd->add_option("--rules", rules.rules, "Rule file or directory (default: built-in rules)");
  add_format(rules_cmd, rules.format);
  rules_cmd->footer(footer("rules",
                           "  0 listed or shown, 2 usage error (an unknown rule id), 3 a rule file "
                           "is invalid, 5 internal error\n",
                           "hivelint rules list", "hivelint rules show KB277770"));

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
  if (*fix_cmd && !fix_cmd->remaining().empty()) {
    const std::string extra = fix_cmd->remaining().front();
    if (extra.starts_with("-"))
      throw UsageError("The following argument was not expected: " + extra);
    throw UsageError("fix takes one hive; give the output with -o " + extra);
  }

  const std::vector<std::string> argv_list(argv, argv + argc);
  const std::string started_at = utc_now_iso8601();
  // Text and JSON results pass through the control-character filter; export's output is the file's
  // bytes.
  std::optional<TerminalSafe> safe_stdout;
  if (!*export_cmd) safe_stdout.emplace(std::cout);
  if (*build_cmd) {
    Output output{std::cout, std::cerr, build.quiet, argv_list, started_at};
    return run_build(build, output);
  }
  if (*info_cmd) {
    Output output{std::cout, std::cerr, info.quiet, argv_list, started_at};
    std::vector<std::string> inputs = info.hives;
    inputs.insert(inputs.end(), info.logs.begin(), info.logs.end());
    return with_report_file(info.output, info.force, inputs, output,
                            [&](Output& o) { return run_info(info, o); });
  }
  if (*check_cmd) {
    check.jobs_given = check_cmd->count("--jobs") > 0;
    Output output{std::cout, std::cerr, check.quiet, argv_list, started_at};
    std::vector<std::string> inputs = check.hives;
    inputs.insert(inputs.end(), check.logs.begin(), check.logs.end());
    inputs.insert(inputs.end(), check.events.begin(), check.events.end());
    return with_report_file(check.output, check.force, inputs, output,
                            [&](Output& o) { return run_check(check, o); });
  }
  if (*fix_cmd) {
    Output output{std::cout, std::cerr, fix.quiet, argv_list, started_at};
    return run_fix(fix, output);
  }
  if (*verify_cmd) {
    Output output{std::cout, std::cerr, verify.quiet, argv_list, started_at};
    return with_report_file(verify.output, verify.force, {verify.hive}, output,
                            [&](Output& o) { return run_verify(verify, o); });
  }
  if (*recover_cmd) {
    Output output{std::cout, std::cerr, recover.quiet, argv_list, started_at};
    return run_recover(recover, output);
  }
  if (*export_cmd) {
    exp.stdout_is_terminal = ::isatty(STDOUT_FILENO) == 1;
    Output output{std::cout, std::cerr, exp.quiet, argv_list, started_at};
    return run_export(exp, output);
  }
  if (*deleted_cmd) {
    Output output{std::cout, std::cerr, deleted.quiet, argv_list, started_at};
    return with_report_file(std::nullopt, false, {}, output,
                            [&](Output& o) { return run_deleted(deleted, o); });
  }
  if (*events_cmd) {
    Output output{std::cout, std::cerr, events.quiet, argv_list, started_at};
    return with_report_file(std::nullopt, false, {}, output,
                            [&](Output& o) { return run_events(events, o); });
  }
  Output output{std::cout, std::cerr, false, argv_list, started_at};
  return run_rules(rules, output);
}

}  // namespace hivelint::cli
