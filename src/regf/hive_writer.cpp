#include "regf/hive_writer.hpp"

#include <algorithm>

#include "regf/checksum.hpp"
#include "util/bytes.hpp"
#include "util/error.hpp"

namespace hivelint::regf {
namespace {

std::size_t align_up(std::size_t v, std::size_t a) { return (v + a - 1) / a * a; }

// Cell offsets are 32-bit and 0xFFFFFFFF means "none"; Windows caps a hive far lower (2 GiB of
// bins).
constexpr std::size_t kMaxHiveBinsData = 0x7FFFF000;

}  // namespace

const char* change_kind_name(CellChange::Kind kind) noexcept {
  switch (kind) {
    case CellChange::Kind::kAllocated:
      return "allocated";
    case CellChange::Kind::kModified:
      return "modified";
    case CellChange::Kind::kFreed:
      return "freed";
  }
  return "modified";
}

namespace {
constexpr std::size_t kGrowthReserve = std::size_t{16}
                                       << 20;  // reserved, not touched: costs no memory until used
}  // namespace

HiveWriter::HiveWriter(std::span<const std::uint8_t> hive, const BaseBlock& base) {
  const std::size_t end = kBaseBlockSize + static_cast<std::size_t>(base.hive_bins_data_size);
  if (base.hive_bins_data_size == 0 || base.hive_bins_data_size % kHbinSizeAlignment != 0 ||
      end > hive.size())
    throw FormatError(
        {kBaseBlockStructure, 0, kBbHiveBinsDataSize.name, "whole hive bins inside the file",
         util::hex_offset(base.hive_bins_data_size)},
        "hive bins data size " + util::hex_offset(base.hive_bins_data_size) +
            " does not describe whole hive bins inside the " + std::to_string(hive.size()) +
            "-byte file");
  // Room for the new bins up front: growing a copy of a 500 MB hive would copy it again, and the
  // editor's reader can then follow the growth in place (Reader::refresh) instead of rescanning the
  // whole file.
  bytes_.reserve(end + kGrowthReserve);
  bytes_.assign(hive.begin(), hive.begin() + static_cast<std::ptrdiff_t>(end));
  original_size_ = end;
  dropped_ = hive.size() - end;
}

std::int32_t HiveWriter::cell_size(CellOffset offset) const {
  const std::size_t at = kBaseBlockSize + offset.value;
  if (offset.is_none() || at < kBaseBlockSize + kHbinHeaderSize ||
      at + kCellHeaderSize > bytes_.size())
    throw FormatError({"cell", at, "", "", ""}, "outside the hive bins");
  return util::ByteReader(std::span<const std::uint8_t>(bytes_).subspan(at, kCellHeaderSize), at,
                          "cell")
      .i32(kCellSize);
}

void HiveWriter::record(CellChange::Kind kind, CellOffset offset, std::string structure) {
  const std::int32_t size = cell_size(offset);
  const std::uint32_t magnitude = size < 0
                                      ? static_cast<std::uint32_t>(-static_cast<std::int64_t>(size))
                                      : static_cast<std::uint32_t>(size);
  changes_.push_back(
      CellChange{kind, std::move(structure), kBaseBlockSize + offset.value, magnitude});
}

void HiveWriter::open_bin(std::size_t cell_size) {
  const std::size_t size =
      align_up(std::max(kHbinSizeAlignment, cell_size + kHbinHeaderSize), kHbinSizeAlignment);
  const std::size_t start = bytes_.size();
  if (start - kBaseBlockSize + size > kMaxHiveBinsData)
    throw RefusedError("the edited hive would exceed " + std::to_string(kMaxHiveBinsData) +
                       " bytes of hive bins");
  util::ByteWriter w(bytes_);
  w.grow(size);
  w.put_bytes(start,
              std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>("hbin"), 4));
  w.put_u32(kHbinOffset, start, static_cast<std::uint32_t>(start - kBaseBlockSize));
  w.put_u32(kHbinSize, start, static_cast<std::uint32_t>(size));
  pos_ = start + kHbinHeaderSize;
  bin_end_ = start + size;
  // Readers walk the bins up to this size; keep it current so the hive stays readable between
  // edits.
  w.put_u32(kBbHiveBinsDataSize, 0, static_cast<std::uint32_t>(bytes_.size() - kBaseBlockSize));
}

void HiveWriter::seal_bin() {
  // The unused tail of the bin is one free cell, so the bin is fully covered by cells at every
  // moment and the hive can be re-read between edits.
  if (pos_ != 0 && pos_ < bin_end_)
    util::ByteWriter(bytes_).put_i32(pos_, static_cast<std::int32_t>(bin_end_ - pos_));
}

CellOffset HiveWriter::allocate(std::size_t data_size, std::string structure) {
  const std::size_t size = align_up(kCellHeaderSize + data_size, kCellAlignment);
  if (size > kMaxHiveBinsData)
    throw RefusedError("a " + structure + " of " + std::to_string(data_size) +
                       " bytes cannot be stored");
  if (pos_ == 0 || size > bin_end_ - pos_) open_bin(size);
  const std::size_t at = pos_;
  util::ByteWriter(bytes_).put_i32(at, -static_cast<std::int32_t>(size));
  pos_ += size;
  seal_bin();
  const CellOffset offset{static_cast<std::uint32_t>(at - kBaseBlockSize)};
  record(CellChange::Kind::kAllocated, offset, std::move(structure));
  return offset;
}

void HiveWriter::free_cell(CellOffset offset, std::string structure) {
  const std::int32_t size = cell_size(offset);
  if (size >= 0)
    throw FormatError({structure, kBaseBlockSize + offset.value, "", "", ""},
                      "cell is already free");
  record(CellChange::Kind::kFreed, offset, std::move(structure));
  util::ByteWriter(bytes_).put_i32(kBaseBlockSize + offset.value, -size);
}

void HiveWriter::note_modified(CellOffset offset, std::string structure) {
  for (const auto& c : changes_)
    if (c.file_offset == kBaseBlockSize + offset.value && c.kind != CellChange::Kind::kFreed)
      return;
  record(CellChange::Kind::kModified, offset, std::move(structure));
}

std::vector<std::uint8_t> HiveWriter::commit(std::uint64_t timestamp) {
  util::ByteReader base(std::span<const std::uint8_t>(bytes_).first(kBaseBlockSize), 0,
                        kBaseBlockStructure);
  const std::uint32_t sequence =
      std::max(base.u32(kBbPrimarySequence), base.u32(kBbSecondarySequence)) + 1;
  util::ByteWriter w(bytes_);
  w.put_u32(kBbPrimarySequence, 0, sequence);
  w.put_u32(kBbSecondarySequence, 0, sequence);
  w.put_u64(kBbLastWritten, 0, timestamp);
  w.put_u32(kBbHiveBinsDataSize, 0, static_cast<std::uint32_t>(bytes_.size() - kBaseBlockSize));
  w.put_u32(kBbChecksum, 0,
            base_block_checksum(std::span<const std::uint8_t>(bytes_).first(kBaseBlockSize)));
  return std::move(bytes_);
}

}  // namespace hivelint::regf
