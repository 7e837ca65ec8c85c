// How far a walk over a whole hive file has read, told to whoever owns the file's bytes.
//
// A mapped hive's pages stay in the process's resident set once read, and on a kernel whose page
// cache holds large folios (ext4 on Linux 6.x) one byte read maps up to 2 MiB: a walk over every
// hive bin leaves the whole file resident. The owner of a mapped file can let the pages a walk has
// passed go (HiveImage::release_pages); a later read maps them again from the page cache.
#pragma once
#include <cstdint>
#include <functional>

namespace hivelint::regf {

/// Called with a file offset every kReadProgressStep bytes or so as a walk advances, and at its end
/// with where it ended (the end of the last hive bin read; the file's size after the carve): every
/// byte before it has been read (a walk may still read some of them again, e.g. a value's data from
/// an earlier bin, which maps them again). Empty: nobody asks.
using ReadProgress = std::function<void(std::uint64_t passed)>;

inline constexpr std::uint64_t kReadProgressStep = std::uint64_t{8} << 20;

/// Calls `progress` when `at` has gone kReadProgressStep past the last call (and at the end of a
/// walk through finish()).
class ProgressTicker {
 public:
  explicit ProgressTicker(const ReadProgress& progress) : progress_(progress) {}
  ProgressTicker(ReadProgress&&) = delete;  // it keeps a reference
  void at(std::uint64_t offset) {
    if (progress_ && offset >= next_) {
      progress_(offset);
      next_ = offset + kReadProgressStep;
    }
  }
  void finish(std::uint64_t end) {
    if (progress_) progress_(end);
  }

 private:
  const ReadProgress& progress_;
  std::uint64_t next_ = kReadProgressStep;
};

}  // namespace hivelint::regf
