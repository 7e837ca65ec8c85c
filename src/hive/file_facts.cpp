#include "hive/file_facts.hpp"

#include <cstdio>
#include <ctime>

#include "util/sha256.hpp"

namespace hivelint::hive {

std::optional<std::string> unix_time_to_iso8601(std::int64_t seconds, std::uint32_t nanoseconds) {
  if (nanoseconds >= 1000000000u) return std::nullopt;
  const std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  if (::gmtime_r(&t, &tm) == nullptr || tm.tm_year + 1900 < 0 || tm.tm_year + 1900 > 9999) return std::nullopt;
  char text[48];
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%09uZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<unsigned>(nanoseconds));
  return std::string(text);
}

FileFacts file_facts(const regf::HiveImage& image) {
  FileFacts f;
  f.path = image.label();
  f.size = image.bytes().size();
  if (image.modified()) f.mtime = unix_time_to_iso8601(image.modified()->seconds, image.modified()->nanoseconds);
  f.sha256 = util::sha256_hex(image.bytes());
  return f;
}

}  // namespace hivelint::hive
