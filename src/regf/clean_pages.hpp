// Where the bytes of a recovered image can be read from. Log replay (recovery.hpp) writes a few
// pages of a private mapping of the hive file; every other page of that image is the file's, byte
// for byte. A walk over the whole image (the hive-bin headers hivelint's lazy reader and libregf's
// open both read) can read those pages in the file's own read-only mapping instead.
//
// Why it matters: a page written in a private mapping of a file splits the mapping around it. When
// the page cache holds the file in large folios (ext4 and other file systems on Linux 6.x), the
// read-only mapping reaches 2 MiB at a time, and the split one 4 KiB at a time. On the benchmark's
// `dirty` shape (514 MiB, one written page every 2 MiB) the header walk took 0.13 s in the split
// mapping and about a tenth of that in the file's (docs/performance.md, session 11).
#pragma once
#include <cstdint>
#include <span>
#include <vector>

#include "regf/recovery.hpp"

namespace hivelint::regf {

class CleanPages {
 public:
  /// `image` was recovered from `file` (both whole hive files, base block first) by writing the
  /// base block and the bytes of `runs` (offsets relative to the hive bins), and by resizing it
  /// (never smaller than `smallest_size` meanwhile): RecoveryResult's page_runs and smallest_size.
  /// Nothing else of it differs from `file`. Both spans must outlive this object.
  CleanPages(std::span<const std::uint8_t> image, std::span<const std::uint8_t> file,
             std::span<const PageRun> runs, std::size_t smallest_size);

  /// The image's bytes [offset, offset + length), which must lie inside the image: viewed in the
  /// file when none of their pages was written and the file holds them all, else in the image. The
  /// same bytes either way.
  std::span<const std::uint8_t> view(std::size_t offset, std::size_t length) const noexcept;

  std::span<const std::uint8_t> image() const noexcept { return image_; }
  /// How many of the image's pages are read in the file (for tests and measurements).
  std::size_t clean_page_count() const noexcept;

  static constexpr std::size_t kPageSize = 4096;

 private:
  bool written(std::size_t page) const noexcept {
    return (written_[page / 64] >> (page % 64)) & 1u;
  }

  std::span<const std::uint8_t> image_, file_;
  std::size_t file_pages_ = 0;  // pages of the image wholly inside the file and never resized
  std::vector<std::uint64_t> written_;  // one bit per page of the image
};

}  // namespace hivelint::regf
