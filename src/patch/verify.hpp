// Proof that a patched hive is what the plan said and nothing else, before it is published (HOUSE_STYLE §6):
// every changed byte lies in the base block, a cell the editor touched or the new hive bins; hivelint's regf
// reader reads the whole output tree and it must equal the input's tree with the plan applied; libregf reads it
// too (the whole tree up to kLibregfWholeTreeBins hive bins, else every edited key whole) and must agree; every
// edit is looked up directly; and the structural check (verify) finds nothing new.
#pragma once
#include <span>
#include <string>
#include <vector>

#include "patch/apply.hpp"
#include "regf/tree.hpp"

namespace hivelint::patch {

struct VerifyReport {
  std::vector<std::string> checks;  // one line per check that passed ("libregf: 4312 keys, 9120 values ...")
  std::size_t keys = 0;
  std::size_t values = 0;
};

/// The input's whole tree, read strictly by hivelint's reader. Throws RefusedError when any part of it is
/// unreadable (a fix cannot be proven to change nothing else in a hive that cannot be read completely).
regf::TreeKey read_input_tree(std::span<const std::uint8_t> input);

/// Verifies `output` against `input_tree` + `plan` (the tree is consumed: it becomes the expected tree), and that
/// the structural check (regf::verify_hive) finds no more inconsistencies in `output` than in `input`. Throws
/// RefusedError naming the reader or check and the first differences when anything is off.
VerifyReport verify_patch(std::span<const std::uint8_t> input, regf::TreeKey input_tree, const PatchResult& patched,
                          const PatchPlan& plan);

/// Up to this many hive bins libregf's verification walks the whole tree; beyond, only the edited keys (its
/// cell lookups are linear in the number of bins, so a whole walk of a 500 MB hive takes minutes).
inline constexpr std::size_t kLibregfWholeTreeBins = 8192;

}  // namespace hivelint::patch
