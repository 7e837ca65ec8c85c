// The one allocation interface the record encoders write through (write_key_node, write_value_key,
// store_value_data, write_big_data, write_subkey_list, write_value_list, write_security_key). The
// builder hands out cells in the hive it lays out from scratch; the editor (HiveWriter) in new hive
// bins at the end of a copy. What to allocate and in which order is theirs; how a record's bytes
// look is the encoders', next to each record's parser.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "regf/format.hpp"

namespace hivelint::regf {

class CellAllocator {
 public:
  virtual ~CellAllocator() = default;
  /// A new allocated cell with room for `data_size` bytes, zero-filled. `structure` names the
  /// record it will hold ("key node (nk)"), for the editor's list of changes and its refusals.
  virtual CellOffset allocate(std::size_t data_size, std::string structure) = 0;
  /// The hive image the cells live in, base block first; the data of the cell at `c` starts at
  /// cell_data_at(c). Allocating may move it.
  virtual std::vector<std::uint8_t>& bytes() = 0;
};

/// File offset of the data (after the size field) of the cell at `c`.
inline constexpr std::size_t cell_data_at(CellOffset c) noexcept {
  return kBaseBlockSize + c.value + kCellHeaderSize;
}

}  // namespace hivelint::regf
