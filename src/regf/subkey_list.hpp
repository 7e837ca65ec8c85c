// Subkey lists (spec "Index leaf" li, "Fast leaf" lf, "Hash leaf" lh, "Index root" ri).
//
// | offset | size | field              |
// |--------|------|--------------------|
// | 0      | 2    | signature li/lf/lh/ri |
// | 2      | 2    | number of elements |
// | 4      | ...  | elements: li/ri 4 bytes (offset); lf 8 (offset, name hint); lh 8 (offset, hash) |
#pragma once
#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

#include "regf/hbin_scan.hpp"

namespace hivelint::regf {

/// The lh hash: h = 37 * h + unit over the *uppercased* UTF-16 name (spec "Hash leaf"), 32-bit wraparound.
std::uint32_t lh_hash(std::u16string_view name);

/// The lf name hint: the first four characters of the name, one byte each (units above 0xFF give 0), zero-padded.
std::array<std::uint8_t, 4> lf_hint(std::u16string_view name);

/// The key node offsets a subkey list holds, in stored order: an li, lf or lh leaf, or an ri whose elements
/// are leaves (an ri inside an ri is refused, as Windows refuses it). Throws FormatError.
std::vector<CellOffset> read_subkey_list(const CellMap& cells, CellOffset list);

}  // namespace hivelint::regf
