// Service Control Manager failures from System event logs: `hivelint events` and the `events` of
// each result of `check`/`fix` (issue 13).
#pragma once
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include "events/event_log.hpp"
#include "events/summary.hpp"
#include "report/provenance.hpp"

namespace hivelint::report {

using Json = nlohmann::ordered_json;  // as in json_common.hpp (which includes check_report.hpp,
                                      // which includes this)

/// One log as read: counts, what could not be read, the summaries; or why it could not be read at
/// all.
struct LogReport {
  std::string log;     // path as given
  std::string error;   // set when the log could not be read (nothing else is then)
  std::string format;  // "EVT" | "EVTX"
  std::uint64_t records = 0, recovered = 0, unreadable = 0, chunks = 0, bad_chunks = 0;
  bool dirty = false;
  std::vector<std::string> warnings;
  std::vector<events::EventSummary> summaries;
};

/// A LogReport of an EventLog read (directory: nullptr without a hive) (warnings, counts and the
/// summaries of its SCM failures).
LogReport log_report(const events::EventLog& log, const events::ServiceDirectory* directory);

struct EventsReport {
  std::optional<std::string> hive;  // --hive, when given
  std::string services_key;         // the Services key display names were resolved through
  std::string hive_error;           // why the hive could not be used (the logs are still listed)
  std::vector<LogReport> logs;
  std::optional<Provenance> provenance;  // tool, run time, command line, reader (docs/json.md)
  bool detail = false;                   // --detail: the records behind each summary
};

/// A log as JSON: {log, readable, error | format, records, recovered_records, unreadable_records,
/// [chunks, bad_chunks,] dirty, warnings[, events]}.
Json log_json(const LogReport& log, bool with_events, bool with_records = false);
/// One summary as JSON: {service, display_name, event_id, error, count, first, last, log[,
/// records]}; `records` (every record behind it: record_number, file_offset, written, recovered)
/// only `with_records`.
Json event_summary_json(const events::EventSummary& s, bool with_records = false);
/// "record 1234 at log offset 0x00001a00, 2004-06-01T10:03:03Z (recovered)": one record behind a
/// summary.
std::string event_record_text(std::uint64_t record_number, std::uint64_t file_offset,
                              const std::string& written, bool recovered);
/// "POP3Svc: Event 7000, error 1083 (The executable ...), 3 times, 2004-06-01T10:03:03Z …
/// 2004-06-03T08:16:00Z".
std::string event_summary_text(const events::EventSummary& s);
/// The same line from its parts (`who` is the service as shown; times ISO 8601, "" when unknown).
std::string event_line(const std::string& who, std::uint32_t event_id,
                       const std::optional<std::uint32_t>& error, std::uint64_t count,
                       const std::string& first, const std::string& last);
/// What a log is, for a report line: "SysEvent.Evt: EVT, 6063 records + 438 recovered, dirty".
std::string log_counts_text(const LogReport& log);

std::string render_events_json(const EventsReport& report);
void render_events_text(const EventsReport& report, std::ostream& out);

}  // namespace hivelint::report
