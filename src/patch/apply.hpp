// Applying a fix plan (hive::Edits from the rules engine) to a copy of a hive through regf::Editor,
// and the byte-level account of what changed (for the report and for reviewers who diff input and
// output).
#pragma once
#include <cstdint>
#include <span>
#include <vector>

#include "hive/edit.hpp"
#include "regf/hive_writer.hpp"
#include "regf/tree.hpp"

namespace hivelint::patch {

/// What a fix changes, in order. Edits of kind kCreateKey create the key and any missing parent.
using PatchPlan = std::vector<hive::Edit>;

struct ApplyOptions {
  std::uint64_t timestamp = 0;  // FILETIME for touched keys and the base block
};

/// A run of bytes of the output that differ from the input (or that the input did not have).
struct ByteRange {
  std::uint64_t offset = 0;
  std::uint64_t length = 0;
};

/// A key of the input on the path of an edit (the root, every parent, the edited key), as the
/// editor read it before changing anything: what verify_patch compares the output's keys with.
struct KeySnapshot {
  hive::KeyPath path;
  std::uint32_t node = 0;  // cell offset of its nk
  regf::TreeKey key;       // values, class name, subkeys by name only
  std::vector<std::pair<std::u16string, std::uint32_t>> children;  // subkey name -> nk cell offset
};

struct PatchResult {
  std::vector<std::uint8_t> bytes;      // the patched hive, committed (clean, checksummed)
  std::vector<regf::CellChange> cells;  // every cell allocated, modified or freed
  std::vector<ByteRange> differing;     // output byte ranges that differ from the input
  std::size_t keys_created = 0;
  std::size_t dropped_trailing_bytes = 0;  // input bytes past its hive bins data, not copied
  std::size_t new_bins_offset =
      0;  // where the new hive bins start: the end of the input's hive bins
  std::vector<KeySnapshot>
      before;                 // the input's keys on the edits' paths that existed, parents first
  std::size_t hive_bins = 0;  // hive bins in the output
};

/// Applies `plan` to a copy of `input`. Throws FormatError (unreadable input) or RefusedError (an
/// edit that cannot be made safely: dirty or damaged hive, key absent, data the version cannot
/// hold).
PatchResult apply_plan(std::span<const std::uint8_t> input, const PatchPlan& plan,
                       const ApplyOptions& options);

/// The byte ranges where `after` differs from `before`; bytes past the end of `before` count as
/// differing.
std::vector<ByteRange> differing_ranges(std::span<const std::uint8_t> before,
                                        std::span<const std::uint8_t> after);

/// `tree` with `plan` applied the way the editor applies it (for comparing whole trees).
void apply_to_tree(regf::TreeKey& tree, const PatchPlan& plan);

}  // namespace hivelint::patch
