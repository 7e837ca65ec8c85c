// What a report records about each file it read (provenance, docs/json.md "input"): the path as
// given, its size, its modification time and the SHA-256 of the bytes that were analysed, so that a
// reviewer can tie the report to the exact files (`sha256sum`, `stat`).
#pragma once
#include <cstdint>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "regf/hive_image.hpp"
#include "regf/recovery.hpp"

namespace hivelint::hive {

/// A SHA-256 as 64 lowercase hex digits, known at once or being computed on a second thread:
/// hashing a 540 MB hive takes longer than reading what a check needs from it
/// (docs/performance.md), so the hive's hash runs beside the evaluation and the report waits for
/// it. The thread owns what it hashes.
class Sha256Hex {
 public:
  Sha256Hex() = default;
  Sha256Hex(
      std::string hex);  // NOLINT(google-explicit-constructor): a known digest reads like a string
  /// Starts hashing `image`'s bytes on a thread that keeps the image alive until it is done.
  static Sha256Hex of_async(std::shared_ptr<const regf::HiveImage> image);
  /// A digest deliberately not computed, for a run whose report nobody reads (check --quiet without
  /// -o), where hashing a 540 MB hive cost more than the check itself. Nothing is kept: in a batch
  /// of thousands of hives, a digest waiting to be asked would keep each hive's mapping until the
  /// end.
  static Sha256Hex not_computed();
  /// The digest; waits for the thread when it is still hashing. Throws std::logic_error for
  /// not_computed(): a report that shows it must have asked for it (OpenOptions::hash_now).
  const std::string& hex() const;
  bool computed() const noexcept { return !skipped_; }

 private:
  std::shared_future<std::string> future_;
  bool skipped_ = false;
};

struct FileFacts {
  std::string path;                  // as given (or as found beside the hive)
  std::uint64_t size = 0;            // bytes read
  std::optional<std::string> mtime;  // ISO 8601 UTC with nanoseconds; absent for a pipe
  Sha256Hex sha256;                  // of the bytes read
};

struct LogFileFacts {
  FileFacts file;
  bool applied = false;  // at least one entry, page or its base block went into the image analysed
};

/// The hive file and the transaction logs read with it (none with --no-logs or for a clean hive
/// with no log beside it is still listed: every log read is there, applied or not).
struct InputFiles {
  FileFacts hive;
  std::vector<LogFileFacts> logs;
};

/// The facts of a file loaded as `image` (hashes its bytes: the mapping already in memory, not a
/// second read).
FileFacts file_facts(const regf::HiveImage& image);
/// The same; without `hash_now`, the hash not computed (Sha256Hex::not_computed).
FileFacts file_facts(const regf::HiveImage& image, bool hash_now);
/// The same, the hash of a file of 8 MiB or more computed on a second thread (Sha256Hex::of_async);
/// without `hash_now`, not computed (Sha256Hex::not_computed).
FileFacts file_facts_async(std::shared_ptr<const regf::HiveImage> image, bool hash_now = true);
/// `seconds`.`nanoseconds` since the Unix epoch as "2017-03-06T03:15:45.151600000Z"; nullopt when
/// out of range.
std::optional<std::string> unix_time_to_iso8601(std::int64_t seconds, std::uint32_t nanoseconds);

}  // namespace hivelint::hive
