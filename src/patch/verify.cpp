#include "patch/verify.hpp"

#include <algorithm>
#include <future>

#include "hive/libregf_reader.hpp"
#include "hive/tree_walk.hpp"
#include "regf/reader.hpp"
#include "regf/verify.hpp"
#include "util/error.hpp"
#include "util/utf16.hpp"

namespace hivelint::patch {
namespace {

void count(const regf::TreeKey& key, std::size_t& keys, std::size_t& values) {
  ++keys;
  values += key.values.size();
  for (const auto& sub : key.subkeys) count(sub, keys, values);
}

[[noreturn]] void refuse(const std::string& what, const std::vector<std::string>& details = {}) {
  std::string message = "verification of the patched hive failed: " + what;
  for (const auto& d : details) message += "\n  " + d;
  throw RefusedError(message);
}

// Every byte in which output and input differ lies in the base block, in a cell the editor touched, or past the
// end of the input's hive bins (the new hive bins, written over whatever slack the file had there): so every other
// cell, and every key and value made only of such cells, is byte-for-byte what it was.
void confine_changes(std::span<const std::uint8_t> input, const PatchResult& patched, VerifyReport& report) {
  if (patched.new_bins_offset < regf::kBaseBlockSize || patched.new_bins_offset > input.size())
    refuse("the editor reports its new hive bins at " + util::hex_offset(patched.new_bins_offset) + ", outside the input");
  std::vector<std::pair<std::uint64_t, std::uint64_t>> allowed{{0, regf::kBaseBlockSize}, {patched.new_bins_offset, UINT64_MAX}};
  for (const auto& c : patched.cells) allowed.emplace_back(c.file_offset, c.file_offset + c.size);
  std::sort(allowed.begin(), allowed.end());
  // Adjacent or overlapping places (neighbouring cells; new cells inside the new bins) form one place.
  std::vector<std::pair<std::uint64_t, std::uint64_t>> merged;
  for (const auto& a : allowed) {
    if (!merged.empty() && a.first <= merged.back().second) merged.back().second = std::max(merged.back().second, a.second);
    else merged.push_back(a);
  }
  allowed = std::move(merged);
  const auto& ranges = patched.differing;  // differing_ranges(input, patched.bytes), computed by apply_plan
  for (const auto& r : ranges) {
    auto it = std::upper_bound(allowed.begin(), allowed.end(), std::make_pair(r.offset, UINT64_MAX));
    if (it == allowed.begin() || std::prev(it)->second < r.offset + r.length)
      refuse("bytes " + util::hex_offset(r.offset) + " to " + util::hex_offset(r.offset + r.length) +
             " changed outside the base block, the touched cells and the new hive bins");
  }
  report.checks.push_back("the " + std::to_string(ranges.size()) + " runs of changed bytes lie in the base block, the " +
                          std::to_string(patched.cells.size()) + " touched cells and the new hive bins; every other byte is unchanged");
}

const regf::TreeKey* find_key(const regf::TreeKey& root, const hive::KeyPath& path) {
  const regf::TreeKey* k = &root;
  for (const auto& part : path.components())
    if (!(k = k->find_subkey(util::utf8_to_utf16(part)))) return nullptr;
  return k;
}

// A key's values and its subkeys' names (not their contents).
regf::TreeKey shallow(const regf::TreeKey& key) {
  regf::TreeKey out{key.name, key.class_name, key.values, {}};
  for (const auto& sub : key.subkeys) out.subkeys.push_back(regf::TreeKey{sub.name, std::nullopt, {}, {}});
  return out;
}

std::optional<regf::TreeKey> read_key(const hive::HiveReader& reader, const hive::KeyPath& path) {
  const auto info = reader.key(path);
  if (!info) return std::nullopt;
  regf::TreeKey out;
  out.name = util::utf8_to_utf16(info->name);
  for (const auto& v : reader.values(path)) out.values.push_back(regf::TreeValue{util::utf8_to_utf16(v.name), v.type, v.data});
  for (const auto& name : reader.subkey_names(path)) out.subkeys.push_back(regf::TreeKey{util::utf8_to_utf16(name), std::nullopt, {}, {}});
  return out;
}

}  // namespace

regf::TreeKey read_input_tree(std::span<const std::uint8_t> input) {
  try {
    return regf::Reader(input).read_tree();
  } catch (const FormatError& e) {
    throw RefusedError(std::string("the input hive cannot be read completely (") + e.what() +
                       "); hivelint fixes only hives it can read whole, so that it can prove nothing else changed");
  }
}

VerifyReport verify_patch(std::span<const std::uint8_t> input, regf::TreeKey input_tree, const PatchResult& patched,
                          const PatchPlan& plan) {
  const std::span<const std::uint8_t> output = patched.bytes;
  VerifyReport report;
  confine_changes(input, patched, report);
  regf::TreeKey expected = std::move(input_tree);
  apply_to_tree(expected, plan);
  count(expected, report.keys, report.values);

  // libregf, independently and on the other core: its whole tree (within its documented normalisations of
  // string data) and each planned value looked up by path.
  // libregf looks cells up by a linear search over the hive bins, so its whole-tree walk grows with keys x bins
  // (minutes on a 500 MB hive): past kLibregfWholeTreeBins it reads the edited keys whole instead, while the
  // whole tree is still compared by hivelint's reader and the bytes outside the change are proven identical.
  // hivelint's own reader over the output (its one hive-bin scan also tells how many bins libregf would search).
  std::optional<regf::Reader> reader;
  try {
    reader.emplace(output);
  } catch (const FormatError& e) {
    refuse(std::string("hivelint's reader cannot read it: ") + e.what());
  }
  const bool whole = reader->cells().bins().size() <= kLibregfWholeTreeBins;
  auto theirs = std::async(std::launch::async, [&]() -> std::string {
    try {
      const auto libregf = hive::LibregfReader::open_memory(output, "patched hive");
      hive::DiffOptions quirks;
      quirks.libregf_quirks = true;
      if (whole) {
        if (auto diffs = hive::diff_trees(expected, hive::read_whole_tree(*libregf), quirks); !diffs.empty())
          refuse("libregf sees more or other changes than planned:", diffs);
      }
      std::size_t keys = 0;
      for (const auto& edit : plan) {
        const regf::TreeKey* want = find_key(expected, edit.key);
        if (!want) refuse("key " + edit.key.str() + " is not in the expected tree");
        const auto got = read_key(*libregf, edit.key);
        if (!got) refuse("libregf does not find key " + edit.key.str());
        if (auto diffs = hive::diff_trees(shallow(*want), *got, quirks); !diffs.empty())
          refuse("libregf reads key " + edit.key.str() + " differently from the plan:", diffs);
        ++keys;
      }
      if (whole)
        return "libregf " + hive::LibregfReader::library_version() + ": the same " + std::to_string(report.keys) +
               " keys and " + std::to_string(report.values) + " values";
      return "libregf " + hive::LibregfReader::library_version() + ": the " + std::to_string(keys) +
             " edited keys, their values and subkey names as planned (its whole-tree walk is skipped on hives of more "
             "than " + std::to_string(kLibregfWholeTreeBins) + " hive bins)";
    } catch (const InputError& e) {
      refuse(std::string("libregf cannot read it: ") + e.what());
    }
  });
  // The future's destructor waits, so `theirs` never outlives what it reads, even when ours throws first.

  // hivelint's own reader: structure, header, whole tree, byte for byte.
  regf::TreeKey ours;
  try {
    const auto& base = reader->base_block();
    if (base.is_dirty()) refuse("the output's sequence numbers differ");
    if (!base.checksum_ok()) refuse("the output's base-block checksum is wrong");
    for (const auto& d : reader->diagnostics())
      refuse("hivelint's reader: " + d.structure + " at " + util::hex_offset(d.file_offset) + ": " + d.message);
    ours = reader->read_tree();
  } catch (const FormatError& e) {
    refuse(std::string("hivelint's reader cannot read it: ") + e.what());
  }
  if (auto diffs = hive::diff_trees(expected, ours); !diffs.empty())
    refuse("hivelint's reader sees more or other changes than planned:", diffs);
  for (const auto& edit : plan) {
    const auto key = reader->open(util::utf8_to_utf16(edit.key.str()));
    if (!key) refuse("key " + edit.key.str() + " is not in the output");
    if (edit.kind != hive::Edit::Kind::kSetValue) continue;
    const auto value = reader->value(*key, util::utf8_to_utf16(edit.value_name));
    if (!value || value->key.type != edit.type || value->data != edit.data)
      refuse("value " + edit.key.str() + "\\" + edit.value_name + " does not hold the planned type and data");
  }
  report.checks.push_back("hivelint's regf reader: clean header and hive bins; " + std::to_string(report.keys) + " keys and " +
                          std::to_string(report.values) + " values equal the input's plus the planned edits, byte for byte");

  // The structural check (`hivelint verify`): the fix must not add a single inconsistency.
  const regf::VerifyResult before = regf::verify_hive(input);
  const regf::VerifyResult after = regf::verify_hive(output);
  if (after.error_count > before.error_count) {
    std::vector<std::string> details;
    for (const auto& f : after.findings)
      if (f.severity == regf::Severity::kError) details.push_back(f.structure + " at " + util::hex_offset(f.file_offset) + ": " + f.message);
    refuse("hivelint verify finds " + std::to_string(after.error_count) + " inconsistencies in it, the input has " +
               std::to_string(before.error_count) + ":",
           details);
  }
  report.checks.push_back("hivelint verify: " + std::to_string(after.error_count) + " inconsistencies (the input has " +
                          std::to_string(before.error_count) + "), " + std::to_string(after.stats.keys) + " keys, " +
                          std::to_string(after.stats.allocated_cells) + " allocated cells");
  report.checks.push_back(theirs.get());
  return report;
}

}  // namespace hivelint::patch
