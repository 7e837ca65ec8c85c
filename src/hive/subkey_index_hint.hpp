// A fast path for libregf's by-name subkey lookup. libregf 20201007 finds every cell with a linear search over
// its list of hive bins (libfdata_list_get_element_index_at_offset), and its by-name lookup reads the key node of
// each subkey in turn until a name matches: on the 540 MB benchmark hive (58,779 hive bins, 5,300 services)
// that was 3 s of `hivelint check`'s 3.1 s (perf, docs/performance.md). Here the parent's subkey list is read
// straight from the mapped image (list cells, and only the key nodes whose lh hash matches), giving the position
// of the wanted name; libregf then opens that one subkey by index.
//
// The position is only a hint: it is read without the CellMap (which would cost a scan of the whole file), so
// the caller must check that the subkey libregf returns at that index has the wanted name, and fall back to
// libregf's own lookup otherwise. No answer ever comes from this file alone.
#pragma once
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace hivelint::hive {

/// Index, in stored list order, of the subkey named `wanted` (Windows' case rules) of the key node whose cell
/// starts at file offset `nk_cell`; nullopt when it is not found, the list does not hold `expected_count`
/// elements, or anything on the way is damaged. Never throws for damage.
std::optional<std::size_t> subkey_index_hint(std::span<const std::uint8_t> image, std::uint64_t nk_cell,
                                             std::u16string_view wanted, std::size_t expected_count);

}  // namespace hivelint::hive
