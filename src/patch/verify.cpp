#include "patch/verify.hpp"

#include <algorithm>
#include <future>
#include <initializer_list>
#include <optional>
#include <unordered_map>

#include "hive/image_cells.hpp"
#include "hive/libregf_reader.hpp"
#include "hive/tree_walk.hpp"
#include "regf/reader.hpp"
#include "regf/verify.hpp"
#include "util/error.hpp"
#include "util/upcase.hpp"
#include "util/utf16.hpp"

namespace hivelint::patch {
namespace {

[[noreturn]] void refuse(const std::string& what, const std::vector<std::string>& details = {}) {
  std::string message = "verification of the patched hive failed: " + what;
  for (const auto& d : details) message += "\n  " + d;
  throw RefusedError(message);
}

// The first offset at which `a` and `b` differ outside the fields in `may_change` (offsets into the
// spans); nullopt when they agree everywhere else. Spans of different sizes differ at the shorter
// one's end.
std::optional<std::size_t> first_difference(std::span<const std::uint8_t> a,
                                            std::span<const std::uint8_t> b,
                                            std::initializer_list<regf::Field> may_change) {
  if (a.size() != b.size()) return std::min(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i] == b[i]) continue;
    bool allowed = false;
    for (const auto& f : may_change) allowed = allowed || (i >= f.offset && i < f.offset + f.size);
    if (!allowed) return i;
  }
  return std::nullopt;
}

// `size` bytes of `bytes` from `file_offset`; refuses when they do not fit.
std::span<const std::uint8_t> cell_bytes(std::span<const std::uint8_t> bytes,
                                         std::uint64_t file_offset, std::uint64_t size,
                                         const char* structure) {
  if (file_offset > bytes.size() || size > bytes.size() - file_offset)
    refuse(std::string(structure) + " at " + util::hex_offset(file_offset) +
           " does not fit in the hive");
  return bytes.subspan(static_cast<std::size_t>(file_offset), static_cast<std::size_t>(size));
}

// The whole allocated cell (size field included) whose size field is at `file_offset` in the input.
std::span<const std::uint8_t> input_cell(std::span<const std::uint8_t> input,
                                         std::uint64_t file_offset, const char* structure) {
  const auto data = hive::cell_at(input, file_offset, structure);
  if (!data)
    refuse(std::string(structure) + " at " + util::hex_offset(file_offset) +
           " is not an allocated cell in the input");
  return cell_bytes(input, file_offset, regf::kCellHeaderSize + data->size(), structure);
}

// Where the output's copy of an input cell differs from it (offset into the cell) outside the
// fields in `may_change` (spec offsets, relative to the cell's data); its size field must be the
// same. nullopt: no difference.
std::optional<std::size_t> cell_difference(std::span<const std::uint8_t> output,
                                           std::span<const std::uint8_t> was,
                                           std::uint64_t file_offset,
                                           std::initializer_list<regf::Field> may_change) {
  const auto now = cell_bytes(output, file_offset, was.size(), "cell");
  if (!std::equal(was.begin(), was.begin() + regf::kCellHeaderSize, now.begin())) return 0;
  const auto at = first_difference(was.subspan(regf::kCellHeaderSize),
                                   now.subspan(regf::kCellHeaderSize), may_change);
  if (!at) return std::nullopt;
  return *at + regf::kCellHeaderSize;
}

// The output's base block is the input's except for what the commit writes: sequence numbers,
// timestamp, hive bins size and checksum. Version, root cell, file name, flags, GUIDs and boot
// fields stay the input's.
void compare_base_blocks(std::span<const std::uint8_t> input,
                         std::span<const std::uint8_t> output) {
  if (const auto at =
          first_difference(input.first(regf::kBaseBlockSize), output.first(regf::kBaseBlockSize),
                           {regf::kBbPrimarySequence, regf::kBbSecondarySequence,
                            regf::kBbLastWritten, regf::kBbHiveBinsDataSize, regf::kBbChecksum}))
    refuse("base block byte " + util::hex_offset(*at) +
           " differs from the input's; a fix writes only the sequence numbers, the timestamp, the "
           "hive bins size and "
           "the checksum there");
}

