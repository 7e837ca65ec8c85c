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
  for (std::size_t i = 0; i < 4 && i < name.size(); ++i)
    hint[i] = name[i] <= 0xFF ? static_cast<std::uint8_t>(name[i]) : 0;
  return hint;
}

namespace {

// Signature bytes for a message: printable ASCII as is, anything else as \xNN (messages stay valid
// UTF-8).
std::string printable(std::span<const std::uint8_t> bytes) {
  static const char* const kHex = "0123456789abcdef";
  std::string out;
  for (const auto b : bytes) {
    if (b >= 0x20 && b < 0x7f && b != '"' && b != '\\') {
      out += static_cast<char>(b);
    } else {
      out += "\\x";
      out += kHex[b >> 4];
      out += kHex[b & 0xF];
    }
  }
  return out;
}

}  // namespace

std::uint32_t list_element_check(ListKind kind, std::u16string_view name) {
  if (kind == ListKind::kHashLeaf) return lh_hash(name);
  if (kind == ListKind::kFastLeaf) return util::le_u32(lf_hint(name));
  return 0;
}

CellOffset write_subkey_list(CellAllocator& cells, ListKind kind,
                             std::span<const ListElement> elements) {
  const bool with_check = kind == ListKind::kFastLeaf || kind == ListKind::kHashLeaf;
  const std::size_t element_size = with_check ? kLfElementSize : kLiElementSize;
  const CellOffset list =
      cells.allocate(kListHeaderSize + element_size * elements.size(), kSubkeyListStructure);
  util::ByteWriter w(cells.bytes());
  const std::size_t d = cell_data_at(list);
  w.put_bytes(d, std::span<const std::uint8_t>(
                     reinterpret_cast<const std::uint8_t*>(list_signature(kind)), 2));
  w.put_u16(kListCount, d, static_cast<std::uint16_t>(elements.size()));
  for (std::size_t i = 0; i < elements.size(); ++i) {
    const std::size_t e = d + kListHeaderSize + element_size * i;
    w.put_u32(e, elements[i].offset.value);
    if (with_check) w.put_u32(e + 4, elements[i].check);
  }
  return list;
}

const char* list_signature(ListKind kind) noexcept {
  switch (kind) {
    case ListKind::kIndexLeaf:
      return "li";
    case ListKind::kFastLeaf:
      return "lf";
    case ListKind::kHashLeaf:
      return "lh";
    case ListKind::kIndexRoot:
      return "ri";
  }
  return "li";
}

SubkeyList parse_subkey_list(const util::ByteReader& cell) {
  SubkeyList list;
  if (cell.has_signature("lh"))
    list.kind = ListKind::kHashLeaf;
  else if (cell.has_signature("lf"))
    list.kind = ListKind::kFastLeaf;
  else if (cell.has_signature("li"))
    list.kind = ListKind::kIndexLeaf;
  else if (cell.has_signature("ri"))
    list.kind = ListKind::kIndexRoot;
  else
    cell.fail("signature is \"" + printable(cell.take(0, 2, "signature")) +
              "\", expected \"li\", \"lf\", \"lh\" or \"ri\"");
  const bool wide = list.kind == ListKind::kFastLeaf || list.kind == ListKind::kHashLeaf;
  const std::size_t count = cell.u16(kListCount);
  const std::size_t step = wide ? kLfElementSize : kLiElementSize;
  cell.take(kListHeaderSize, count * step, "list elements");  // the whole list must fit its cell
  list.elements.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    const std::size_t at = kListHeaderSize + i * step;
    ListElement e;
    e.offset = CellOffset{cell.u32_at(
        at, list.kind == ListKind::kIndexRoot ? "subkeys list offset" : "key node offset")};
    if (wide)
      e.check = cell.u32_at(at + 4, list.kind == ListKind::kHashLeaf ? "name hash" : "name hint");
    list.elements.push_back(e);
  }
  return list;
}

std::vector<ListedSubkey> read_subkey_elements(const CellMap& cells, CellOffset list) {
  std::vector<ListedSubkey> out;
  const auto add_leaf = [&out](const SubkeyList& leaf, CellOffset at) {
    for (const auto& e : leaf.elements)
      out.push_back(ListedSubkey{e.offset, at, leaf.kind, e.check});
  };
  const SubkeyList top = parse_subkey_list(cells.get(list, "subkeys list"));
  if (top.kind != ListKind::kIndexRoot) {
    add_leaf(top, list);
    return out;
  }
  for (const auto& leaf_ref : top.elements) {
    const util::ByteReader leaf_cell = cells.get(leaf_ref.offset, "subkeys list");
    const SubkeyList leaf = parse_subkey_list(leaf_cell);
    if (leaf.kind == ListKind::kIndexRoot)
      leaf_cell.fail("is an index root (ri) inside the index root at " +
                     util::hex_offset(to_file_offset(list).value) +
                     ": an index root may hold only li, lf or lh leaves");
    if (out.size() + leaf.elements.size() > kMaxSubkeys)
      leaf_cell.fail("brings the subkeys of the index root at " +
                     util::hex_offset(to_file_offset(list).value) + " past the cap of " +
                     std::to_string(kMaxSubkeys));
    add_leaf(leaf, leaf_ref.offset);
  }
  return out;
}

std::vector<CellOffset> read_subkey_list(const CellMap& cells, CellOffset list) {
  std::vector<CellOffset> out;
  for (const auto& e : read_subkey_elements(cells, list)) out.push_back(e.offset);
  return out;
}

}  // namespace hivelint::regf
