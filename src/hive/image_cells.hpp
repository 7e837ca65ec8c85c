// Cells read straight from a hive image, without a CellMap (building one costs a scan of the whole
// file). Used where hivelint's own reading only has to support or explain what libregf did: the
// subkey position hint (subkey_index_hint.hpp) and the check of libregf's "corrupted" flag on keys
// (libregf_key_flag.hpp). Unlike CellMap::get, these cannot tell a cell start from a position
// inside a cell: no answer that stands on its own may come from them.
#pragma once
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "regf/format.hpp"
#include "regf/subkey_list.hpp"
#include "util/bytes.hpp"

namespace hivelint::hive {

/// The data of the cell whose size field is at `file_offset`, if that field describes an allocated
/// cell (negative size, at least 8 bytes, a multiple of 8) that lies inside the image; nullopt
/// otherwise.
std::optional<util::ByteReader> cell_at(std::span<const std::uint8_t> image,
                                        std::uint64_t file_offset, const char* structure);
/// The same for a cell offset (relative to the hive bins); nullopt for "none".
std::optional<util::ByteReader> cell_at(std::span<const std::uint8_t> image,
                                        regf::CellOffset offset, const char* structure);

/// The leaf lists (li, lf, lh) of the subkeys list at `list`: the list itself, or the lists an
/// index root (ri) names. nullopt when a list cell is not an allocated cell in the image or an ri
/// names another ri. Throws FormatError when a list's contents are damaged.
std::optional<std::vector<regf::SubkeyList>> subkey_leaves(std::span<const std::uint8_t> image,
                                                           regf::CellOffset list);

}  // namespace hivelint::hive