// A security cell the editor touched (a new key shares its parent's sk and adds one reference) is
// the input's byte for byte except its reference count, which `hivelint verify` checks against the
// keys that use it: the descriptor shared by every key pointing there must not change.
void compare_touched_security_cells(std::span<const std::uint8_t> input,
                                    std::span<const std::uint8_t> output,
                                    const PatchResult& patched) {
  for (const auto& c : patched.cells) {
    if (c.file_offset >= patched.new_bins_offset) continue;  // new cells: nothing to compare with
    const auto header = cell_bytes(input, c.file_offset,
                                   regf::kCellHeaderSize + regf::kSkSignature.size, "touched cell");
    if (header[regf::kCellHeaderSize] != 's' || header[regf::kCellHeaderSize + 1] != 'k') continue;
    if (c.kind != regf::CellChange::Kind::kModified)
      refuse("the editor reports the key security (sk) cell at " + util::hex_offset(c.file_offset) +
             " as " + regf::change_kind_name(c.kind) + "; a fix only adds references to one");
    const auto was = input_cell(input, c.file_offset, regf::kSkStructure);
    if (const auto at = cell_difference(output, was, c.file_offset, {regf::kSkReferenceCount}))
      refuse("key security (sk) at " + util::hex_offset(c.file_offset) + ": byte " +
             util::hex_offset(c.file_offset + *at) +
             " differs from the input's; only its reference count may change");
  }
}

// Every byte in which output and input differ lies in the base block, in a cell the editor touched,
// or past the end of the input's hive bins (the new hive bins, written over whatever slack the file
// had there): so every other cell, and every key and value made only of such cells, is
// byte-for-byte what it was. Returns the touched places (base block excluded): the touched cells
// and the new hive bins, merged and sorted.
std::vector<std::pair<std::uint64_t, std::uint64_t>> confine_changes(
    std::span<const std::uint8_t> input, const PatchResult& patched, VerifyReport& report) {
  if (patched.new_bins_offset < regf::kBaseBlockSize || patched.new_bins_offset > input.size())
    refuse("the editor reports its new hive bins at " + util::hex_offset(patched.new_bins_offset) +
           ", outside the input");
  // The new bins start exactly where the input's hive bins end: otherwise the last input bins would
  // count as "new" and go unchecked. The output holds every byte up to there (differing_ranges does
  // not see missing bytes).
  const std::uint64_t input_bins_end =
      regf::kBaseBlockSize +
      util::ByteReader(input.first(regf::kBaseBlockSize), 0, regf::kBaseBlockStructure)
          .u32(regf::kBbHiveBinsDataSize);
  if (patched.new_bins_offset != input_bins_end)
    refuse("the editor reports its new hive bins at " + util::hex_offset(patched.new_bins_offset) +
           ", but the input's hive bins end at " + util::hex_offset(input_bins_end));
  if (patched.bytes.size() < patched.new_bins_offset)
    refuse("the output ends at " + util::hex_offset(patched.bytes.size()) +
           ", before the end of the input's hive bins at " +
           util::hex_offset(patched.new_bins_offset));
  std::vector<std::pair<std::uint64_t, std::uint64_t>> allowed{
      {0, regf::kBaseBlockSize}, {patched.new_bins_offset, UINT64_MAX}};
  for (const auto& c : patched.cells) allowed.emplace_back(c.file_offset, c.file_offset + c.size);
  std::sort(allowed.begin(), allowed.end());
  // Adjacent or overlapping places (neighbouring cells; new cells inside the new bins) form one
  // place.
  std::vector<std::pair<std::uint64_t, std::uint64_t>> merged;
  for (const auto& a : allowed) {
    if (!merged.empty() && a.first <= merged.back().second)
      merged.back().second = std::max(merged.back().second, a.second);
    else
      merged.push_back(a);
  }
  allowed = std::move(merged);
  const auto& ranges =
      patched.differing;  // differing_ranges(input, patched.bytes), computed by apply_plan
  for (const auto& r : ranges) {
    auto it =
        std::upper_bound(allowed.begin(), allowed.end(), std::make_pair(r.offset, UINT64_MAX));
    if (it == allowed.begin() || std::prev(it)->second < r.offset + r.length)
      refuse("bytes " + util::hex_offset(r.offset) + " to " +
             util::hex_offset(r.offset + r.length) +
             " changed outside the base block, the touched cells and the new hive bins");
  }
  report.checks.push_back("the " + std::to_string(ranges.size()) +
                          " runs of changed bytes lie in the base block, the " +
                          std::to_string(patched.cells.size()) +
                          " touched cells and the new hive bins; every other byte is unchanged");
  if (!allowed.empty() && allowed.front().first == 0) {
    if (allowed.front().second <= regf::kBaseBlockSize)
      allowed.erase(allowed.begin());
    else
      allowed.front().first = regf::kBaseBlockSize;
  }
  return allowed;
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
  for (const auto& sub : key.subkeys)
    out.subkeys.push_back(regf::TreeKey{sub.name, std::nullopt, {}, {}});
  return out;
}

