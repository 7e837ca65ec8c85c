#include "patch/verify.hpp"

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

}  // namespace

regf::TreeKey read_input_tree(std::span<const std::uint8_t> input) {
  try {
    return regf::Reader(input).read_tree();
  } catch (const FormatError& e) {
    throw RefusedError(std::string("the input hive cannot be read completely (") + e.what() +
                       "); hivelint fixes only hives it can read whole, so that it can prove nothing else changed");
  }
}

VerifyReport verify_patch(std::span<const std::uint8_t> input, regf::TreeKey input_tree, std::span<const std::uint8_t> output,
                          const PatchPlan& plan) {
  VerifyReport report;
  regf::TreeKey expected = std::move(input_tree);
  apply_to_tree(expected, plan);
  count(expected, report.keys, report.values);

  // libregf, independently and on the other core: its whole tree (within its documented normalisations of
  // string data) and each planned value looked up by path.
  auto theirs = std::async(std::launch::async, [&]() -> std::string {
    regf::TreeKey tree;
    try {
      const auto libregf = hive::LibregfReader::open_memory(output, "patched hive");
      tree = hive::read_whole_tree(*libregf);
      for (const auto& edit : plan) {
        if (edit.kind != hive::Edit::Kind::kSetValue) continue;
        const auto value = libregf->value(edit.key, edit.value_name);
        if (!value || value->type != edit.type ||
            (value->data != edit.data && !hive::libregf_reads_as(edit.type, edit.data, value->data)))
          refuse("libregf does not read the planned type and data at " + edit.key.str() + "\\" + edit.value_name);
      }
    } catch (const InputError& e) {
      refuse(std::string("libregf cannot read it: ") + e.what());
    }
    hive::DiffOptions quirks;
    quirks.libregf_quirks = true;
    if (auto diffs = hive::diff_trees(expected, tree, quirks); !diffs.empty())
      refuse("libregf sees more or other changes than planned:", diffs);
    return "libregf " + hive::LibregfReader::library_version() + ": the same " + std::to_string(report.keys) + " keys and " +
           std::to_string(report.values) + " values";
  });
  // The future's destructor waits, so `theirs` never outlives what it reads, even when ours throws first.

  // hivelint's own reader: structure, header, whole tree, byte for byte.
  regf::TreeKey ours;
  std::optional<regf::Reader> reader;
  try {
    reader.emplace(output);
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
