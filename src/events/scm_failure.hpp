// Service Control Manager failure events: which service failed, how and when, from one event
// record.
//
// What the records hold (ids are the low 16 bits; strings are the message's insertion strings):
//   7000 [service, "%%err"]                 service failed to start
//   7001 [service, dependency, "%%err"]     dependency service failed to start
//   7003 [service, missing dependency]      depends on a service that is not installed
//   7009 [milliseconds, service]            timeout waiting for the service to connect
//   7011 [milliseconds, service]            timeout waiting for a transaction response
//   7022 [service]                          hung on starting
//   7023 [service, "%%err"]                 terminated with an error
//   7024 [service, "%%err"]                 terminated with a service-specific error
//   7026 ["\ndriver\ndriver..."]            boot- or system-start drivers failed to load (key
//   names) 7031 [service, times, ms, action]       terminated unexpectedly, corrective action taken
//   7034 [service, times]                   terminated unexpectedly
// On XP/2003 (EVT) `service` is the display name; on Vista and later (EVTX) the record also carries
// a Binary element, the service key name in UTF-16LE, which libevtx gives as a hex string after the
// message's strings.
#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "events/event_log.hpp"

namespace hivelint::events {

inline constexpr std::string_view kScmSource = "Service Control Manager";
inline constexpr std::array<std::uint32_t, 11> kScmFailureIds{7000, 7001, 7003, 7009, 7011, 7022,
                                                              7023, 7024, 7026, 7031, 7034};

/// True for a Service Control Manager record with one of kScmFailureIds.
bool is_scm_failure(std::string_view source, std::uint32_t event_id);
/// A filter keeping exactly the SCM failure records.
RecordFilter scm_failure_filter();

struct ScmFailure {
  std::uint32_t event_id = 0;
  std::string display_name;  // the service as the message names it ("" when the record has none)
  std::optional<std::string>
      key_name;  // the service key name when the record carries it (EVTX Binary, 7026)
  std::optional<std::uint32_t> error;  // the Win32 error of "%%N", when the record has one
  std::uint64_t written = 0;           // FILETIME, UTC
  std::uint64_t file_offset = 0;
  std::uint64_t record_number = 0;
  bool recovered = false;
};

/// The failures one SCM record reports: one, or one per driver for 7026; none when it names no
/// service.
std::vector<ScmFailure> scm_failures(const EventRecord& record);

/// "%%1083" -> 1083; nullopt for anything else (also for numbers above 32 bits).
std::optional<std::uint32_t> parse_error_insert(std::string_view text);
/// libevtx's hex rendering of a Binary element holding a UTF-16LE name ("43006C00...0000" ->
/// "CldFlt"); nullopt when it is not hex, not whole UTF-16 units, empty, or holds control
/// characters.
std::optional<std::string> key_name_from_binary_hex(std::string_view hex);

}  // namespace hivelint::events