// libregf finds every cell by a linear search over the hive bins, so listing a key's subkeys costs
// subkeys x bins (5,300 x 58,779 under Services on the 514 MiB bench hive: most of a second).
// Within this budget the names are compared; beyond it their number is, and each key on the plan's
// paths is still looked up by name.
constexpr std::size_t kLibregfListingBudget = 20'000'000;

// A key as libregf reads it: values, and subkey names or (past the budget) only their number.
struct LibregfKey {
  regf::TreeKey key;
  bool names_listed = true;
  std::uint32_t subkey_count = 0;
};

std::optional<LibregfKey> read_key(const hive::HiveReader& reader, const hive::KeyPath& path,
                                   std::size_t hive_bins) {
  const auto info = reader.key(path);
  if (!info) return std::nullopt;
  LibregfKey out;
  out.key.name = util::utf8_to_utf16(info->name);
  out.subkey_count = info->subkey_count;
  for (const auto& v : reader.values(path))
    out.key.values.push_back(regf::TreeValue{util::utf8_to_utf16(v.name), v.type, v.data});
  out.names_listed = std::size_t{info->subkey_count} * hive_bins <= kLibregfListingBudget;
  if (out.names_listed)
    for (const auto& name : reader.subkey_names(path))
      out.key.subkeys.push_back(regf::TreeKey{util::utf8_to_utf16(name), std::nullopt, {}, {}});
  return out;
}

// Every key on the plan's paths as it must read after the fix: the input's (from the snapshots)
// with the plan applied. Keys below them appear by name only.
struct Expected {
  regf::TreeKey tree;
  std::vector<hive::KeyPath> paths;  // every key on the plan's paths, parents first
};

Expected expected_keys(const PatchResult& patched, const PatchPlan& plan) {
  Expected e;
  if (patched.before.empty() || !patched.before.front().path.is_root())
    refuse("the editor did not read the input's root key");
  for (const auto& s : patched.before) {
    regf::TreeKey* k = &e.tree;
    for (const auto& part : s.path.components()) k = &k->ensure_subkey(util::utf8_to_utf16(part));
    // Replaces what the parent's snapshot placed here (a name only) with this key's own content.
    k->name = s.key.name;
    k->class_name = s.key.class_name;
    k->values = s.key.values;
    if (k->subkeys.empty()) {  // as placed by its parent's snapshot: a name only
      k->subkeys = s.key.subkeys;
    } else {  // the same key reached twice through differently spelled paths
      for (const auto& sub : s.key.subkeys)
        if (!k->find_subkey(sub.name)) k->subkeys.push_back(sub);
    }
  }
  apply_to_tree(e.tree, plan);
  for (const auto& edit : plan) {
    hive::KeyPath path;
    const auto add = [&](const hive::KeyPath& p) {
      for (const auto& q : e.paths)
        if (q == p) return;
      e.paths.push_back(p);
    };
    add(path);
    for (const auto& part : edit.key.components()) add(path = path / part);
  }
  return e;
}

const KeySnapshot* snapshot_of(const PatchResult& patched, const hive::KeyPath& path) {
  for (const auto& s : patched.before)
    if (s.path == path) return &s;
  return nullptr;
}

