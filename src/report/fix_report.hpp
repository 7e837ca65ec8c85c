// The outcome of `hivelint fix` on one hive: the verdicts that led to it, each change (old and new
// type and data), and for each output (patched hive, .reg file) where it went and how it was
// verified.
#pragma once
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "hive/edit.hpp"
#include "patch/apply.hpp"
#include "report/check_report.hpp"
#include "util/exit_code.hpp"

namespace hivelint::report {

struct FixHiveOutput {
  std::string path;
  bool written = false;  // false on --dry-run
  std::size_t input_size = 0;
  std::size_t output_size = 0;
  std::size_t dropped_trailing_bytes = 0;
  std::vector<regf::CellChange> cells;
  std::vector<patch::ByteRange> differing;
  std::vector<std::string> verification;  // each check that passed
};

struct FixRegOutput {
  std::string path;
  bool written = false;
  std::string root;  // "live" or "offline:NAME"
  std::size_t key_blocks = 0;
  std::size_t values = 0;
  std::string text;  // the file's text (UTF-8, CRLF), shown on --dry-run
  std::vector<std::string> verification;
};

struct FixReport {
  std::optional<Provenance> provenance;
  HiveSummary hive;
  std::vector<rules::RuleResult> results;  // the verdicts before the fix
  std::vector<hive::Edit> plan;            // the changes, in the order they are applied
  bool dry_run = false;
  std::optional<FixHiveOutput> hive_output;
  std::optional<FixRegOutput> reg_output;
  std::vector<std::string> after;  // "KB277770 on ControlSet002: pass" for the patched hive
  std::vector<std::string> warnings;
  std::vector<std::string>
      next_steps;        // what the administrator does next, in order (text: "Next:")
  bool verbose = false;  // text: every verification line, not their count
  bool evidence_bytes =
      false;            // text: failing results' evidence with offsets, FILETIMEs, data bytes
  std::string message;  // one line: what happened
  ExitCode exit_code = ExitCode::kOk;
};

std::string render_fix_json(const FixReport& report);
void render_fix_text(const FixReport& report, std::ostream& out);

}  // namespace hivelint::report
