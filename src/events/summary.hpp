// SCM failures summarised per service, event id and error: what a reviewer writes down ("POP3Svc:
// Event 7000, error 1083, 3 times, first ... last ...").
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "events/event_log.hpp"
#include "events/scm_failure.hpp"
#include "events/service_directory.hpp"

namespace hivelint::events {

/// Where a summary's `service` comes from.
enum class ServiceSource {
  kRecord,  // the record's own key name (EVTX Binary, 7026's driver list), in the hive's spelling
            // if it has it
  kDisplayName,   // the hive's service key whose DisplayName the record names
  kNoHive,        // the display name as logged: no hive to resolve it through
  kUnresolved,    // the display name as logged: no service key of the hive has it (or two have)
  kKeyNotInHive,  // the record's own key name, which the hive (given) has no service key of
};

/// One record behind a summary (`--events-detail`): where it is in the log and when it was written.
struct FailureRecord {
  std::uint64_t record_number = 0;  // EVT record number / EVTX event record identifier
  std::uint64_t file_offset = 0;    // of the record in the log
  std::uint64_t written = 0;        // FILETIME, UTC (0 when the record had no time)
  bool recovered = false;           // from the log's recovered records
};

struct EventSummary {
  std::string service;  // key name as stored in the hive; the logged name when unresolved
  ServiceSource source = ServiceSource::kNoHive;
  std::string display_name;  // as the records name it
  std::uint32_t event_id = 0;
  std::optional<std::uint32_t> error;
  std::uint64_t count = 0;
  std::uint64_t first = 0;  // FILETIME of the earliest record (0 when no record had a time)
  std::uint64_t last = 0;
  std::string log;  // the log's label
  std::vector<FailureRecord>
      records;  // every record counted, in the order read (current first, file order)
};

/// Summaries of the SCM failures of `log`, sorted by service (case-insensitively), event id and
/// error. `directory` maps display names and key names to the keys stored in the hive; nullptr when
/// there is no hive.
std::vector<EventSummary> summarise(const EventLog& log, const ServiceDirectory* directory);

/// The Win32 error's message (Windows' FormatMessage text, the few that occur here), or nullopt.
std::optional<std::string> win32_error_text(std::uint32_t error);

}  // namespace hivelint::events
