// `hivelint fix` below the command line: once the rules have been evaluated on a hive, the fix runs
// as fixed steps, each of which may stop it with the report saying why:
//   plan    the failing results and their planned edits (nothing to fix, or no automatic fix, ends
//           it here);
//   patch   the edits applied to a copy of the hive, proven (patch::verify_patch, the failing
//           rules evaluated again by libregf) and its temporary output file begun;
//   reg     the .reg file made and read back (reg_fix.hpp);
//   commit  the outputs flushed, read back from disk and renamed into place;
// then what the administrator does next. Everything up to the commit happens in memory: a refusal
// there leaves no file behind. The command line only parses, evaluates and renders.
#pragma once
#include <cstdint>
#include <filesystem>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "fix/reg_fix.hpp"
#include "hive/open.hpp"
#include "report/fix_report.hpp"
#include "rules/rule.hpp"

namespace hivelint::fix {

struct FixRequest {
  std::string hive;                   // as given, for messages
  std::optional<std::string> output;  // the patched copy
  std::optional<std::string> reg;     // the .reg file
  RegRoot reg_root;
  bool reg_comments = false;
  bool dry_run = false;
  bool force = false;           // replace existing outputs
  bool copy_if_clean = false;   // write `output` even when nothing fails
  std::uint64_t timestamp = 0;  // FILETIME of touched keys and the header
  std::string min_severity = "info";
  std::string fail_on = "error";
};

/// Runs the steps on `opened` (absent when the hive could not be opened), whose rule results are
/// `report.results`, and fills the rest of `report`: plan, outputs, after, warnings, next steps,
/// message and exit code. An error that stops a step is written to `errors` as one "hivelint: ..."
/// line.
void run_steps(const FixRequest& request, const std::vector<rules::Rule>& rules,
               const hive::OpenedHive* opened, report::FixReport& report, std::ostream& errors);

/// A regular file that starts with "regf" (a hive, or a transaction log).
bool is_hive_file(const std::filesystem::path& path);

}  // namespace hivelint::fix
