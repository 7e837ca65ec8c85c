#include "regf/value_list.hpp"

namespace hivelint::regf {

std::vector<CellOffset> read_value_list(const CellMap& cells, CellOffset list,
                                        std::uint32_t count) {
  std::vector<CellOffset> out;
  if (count == 0) return out;
  const util::ByteReader cell = cells.get(list, "key values list");
  if (count > kMaxValues)
    cell.fail("holds " + std::to_string(count) +
              " values by its key's count, more than the cap of " + std::to_string(kMaxValues));
  cell.take(0, std::size_t{4} * count, "key value offsets");
  out.reserve(count);
  for (std::uint32_t i = 0; i < count; ++i)
    out.push_back(CellOffset{cell.u32_at(4 * std::size_t{i}, "key value offset")});
  return out;
}

}  // namespace hivelint::regf
