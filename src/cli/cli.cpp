#include "cli/cli.hpp"

#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/config.hpp"
#include "cli/run.hpp"

namespace hivelint::cli {
namespace {

void add_format(CLI::App* cmd, Format& format) {
  cmd->add_option_function<std::string>(
         "--format", [&format](const std::string& v) { format = v == "json" ? Format::kJson : Format::kText; },
         "Output format: text (default) or json")
      ->check(CLI::IsMember({"text", "json"}))
      ->type_name("text|json");
}

void add_backend(CLI::App* cmd, std::string& backend) {
  cmd->add_option("--backend", backend,
                  "Reader: libregf (default) or hivelint (hivelint's own regf reader; data exactly as stored)")
      ->check(CLI::IsMember({"libregf", "hivelint"}))
      ->default_str("libregf");
}

}  // namespace

int run_cli(int argc, char** argv) {
  CLI::App app{"hivelint: offline analysis and repair of Windows registry hives (KB277770 and more)", "hivelint"};
  app.set_version_flag("--version", std::string("hivelint 0.1.0"));
  app.require_subcommand(1);
  app.failure_message(CLI::FailureMessage::simple);

  BuildConfig build;
  auto* build_cmd = app.add_subcommand("build", "Compile a .reg file into a fresh hive file");
  build_cmd->add_option("source", build.source, ".reg file (REGEDIT4 or Version 5.00)")->required();
  build_cmd->add_option("-o,--output", build.output, "Hive file to write")->required();
  build_cmd->add_option("--prefix", build.prefix,
                        "Key prefix in the .reg file that is the hive root (default: from the first key, "
                        "e.g. HKEY_LOCAL_MACHINE\\SYSTEM)");
  build_cmd->add_option("--root-name", build.root_name, "Name of the hive's root key (default: ROOT)");
  build_cmd->add_option("--timestamp", build.timestamp,
                        "Last-written time for every key and the header: ISO 8601 UTC "
                        "(2004-06-01T00:00:00Z) or 'now' (default); a fixed value gives byte-identical output");
  build_cmd->add_option("--minor-version", build.minor_version, "regf format 1.N (3 to 6)")
      ->check(CLI::Range(3u, 6u))
      ->default_val(5u);
  build_cmd->add_flag("--force", build.force, "Overwrite an existing output file");
  build_cmd->add_flag("-q,--quiet", build.quiet, "No messages on stderr");

  InfoConfig info;
  auto* info_cmd = app.add_subcommand("info", "Show a hive's header, root, control sets and Select values");
  info_cmd->add_option("hives", info.hives, "Hive files")->required();
  info_cmd->add_flag("-q,--quiet", info.quiet, "No diagnostics on stderr");
  add_backend(info_cmd, info.backend);
  add_format(info_cmd, info.format);

  CheckConfig check;
  auto* check_cmd = app.add_subcommand("check", "Evaluate rules (KB277770 by default) against SYSTEM hives");
  check_cmd->add_option("hives", check.hives,
                        "Hive files, or directories: every regular file below a directory (recursively, in path "
                        "order) that starts with the \"regf\" signature")
      ->required();
  check_cmd->add_option("--control-set", check.control_set,
                        "Which ControlSet is CurrentControlSet: current (Select\\Current), default, "
                        "lastknowngood, failed, a number N (ControlSet00N) or all")
      ->default_str("current");
  add_backend(check_cmd, check.backend);
  check_cmd->add_option("--rules", check.rules, "Rule file or directory of *.json rules (default: built-in rules)");
  check_cmd->add_option("--rule", check.only_rules, "Evaluate only this rule id (repeatable)");
  check_cmd->add_flag("-q,--quiet", check.quiet, "No output; the exit code tells the verdict");
  check_cmd->add_option("-j,--jobs", check.jobs,
                        "Check this many hives in parallel (0 = one per core); with --jobs, a directory or "
                        "--format jsonl, a summary line (and a progress bar on a terminal) goes to stderr")
      ->check(CLI::Range(0u, 1024u));
  check_cmd->add_option_function<std::string>(
               "--format",
               [&check](const std::string& v) {
                 check.format = v == "json" ? Format::kJson : v == "jsonl" ? Format::kJsonl : Format::kText;
               },
               "Output format: text (default), json, or jsonl (one JSON document per hive and line, as each finishes)")
      ->check(CLI::IsMember({"text", "json", "jsonl"}))
      ->type_name("text|json|jsonl");

  ExportConfig exp;
  auto* export_cmd = app.add_subcommand("export", "Write every key and value of a hive (or of KEYPATH) as .reg or JSON");
  export_cmd->add_option("hive", exp.hive, "Hive file")->required();
  export_cmd->add_option("keypath", exp.key_path, "Key below the hive root to export (default: the whole hive)");
  export_cmd->add_option("--format", exp.format,
                         "reg (default: regedit's format, UTF-16LE with BOM, CRLF) or json (docs/json.md)")
      ->check(CLI::IsMember({"reg", "json"}))
      ->type_name("reg|json");
  export_cmd->add_option("-o,--output", exp.output, "File to write (default: stdout)");
  export_cmd->add_option("--root", exp.root, "Key path that the hive root gets in .reg output")
      ->default_str("HKEY_LOCAL_MACHINE\\SYSTEM");
  export_cmd->add_option("--backend", exp.backend,
                         "Reader: hivelint (default: data exactly as stored) or libregf (data as libregf returns it)")
      ->check(CLI::IsMember({"libregf", "hivelint"}))
      ->default_str("hivelint");
  export_cmd->add_flag("--force", exp.force, "Overwrite an existing output file");
  export_cmd->add_flag("-q,--quiet", exp.quiet, "No warnings on stderr");

  RulesConfig rules;
  auto* rules_cmd = app.add_subcommand("rules", "List the rules or show one");
  rules_cmd->add_option("action", rules.action, "list or show")->required()->check(CLI::IsMember({"list", "show"}));
  rules_cmd->add_option("id", rules.rule_id, "Rule id (for show)");
  rules_cmd->add_option("--rules", rules.rules, "Rule file or directory (default: built-in rules)");
  add_format(rules_cmd, rules.format);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --version succeed; every other parse problem is a usage error (exit 2).
    const int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }

  if (*build_cmd) {
    Output output{std::cout, std::cerr, build.quiet};
    return run_build(build, output);
  }
  if (*info_cmd) {
    Output output{std::cout, std::cerr, info.quiet};
    return run_info(info, output);
  }
  if (*check_cmd) {
    check.jobs_given = check_cmd->count("--jobs") > 0;
    Output output{std::cout, std::cerr, check.quiet};
    return run_check(check, output);
  }
  if (*export_cmd) {
    Output output{std::cout, std::cerr, exp.quiet};
    return run_export(exp, output);
  }
  Output output{std::cout, std::cerr, false};
  return run_rules(rules, output);
}

}  // namespace hivelint::cli