// A key node that existed is the input's byte for byte except the fields an edit maintains: its
// timestamp, subkey and value counts and lists, and the largest-* fields (`hivelint verify` checks
// those against the key's content). Flags, parent, security cell, class name, name and the rest
// stay the input's.
void compare_existing_key_node(std::span<const std::uint8_t> input,
                               std::span<const std::uint8_t> output, const regf::KeyNode& node,
                               const KeySnapshot& before, const hive::KeyPath& path) {
  const std::uint64_t at = regf::to_file_offset(regf::CellOffset{before.node}).value;
  if (node.offset.value != before.node)
    refuse("key \"" + path.str() + "\" is the key node at " +
           util::hex_offset(regf::to_file_offset(node.offset).value) + ", the input's is at " +
           util::hex_offset(at));
  const auto was = input_cell(input, at, regf::kNkStructure);
  if (const auto diff = cell_difference(
          output, was, at,
          {regf::kNkLastWritten, regf::kNkNumberOfSubkeys, regf::kNkSubkeysList,
           regf::kNkNumberOfValues, regf::kNkValuesList, regf::kNkLargestSubkeyNameLength,
           regf::kNkLargestValueNameLength, regf::kNkLargestValueDataSize}))
    refuse("key node (nk) of \"" + path.str() + "\" at " + util::hex_offset(at) + ": byte " +
           util::hex_offset(at + *diff) +
           " differs from the input's outside the counts, lists, largest-* fields and timestamp a "
           "fix maintains");
}

// A key the fix creates: a child of its parent's node, sharing its parent's security cell, with no
// class name and no flag but the compressed-name one.
void check_new_key_node(const regf::KeyNode& node, const regf::KeyNode& parent,
                        const hive::KeyPath& path) {
  const std::string where = "new key \"" + path.str() + "\" (key node at " +
                            util::hex_offset(regf::to_file_offset(node.offset).value) + ")";
  if (node.parent != parent.offset)
    refuse(where + ": its parent field does not name its parent's key node");
  if (node.security != parent.security)
    refuse(where + ": it does not share its parent's security cell");
  if (!node.class_name.is_none()) refuse(where + ": it has a class name");
  if ((node.flags & ~regf::kKeyCompName) != 0)
    refuse(where + ": flags " + util::hex_offset(node.flags) +
           ", expected none but compressed name");
}

// The output's keys on the plan's paths, read by hivelint's reader, against the expected ones:
// values, class name and subkey names exactly (spelling included), and every subkey that existed
// must still be the same key node (offset), so that the untouched cells below it are the input's
// own subtree. Key nodes that existed are the input's outside the maintained fields; new ones are
// plain children of their parent.
void compare_planned_keys(std::span<const std::uint8_t> input, const regf::Reader& out,
                          const Expected& expected, const PatchResult& patched,
                          std::vector<std::uint64_t>& planned_nodes) {
  const auto new_bins = static_cast<std::uint32_t>(patched.new_bins_offset - regf::kBaseBlockSize);
  hive::DiffOptions exact;
  exact.exact = true;
  for (const auto& path : expected.paths) {
    const regf::TreeKey* want = find_key(expected.tree, path);
    const auto node = out.open(util::utf8_to_utf16(path.str()));
    if (!want || !node)
      refuse("hivelint's reader does not find key \"" + path.str() + "\" in the output");
    planned_nodes.push_back(regf::to_file_offset(node->offset).value);
    regf::TreeKey got{node->name, out.class_name(*node), {}, {}};
    for (auto& v : out.values(*node))
      got.values.push_back(regf::TreeValue{v.key.name, v.key.type, std::move(v.data)});
    const auto children = out.subkeys(*node);
    for (const auto& c : children)
      got.subkeys.push_back(regf::TreeKey{c.name, std::nullopt, {}, {}});
    if (auto diffs = hive::diff_trees(shallow(*want), got, exact); !diffs.empty())
      refuse("hivelint's reader reads key \"" + path.str() +
                 "\" differently from the input plus the plan:",
             diffs);
    const KeySnapshot* before = snapshot_of(patched, path);
    if (before) {
      compare_existing_key_node(input, patched.bytes, *node, *before, path);
    } else {
      const auto& parts = path.components();  // a new key is never the root
      const hive::KeyPath parent_path(std::vector<std::string>(parts.begin(), parts.end() - 1));
      const auto parent_node = out.open(util::utf8_to_utf16(parent_path.str()));
      if (!parent_node)
        refuse("hivelint's reader does not find the parent of new key \"" + path.str() + "\"");
      check_new_key_node(*node, *parent_node, path);
    }
    std::unordered_map<std::u16string, std::uint32_t> was;  // upcased name -> the input's key node
    if (before)
      for (const auto& [name, offset] : before->children) was.emplace(util::upcase(name), offset);
    for (const auto& c : children) {
      const auto same = was.find(util::upcase(c.name));
      if (same != was.end()) {
        if (same->second != c.offset.value)
          refuse("subkey \"" + util::utf16_to_utf8(c.name).text + "\" of \"" + path.str() +
                 "\" is the key node at " + util::hex_offset(regf::to_file_offset(c.offset).value) +
                 ", the input's is at " +
                 util::hex_offset(regf::to_file_offset(regf::CellOffset{same->second}).value));
      } else if (c.offset.value < new_bins) {
        refuse("new subkey \"" + util::utf16_to_utf8(c.name).text + "\" of \"" + path.str() +
               "\" is not in the new hive bins");
      }
    }
  }
}

