#include "hive/stored_name.hpp"

#include "hive/image_cells.hpp"
#include "regf/format.hpp"
#include "regf/key_node.hpp"
#include "regf/value_key.hpp"
#include "util/error.hpp"

namespace hivelint::hive {
namespace {

regf::CellOffset relative(std::uint64_t cell) {
  return regf::CellOffset{static_cast<std::uint32_t>(cell - regf::kBaseBlockSize)};
}

}  // namespace

std::optional<std::u16string> stored_key_name(std::span<const std::uint8_t> image, std::uint64_t cell) {
  try {
    if (cell < regf::kBaseBlockSize || cell - regf::kBaseBlockSize >= 0xFFFFFFFFu) return std::nullopt;
    const auto data = cell_at(image, cell, "key node (nk)");
    if (!data) return std::nullopt;
    return regf::parse_key_node(*data, relative(cell)).name;
  } catch (const FormatError&) {
    return std::nullopt;
  }
}

std::optional<std::u16string> stored_value_name(std::span<const std::uint8_t> image, std::uint64_t cell) {
  try {
    if (cell < regf::kBaseBlockSize || cell - regf::kBaseBlockSize >= 0xFFFFFFFFu) return std::nullopt;
    const auto data = cell_at(image, cell, "key value (vk)");
    if (!data) return std::nullopt;
    return regf::parse_value_key(*data, relative(cell)).name;
  } catch (const FormatError&) {
    return std::nullopt;
  }
}

}  // namespace hivelint::hive
