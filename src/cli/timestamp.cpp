#include "cli/timestamp.hpp"

#include <chrono>
#include <cstdio>

#include "util/error.hpp"

namespace hivelint::cli {
namespace {

// Days from 1601-01-01 to y-m-d (proleptic Gregorian).
std::int64_t days_since_1601(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? static_cast<unsigned>(-3) : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468 +
         134774;  // days since 1970, shifted to 1601
}

}  // namespace

std::uint64_t parse_timestamp(const std::optional<std::string>& text) {
  if (!text || *text == "now") {
    const auto now = std::chrono::system_clock::now().time_since_epoch();
    const auto ticks = std::chrono::duration_cast<std::chrono::nanoseconds>(now).count() / 100;
    return static_cast<std::uint64_t>(ticks) + 116444736000000000ull;
  }
  int y = 0;
  unsigned mo = 0, d = 0, h = 0, mi = 0, s = 0;
  char tail = 0;
  if (std::sscanf(text->c_str(), "%4d-%2u-%2uT%2u:%2u:%2u%c", &y, &mo, &d, &h, &mi, &s, &tail) !=
          7 ||
      tail != 'Z' || text->size() != 20 || y < 1601 || mo < 1 || mo > 12 || d < 1 || d > 31 ||
      h > 23 || mi > 59 || s > 59)
    throw UsageError("--timestamp \"" + *text +
                     "\" is not of the form 2004-06-01T00:00:00Z (UTC) or \"now\"");
  const std::int64_t days = days_since_1601(y, mo, d);
  return (static_cast<std::uint64_t>(days) * 86400 + h * 3600ull + mi * 60ull + s) * 10'000'000ull;
}

}  // namespace hivelint::cli
