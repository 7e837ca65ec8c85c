#include "regf/subkey_list.hpp"

#include "util/upcase.hpp"

namespace hivelint::regf {

std::uint32_t lh_hash(std::u16string_view name) {
  std::uint32_t h = 0;
  for (char16_t unit : name) h = h * 37u + util::upcase(unit);
  return h;
}

std::array<std::uint8_t, 4> lf_hint(std::u16string_view name) {
  std::array<std::uint8_t, 4> hint{};
  for (std::size_t i = 0; i < 4 && i < name.size(); ++i) hint[i] = name[i] <= 0xFF ? static_cast<std::uint8_t>(name[i]) : 0;
  return hint;
}

namespace {

void read_leaf(const util::ByteReader& leaf, std::vector<CellOffset>& out) {
  const bool wide = leaf.has_signature("lf") || leaf.has_signature("lh");
  if (!wide && !leaf.has_signature("li")) {
    if (leaf.has_signature("ri")) leaf.fail("an index root (ri) inside an index root: only leaves may appear here");
    leaf.require_signature("lh");  // throws, naming what was found
  }
  const std::size_t count = leaf.u16(kListCount);
  const std::size_t step = wide ? kLfElementSize : kLiElementSize;
  leaf.take(kListHeaderSize, count * step, "list elements");  // the whole list must fit its cell
  for (std::size_t i = 0; i < count; ++i) out.push_back(CellOffset{leaf.u32_at(kListHeaderSize + i * step, "key node offset")});
}

}  // namespace

std::vector<CellOffset> read_subkey_list(const CellMap& cells, CellOffset list) {
  std::vector<CellOffset> out;
  const util::ByteReader cell = cells.get(list, "subkeys list");
  if (cell.has_signature("ri")) {
    const util::ByteReader ri = cells.get(list, "index root (ri)");
    const std::size_t count = ri.u16(kListCount);
    ri.take(kListHeaderSize, count * kLiElementSize, "list elements");
    for (std::size_t i = 0; i < count; ++i) {
      const CellOffset leaf{ri.u32_at(kListHeaderSize + i * kLiElementSize, "subkeys list offset")};
      read_leaf(cells.get(leaf, "subkeys list"), out);
      if (out.size() > kMaxSubkeys) ri.fail("more than " + std::to_string(kMaxSubkeys) + " subkeys");
    }
    return out;
  }
  read_leaf(cell, out);
  return out;
}

}  // namespace hivelint::regf
