// Dirty vector of an old-format transaction log (spec "Dirty vector", "Dirty pages"), Windows XP
// to 7.
//
// At file offset 512:
// | offset | size | field                                                                  |
// |--------|------|------------------------------------------------------------------------|
// | 0      | 4    | signature "DIRT"                                                       |
// | 4      | n    | bitmap: bit i (LSB first) = 512-byte page i of the hive bins is dirty;  |
// |        |      | n = hive bins data size / 4096 bytes (from the log's base block)       |
// Dirty pages follow at the next 512-byte boundary, 512 bytes each, one per set bit in bit order;
// page k goes to file offset 4096 + 512 * (index of the k-th set bit). Remnants may follow the last
// page.
#pragma once
#include <cstdint>
#include <span>
#include <vector>

#include "regf/format.hpp"

namespace hivelint::regf {

struct OldDirtyPage {
  std::uint32_t offset = 0;            // relative to the start of the hive bins data
  std::span<const std::uint8_t> data;  // 512 bytes inside the log file
};

struct DirtyVector {
  std::uint32_t hive_bins_data_size = 0;
  std::uint64_t pages_offset = 0;   // file offset of the first dirty page in the log
  std::vector<OldDirtyPage> pages;  // in bitmap order (ascending offsets)
};

/// Reads the dirty vector at offset 512 of `log` for a hive of `hive_bins_data_size` bytes (a
/// positive multiple of 4096). Throws FormatError when the signature is not "DIRT" or the bitmap or
/// any dirty page it marks lies past the end of the log (a truncated log: Windows cannot apply it).
DirtyVector parse_dirty_vector(std::span<const std::uint8_t> log,
                               std::uint32_t hive_bins_data_size);

}  // namespace hivelint::regf
