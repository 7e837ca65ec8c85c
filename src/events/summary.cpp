#include "events/summary.hpp"

#include <algorithm>
#include <map>
#include <tuple>

#include "util/upcase.hpp"
#include "util/utf16.hpp"

namespace hivelint::events {
namespace {

struct WinError {
  std::uint32_t code;
  const char* text;
};

// Windows' own message texts (FormatMessage, winerror.h) for the errors Service Control Manager
// records carry in the cases hivelint checks; without the final period, as they appear inside
// parentheses.
constexpr WinError kWin32Errors[] = {
    {1, "Incorrect function"},
    {2, "The system cannot find the file specified"},
    {3, "The system cannot find the path specified"},
    {5, "Access is denied"},
    {14, "Not enough memory resources are available to complete this operation"},
    {50, "The request is not supported"},
    {87, "The parameter is incorrect"},
    {193, "%1 is not a valid Win32 application"},
    {577, "Windows cannot verify the digital signature for this file"},
    {1053, "The service did not respond to the start or control request in a timely fashion"},
    {1058,
     "The service cannot be started, either because it is disabled or because it has no enabled "
     "devices "
     "associated with it"},
    {1060, "The specified service does not exist as an installed service"},
    {1066, "The service has returned a service-specific error code"},
    {1067, "The process terminated unexpectedly"},
    {1068, "The dependency service or group failed to start"},
    {1069, "The service did not start due to a logon failure"},
    {1072, "The specified service has been marked for deletion"},
    {1075, "The dependency service does not exist or has been marked for deletion"},
    {1077, "No attempts to start the service have been made since the last boot"},
    {1079,
     "The account specified for this service is different from the account specified for other "
     "services "
     "running in the same process"},
    {1083,
     "The executable program that this service is configured to run in does not implement the "
     "service"},
    {1275, "This driver has been blocked from loading"},
    {1455, "The paging file is too small for this operation to complete"},
};

std::u16string folded(const std::string& utf8) { return util::upcase(util::utf8_to_utf16(utf8)); }

struct Resolved {
  std::string service;
  ServiceSource source;
};

Resolved resolve(const ScmFailure& failure, const ServiceDirectory* directory) {
  if (failure.key_name) {
    // The record's own key name; the hive's spelling when the hive has that key.
    if (!directory) return {*failure.key_name, ServiceSource::kRecord};
    if (auto stored = directory->key_by_name(*failure.key_name))
      return {*stored, ServiceSource::kRecord};
    return {*failure.key_name, ServiceSource::kKeyNotInHive};
  }
  if (!directory) return {failure.display_name, ServiceSource::kNoHive};
  if (auto key = directory->key_by_display_name(failure.display_name))
    return {*key, ServiceSource::kDisplayName};
  return {failure.display_name, ServiceSource::kUnresolved};
}

}  // namespace

std::optional<std::string> win32_error_text(std::uint32_t error) {
  // HRESULT_FROM_WIN32 (0x8007xxxx) as Vista's SCM sometimes logs it: the Win32 error inside.
  if ((error & 0xFFFF0000u) == 0x80070000u) {
    auto inner = win32_error_text(error & 0xFFFFu);
    if (!inner) return std::nullopt;
    return *inner + ", HRESULT of Win32 error " + std::to_string(error & 0xFFFFu);
  }
  for (const auto& e : kWin32Errors)
    if (e.code == error) return std::string(e.text);
  return std::nullopt;
}

std::vector<EventSummary> summarise(const EventLog& log, const ServiceDirectory* directory) {
  // Key: folded service, event id, error (none sorts first).
  using Key = std::tuple<std::u16string, std::uint32_t, std::int64_t>;
  std::map<Key, EventSummary> groups;
  for (const auto& record : log.kept) {
    for (const auto& failure : scm_failures(record)) {
      const Resolved who = resolve(failure, directory);
      const Key key{folded(who.service), failure.event_id,
                    failure.error ? static_cast<std::int64_t>(*failure.error) : -1};
      auto [it, inserted] = groups.try_emplace(key);
      EventSummary& s = it->second;
      if (inserted) {
        s.service = who.service;
        s.source = who.source;
        s.display_name = failure.display_name;
        s.event_id = failure.event_id;
        s.error = failure.error;
        s.log = log.label;
      }
      ++s.count;
      s.records.push_back(
          {failure.record_number, failure.file_offset, failure.written, failure.recovered});
      if (failure.written != 0) {
        if (s.first == 0 || failure.written < s.first) s.first = failure.written;
        s.last = std::max(s.last, failure.written);
      }
    }
  }
  std::vector<EventSummary> out;
  out.reserve(groups.size());
  for (auto& [key, summary] : groups) out.push_back(std::move(summary));
  return out;
}

}  // namespace hivelint::events
