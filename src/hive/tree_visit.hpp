// Streaming walk over a whole hive or subtree: the reader calls a visitor for each key (pre-order:
// a key, then its values in stored order, then its subkeys in stored order, the order regedit
// exports them) without building the tree in memory. `hivelint export` writes as it walks, so its
// memory use stays flat whatever the hive's size.
#pragma once
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace hivelint::hive {

class TreeVisitor {
 public:
  virtual ~TreeVisitor() = default;
  /// A key. `path` holds the stored names (UTF-16) of the components below the walk's start key
  /// (empty for the start key itself); `last_written` is its FILETIME. The values that follow
  /// belong to this key.
  virtual void key(const std::vector<std::u16string>& path, std::u16string_view name,
                   std::uint64_t last_written) = 0;
  /// One value of the last key: name (empty = default value), REG_* type and the data bytes.
  virtual void value(std::u16string_view name, std::uint32_t type,
                     std::span<const std::uint8_t> data) = 0;
};

}  // namespace hivelint::hive
