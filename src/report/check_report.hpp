// The outcome of `hivelint check` over several hives, and its text and JSON renderings.
#pragma once
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "hive/file_facts.hpp"
#include "regf/diagnostics.hpp"
#include "regf/recovery.hpp"
#include "report/events_report.hpp"
#include "report/provenance.hpp"
#include "rules/evaluator.hpp"
#include "util/exit_code.hpp"

namespace hivelint::report {

inline constexpr int kJsonSchemaVersion = 1;

struct HiveSummary {
  std::string hive;  // path as given
  bool readable = false;
  std::string backend;                 // the reader that produced the results: libregf | hivelint
  bool dirty = false;                  // the file as found (before any log replay)
  std::uint32_t primary_sequence = 0;  // of the file as found
  std::uint32_t secondary_sequence = 0;
  std::vector<std::string> logs;  // transaction logs found beside it
  regf::RecoveryReport recovery;  // what log replay did (the results are about the recovered hive)
  std::optional<hive::InputFiles>
      inputs;  // size, mtime, SHA-256 of the hive and its logs (absent: not opened)
  std::vector<std::string> control_set_notes;  // from ControlSet resolution
  std::vector<regf::Diagnostic> diagnostics;
  std::string error;  // why it could not be read / resolved
  std::vector<LogReport>
      event_logs;  // System event logs read as evidence (summaries are per result)
};

struct CheckReport {
  std::optional<Provenance> provenance;  // the run's (absent in a per-hive part of a batch)
  std::vector<HiveSummary> hives;
  std::vector<rules::RuleResult> results;
  std::vector<std::string>
      input_errors;  // about the run as a whole (fewer hives than --min-hives): exit 3
  bool evidence_bytes =
      false;  // text: each result's evidence with offsets, FILETIMEs and data bytes
};

struct Counts {
  std::size_t pass = 0, fail = 0, not_applicable = 0, error = 0;
};
Counts count(const CheckReport& report);
/// 0 no failing result, 1 at least one fail, 3 at least one error or input error (errors win: a CI
/// run must not mistake an unreadable hive for a healthy one).
ExitCode exit_code(const CheckReport& report);

/// The JSON document (docs/json.md), pretty-printed.
std::string render_check_json(const CheckReport& report);
/// The same document on one line (no indentation) plus "\n": `check --format jsonl` writes one per
/// hive.
std::string render_check_jsonl(const CheckReport& report);
/// The administrator's view: verdict first, then what is missing, where, and what to do.
void render_check_text(const CheckReport& report, std::ostream& out);

/// The bracketed set of a result line, without the brackets: "ControlSet002 = Current, Default"
/// under
/// `--control-set all` (its roles from Select; "ControlSet003" with none), else "ControlSet002,
/// Select\Current = 2" (how it was chosen).
std::string control_set_label(const rules::ResolvedControlSet& set);
/// "LastKnownGood = ControlSet001 passes" (one entry per set of result.passes_in, joined by "; ");
/// "" when none.
std::string passes_in_text(const rules::RuleResult& result);
/// --evidence-bytes: every evidence key of `result` with its key cell, last-written FILETIME, and
/// per value its value and data cells and the stored data as hex; offsets in a recovered image say
/// so and name their page's source.
void render_evidence_bytes_text(const rules::RuleResult& result, std::ostream& out,
                                const std::string& pad);

/// An itemized result's items, one line each (errors first), after a count line; each line starts
/// with `pad`.
void render_items_text(const rules::RuleResult& result, std::ostream& out, const std::string& pad);

/// A `reg add` command line for the administrator to paste into cmd.exe, or why there is none.
struct RegAddLine {
  std::optional<std::string> line;  // absent when the data is not cmd-safe
  std::string why_not;              // set when `line` is absent, e.g. `entry 2 holds '"'`
};

/// The `reg add` line that sets a REG_MULTI_SZ, emitted only when the key, the value name and every
/// entry are safe for cmd.exe and reg.exe as they are: printable ASCII without " % ! ^ & | < >
/// (cmd.exe expands or interprets them even inside quotes, and a '"' ends the quoting: D3 of the
/// adversarial review), no "\0" (reg.exe's entry separator), no empty entry, no '\\' before the
/// closing quote. Otherwise `why_not` names the first offending entry and character; the .reg from
/// `fix --reg` carries any data (hex(7):).
RegAddLine reg_add_multi_sz(const std::string& key, const std::string& value,
                            const std::vector<std::string>& entries);

}  // namespace hivelint::report
