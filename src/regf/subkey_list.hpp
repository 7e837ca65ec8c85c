// Subkey lists (spec "Index leaf" li, "Fast leaf" lf, "Hash leaf" lh, "Index root" ri).
//
// | offset | size | field                                                                 |
// |--------|------|-----------------------------------------------------------------------|
// | 0      | 2    | signature "li", "lf", "lh" or "ri"                                    |
// | 2      | 2    | number of elements                                                    |
// | 4      | ...  | elements: li 4 bytes (key node offset); ri 4 bytes (subkeys list offset); |
// |        |      | lf 8 bytes (key node offset, name hint); lh 8 bytes (key node offset, name
// hash) |
//
// Spec notes: an index root points only to leaves, never to another index root. lh hash: H = 37 * H
// + C over the uppercased UTF-16 name; lf hint: the first four characters of the name.
#pragma once
#include <array>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "regf/cell_allocator.hpp"
#include "regf/hbin_scan.hpp"

namespace hivelint::regf {

/// The lh hash: h = 37 * h + unit over the *uppercased* UTF-16 name (spec "Hash leaf"), 32-bit
/// wraparound. Uppercasing is Windows' (util::upcase), not a locale's.
std::uint32_t lh_hash(std::u16string_view name);

/// The lf name hint: the first four characters of the name, one byte each (units above 0xFF give
/// 0), zero-padded when the name is shorter. Stored as-is (not uppercased).
std::array<std::uint8_t, 4> lf_hint(std::u16string_view name);

enum class ListKind { kIndexLeaf, kFastLeaf, kHashLeaf, kIndexRoot };

/// "li", "lf", "lh", "ri".
const char* list_signature(ListKind kind) noexcept;

struct ListElement {
  CellOffset offset;  // key node (leaves) or subkeys list (index root)
  std::uint32_t check =
      0;  // lf: the name hint's 4 bytes as a little-endian dword; lh: the hash; li/ri: 0
};

/// What a leaf of `kind` stores beside the key node of a key named `name`: lh the hash, lf the
/// hint as a little-endian dword, li (and ri) nothing (0).
std::uint32_t list_element_check(ListKind kind, std::u16string_view name);

struct SubkeyList {
  ListKind kind = ListKind::kIndexLeaf;
  std::vector<ListElement> elements;
};

/// Parses one list cell (no recursion into an ri's leaves). Throws FormatError for an unknown
/// signature or elements that overrun the cell.
SubkeyList parse_subkey_list(const util::ByteReader& cell);

/// One subkey as listed: its key node, and the leaf (and that leaf's hash or hint) it was found in.
struct ListedSubkey {
  CellOffset offset;
  CellOffset leaf;
  ListKind leaf_kind = ListKind::kIndexLeaf;
  std::uint32_t check = 0;
};

/// Like read_subkey_list, keeping where each subkey was listed (for hash and hint checks). Throws
/// FormatError.
std::vector<ListedSubkey> read_subkey_elements(const CellMap& cells, CellOffset list);

/// The key node offsets a subkey list holds, in stored order: an li, lf or lh leaf, or an ri whose
/// elements are leaves (an ri inside an ri is refused, as Windows refuses it). Throws FormatError,
/// also when the lists hold more than kMaxSubkeys elements.
std::vector<CellOffset> read_subkey_list(const CellMap& cells, CellOffset list);

/// parse_subkey_list's inverse: a new list of `kind` ("subkey list") holding `elements` in the
/// order given; lf and lh elements carry their `check`. At most 0xFFFF elements (the caller refuses
/// more).
CellOffset write_subkey_list(CellAllocator& cells, ListKind kind,
                             std::span<const ListElement> elements);

}  // namespace hivelint::regf
