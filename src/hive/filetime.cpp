#include <cstdio>

#include "hive/hive_reader.hpp"

namespace hivelint::hive {

std::string filetime_to_iso8601(std::uint64_t filetime) {
  if (filetime == 0) return "";
  // Days-from-civil inverse (Howard Hinnant's algorithm), on days since 1601-01-01.
  constexpr std::uint64_t kTicksPerSecond = 10'000'000;
  const std::uint64_t seconds_total = filetime / kTicksPerSecond;
  const std::uint64_t fraction = filetime % kTicksPerSecond;
  const std::int64_t days_since_1601 = static_cast<std::int64_t>(seconds_total / 86400);
  const std::uint64_t secs = seconds_total % 86400;
  // 1601-01-01 is 134774 days before 1970-01-01; civil_from_days works on days since 1970.
  std::int64_t z = days_since_1601 - 134774 + 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const std::int64_t doe = z - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  std::int64_t y = yoe + era * 400;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  const std::int64_t d = doy - (153 * mp + 2) / 5 + 1;
  const std::int64_t m = mp < 10 ? mp + 3 : mp - 9;
  if (m <= 2) ++y;
  char buf[160];  // generous: the compiler cannot bound the year's digits
  // Always the full 7 digits of 100 ns ticks (issue 17 §2): "00:00:00.0000000Z" beside
  // "20:17.8931656Z", so times line up in a column and a whole second is not mistaken for a rounded
  // one.
  std::snprintf(
      buf, sizeof buf, "%04lld-%02lld-%02lldT%02llu:%02llu:%02llu.%07lluZ",
      static_cast<long long>(y), static_cast<long long>(m), static_cast<long long>(d),
      static_cast<unsigned long long>(secs / 3600), static_cast<unsigned long long>(secs / 60 % 60),
      static_cast<unsigned long long>(secs % 60), static_cast<unsigned long long>(fraction));
  return buf;
}

}  // namespace hivelint::hive
