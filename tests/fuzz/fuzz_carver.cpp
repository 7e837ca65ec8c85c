// Fuzz target: arbitrary bytes as a hive through the free-cell carver (regf/carver.hpp), with small
// caps so that the cap paths are reached too. Beyond "only hivelint::Error escapes", the result
// must keep its promises: every carved record and every recovered data cell lies inside the hive
// bins, recovered data has exactly the size the vk declares, and no cap is exceeded.
#include <algorithm>

#include "fuzz/fuzz_targets.hpp"
#include "regf/carver.hpp"

namespace hivelint::fuzz {

void carver(std::span<const std::uint8_t> data) {
  regf::CarveLimits limits;
  limits.max_records = 64;
  limits.max_data_bytes = 4096;
  limits.max_unrecovered = 16;
  try {
    std::vector<regf::Diagnostic> diagnostics;
    const regf::CarveResult r = regf::carve_hive(data, diagnostics, limits);
    if (r.keys.size() + r.values.size() > limits.max_records)
      fail("carver", "more records than the cap");
    if (r.unrecovered.size() > limits.max_unrecovered)
      fail("carver", "more failures kept than the cap");
    std::size_t bytes = 0;
    const auto inside = [&](regf::CellOffset c) {
      return regf::to_file_offset(c).value + regf::kCellHeaderSize <= data.size();
    };
    for (const auto& k : r.keys)
      if (!inside(k.offset)) fail("carver", "a carved key lies outside the file");
    for (const auto& v : r.values) {
      if (!inside(v.offset)) fail("carver", "a carved value lies outside the file");
      const bool recovered = v.data_state == regf::CarvedDataState::kResident ||
                             v.data_state == regf::CarvedDataState::kFreeCell;
      if (recovered && v.data.size() != v.data_size)
        fail("carver", "recovered data differs from the declared size");
      if (!recovered && !v.data.empty())
        fail("carver", "data kept for a value whose data was not recovered");
      if (v.data_state == regf::CarvedDataState::kFreeCell) {
        if (!inside(v.data_cell) ||
            regf::to_file_offset(v.data_cell).value + regf::kCellHeaderSize + v.data.size() >
                data.size())
          fail("carver", "a recovered data cell lies outside the file");
        bytes += v.data.size();
      }
    }
    if (bytes > limits.max_data_bytes) fail("carver", "more data bytes than the cap");
  } catch (const Error&) {}
}

}  // namespace hivelint::fuzz

HIVELINT_FUZZ_ENTRY(carver)
