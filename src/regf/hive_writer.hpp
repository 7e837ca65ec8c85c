// Writing into a copy of an existing hive (spec "Hive bin", "Cell", "Base block"): the low half of
// the editor. It owns the copy, hands out new cells append-only in new hive bins at the end of the
// hive bins data, marks cells free, remembers every cell it touched, and performs the commit step
// in one place.
//
// New hive bin (spec "Hive bin"):  | 0 | 4 | "hbin" | 4 | 4 | offset | 8 | 4 | size (multiple of
// 4096) | followed by cells; the unused tail of the last new bin is one free cell (positive size).
// Commit (spec "Base block"): both sequence numbers = old + 1, hive bins data size, last written
// timestamp, checksum (XOR of dwords 0..126; 0 -> 1, 0xFFFFFFFF -> 0xFFFFFFFE).
//
// Free cells are never reused (CONTRIBUTING.md §6: the old bytes stay for a forensic diff and for
// recovery tools), and adjacent free cells are not merged: every byte the hive had stays where it
// was.
#pragma once
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "regf/base_block.hpp"
#include "regf/cell_allocator.hpp"
#include "regf/format.hpp"

namespace hivelint::regf {

/// One cell the writer touched, for reports and for checking that a diff stays inside them.
struct CellChange {
  enum class Kind { kAllocated, kModified, kFreed };
  Kind kind = Kind::kModified;
  std::string structure;      // "key node (nk)", "value list" ...
  std::uint64_t file_offset;  // of the cell's size field
  std::uint32_t size = 0;     // the cell's size, size field included
};

/// "allocated", "modified", "freed".
const char* change_kind_name(CellChange::Kind kind) noexcept;

class HiveWriter final : public CellAllocator {
 public:
  /// Copies `hive` up to the end of its hive bins data (base block "hive bins data size"); bytes
  /// past that are not part of the hive and are dropped (counted in dropped_trailing_bytes()).
  /// Throws FormatError when the hive bins data size does not fit the file.
  HiveWriter(std::span<const std::uint8_t> hive, const BaseBlock& base);

  /// A new allocated cell with room for `data_size` bytes (zeroed), in a new hive bin at the end.
  /// Returns its offset. Throws RefusedError when the hive would grow past the format's 4 GiB
  /// offsets.
  CellOffset allocate(std::size_t data_size, std::string structure) override;
  /// Marks the allocated cell at `offset` free (its size becomes positive). Throws FormatError when
  /// it is not an allocated cell inside the hive bins.
  void free_cell(CellOffset offset, std::string structure);
  /// Records that the allocated cell at `offset` was changed in place (for reports).
  void note_modified(CellOffset offset, std::string structure);

  /// The size field of the cell at `offset` (negative = allocated). Throws FormatError when out of
  /// range.
  std::int32_t cell_size(CellOffset offset) const;
  std::vector<std::uint8_t>& bytes() noexcept override { return bytes_; }
  const std::vector<std::uint8_t>& bytes() const noexcept { return bytes_; }

  /// The commit step: in the base block sets both sequence numbers to the
  /// larger old one + 1, the hive bins data size, the last written timestamp and the checksum.
  /// Returns the finished hive; the writer must not be used afterwards.
  std::vector<std::uint8_t> commit(std::uint64_t timestamp);

  const std::vector<CellChange>& changes() const noexcept { return changes_; }
  std::size_t original_size() const noexcept { return original_size_; }
  std::size_t dropped_trailing_bytes() const noexcept { return dropped_; }

 private:
  void open_bin(std::size_t cell_size);
  void seal_bin();
  void record(CellChange::Kind kind, CellOffset offset, std::string structure);

  std::vector<std::uint8_t> bytes_;
  std::size_t original_size_ = 0;  // base block + hive bins data of the input
  std::size_t dropped_ = 0;
  std::size_t pos_ = 0;  // next free byte in the current new bin (0: no new bin yet)
  std::size_t bin_end_ = 0;
  std::vector<CellChange> changes_;
};

}  // namespace hivelint::regf