// libregf's reading of the output: every key on the plan's paths read by path, against the expected
// values and subkey names (within its documented normalisations of string data), then
// `with_libregf`'s own checks. Returns the report's lines; refuses (RefusedError) on any
// difference.
std::vector<std::string> libregf_reads_planned_keys(std::span<const std::uint8_t> output,
                                                    const PatchResult& patched,
                                                    const Expected& expected,
                                                    const LibregfCheck& with_libregf) {
  try {
    const auto libregf = hive::LibregfReader::open_memory(output, "patched hive");
    hive::DiffOptions quirks;
    quirks.libregf_quirks = true;
    std::size_t names_skipped = 0;
    for (const auto& path : expected.paths) {
      const regf::TreeKey* want = find_key(expected.tree, path);
      const auto got = read_key(*libregf, path, patched.hive_bins);
      if (!want || !got) refuse("libregf does not find key \"" + path.str() + "\"");
      regf::TreeKey wanted = shallow(*want);
      if (!got->names_listed) {
        ++names_skipped;
        if (got->subkey_count != wanted.subkeys.size())
          refuse("libregf counts " + std::to_string(got->subkey_count) + " subkeys of \"" +
                 path.str() + "\", expected " + std::to_string(wanted.subkeys.size()));
        wanted.subkeys.clear();
      }
      if (auto diffs = hive::diff_trees(wanted, got->key, quirks); !diffs.empty())
        refuse("libregf reads key \"" + path.str() + "\" differently from the input plus the plan:",
               diffs);
    }
    std::vector<std::string> lines{
        "libregf " + hive::LibregfReader::library_version() + ": the " +
        std::to_string(expected.paths.size()) +
        " keys on the edits' paths, their values and subkey names as planned" +
        (names_skipped
             ? " (subkeys counted rather than listed under " + std::to_string(names_skipped) +
                   " of them: libregf's listing is linear in the hive bins)"
             : "")};
    if (with_libregf)
      for (auto& line : with_libregf(*libregf)) lines.push_back(std::move(line));
    return lines;
  } catch (const InputError& e) {
    refuse(std::string("libregf cannot read it: ") + e.what());
  }
}

}  // namespace

regf::TreeKey read_input_tree(std::span<const std::uint8_t> input) {
  try {
    return regf::Reader(input).read_tree();
  } catch (const FormatError& e) {
    throw RefusedError(std::string("the input hive cannot be read completely (") + e.what() +
                       "); hivelint fixes only hives it can read whole, so that it can prove "
                       "nothing else changed");
  }
}

