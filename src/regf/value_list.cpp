#include "regf/value_list.hpp"

namespace hivelint::regf {

std::vector<CellOffset> read_value_list(const CellMap& cells, CellOffset list,
                                        std::uint32_t count) {
  std::vector<CellOffset> out;
  if (count == 0) return out;
  const util::ByteReader cell = cells.get(list, kValueListStructure);
  if (count > kMaxValues)
    cell.fail("holds " + std::to_string(count) +
              " values by its key's count, more than the cap of " + std::to_string(kMaxValues));
  cell.take(0, std::size_t{4} * count, "key value offsets");
  out.reserve(count);
  for (std::uint32_t i = 0; i < count; ++i)
    out.push_back(CellOffset{cell.u32_at(4 * std::size_t{i}, "key value offset")});
  return out;
}

CellOffset write_value_list(CellAllocator& cells, std::span<const CellOffset> values) {
  if (values.empty()) return kNoCell;
  const CellOffset list = cells.allocate(4 * values.size(), kValueListStructure);
  util::ByteWriter w(cells.bytes());
  for (std::size_t i = 0; i < values.size(); ++i)
    w.put_u32(cell_data_at(list) + 4 * i, values[i].value);
  return list;
}

}  // namespace hivelint::regf
