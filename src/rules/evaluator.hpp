// Evaluating a rule against one hive and one ControlSet: verdict, what was found missing, the
// evidence (key path, value, type, data, last-written time, cell offsets) and the edits its fix
// would make.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "hive/edit.hpp"
#include "hive/hive_reader.hpp"
#include "rules/control_set.hpp"
#include "rules/rule.hpp"

namespace hivelint::rules {

enum class Status { kPass, kFail, kNotApplicable, kError };
const char* status_name(Status s);  // "pass", "fail", "not_applicable", "error"

/// Data bytes kept as evidence per value (data_hex); longer data is cut there and flagged.
inline constexpr std::size_t kMaxEvidenceBytes = 4096;

/// Where the page holding a cell of a recovered image came from (the CLI sets it when logs were
/// applied).
struct PageSource {
  std::string file;  // the hive file or the log, as given or found
  std::optional<std::uint32_t>
      sequence;  // the log entry's sequence number (old format: the log's); none for the hive
};

struct ValueEvidence {
  std::string name;
  std::uint32_t type = 0;
  std::string rendered;  // human rendering of the data
  std::vector<std::string>
      strings;  // decoded entries for string types (REG_SZ: one; MULTI_SZ: all)
  std::vector<std::string> hidden_strings;  // REG_MULTI_SZ entries after an empty string
  std::size_t size = 0;
  std::optional<std::uint64_t> cell_file_offset;
  std::vector<std::string> notes;  // from the rule's evidence notes, and decoding oddities
  hive::DataStorage data_storage = hive::DataStorage::kUnknown;
  std::optional<std::uint64_t>
      data_cell_file_offset;               // the data cell (kCell) or the db record (kBigData)
  std::vector<std::uint8_t> stored_bytes;  // the data as stored, at most kMaxEvidenceBytes
  bool stored_truncated = false;           // the data is longer than kMaxEvidenceBytes
  std::optional<PageSource> page_source;   // of the vk cell's page, when logs were applied
  std::optional<PageSource>
      data_page_source;  // of the data cell's page (cell and big data), when logs were applied
};

/// Why a key is in a result's evidence: the value a multi_string condition checked, a subkey named
/// like that value (the value is absent, the key is there), or what the rule's evidence asks for.
enum class EvidenceRole { kCheckedValue, kSubkeyLikeValue, kRuleEvidence };

struct KeyEvidence {
  EvidenceRole role = EvidenceRole::kRuleEvidence;
  std::string label;  // "checked value", "subkey named like the value", the rule's "SMTP service"
  std::string path;   // hive-relative, stored spelling where the key exists
  bool present = false;
  std::string last_written;                 // ISO 8601 UTC, "" when absent
  std::uint64_t last_written_filetime = 0;  // the same as stored (100 ns since 1601-01-01 UTC)
  std::optional<std::uint64_t> cell_file_offset;
  std::vector<ValueEvidence> values;
  std::string entry;  // the checked list's entry this service needs ("" = none declared)
  std::optional<bool>
      affected;  // with an entry: it is missing from a failing check (the service fails)
  bool recovered_image =
      false;  // offsets are in the image recovered from the logs, not in the file
  std::optional<PageSource> page_source;  // of the key cell's page, when logs were applied
};

/// What a multi_string_contains_all condition found about its value.
enum class FindingReason {
  kOk,
  kKeyAbsent,
  kValueAbsent,
  kKeyNotValue,
  kWrongType,
  kMissingEntries
};
/// "ok", "key_absent", "value_absent", "key_not_value", "wrong_type", "missing_entries": the JSON
/// contract's words.
const char* finding_reason_name(FindingReason reason) noexcept;

/// What a multi_string_contains_all condition found.
struct MultiStringFinding {
  std::string key_path;  // hive-relative
  std::string value_name;
  FindingReason reason = FindingReason::kOk;
  std::optional<std::uint32_t> actual_type;
  std::vector<std::string> present;  // required entries that are present (rule order)
  std::vector<std::string> missing;  // required entries that are missing (rule order)
  std::vector<std::string> hidden;   // required entries stored only after an empty string
};

/// One thing an itemized rule found (details.items[]), with its evidence.
struct Item {
  std::string service;  // key name as stored
  std::string value;
  std::string name;
  std::optional<std::uint32_t> start;       // the key's Start REG_DWORD, when it has one
  std::string severity;                     // error | warning | info
  std::string key;                          // hive-relative, stored spelling where the key exists
  std::string last_written;                 // ISO 8601 UTC, "" when the key is absent
  std::uint64_t last_written_filetime = 0;  // the same as stored
  std::optional<std::uint64_t> key_cell_offset;
  std::optional<std::uint64_t> value_cell_offset;
  bool recovered_image = false;  // the offsets are in the image recovered from the logs
  std::string why;               // what did not hold (the trace line of the item)
};

/// Service Control Manager failures of one service from a System event log, attached to a result by
/// the CLI (cli/evidence_logs.cpp, issue 13): evidence of what the result's finding did on the
/// machine, and since when. One event record behind an EventEvidence (`--events-detail`).
struct EventRecordRef {
  std::uint64_t record_number = 0;  // EVT record number / EVTX event record identifier
  std::uint64_t file_offset = 0;    // of the record in the log
  std::string written;              // ISO 8601 UTC ("" when the record had no time)
  bool recovered = false;           // from the log's recovered records
};

struct EventEvidence {
  std::string service;                 // service key name as stored in the hive
  std::string display_name;            // as the log names it
  std::uint32_t event_id = 0;          // low 16 bits (7000)
  std::optional<std::uint32_t> error;  // Win32 error of "%%N"
  std::uint64_t count = 0;
  std::string first, last;       // ISO 8601 UTC ("" when the records had no time)
  std::string log;               // the log's path as found or given
  std::string key;               // the key whose last-written time the failures are compared with
  std::string key_last_written;  // ISO 8601 UTC
  std::uint64_t key_last_written_filetime = 0;  // the same as stored
  bool first_after_key_written = false;  // the first failure came after that key was last written
  bool detailed = false;                 // --events-detail: `records` lists every record counted
  std::vector<EventRecordRef> records;
};

/// A free value cell carrying the name of a value the rule checks (details.previous_values, issue
/// 13): what the value may have held before it was last set or deleted. rules/previous_values.hpp
/// fills it from regf's carver.
struct PreviousValue {
  std::string name;               // as stored in the old vk (UTF-8)
  std::uint64_t cell_offset = 0;  // file offset of the old vk cell
  std::uint32_t type = 0;
  std::uint32_t size = 0;  // the old vk's data size
  std::string data_state;  // resident | empty | free_cell | overwritten | unrecoverable
  std::optional<std::vector<std::uint8_t>> data;  // when recovered (resident, empty, free_cell)
  std::string note;                               // why the data is not recovered, or a caveat
};

/// Another ControlSet of the same hive where a rule that fails on the current set passes (issue 17
/// §2): whether Last Known Good would have booted with the service working.
struct OtherSetPass {
  std::string control_set;         // "ControlSet001"
  std::vector<std::string> roles;  // its roles from Select ("LastKnownGood"), possibly none
};

/// Severity rank: info 0, warning 1, error 2 (unknown: 2).
int severity_rank(const std::string& severity);

struct RuleResult {
  std::string rule_id;
  std::string rule_title;
  std::string severity;
  std::string hive;  // as given on the command line
  std::optional<ResolvedControlSet>
      control_set;  // absent for root-scoped rules and for errors before resolution
  Status status = Status::kError;
  std::string message;
  std::vector<std::string> applicability;  // why the rule applies (or not)
  std::vector<MultiStringFinding> findings;
  std::vector<std::string> missing;  // union of findings' missing entries, first-seen order
  std::vector<KeyEvidence> evidence;
  std::vector<hive::Edit> planned_edits;  // what the rule's fix would change (empty unless fail)
  std::vector<std::string> notes;
  std::string impact;       // the rule's words on what breaks (fail only)
  std::string remedy;       // the rule's words on what to do (fail only)
  bool itemized = false;    // the rule declares items: details.items[] is reported
  std::vector<Item> items;  // errors first, then warnings, then info; found order within each
  std::size_t items_below_min_severity = 0;  // items left out by --min-severity
  std::vector<EventEvidence>
      events;  // SCM failures of the services it concerns, from the System logs
  std::vector<PreviousValue>
      previous_values;  // free vk cells named like a checked value, file order
  bool previous_values_searched =
      false;  // the free cells were carved for it (failing results only)
  std::vector<OtherSetPass>
      passes_in;  // a fail on the current set only: other sets where the rule passes
};

/// Drops the items below `min_severity` (info | warning | error) from an itemized result; a failing
/// result left with no item becomes a pass (its message says how many were left out), and its
/// severity is its highest item's. Then, when the worst item left is below `fail_on` (info |
/// warning | error), a failing result passes with its items still listed: only items at or above
/// `fail_on` make a result fail (and the exit code 1).
void apply_min_severity(RuleResult& result, const std::string& min_severity,
                        const std::string& fail_on = "error");

/// What evaluate_rule builds besides the verdict.
enum class ResultDetail {
  kFull,     // everything a report shows
  kVerdict,  // status, message, applicability, notes, findings, items and missing entries only: no
             // evidence, planned edits, impact or remedy. For a second evaluation whose verdict
             // alone is compared (libregf's confirmation, which re-reads the evidence key by key
             // itself; Last Known Good's "passes there", where a pass is evaluated again whole):
             // libregf building evidence nobody read was a seventh of its instructions in a batch
             // of small hives (callgrind).
};

/// Evaluates `rule` on the hive read by `reader`, relative to `control_set` (required for
/// control_set scope). Backend failures (BackendError) propagate: the caller turns them into an
/// error result.
RuleResult evaluate_rule(const Rule& rule, const hive::HiveReader& reader,
                         const std::string& hive_label,
                         const std::optional<ResolvedControlSet>& control_set,
                         ResultDetail detail = ResultDetail::kFull);

}  // namespace hivelint::rules
