// Reading a whole hive (or a subtree) through any HiveReader into a regf::TreeKey, and comparing trees.
// Used to verify what the builder wrote by reading it back through libregf, an independent reader.
#pragma once
#include <string>
#include <vector>

#include "hive/hive_reader.hpp"
#include "regf/tree.hpp"

namespace hivelint::hive {

/// Every key and value below the root, read through `reader` (names re-encoded from UTF-8 to UTF-16).
/// Throws BackendError when the backend fails; stops with UsageError past regf::kMaxDepth levels.
regf::TreeKey read_whole_tree(const HiveReader& reader);

/// Differences between two trees: subkeys compared by name (case-insensitively, any order), values by
/// name, type and data. Empty when equal. At most `limit` lines.
std::vector<std::string> diff_trees(const regf::TreeKey& expected, const regf::TreeKey& actual, std::size_t limit = 20);

}  // namespace hivelint::hive
