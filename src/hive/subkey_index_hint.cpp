#include "hive/subkey_index_hint.hpp"

#include "hive/image_cells.hpp"
#include "regf/format.hpp"
#include "regf/key_node.hpp"
#include "regf/subkey_list.hpp"
#include "regf/value_key.hpp"
#include "util/error.hpp"
#include "util/upcase.hpp"

namespace hivelint::hive {

SubkeyHints::Listing& SubkeyHints::listing(std::uint64_t nk_cell) const {
  if (const auto it = listings_.find(nk_cell); it != listings_.end()) return it->second;
  Listing l;
  // FormatError here means "no hint": the caller then asks libregf, which reports damage its own
  // way.
  try {
    if (const auto parent_cell = cell_at(image_, nk_cell, regf::kNkStructure)) {
      const regf::KeyNode parent = regf::parse_key_node(
          *parent_cell,
          regf::CellOffset{static_cast<std::uint32_t>(nk_cell - regf::kBaseBlockSize)});
      l.subkey_count = parent.subkey_count;
      if (const auto leaves = subkey_leaves(image_, parent.subkeys_list)) {
        for (const auto& leaf : *leaves)
          for (const auto& e : leaf.elements) {
            Element element;
            element.offset = e.offset;
            element.hashed = leaf.kind == regf::ListKind::kHashLeaf;
            element.check = e.check;
            l.elements.push_back(std::move(element));
          }
        l.usable = true;
      }
    }
  } catch (const FormatError&) {
    l = Listing{};
  }
  return listings_.emplace(nk_cell, std::move(l)).first->second;
}

const SubkeyHints::Element& SubkeyHints::named(Element& e) const {
  if (e.state != Element::Name::kUnread) return e;
  e.state = Element::Name::kUnreadable;
  try {
    if (const auto cell = cell_at(image_, e.offset, regf::kNkStructure)) {
      e.name = regf::parse_key_node(*cell, e.offset).name;
      e.state = Element::Name::kRead;
    }
  } catch (const FormatError&) {}
  return e;
}

SubkeyHint SubkeyHints::find(std::uint64_t nk_cell, std::u16string_view wanted,
                             std::size_t expected_count) const {
  using Kind = SubkeyHint::Kind;
  Listing& l = listing(nk_cell);
  if (!l.usable || l.subkey_count != expected_count || l.elements.size() != expected_count)
    return {};
  // First the elements whose lh hash matches (every element of an li or lf list), as Windows looks.
  const std::uint32_t hash = regf::lh_hash(wanted);
  bool every_candidate_read = true;
  for (std::size_t i = 0; i < l.elements.size(); ++i) {
    Element& e = l.elements[i];
    if (e.hashed && e.check != hash) continue;
    const Element& n = named(e);
    if (n.state != Element::Name::kRead)
      every_candidate_read = false;
    else if (util::names_equal(n.name, wanted))
      return {Kind::kFound, i};
  }
  if (!every_candidate_read) return {};
  // Then the other elements by name: a key whose lh hash is wrong is still found, and absence is
  // only decided when every element is a readable key node.
  for (std::size_t i = 0; i < l.elements.size(); ++i) {
    Element& e = l.elements[i];
    if (!e.hashed || e.check == hash) continue;
    const Element& n = named(e);
    if (n.state != Element::Name::kRead) return {};
    if (util::names_equal(n.name, wanted)) return {Kind::kFound, i};
  }
  return {Kind::kAbsent, 0};
}

SubkeyHint subkey_index_hint(std::span<const std::uint8_t> image, std::uint64_t nk_cell,
                             std::u16string_view wanted, std::size_t expected_count) {
  return SubkeyHints(image).find(nk_cell, wanted, expected_count);
}

std::optional<std::size_t> value_index_hint(std::span<const std::uint8_t> image,
                                            std::uint64_t nk_cell, std::u16string_view wanted,
                                            std::size_t expected_count) {
  try {
    const auto key_cell = cell_at(image, nk_cell, regf::kNkStructure);
    if (!key_cell) return std::nullopt;
    const regf::KeyNode key = regf::parse_key_node(
        *key_cell, regf::CellOffset{static_cast<std::uint32_t>(nk_cell - regf::kBaseBlockSize)});
    if (key.value_count != expected_count || key.value_count == 0) return std::nullopt;
    const auto list = cell_at(image, key.values_list, regf::kValueListStructure);
    if (!list) return std::nullopt;
    for (std::size_t i = 0; i < key.value_count; ++i) {
      const regf::CellOffset at{list->u32_at(4 * i, "key value offset")};
      const auto vk_cell = cell_at(image, at, regf::kVkStructure);
      if (!vk_cell) continue;
      if (util::names_equal(regf::parse_value_key(*vk_cell, at).name, wanted)) return i;
    }
  } catch (const FormatError&) {}
  return std::nullopt;
}

}  // namespace hivelint::hive
