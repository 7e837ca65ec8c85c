#include "hive/subkey_index_hint.hpp"

#include <vector>

#include "regf/format.hpp"
#include "regf/key_node.hpp"
#include "regf/subkey_list.hpp"
#include "util/error.hpp"
#include "util/upcase.hpp"

namespace hivelint::hive {
namespace {

// The data of the cell at `file_offset` if its size field describes an allocated cell that fits in the file.
// Unlike CellMap::get this cannot tell a cell start from a position inside a cell: fine for a hint.
std::optional<util::ByteReader> cell_at(std::span<const std::uint8_t> image, std::uint64_t file_offset,
                                        const char* structure) {
  if (file_offset < regf::kBaseBlockSize || file_offset + regf::kCellHeaderSize > image.size()) return std::nullopt;
  const util::ByteReader header(image.subspan(static_cast<std::size_t>(file_offset), regf::kCellHeaderSize),
                                file_offset, structure);
  const std::int32_t raw = header.i32(regf::kCellSize);
  if (raw >= 0) return std::nullopt;
  const auto size = static_cast<std::uint64_t>(-static_cast<std::int64_t>(raw));
  if (size < 8 || size % regf::kCellAlignment != 0 || file_offset + size > image.size()) return std::nullopt;
  return util::ByteReader(image.subspan(static_cast<std::size_t>(file_offset + regf::kCellHeaderSize),
                                        static_cast<std::size_t>(size - regf::kCellHeaderSize)),
                          file_offset + regf::kCellHeaderSize, structure);
}

std::optional<util::ByteReader> cell_at(std::span<const std::uint8_t> image, regf::CellOffset offset, const char* structure) {
  if (offset.is_none()) return std::nullopt;
  return cell_at(image, regf::to_file_offset(offset).value, structure);
}

}  // namespace

std::optional<std::size_t> subkey_index_hint(std::span<const std::uint8_t> image, std::uint64_t nk_cell,
                                             std::u16string_view wanted, std::size_t expected_count) {
  // FormatError here means "no hint": the caller then asks libregf, which reports damage its own way.
  try {
    const auto parent_cell = cell_at(image, nk_cell, "key node (nk)");
    if (!parent_cell) return std::nullopt;
    const regf::KeyNode parent =
        regf::parse_key_node(*parent_cell, regf::CellOffset{static_cast<std::uint32_t>(nk_cell - regf::kBaseBlockSize)});
    if (parent.subkey_count != expected_count) return std::nullopt;
    const auto top_cell = cell_at(image, parent.subkeys_list, "subkeys list");
    if (!top_cell) return std::nullopt;
    const regf::SubkeyList top = regf::parse_subkey_list(*top_cell);
    std::vector<regf::SubkeyList> leaves;
    if (top.kind == regf::ListKind::kIndexRoot) {
      for (const auto& ref : top.elements) {
        const auto leaf_cell = cell_at(image, ref.offset, "subkeys list");
        if (!leaf_cell) return std::nullopt;
        leaves.push_back(regf::parse_subkey_list(*leaf_cell));
        if (leaves.back().kind == regf::ListKind::kIndexRoot) return std::nullopt;
      }
    } else {
      leaves.push_back(top);
    }
    std::size_t total = 0;
    for (const auto& leaf : leaves) total += leaf.elements.size();
    if (total != expected_count) return std::nullopt;

    const std::uint32_t hash = regf::lh_hash(wanted);
    std::size_t index = 0;
    for (const auto& leaf : leaves)
      for (const auto& e : leaf.elements) {
        const bool may_match = leaf.kind != regf::ListKind::kHashLeaf || e.check == hash;
        if (may_match) {
          const auto cell = cell_at(image, e.offset, "key node (nk)");
          if (cell && util::names_equal(regf::parse_key_node(*cell, e.offset).name, wanted)) return index;
        }
        ++index;
      }
    return std::nullopt;
  } catch (const FormatError&) {
    return std::nullopt;
  }
}

}  // namespace hivelint::hive
