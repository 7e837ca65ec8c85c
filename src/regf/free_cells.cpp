#include "regf/free_cells.hpp"

#include <algorithm>

namespace hivelint::regf {

std::vector<FreeCell> scan_free_cells(std::span<const std::uint8_t> file, const CellMap& cells) {
  std::vector<FreeCell> out;
  for (const HbinInfo& bin : cells.bins()) {
    const util::ByteReader reader(file.subspan(static_cast<std::size_t>(bin.file_offset), bin.size),
                                  bin.file_offset, "cell");
    std::size_t c = kHbinHeaderSize;
    while (c + kCellHeaderSize <= bin.size) {
      const auto raw = static_cast<std::int32_t>(reader.u32_at(c, kCellSize.name));
      const std::uint64_t size = raw < 0
                                     ? static_cast<std::uint64_t>(-static_cast<std::int64_t>(raw))
                                     : static_cast<std::uint64_t>(raw);
      if (size < 8 || size % kCellAlignment != 0 || c + size > bin.size)
        break;  // scan_hbins reported it
      if (raw > 0)
        out.push_back(
            FreeCell{CellOffset{static_cast<std::uint32_t>(bin.file_offset + c - kBaseBlockSize)},
                     static_cast<std::uint32_t>(size)});
      c += static_cast<std::size_t>(size);
    }
  }
  return out;
}

const FreeCell* free_cell_containing(const std::vector<FreeCell>& free, CellOffset offset) {
  auto it = std::upper_bound(free.begin(), free.end(), offset.value,
                             [](std::uint32_t v, const FreeCell& f) { return v < f.offset.value; });
  if (it == free.begin()) return nullptr;
  --it;
  if (std::uint64_t{offset.value} >= std::uint64_t{it->offset.value} + it->size) return nullptr;
  return &*it;
}

}  // namespace hivelint::regf
