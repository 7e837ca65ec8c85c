#include "regf/hbin_scan.hpp"

#include "regf/clean_pages.hpp"

#include <algorithm>
#include <cassert>

namespace hivelint::regf {

void CellMap::index() {
  const std::size_t slots = allocated_.empty() ? 0 : allocated_.back() / kCellAlignment + 1;
  starts_.assign((slots + 63) / 64, 0);
  for (const std::uint32_t a : allocated_)
    starts_[a / kCellAlignment / 64] |= std::uint64_t{1} << (a / kCellAlignment % 64);
  ranks_.resize(starts_.size());
  std::uint32_t before = 0;
  for (std::size_t w = 0; w < starts_.size(); ++w) {
    ranks_[w] = before;
    before += static_cast<std::uint32_t>(std::popcount(starts_[w]));
  }
}

util::ByteReader CellMap::get(CellOffset offset, const char* structure) const {
  const std::uint64_t at = kBaseBlockSize + static_cast<std::uint64_t>(offset.value);
  if (offset.is_none() || !is_allocated(offset))
    throw FormatError(
        {structure, at, "cell offset", "an allocated cell", util::hex_offset(offset.value)},
        "cell offset " + util::hex_offset(offset.value) + " is not the start of an allocated cell");
  const util::ByteReader cell(file_.subspan(static_cast<std::size_t>(at)), at, structure);
  const std::int32_t size = cell.i32(kCellSize);
  // scan_hbins checked the size; the cell data is everything after the size field.
  return cell.sub(kCellHeaderSize,
                  static_cast<std::size_t>(-static_cast<std::int64_t>(size)) - kCellHeaderSize,
                  structure);
}

namespace {

// The cells of one hive bin: appends the relative offsets of the allocated ones to `allocated`; a
// bad cell size is a diagnostic and ends the bin there.
void scan_cells(std::span<const std::uint8_t> file, const HbinInfo& hbin,
                std::vector<std::uint32_t>& allocated, std::vector<Diagnostic>& diagnostics,
                std::vector<FreeCell>* free = nullptr) {
  const std::uint64_t pos = hbin.file_offset, bin_end = pos + hbin.size;
  // The hot loop (every cell of the file, 935,000 on the benchmark hive): one ByteReader over the
  // whole bin, whose bounds check covers every size field read below (c + 4 <= bin_end), instead of
  // one per cell.
  const util::ByteReader bin(file.subspan(static_cast<std::size_t>(pos), hbin.size), pos, "cell");
  std::uint64_t c = pos + kHbinHeaderSize;
  while (c + kCellHeaderSize <= bin_end) {
    const auto raw =
        static_cast<std::int32_t>(bin.u32_at(static_cast<std::size_t>(c - pos), kCellSize.name));
    const std::uint64_t cell_size =
        raw < 0 ? static_cast<std::uint64_t>(-static_cast<std::int64_t>(raw))
                : static_cast<std::uint64_t>(raw);
    if (cell_size < 8 || cell_size % kCellAlignment != 0 || c + cell_size > bin_end) {
      diagnostics.push_back(
          Diagnostic{Severity::kError, "cell", c,
                     "size is " + std::to_string(raw) +
                         " (must be a multiple of 8, at least 8, inside its hive bin at " +
                         util::hex_offset(pos) + "); the rest of this bin is skipped"});
      break;
    }
    if (raw < 0)
      allocated.push_back(static_cast<std::uint32_t>(c - kBaseBlockSize));
    else if (free)
      free->push_back(FreeCell{CellOffset{static_cast<std::uint32_t>(c - kBaseBlockSize)},
                               static_cast<std::uint32_t>(cell_size)});
    c += cell_size;
  }
}

// Walks the hbins from file offset `pos` to the end of the hive bins data, appending to `bins` and
// (with `cells`) to `allocated`.
void scan_from(std::span<const std::uint8_t> file, const BaseBlock& base, std::uint64_t pos,
               std::vector<std::uint32_t>& allocated, std::vector<HbinInfo>& bins,
               std::vector<Diagnostic>& diagnostics, bool cells = true,
               std::vector<FreeCell>* free = nullptr, const ReadProgress& progress = {},
               const CleanPages* clean = nullptr) {
  ProgressTicker ticker(progress);
  const std::uint64_t available = file.size() > kBaseBlockSize ? file.size() - kBaseBlockSize : 0;
  const std::uint64_t end =
      kBaseBlockSize + std::min<std::uint64_t>(base.hive_bins_data_size, available);
  const auto note = [&](const char* structure, std::uint64_t at, std::string message) {
    diagnostics.push_back(Diagnostic{Severity::kError, structure, at, std::move(message)});
  };
  while (pos + kHbinHeaderSize <= end) {
    const auto at = static_cast<std::size_t>(pos);
    const util::ByteReader header(
        clean ? clean->view(at, kHbinHeaderSize) : file.subspan(at, kHbinHeaderSize), pos,
        kHbinStructure);
    const bool first = bins.empty();
    if (!header.has_signature("hbin")) {
      if (first) header.require_signature("hbin");
      note(kHbinStructure, pos,
           "signature is not \"hbin\"; the hive bins data ends here, " + std::to_string(end - pos) +
               " bytes before its declared end");
      break;
    }
    const std::uint32_t offset = header.u32(kHbinOffset);
    const std::uint32_t size = header.u32(kHbinSize);
    if (offset != pos - kBaseBlockSize)
      note(kHbinStructure, pos,
           std::string(kHbinOffset.name) + " is " + util::hex_offset(offset) + ", expected " +
               util::hex_offset(pos - kBaseBlockSize));
    if (size < kHbinSizeAlignment || size % kHbinSizeAlignment != 0 || pos + size > end) {
      const std::string problem =
          std::string(kHbinSize.name) + " is " + std::to_string(size) +
          (size % kHbinSizeAlignment != 0 || size == 0 ? ", not a non-zero multiple of 4096"
                                                       : ", past the end of the hive bins data");
      if (first)
        header.fail_field(kHbinSize.name, "a non-zero multiple of 4096 inside the hive bins data",
                          std::to_string(size), problem);
      note(kHbinStructure, pos, problem + "; the walk stops here");
      break;
    }
    bins.push_back({pos, size});
    if (cells) scan_cells(file, bins.back(), allocated, diagnostics, free);
    const std::uint64_t bin_end = pos + size;
    pos = bin_end;
    ticker.at(pos);
  }
  ticker.finish(pos);
}

}  // namespace

namespace {

CellMap scan(std::span<const std::uint8_t> file, const BaseBlock& base,
             std::vector<Diagnostic>& diagnostics, bool cells,
             std::vector<FreeCell>* free = nullptr, const ReadProgress& progress = {},
             const CleanPages* clean = nullptr) {
  std::vector<std::uint32_t> allocated;
  std::vector<HbinInfo> bins;
  scan_from(file, base, kBaseBlockSize, allocated, bins, diagnostics, cells, free, progress, clean);
  if (bins.empty())
    throw FormatError({"hive bins", kBaseBlockSize, "", "", ""},
                      "no hive bin (the file has " + std::to_string(file.size()) + " bytes)");
  if (cells) return CellMap(file, std::move(allocated), std::move(bins));
  return CellMap(file, std::move(bins));
}

}  // namespace

CellMap scan_hbins(std::span<const std::uint8_t> file, const BaseBlock& base,
                   std::vector<Diagnostic>& diagnostics, std::vector<FreeCell>* free,
                   const ReadProgress& progress) {
  return scan(file, base, diagnostics, true, free, progress);
}

CellMap scan_hbin_headers(std::span<const std::uint8_t> file, const BaseBlock& base,
                          std::vector<Diagnostic>& diagnostics, const CleanPages* clean) {
  assert(!clean || (clean->image().data() == file.data() && clean->image().size() == file.size()));
  return scan(file, base, diagnostics, false, nullptr, {}, clean);
}

bool CellMap::lazy_is_allocated(CellOffset offset) const {
  const std::uint64_t at = kBaseBlockSize + std::uint64_t{offset.value};
  auto it = std::upper_bound(bins_.begin(), bins_.end(), at,
                             [](std::uint64_t a, const HbinInfo& b) { return a < b.file_offset; });
  if (it == bins_.begin()) return false;
  --it;
  if (at >= it->file_offset + it->size) return false;
  const auto i = static_cast<std::size_t>(it - bins_.begin());
  std::vector<std::uint64_t>& starts = lazy_starts_[i];
  if (!lazy_scanned_[i]) {
    lazy_scratch_.clear();
    scan_cells(file_, *it, lazy_scratch_, lazy_diagnostics_);
    starts.assign((it->size / kCellAlignment + 63) / 64, 0);
    for (std::uint32_t cell : lazy_scratch_) {
      const std::uint64_t slot =
          (kBaseBlockSize + std::uint64_t{cell} - it->file_offset) / kCellAlignment;
      starts[slot / 64] |= std::uint64_t{1} << (slot % 64);
    }
    lazy_scanned_[i] = 1;
  }
  // Every cell of a bin starts 8-aligned from the bin's start (4096-aligned): any other offset is
  // no cell's start.
  const std::uint64_t into = at - it->file_offset;
  if (into % kCellAlignment != 0) return false;
  const std::uint64_t slot = into / kCellAlignment;
  return (starts[slot / 64] >> (slot % 64)) & 1U;
}

void CellMap::rescan_from(std::span<const std::uint8_t> file, const BaseBlock& base,
                          std::uint64_t from, std::span<const CellOffset> freed,
                          std::vector<Diagnostic>& diagnostics) {
  assert(!lazy_ && "rescan_from needs a full map (scan_hbins)");
  file_ = file;
  const auto rel = static_cast<std::uint32_t>(from - kBaseBlockSize);
  allocated_.erase(std::lower_bound(allocated_.begin(), allocated_.end(), rel), allocated_.end());
  bins_.erase(std::find_if(bins_.begin(), bins_.end(),
                           [&](const HbinInfo& b) { return b.file_offset >= from; }),
              bins_.end());
  for (CellOffset f : freed) {
    const auto it = std::lower_bound(allocated_.begin(), allocated_.end(), f.value);
    if (it != allocated_.end() && *it == f.value) allocated_.erase(it);
  }
  scan_from(file, base, from, allocated_, bins_, diagnostics);
  index();
}

}  // namespace hivelint::regf
