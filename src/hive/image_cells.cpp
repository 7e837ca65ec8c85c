#include "hive/image_cells.hpp"

namespace hivelint::hive {

std::optional<util::ByteReader> cell_at(std::span<const std::uint8_t> image,
                                        std::uint64_t file_offset, const char* structure) {
  if (file_offset < regf::kBaseBlockSize || file_offset + regf::kCellHeaderSize > image.size())
    return std::nullopt;
  const util::ByteReader header(
      image.subspan(static_cast<std::size_t>(file_offset), regf::kCellHeaderSize), file_offset,
      structure);
  const std::int32_t raw = header.i32(regf::kCellSize);
  if (raw >= 0) return std::nullopt;
  const auto size = static_cast<std::uint64_t>(-static_cast<std::int64_t>(raw));
  if (size < 8 || size % regf::kCellAlignment != 0 || file_offset + size > image.size())
    return std::nullopt;
  return util::ByteReader(
      image.subspan(static_cast<std::size_t>(file_offset + regf::kCellHeaderSize),
                    static_cast<std::size_t>(size - regf::kCellHeaderSize)),
      file_offset + regf::kCellHeaderSize, structure);
}

std::optional<util::ByteReader> cell_at(std::span<const std::uint8_t> image,
                                        regf::CellOffset offset, const char* structure) {
  if (offset.is_none()) return std::nullopt;
  return cell_at(image, regf::to_file_offset(offset).value, structure);
}

std::optional<std::vector<regf::SubkeyList>> subkey_leaves(std::span<const std::uint8_t> image,
                                                           regf::CellOffset list) {
  const auto top_cell = cell_at(image, list, "subkeys list");
  if (!top_cell) return std::nullopt;
  regf::SubkeyList top = regf::parse_subkey_list(*top_cell);
  std::vector<regf::SubkeyList> leaves;
  if (top.kind != regf::ListKind::kIndexRoot) {
    leaves.push_back(std::move(top));
    return leaves;
  }
  for (const auto& ref : top.elements) {
    const auto leaf_cell = cell_at(image, ref.offset, "subkeys list");
    if (!leaf_cell) return std::nullopt;
    leaves.push_back(regf::parse_subkey_list(*leaf_cell));
    if (leaves.back().kind == regf::ListKind::kIndexRoot) return std::nullopt;
  }
  return leaves;
}

}  // namespace hivelint::hive
