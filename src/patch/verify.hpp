// Proof that a patched hive is what the plan said and nothing else, before it is published
// (CONTRIBUTING.md §6): every changed byte lies in the base block, a cell the editor touched or the
// new hive bins; the structural check (verify) finds nothing new and names every key that reads a
// changed cell; those are keys on the edits' paths, and hivelint's reader and libregf read each of
// them as the input's key plus the plan.
#pragma once
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "hive/hive_reader.hpp"
#include "patch/apply.hpp"
#include "regf/tree.hpp"

namespace hivelint::patch {

struct VerifyReport {
  std::vector<std::string>
      checks;  // one line per check that passed ("libregf: 4312 keys, 9120 values ...")
  std::size_t keys = 0;
  std::size_t values = 0;
};

/// The input's whole tree, read strictly by hivelint's reader. Throws RefusedError when any part of
/// it is unreadable (a fix cannot be proven to change nothing else in a hive that cannot be read
/// completely).
regf::TreeKey read_input_tree(std::span<const std::uint8_t> input);

/// Verifies `patched` (made from `input` by apply_plan) before it is written, in time linear in the
/// hive (one scan and one structural walk of the output) plus the change, instead of reading and
/// comparing two whole trees: every changed byte lies in the base block, a touched cell or the new
/// bins; the whole output passes `verify` with no more inconsistencies than the input; the keys on
/// the plan's paths read (by hivelint's reader and, on the other core, by libregf) as the input's
/// (apply_plan's snapshots) plus the plan, and keep their subkeys' key nodes; and verify's walk
/// finds no other key that reads a changed cell, so every other key is the input's, byte for byte.
/// Throws RefusedError naming the reader or check and the first differences when anything is off.
/// `with_libregf`, when given, runs in the libregf thread on the same libregf reader of the output
/// (opening it is linear in the number of hive bins, so it is done once); what it returns is
/// appended to the report's checks and what it throws is the verification's failure.
using LibregfCheck = std::function<std::vector<std::string>(const hive::HiveReader& libregf)>;
VerifyReport verify_patch(std::span<const std::uint8_t> input, const PatchResult& patched,
                          const PatchPlan& plan, const LibregfCheck& with_libregf = {});

}  // namespace hivelint::patch
