#include "hive/subkey_index_hint.hpp"

#include "hive/image_cells.hpp"
#include "regf/format.hpp"
#include "regf/key_node.hpp"
#include "regf/subkey_list.hpp"
#include "util/error.hpp"
#include "util/upcase.hpp"

namespace hivelint::hive {

SubkeyHint subkey_index_hint(std::span<const std::uint8_t> image, std::uint64_t nk_cell, std::u16string_view wanted,
                             std::size_t expected_count) {
  using Kind = SubkeyHint::Kind;
  // FormatError here means "no hint": the caller then asks libregf, which reports damage its own way.
  try {
    const auto parent_cell = cell_at(image, nk_cell, "key node (nk)");
    if (!parent_cell) return {};
    const regf::KeyNode parent =
        regf::parse_key_node(*parent_cell, regf::CellOffset{static_cast<std::uint32_t>(nk_cell - regf::kBaseBlockSize)});
    if (parent.subkey_count != expected_count) return {};
    const auto leaves = subkey_leaves(image, parent.subkeys_list);
    if (!leaves) return {};
    std::size_t total = 0;
    for (const auto& leaf : *leaves) total += leaf.elements.size();
    if (total != expected_count) return {};

    // First the elements whose lh hash matches (every element of an li or lf list), as Windows looks.
    const std::uint32_t hash = regf::lh_hash(wanted);
    const auto candidate = [&](const regf::SubkeyList& leaf, const regf::ListElement& e) {
      return leaf.kind != regf::ListKind::kHashLeaf || e.check == hash;
    };
    bool every_candidate_read = true;
    std::size_t index = 0;
    for (const auto& leaf : *leaves)
      for (const auto& e : leaf.elements) {
        if (candidate(leaf, e)) {
          const auto cell = cell_at(image, e.offset, "key node (nk)");
          if (!cell) every_candidate_read = false;
          else if (util::names_equal(regf::parse_key_node(*cell, e.offset).name, wanted)) return {Kind::kFound, index};
        }
        ++index;
      }
    if (!every_candidate_read) return {};
    // Then the other elements by name: a key whose lh hash is wrong is still found, and absence is only decided
    // when every element is a readable key node.
    index = 0;
    for (const auto& leaf : *leaves)
      for (const auto& e : leaf.elements) {
        if (!candidate(leaf, e)) {
          const auto cell = cell_at(image, e.offset, "key node (nk)");
          if (!cell) return {};
          if (util::names_equal(regf::parse_key_node(*cell, e.offset).name, wanted)) return {Kind::kFound, index};
        }
        ++index;
      }
    return {Kind::kAbsent, 0};
  } catch (const FormatError&) {
    return {};
  }
}

}  // namespace hivelint::hive