VerifyReport verify_patch(std::span<const std::uint8_t> input, const PatchResult& patched,
                          const PatchPlan& plan, const LibregfCheck& with_libregf) {
  const std::span<const std::uint8_t> output = patched.bytes;
  VerifyReport report;
  const auto ranges = confine_changes(input, patched, report);
  const Expected expected = expected_keys(patched, plan);

  // libregf, independently and on the other core.
  auto theirs = std::async(std::launch::async, [&] {
    return libregf_reads_planned_keys(output, patched, expected, with_libregf);
  });
  // The future's destructor waits, so `theirs` never outlives what it reads, even when ours throws
  // first.

  // hivelint's own reader: one scan of the output's hive bins, shared by the structural check and
  // the key reads.
  std::optional<regf::Reader> reader;
  try {
    reader.emplace(output);
  } catch (const FormatError& e) {
    refuse(std::string("hivelint's reader cannot read it: ") + e.what());
  }
  const auto& base = reader->base_block();
  if (base.is_dirty()) refuse("the output's sequence numbers differ");
  if (!base.checksum_ok()) refuse("the output's base-block checksum is wrong");
  for (const auto& d : reader->diagnostics())
    refuse("hivelint's reader: " + d.structure + " at " + util::hex_offset(d.file_offset) + ": " +
           d.message);
  if (base.root_cell.value != patched.before.front().node)
    refuse("the output's root cell offset differs from the input's");
  compare_base_blocks(input, output);
  compare_touched_security_cells(input, output, patched);

  // The structural check (`hivelint verify`) over the whole output, which also names every key that
  // reads a changed cell: those must be keys on the plan's paths, and each of them reads as
  // planned. Every other key reads only unchanged cells (confine_changes), under a parent that
  // still lists the same key node, so it is the input's key, byte for byte.
  regf::VerifyOptions options;
  options.touched = ranges;
  regf::VerifyResult after;
  try {
    after = regf::verify_hive(output, *reader, options);
  } catch (const FormatError& e) {
    refuse(std::string("hivelint verify cannot read it: ") + e.what());
  }
  std::vector<std::uint64_t> planned;
  try {
    compare_planned_keys(input, *reader, expected, patched, planned);
  } catch (const FormatError& e) {
    refuse(std::string("hivelint's reader cannot read a key on the edits' paths: ") + e.what());
  }
  std::sort(planned.begin(), planned.end());
  for (const std::uint64_t k : after.affected_keys)
    if (!std::binary_search(planned.begin(), planned.end(), k))
      refuse("the key node at " + util::hex_offset(k) +
             " reads a changed cell but is not on the path of any edit");
  report.keys = after.stats.keys;
  report.values = after.stats.values;
  report.checks.push_back("hivelint's regf reader: clean header and hive bins; the " +
                          std::to_string(expected.paths.size()) +
                          " keys on the edits' paths read as the input's plus the planned edits, "
                          "byte for byte, and are "
                          "the only keys that read a changed cell (" +
                          std::to_string(after.affected_keys.size()) + " do)");

  // The fix must not add a single inconsistency. A clean output settles it; otherwise the input is
  // verified too, and must be readable whole (a fix is proven only on a hive hivelint can read
  // completely).
  std::size_t input_errors = 0;
  if (after.error_count > 0) {
    (void)read_input_tree(input);
    input_errors = regf::verify_hive(input).error_count;
  }
  if (after.error_count > input_errors) {
    std::vector<std::string> details;
    for (const auto& f : after.findings)
      if (f.severity == regf::Severity::kError)
        details.push_back(f.structure + " at " + util::hex_offset(f.file_offset) + ": " +
                          f.message);
    refuse("hivelint verify finds " + std::to_string(after.error_count) +
               " inconsistencies in it, the input has " + std::to_string(input_errors) + ":",
           details);
  }
  report.checks.push_back(
      "hivelint verify: " + std::to_string(after.error_count) + " inconsistencies" +
      (after.error_count ? " (the input has " + std::to_string(input_errors) + ")" : "") + ", " +
      std::to_string(after.stats.keys) + " keys, " + std::to_string(after.stats.values) +
      " values, " + std::to_string(after.stats.allocated_cells) + " allocated cells");
  for (auto& line : theirs.get()) report.checks.push_back(std::move(line));
  return report;
}

}  // namespace hivelint::patch
