// Key values list (spec "Key values list"): a cell holding the offsets of a key's vk records, in no
// particular order. It has no header; its length comes from the key node's "number of key values".
//
// | offset | size | field                          |
// |--------|------|--------------------------------|
// | 0      | 4    | key value offset (repeated)    |
#pragma once
#include <cstdint>
#include <span>
#include <vector>

#include "regf/cell_allocator.hpp"
#include "regf/hbin_scan.hpp"

namespace hivelint::regf {

/// The `count` key value offsets of the list at `list`. Throws FormatError when the list is not an
/// allocated cell, is shorter than 4 * count bytes, or count exceeds kMaxValues.
std::vector<CellOffset> read_value_list(const CellMap& cells, CellOffset list, std::uint32_t count);

/// read_value_list's inverse: a new list ("key values list") of `values`, in the order given. None
/// is allocated for no values: the key's list offset is then kNoCell.
CellOffset write_value_list(CellAllocator& cells, std::span<const CellOffset> values);

}  // namespace hivelint::regf
