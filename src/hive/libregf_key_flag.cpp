#include "hive/libregf_key_flag.hpp"

#include <algorithm>

#include "hive/image_cells.hpp"
#include "regf/format.hpp"
#include "regf/key_node.hpp"
#include "util/error.hpp"

namespace hivelint::hive {

bool libregf_flag_is_empty_values_quirk(std::span<const std::uint8_t> image,
                                        std::uint64_t nk_cell) {
  try {
    if (image.size() < regf::kBaseBlockSize || nk_cell < regf::kBaseBlockSize) return false;
    const util::ByteReader base(image.first(regf::kBaseBlockSize), 0, regf::kBaseBlockStructure);
    // Elements must lie inside the hive bins the base block declares and inside the image: stricter
    // than libregf's own test (inside a bin it read), so a doubt keeps the warning.
    const std::uint64_t bins_end = std::min<std::uint64_t>(base.u32(regf::kBbHiveBinsDataSize),
                                                           image.size() - regf::kBaseBlockSize);
    const auto cell = cell_at(image, nk_cell, regf::kNkStructure);
    if (!cell) return false;
    const regf::KeyNode key = regf::parse_key_node(
        *cell, regf::CellOffset{static_cast<std::uint32_t>(nk_cell - regf::kBaseBlockSize)});
    if (key.value_count != 0 || !key.values_list.is_none()) return false;
    if (key.subkey_count == 0) return true;
    const auto leaves = subkey_leaves(image, key.subkeys_list);
    if (!leaves) return false;
    for (const auto& leaf : *leaves)
      for (const auto& element : leaf.elements)
        if (element.offset.is_none() || element.offset.value >= bins_end ||
            !cell_at(image, element.offset, regf::kNkStructure))
          return false;
    return true;
  } catch (const FormatError&) {
    return false;
  }
}

}  // namespace hivelint::hive
