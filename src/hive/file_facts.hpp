// What a report records about each file it read (provenance, docs/json.md "input"): the path as given, its size,
// its modification time and the SHA-256 of the bytes that were analysed, so that a reviewer can tie the report to
// the exact files (`sha256sum`, `stat`).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "regf/hive_image.hpp"
#include "regf/recovery.hpp"

namespace hivelint::hive {

struct FileFacts {
  std::string path;                       // as given (or as found beside the hive)
  std::uint64_t size = 0;                 // bytes read
  std::optional<std::string> mtime;       // ISO 8601 UTC with nanoseconds; absent for a pipe
  std::string sha256;                     // of the bytes read, 64 lowercase hex digits
};

struct LogFileFacts {
  FileFacts file;
  bool applied = false;                   // at least one entry, page or its base block went into the image analysed
};

/// The hive file and the transaction logs read with it (none with --no-logs or for a clean hive with no log
/// beside it is still listed: every log read is there, applied or not).
struct InputFiles {
  FileFacts hive;
  std::vector<LogFileFacts> logs;
};

/// The facts of a file loaded as `image` (hashes its bytes: the mapping already in memory, not a second read).
FileFacts file_facts(const regf::HiveImage& image);
/// `seconds`.`nanoseconds` since the Unix epoch as "2017-03-06T03:15:45.151600000Z"; nullopt when out of range.
std::optional<std::string> unix_time_to_iso8601(std::int64_t seconds, std::uint32_t nanoseconds);

}  // namespace hivelint::hive
