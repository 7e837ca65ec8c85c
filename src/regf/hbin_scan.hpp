// Hive bins (spec "Hive bin", "Cell"): one walk over every hbin and cell, building the map of
// allocated cell starts. Every CellOffset hivelint follows is looked up here first, so a reference
// into the middle of a cell, into free space or past the end is caught before any byte of it is
// read.
//
// hbin header (32 bytes)                     cell
// | 0 | 4 | "hbin"                           | 0 | 4 | size (negative = allocated, includes this
// field, | 4 | 4 | offset (relative to hbins)       |   |   |  multiple of 8) | 8 | 4 | size
// (multiple of 4096)          | 4 | … | cell data | 20 | 8 | timestamp (first hbin only)
#pragma once
#include <bit>
#include <cstdint>
#include <span>
#include <vector>

#include "regf/base_block.hpp"
#include "regf/diagnostics.hpp"
#include "regf/format.hpp"
#include "regf/read_progress.hpp"
#include "util/bytes.hpp"

namespace hivelint::regf {

struct HbinInfo {
  std::uint64_t file_offset = 0;
  std::uint32_t size = 0;
};

class CellMap {
 public:
  CellMap(std::span<const std::uint8_t> file, std::vector<std::uint32_t> allocated,
          std::vector<HbinInfo> bins)
      : file_(file), allocated_(std::move(allocated)), bins_(std::move(bins)) {
    index();
  }

  /// The data of the allocated cell at `offset` (after its size field), named `structure` in
  /// messages. Throws FormatError when `offset` is not the start of an allocated cell.
  util::ByteReader get(CellOffset offset, const char* structure) const;
  /// A map that knows only the hive bins: each bin's cells are scanned the first time a reference
  /// lands in it (scan_hbin_headers). Its const lookups then fill a cache: not for use by two
  /// threads at once. allocated(), allocated_count() and index_of() need a full map (they are empty
  /// / kNotAllocated here).
  CellMap(std::span<const std::uint8_t> file, std::vector<HbinInfo> bins)
      : file_(file),
        bins_(std::move(bins)),
        lazy_(true),
        lazy_starts_(bins_.size()),
        lazy_scanned_(bins_.size(), 0) {}

  bool is_allocated(CellOffset offset) const {
    return lazy_ ? lazy_is_allocated(offset) : index_of(offset) != kNotAllocated;
  }
  /// Cell damage found in the bins a lazy map has scanned so far.
  const std::vector<Diagnostic>& lazy_diagnostics() const noexcept { return lazy_diagnostics_; }
  /// Position of the allocated cell starting at `offset` in allocated(), or kNotAllocated. O(1): a
  /// bitmap of cell starts (one bit per 8 bytes) with a running count per 64 bits, instead of a
  /// binary search over every cell (verify looks up every reference of a hive, most of them twice).
  std::size_t index_of(CellOffset offset) const {
    if (lazy_ || offset.value % kCellAlignment != 0) return kNotAllocated;
    const std::size_t slot = offset.value / kCellAlignment, word = slot / 64;
    if (word >= starts_.size()) return kNotAllocated;
    const std::uint64_t bit = std::uint64_t{1} << (slot % 64);
    if ((starts_[word] & bit) == 0) return kNotAllocated;
    return ranks_[word] + static_cast<std::size_t>(std::popcount(starts_[word] & (bit - 1)));
  }
  static constexpr std::size_t kNotAllocated = static_cast<std::size_t>(-1);
  std::size_t allocated_count() const noexcept { return allocated_.size(); }
  /// Sorted relative offsets of every allocated cell (what verify marks as used, one slot per
  /// cell).
  const std::vector<std::uint32_t>& allocated() const noexcept { return allocated_; }
  const std::vector<HbinInfo>& bins() const noexcept { return bins_; }

  /// For an editor that grows a copy of a hive: views `file` (the same bytes, maybe longer),
  /// forgets what it knew from file offset `from` (a hive-bin boundary) on and scans the hive bins
  /// from there again, and forgets the `freed` cells (now free, their size fields positive). Bins
  /// before `from` are not re-read. A full map only (scan_hbins): a lazy one keeps its cells per
  /// bin.
  void rescan_from(std::span<const std::uint8_t> file, const BaseBlock& base, std::uint64_t from,
                   std::span<const CellOffset> freed, std::vector<Diagnostic>& diagnostics);

 private:
  std::span<const std::uint8_t> file_;
  std::vector<std::uint32_t> allocated_;  // sorted relative offsets of allocated cells
  std::vector<HbinInfo> bins_;
  std::vector<std::uint64_t> starts_;  // bit i: an allocated cell starts at relative offset 8 * i
  std::vector<std::uint32_t> ranks_;   // allocated cells before each word of starts_

  void index();

  bool lazy_ = false;
  // Per bin, once scanned: bit i set when an allocated cell starts 8 * i bytes into the bin (the
  // same bitmap as starts_, per bin: one lookup is a shift, not a binary search over its cells).
  mutable std::vector<std::vector<std::uint64_t>> lazy_starts_;
  mutable std::vector<std::uint8_t> lazy_scanned_;
  mutable std::vector<std::uint32_t> lazy_scratch_;  // one bin's allocated cells while scanning it
  mutable std::vector<Diagnostic> lazy_diagnostics_;
  bool lazy_is_allocated(CellOffset offset) const;
};

class CleanPages;

/// Walks only the hbin headers (the same checks and diagnostics as scan_hbins for them): a lazy
/// CellMap. With `clean` (whose image is `file`), each header is read where `clean` says it is
/// untouched (clean_pages.hpp): the same bytes, without mapping the image's pages.
CellMap scan_hbin_headers(std::span<const std::uint8_t> file, const BaseBlock& base,
                          std::vector<Diagnostic>& diagnostics, const CleanPages* clean = nullptr);

/// A cell whose size field is positive: unallocated (free_cells.hpp).
struct FreeCell {
  CellOffset offset;       // start of the cell (its size field), relative to the hive bins
  std::uint32_t size = 0;  // including the size field
};

/// Walks every hbin and cell once (each step advances). Throws FormatError when not even the first
/// hbin is usable; later damage (bad signature, size, cell size) is a Diagnostic and ends the walk
/// there. With `free`, the free cells met on the way are appended to it in file order (the carver's
/// list, without a second walk). `progress` is told how far the walk has read (read_progress.hpp).
CellMap scan_hbins(std::span<const std::uint8_t> file, const BaseBlock& base,
                   std::vector<Diagnostic>& diagnostics, std::vector<FreeCell>* free = nullptr,
                   const ReadProgress& progress = {});

}  // namespace hivelint::regf
