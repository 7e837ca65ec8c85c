// Provenance: which tool, which reader, which rules, run when and how, over which bytes. Every JSON
// document carries it ("provenance", docs/json.md) and the text reports of check and fix start with
// it, so that a report can be tied to the exact inputs and program that produced it.
#pragma once
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "hive/file_facts.hpp"
#include "rules/rule_loader.hpp"

namespace hivelint::report {

struct Provenance {
  std::string tool_version;                // hivelint's version (project(VERSION))
  std::string generated_at;                // UTC time of the run, "2026-12-04T17:05:44Z"
  std::vector<std::string> argv;           // the command line as given, argv[0] included
  std::string reader;                      // libregf | hivelint
  std::string reader_version;              // libregf_get_version(), or hivelint's version
  std::optional<rules::RuleSource> rules;  // for the commands that evaluate rules
};

/// The "provenance" object.
nlohmann::ordered_json provenance_json(const Provenance& p);
/// The "input" object of a hive: {"hive": {path, size, mtime, sha256}, "logs": [{..., "applied"}]}.
nlohmann::ordered_json input_files_json(const hive::InputFiles& in);

/// The command line for a text report: each argument shell-quoted when it needs it ('it''s' style),
/// control characters escaped (util/control_chars.hpp), so that it can neither drive the terminal
/// nor read ambiguously.
std::string command_line_text(const std::vector<std::string>& argv);
/// The header lines of a text report:
///   hivelint 1.4.0, run 2026-12-04T17:05:44Z, reader libregf 20201007
///   Command: hivelint check config/SYSTEM
///   Rules:   built-in (5 files), sha256 3f1c...
void render_provenance_text(const Provenance& p, std::ostream& out);
/// "Hive:    config/SYSTEM, 262144 bytes, modified 2017-...Z, sha256 ..." and one "Log:" line per
/// log read.
void render_input_files_text(const hive::InputFiles& in, std::ostream& out);

}  // namespace hivelint::report
