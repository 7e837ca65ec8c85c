// JSON helpers shared by the report renderers (nlohmann::ordered_json keeps field order stable).
#pragma once
#include <nlohmann/json.hpp>

#include "regf/diagnostics.hpp"
#include "regf/recovery.hpp"
#include "report/check_report.hpp"
#include "report/provenance.hpp"

namespace hivelint::report {

using Json = nlohmann::ordered_json;

/// An empty object with room for `fields` members. nlohmann's ordered_map is a vector of pairs
/// whose key is const, so growing it copies every member already in it, deeply, instead of moving
/// it (a tenth of the allocations of a batch of small hives, callgrind).
Json object_with_room(std::size_t fields);
/// The fields every JSON document starts with: schema_version, tool, command, and "provenance"
/// (null when a report was built without one, as unit tests do).
Json document(const char* command, const std::optional<Provenance>& provenance);
Json diagnostic_json(const regf::Diagnostic& d);
/// One planned change (create_key / set_value with old and new type and data).
Json edit_json(const hive::Edit& e);
/// `data` as lower-case hex digits, two per byte.
std::string hex_bytes(const std::vector<std::uint8_t>& data);
/// One free value cell found under a checked value's name (details.previous_values[]; `deleted`'s
/// values[]).
Json previous_value_json(const rules::PreviousValue& p);
/// The same as one line of text: "NAME TYPE in a free cell at file offset 0x…: held …" or why not.
std::string previous_value_text(const rules::PreviousValue& p);
/// One rule result as `check` reports it.
Json result_json(const rules::RuleResult& r);
/// One hive's summary (readable, backend, dirty, sequence numbers, logs, diagnostics, error).
Json hive_json(const HiveSummary& h);
/// The whole `check` document for `report` (render_check_json dumps it).
Json check_json(const CheckReport& report);
/// The "recovery" object (docs/json.md): was the file dirty, which logs were applied or not and
/// why.
Json recovery_json(const regf::RecoveryReport& r);
/// Dumps with 2-space indentation; invalid UTF-8 can't occur (all strings pass through util::utf16
/// decoding), but is replaced rather than thrown on, as a last line of defence.
std::string dump(const Json& j);

}  // namespace hivelint::report
