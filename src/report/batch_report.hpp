// What a `check` batch (several hives, directories, --format jsonl/brief) adds to the per-hive
// reports: the inputs it left out and why, per-hive verdicts, and one summary in the same words on
// stdout, stderr and in JSON.
#pragma once
#include <cstddef>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "report/check_report.hpp"
#include "util/exit_code.hpp"

namespace hivelint::report {

/// A file found below a directory argument and not checked, with the reason (docs/json.md
/// "skipped").
struct SkippedInput {
  enum class Reason { kTransactionLog, kNoRegfSignature, kNotRegularFile };
  std::string path;
  Reason reason = Reason::kNoRegfSignature;
  std::string detail;  // "file type 6", "symbolic link to a directory (not followed)" ...
};
/// "transaction_log", "no_regf_signature", "not_regular_file".
const char* skipped_reason_name(SkippedInput::Reason r);

/// One hive's verdict over all its results: error if any result is an error, else fail if any
/// fails, else pass if any passes, else not_applicable.
rules::Status hive_status(const CheckReport& one_hive);

struct BatchSummary {
  std::size_t hives = 0;    // hive inputs (files named or found, plus unlistable directories)
  std::size_t checked = 0;  // of those, the ones that could be opened and read
  std::size_t pass = 0, fail = 0, not_applicable = 0, error = 0;  // hives by hive_status
  Counts results;  // results by status (one per rule and ControlSet), as the text Summary counts
  std::vector<SkippedInput> skipped;
  std::size_t min_hives = 1;  // --min-hives
  bool strict = false;  // --strict: a skipped file that is not a transaction log is an input error
  ExitCode exit_code = ExitCode::kOk;

  void add(const CheckReport& one_hive);
  bool too_few() const { return checked < min_hives; }
  std::size_t skipped_count(SkippedInput::Reason r) const;
  /// Skipped entries that are not transaction logs (no regf signature, not a regular file): what
  /// --strict refuses.
  std::size_t not_hives() const {
    return skipped_count(SkippedInput::Reason::kNoRegfSignature) +
           skipped_count(SkippedInput::Reason::kNotRegularFile);
  }
  bool strict_refused() const { return strict && not_hives() > 0; }
};

/// "0 fail, 5 pass, 100 not applicable, 53 errors": the words the text summary uses for results.
std::string verdict_counts(std::size_t fail, std::size_t pass, std::size_t not_applicable,
                           std::size_t error);
/// "34 transaction logs, 3 files without a regf signature" ("" when nothing was skipped).
std::string skipped_text(const BatchSummary& s);
/// "--strict: 3 entries of the folders given are not hives (...)": the input error --strict makes
/// of them.
std::string strict_text(const BatchSummary& s);
/// "hivelint: checked 157 hives (...): ..." for stderr; `timing` goes in the parentheses.
std::string batch_summary_line(const BatchSummary& s, const std::string& timing);
/// The `check` JSON document of a batch: render_check_json's plus a "batch" object (docs/json.md).
std::string render_check_json_batch(const CheckReport& report, const BatchSummary& s);
/// One hive's `check` document on one line for JSONL, led by "type": "hive", "hive" and "status".
std::string render_hive_jsonl(const CheckReport& one_hive);
/// The final JSONL record {"type":"summary", ...} plus "\n".
/// The run's provenance goes here, once, not on every hive line.
std::string render_batch_summary_jsonl(const BatchSummary& s,
                                       const std::optional<Provenance>& provenance);
/// One line per result: "FAIL   KB277770  host1-SYSTEM  ControlSet002  missing Imap4svc, Pop3svc,
/// Resvc".
void render_check_brief(const CheckReport& report, std::ostream& out);
/// "fewer hives checked than --min-hives 1: nothing was checked" (an input error of the run).
std::string too_few_text(const BatchSummary& s);
/// Text lines after the report's Summary in batch mode: "Hives: ..." and "Skipped: ...".
void render_batch_text(const BatchSummary& s, std::ostream& out);
/// The end of --format brief: the input error if any, "Summary: ..." over results, then
/// render_batch_text.
void render_brief_summary(const BatchSummary& s, std::ostream& out);

}  // namespace hivelint::report
