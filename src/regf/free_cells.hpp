// Free cells (spec "Cell": a positive size field marks a cell as unallocated). Windows, hivex and
// hivelint's own editor mark a cell free without erasing it, and Windows merges neighbouring free
// cells into one, so a free cell may still hold several old records back to back, each after its
// old size field.
//
// | offset | size | field                                              |
// |--------|------|----------------------------------------------------|
// | 0      | 4    | size (positive: free; includes this field, multiple of 8) |
// | 4      | ...  | whatever the cell held before                      |
#pragma once
#include <cstdint>
#include <span>
#include <vector>

#include "regf/hbin_scan.hpp"

namespace hivelint::regf {

/// Every free cell of the hive bins `cells` knows, in file order. The walk is the one scan_hbins
/// does (a cell size that is not a multiple of 8, under 8 or past its bin ends that bin's walk;
/// scan_hbins reported it).
std::vector<FreeCell> scan_free_cells(std::span<const std::uint8_t> file, const CellMap& cells);

/// The free cell containing `offset` in `free` (sorted, as scan_free_cells returns it), or nullptr.
const FreeCell* free_cell_containing(const std::vector<FreeCell>& free, CellOffset offset);

}  // namespace hivelint::regf
