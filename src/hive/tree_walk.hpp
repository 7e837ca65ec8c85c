// Reading a whole hive (or a subtree) through any HiveReader into a regf::TreeKey, and comparing
// trees. Used to verify what the builder wrote by reading it back through libregf, an independent
// reader.
#pragma once
#include <string>
#include <vector>

#include "hive/hive_reader.hpp"
#include "regf/tree.hpp"

namespace hivelint::hive {

/// Every key and value below the root, read through `reader` (names re-encoded from UTF-8 to
/// UTF-16). Throws BackendError when the backend fails; stops with UsageError past regf::kMaxDepth
/// levels.
regf::TreeKey read_whole_tree(const HiveReader& reader);

struct DiffOptions {
  /// `actual` was read by libregf 20201007: accept its known normalisations of value data (strings
  /// cut at the first NUL and terminated, unterminated strings read past their size, 1-3 byte
  /// resident data with wrong bytes but the right size; see src/hive/regf_reader.hpp). Names, types
  /// and everything else must match.
  bool libregf_quirks = false;
  /// Names must be spelled the same (not only equal under Windows' case rules) and class names must
  /// match: for two readings of the same bytes by hivelint's own reader.
  bool exact = false;
  std::size_t limit = 20;  // at most this many lines
};

/// Differences between two trees: subkeys compared by name (case-insensitively, any order), values
/// by name, type and data. Empty when equal.
std::vector<std::string> diff_trees(const regf::TreeKey& expected, const regf::TreeKey& actual,
                                    const DiffOptions& options = {});

/// Whether `libregf_data` is what libregf 20201007 returns for a value stored as (type, stored).
bool libregf_reads_as(std::uint32_t type, const std::vector<std::uint8_t>& stored,
                      const std::vector<std::uint8_t>& libregf_data);

}  // namespace hivelint::hive
