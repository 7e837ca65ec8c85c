// Fuzz target: .reg text -> parse -> build -> the hive verifies clean and reads back equal (ours
// exactly, libregf up to its documented data normalisations).
#include "fuzz/fuzz_targets.hpp"
#include "hive/libregf_reader.hpp"
#include "hive/tree_walk.hpp"
#include "regf/builder.hpp"
#include "regf/reader.hpp"
#include "regf/verify.hpp"
#include "regfile/reg_parser.hpp"
#include "util/bytes.hpp"

namespace hivelint::fuzz {
namespace {

// Every seed lives under HKEY_LOCAL_MACHINE; with that as the prefix no seed is refused for its
// first key.
regfile::RegParseOptions hkey_local_machine() {
  regfile::RegParseOptions o;
  o.prefix = "HKEY_LOCAL_MACHINE";
  return o;
}

// libregf 20201007 drops a U+FEFF that starts a name (libuna reads it as a byte-order mark): such
// a key or value reads back under another name. build refuses those hives at its read-back.
bool has_bom_name(const regf::TreeKey& key) {
  const auto starts_with_bom = [](const std::u16string& n) { return !n.empty() && n[0] == 0xFEFF; };
  for (const auto& v : key.values)
    if (starts_with_bom(v.name)) return true;
  for (const auto& sub : key.subkeys)
    if (starts_with_bom(sub.name) || has_bom_name(sub)) return true;
  return false;
}

}  // namespace

void builder_roundtrip(std::span<const std::uint8_t> data) {
  regfile::RegParseResult parsed;
  try {
    parsed = regfile::parse_reg(data, hkey_local_machine(), "fuzz.reg");
  } catch (const Error&) {
    return;
  }
  regf::BuildOptions options;
  options.timestamp = 127305216000000000ull;
  regf::BuildResult built;
  try {
    built = regf::build_hive(parsed.root, options);
  } catch (const Error&) {  // refusals (names too long, hive too large ...) are fine; a broken hive
                            // is not
    return;
  }
  const auto verified =
      regf::verify_hive(built.bytes);  // a FormatError here escapes: the builder wrote garbage
  for (const auto& f : verified.findings)
    if (f.severity == regf::Severity::kError)
      fail("builder_roundtrip",
           "verify: " + f.structure + " at " + util::hex_offset(f.file_offset) + ": " + f.message);
  const regf::Reader ours(built.bytes);
  auto diffs = hive::diff_trees(parsed.root, ours.read_tree());
  if (!diffs.empty()) fail("builder_roundtrip", "hivelint's reader: " + diffs.front());
  // libregf refuses names that are not valid UTF-16, as documented (verify notes them; build
  // refuses them before building).
  if (regf::first_invalid_utf16_name(parsed.root) || has_bom_name(parsed.root)) return;
  const auto lib = hive::LibregfReader::open_memory(built.bytes, "built");
  hive::DiffOptions quirks;
  quirks.libregf_quirks = true;
  diffs = hive::diff_trees(parsed.root, hive::read_whole_tree(*lib), quirks);
  if (!diffs.empty()) fail("builder_roundtrip", "libregf: " + diffs.front());
}

}  // namespace hivelint::fuzz

HIVELINT_FUZZ_ENTRY(builder_roundtrip)
