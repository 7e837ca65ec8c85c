// verify_hive's walk over the key tree: key nodes, subkey lists, value lists, values, data and
// class names.
#include <algorithm>
#include <optional>

#include "regf/big_data.hpp"
#include "regf/subkey_list.hpp"
#include "regf/value_key.hpp"
#include "regf/verify_context.hpp"
#include "util/upcase.hpp"
#include "util/utf16.hpp"

namespace hivelint::regf::verify_detail {
namespace {

constexpr const char* kInvalidNameNote = "key name is not valid UTF-16 (an unpaired surrogate)";

std::string quoted(std::u16string_view name) {
  return "\"" + util::utf16_to_utf8(name).text + "\"";
}

std::uint32_t name_bytes(std::u16string_view name) {
  return static_cast<std::uint32_t>(name.size() * 2);
}

// Windows stores the low 16 bits of "largest subkey name length" as the length; Windows 10 uses the
// upper bits for flags (spec "Key node", note on the field), so only the low half is compared.
constexpr std::uint32_t kLargestSubkeyNameMask = 0xFFFF;

// How findings name a leaf.
std::string leaf_structure(ListKind kind) {
  switch (kind) {
    case ListKind::kHashLeaf:
      return "hash leaf (lh)";
    case ListKind::kFastLeaf:
      return "fast leaf (lf)";
    case ListKind::kIndexLeaf:
    case ListKind::kIndexRoot:  // never a leaf's kind: read_leaf takes leaves only
      break;
  }
  return "index leaf (li)";
}

}  // namespace

// A largest-* field below the real maximum: Windows XP leaves some at 0 (bitcurator/SYSTEM,
// dfwinreg's old SYSTEM) and loads them, so 0 is a note; any other value that is too small is an
// inconsistency (a writer forgot to raise it, and RegQueryInfoKey would report buffers too small).
void Verifier::shortfall(std::uint32_t stored, std::string structure, std::uint64_t at,
                         std::string message) {
  if (stored == 0)
    add(Severity::kInfo, std::move(structure), at,
        std::move(message) + "; 0 as Windows XP leaves it");
  else
    error(std::move(structure), at, std::move(message));
}

void Verifier::walk_keys() {
  const CellOffset root_at = base_.root_cell;
  const std::size_t i = index_of(root_at);
  if (i == static_cast<std::size_t>(-1))
    throw FormatError(
        {kBaseBlockStructure, 0, kBbRootCell.name, "an allocated cell", where_is(root_at)},
        "root cell offset is " + util::hex_offset(root_at.value) +
            ", not the start of an allocated cell (it is " + where_is(root_at) + ")");
  const KeyNode root = parse_key_node(cells_.get(root_at, kNkStructure),
                                      root_at);  // throws: without a root nothing is readable
  uses_[i] = CellUse::kKeyNode;
  // offreg.dll (nt-hive/testhive) and reg save of a subtree leave KEY_HIVE_ENTRY off the root, and
  // Windows loads such hives: a note, not an inconsistency.
  if ((root.flags & kKeyHiveEntry) == 0)
    add(Severity::kInfo, kNkStructure, to_file_offset(root_at).value,
        "flags are " + util::hex_short(root.flags) +
            ", without KEY_HIVE_ENTRY (0x4) on the root key");
  check_key(root, kNoCell, 0);
}

void Verifier::check_key(const KeyNode& key, CellOffset expected_parent, std::size_t depth) {
  ++result_.stats.keys;
  current_key_ = key.offset;
  note_touched(key.offset, CellUse::kKeyNode);
  const std::uint64_t at = to_file_offset(key.offset).value;
  check_key_fields(key, expected_parent, at);
  check_class_and_security(key, at);
  check_value_maxima(key, at);
  if (key.subkey_count > 0) check_subkeys(key, at, depth);
}

void Verifier::check_key_fields(const KeyNode& key, CellOffset expected_parent, std::uint64_t at) {
  // The root's parent points into the master hive of the machine that wrote it: meaningless
  // offline.
  if (!expected_parent.is_none() && key.parent != expected_parent)
    error(kNkStructure, at,
          std::string(kNkParent.name) + " is " + util::hex_offset(key.parent.value) +
              ", expected " + util::hex_offset(expected_parent.value) +
              " (the key whose subkeys list holds it)");
  if (!expected_parent.is_none() && (key.flags & kKeyHiveEntry) != 0)
    error(kNkStructure, at,
          "flags are " + util::hex_short(key.flags) +
              ": KEY_HIVE_ENTRY (0x4) is set on a key that is not the root");
  if (key.name.empty())
    error(kNkStructure, at, std::string(kNkKeyNameLength.name) + " is 0, expected a name");
  // Windows stores names as UTF-16 units and accepts an unpaired surrogate (yarp's
  // TruncatedPairHive); libregf and hivex refuse such a key, so it is worth a note.
  if (util::utf16_to_utf8(key.name).lossy)
    add(Severity::kInfo, kNkStructure, at,
        std::string(kInvalidNameNote) + ": " + quoted(key.name) +
            " (Windows accepts it; libregf and hivex refuse the key)");
}

void Verifier::check_class_and_security(const KeyNode& key, std::uint64_t at) {
  // Class name: an allocated cell holding at least "class name length" bytes.
  if (!key.class_name.is_none() && key.class_name_length != 0) {
    if (claim(key.class_name, CellUse::kClassName, kNkStructure, at, kNkClassName.name)) {
      const auto cell = cells_.get(key.class_name, kClassNameStructure);
      if (cell.size() < key.class_name_length)
        error(kClassNameStructure, to_file_offset(key.class_name).value,
              "cell holds " + std::to_string(cell.size()) + " bytes, expected at least " +
                  std::to_string(key.class_name_length) + " (the key's class name length)");
    }
  }

  // Security: every key has one sk cell; reference counts are compared in check_security().
  if (claim(key.security, CellUse::kSecurity, kNkStructure, at, kNkKeySecurity.name)) {
    const auto cell = cells_.get(key.security, kSkStructure);
    if (!cell.has_signature("sk"))
      error(kSkStructure, to_file_offset(key.security).value,
            "signature is not \"sk\" (referenced by the key node at " + util::hex_offset(at) + ")");
    else
      ++sk_references_[key.security.value];
  }
}

void Verifier::check_value_maxima(const KeyNode& key, std::uint64_t at) {
  std::uint32_t max_value_name = 0, max_value_data = 0;
  check_values(key, max_value_name, max_value_data);
  if (key.largest_value_name < max_value_name)
    shortfall(key.largest_value_name, kNkStructure, at,
              std::string(kNkLargestValueNameLength.name) + " is " +
                  std::to_string(key.largest_value_name) + ", expected at least " +
                  std::to_string(max_value_name) + " (its longest value name, in UTF-16 bytes)");
  if (key.largest_value_data < max_value_data)
    shortfall(key.largest_value_data, kNkStructure, at,
              std::string(kNkLargestValueDataSize.name) + " is " +
                  std::to_string(key.largest_value_data) + ", expected at least " +
                  std::to_string(max_value_data) + " (its largest value data)");
}

void Verifier::check_subkeys(const KeyNode& key, std::uint64_t at, std::size_t depth) {
  const std::vector<Listed> listed = read_subkeys(key);
  if (listed.size() != key.subkey_count)
    error(kNkStructure, at,
          std::string(kNkNumberOfSubkeys.name) + " is " + std::to_string(key.subkey_count) +
              ", but its subkeys list holds " + std::to_string(listed.size()));

  std::uint32_t max_subkey_name = 0, max_subkey_class = 0;
  std::optional<std::u16string> previous;
  for (const Listed& e : listed) {
    const std::size_t i = index_of(e.node);
    if (i != static_cast<std::size_t>(-1) && uses_[i] == CellUse::kKeyNode) {
      error(kNkStructure, to_file_offset(e.node).value,
            "listed as a subkey again, in the " + leaf_structure(e.kind) + " at " +
                util::hex_offset(to_file_offset(e.leaf).value) +
                " (a cycle or a shared subtree); not walked again");
      continue;
    }
    if (!claim(e.node, CellUse::kKeyNode, leaf_structure(e.kind), to_file_offset(e.leaf).value,
               "key node offset"))
      continue;
    KeyNode child;
    try {
      child = parse_key_node(cells_.get(e.node, kNkStructure), e.node);
    } catch (const FormatError&
                 err) {  // recorded; the walk goes on with the next sibling (CONTRIBUTING.md §4)
      const Diagnostic d = diagnostic_from(err);
      error(d.structure, d.file_offset, d.message);
      continue;
    }
    check_listed(e, child, previous ? &*previous : nullptr, at);
    previous = child.name;
    max_subkey_name = std::max(max_subkey_name, name_bytes(child.name));
    if (!child.class_name.is_none())
      max_subkey_class = std::max<std::uint32_t>(max_subkey_class, child.class_name_length);
    if (depth + 1 > kMaxDepth) {
      error(kNkStructure, to_file_offset(e.node).value,
            "deeper than " + std::to_string(kMaxDepth) + " levels; not walked further");
      continue;
    }
    check_key(child, key.offset, depth + 1);
    current_key_ = key.offset;
  }
  // Windows XP writes this one too small even when non-zero (bitcurator/SYSTEM: 158 for a 162-byte
  // name) and loads such hives: always a note.
  if ((key.largest_subkey_name & kLargestSubkeyNameMask) < max_subkey_name)
    add(Severity::kInfo, kNkStructure, at,
        std::string(kNkLargestSubkeyNameLength.name) + " is " +
            std::to_string(key.largest_subkey_name & kLargestSubkeyNameMask) +
            ", expected at least " + std::to_string(max_subkey_name) +
            " (its longest subkey name, in UTF-16 bytes)");
  if (key.largest_subkey_class < max_subkey_class)
    shortfall(key.largest_subkey_class, kNkStructure, at,
              std::string(kNkLargestSubkeyClassLength.name) + " is " +
                  std::to_string(key.largest_subkey_class) + ", expected at least " +
                  std::to_string(max_subkey_class) + " (its longest subkey class name)");
}

void Verifier::check_listed(const Listed& e, const KeyNode& child, const std::u16string* previous,
                            std::uint64_t parent_at) {
  const std::uint64_t leaf_at = to_file_offset(e.leaf).value;
  const std::string leaf_name = leaf_structure(e.kind);
  if (e.kind == ListKind::kHashLeaf && e.check != lh_hash(child.name))
    error(leaf_name, leaf_at,
          "name hash of " + quoted(child.name) + " is " + util::hex_offset(e.check) +
              ", expected " + util::hex_offset(lh_hash(child.name)) +
              " (Windows' lookups by name would miss it)");
  // lf hints are compared only for ASCII prefixes: how Windows stores the hint of other
  // characters is unverified.
  const bool ascii = std::all_of(
      child.name.begin(),
      child.name.begin() + static_cast<std::ptrdiff_t>(std::min<std::size_t>(4, child.name.size())),
      [](char16_t u) { return u < 0x80; });
  if (e.kind == ListKind::kFastLeaf && ascii && e.check != util::le_u32(lf_hint(child.name)))
    error(leaf_name, leaf_at,
          "name hint of " + quoted(child.name) + " is " + util::hex_offset(e.check) +
              ", expected " + util::hex_offset(util::le_u32(lf_hint(child.name))));
  if (!previous) return;
  const int order = util::compare_names(*previous, child.name);
  if (order == 0)
    error(leaf_name, leaf_at,
          "lists a second subkey named " + quoted(child.name) + " under the key at " +
              util::hex_offset(parent_at) + " (names must be unique, case-insensitively)");
  else if (order > 0)
    error(leaf_name, leaf_at,
          "lists " + quoted(child.name) + " after " + quoted(*previous) +
              ", expected upcased-name order (Windows' binary search would miss keys)");
}

std::vector<Verifier::Listed> Verifier::read_subkeys(const KeyNode& key) {
  std::vector<Listed> out;
  const std::uint64_t at = to_file_offset(key.offset).value;
  if (!claim(key.subkeys_list, CellUse::kSubkeyList, kNkStructure, at, kNkSubkeysList.name))
    return out;
  const util::ByteReader cell = cells_.get(key.subkeys_list, "subkeys list");
  if (!cell.has_signature("ri")) {
    read_leaf(key.subkeys_list, cell, out);
    return out;
  }
  const util::ByteReader root = cells_.get(key.subkeys_list, "index root (ri)");
  std::size_t count = 0;
  try {
    count = root.u16(kListCount);
    root.take(kListHeaderSize, count * kLiElementSize, "list elements");
  } catch (const FormatError& err) {
    const Diagnostic d = diagnostic_from(err);
    error(d.structure, d.file_offset, d.message);
    return out;
  }
  for (std::size_t i = 0; i < count; ++i) {
    const CellOffset leaf{root.u32_at(kListHeaderSize + i * kLiElementSize, "subkeys list offset")};
    if (!claim(leaf, CellUse::kSubkeyList, "index root (ri)", root.file_offset(),
               "subkeys list offset"))
      continue;
    const util::ByteReader leaf_cell = cells_.get(leaf, "subkeys list");
    if (leaf_cell.has_signature("ri")) {
      error("index root (ri)", root.file_offset(),
            "element " + std::to_string(i) + " is the index root at " +
                util::hex_offset(to_file_offset(leaf).value) +
                ", expected an li, lf or lh leaf (an index root may not hold index roots)");
      continue;
    }
    read_leaf(leaf, leaf_cell, out);
    if (out.size() > kMaxSubkeys) {
      error("index root (ri)", root.file_offset(),
            "holds more than the cap of " + std::to_string(kMaxSubkeys) + " subkeys");
      break;
    }
  }
  return out;
}

void Verifier::read_leaf(CellOffset leaf, const util::ByteReader& cell, std::vector<Listed>& out) {
  try {
    const SubkeyList list = parse_subkey_list(cell);
    if (list.kind == ListKind::kHashLeaf && base_.minor_version < kMinMinorVersionForHashLeaf)
      add(Severity::kInfo, "hash leaf (lh)", cell.file_offset(),
          "in a regf 1." + std::to_string(base_.minor_version) +
              " hive (Windows writes lh lists from 1.5 on)");
    if (list.elements.empty())
      error(cell.structure(), cell.file_offset(),
            std::string(kListCount.name) + " is 0, expected at least 1 (empty lists are freed)");
    for (const auto& e : list.elements) out.push_back(Listed{e.offset, leaf, list.kind, e.check});
  } catch (const FormatError& err) {
    const Diagnostic d = diagnostic_from(err);
    error(d.structure, d.file_offset, d.message);
  }
}

void Verifier::check_values(const KeyNode& key, std::uint32_t& max_name_bytes,
                            std::uint32_t& max_data) {
  if (key.value_count == 0) return;
  const std::uint64_t at = to_file_offset(key.offset).value;
  if (!claim(key.values_list, CellUse::kValueList, kNkStructure, at, kNkValuesList.name)) return;
  const util::ByteReader list = cells_.get(key.values_list, kValueListStructure);
  if (list.size() / 4 < key.value_count) {
    error(kValueListStructure, list.file_offset(),
          "cell holds " + std::to_string(list.size() / 4) + " offsets, expected at least " +
              std::to_string(key.value_count) + " (the key's number of key values)");
    return;
  }
  std::vector<std::u16string> names;
  names.reserve(key.value_count);
  for (std::uint32_t n = 0; n < key.value_count; ++n) {
    const CellOffset vk_at{list.u32_at(4 * std::size_t{n}, "key value offset")};
    if (!claim(vk_at, CellUse::kValueKey, kValueListStructure, list.file_offset(),
               "key value offset"))
      continue;
    ++result_.stats.values;
    ValueKey vk;
    try {
      vk = parse_value_key(cells_.get(vk_at, kVkStructure), vk_at);
    } catch (const FormatError& err) {
      const Diagnostic d = diagnostic_from(err);
      error(d.structure, d.file_offset, d.message);
      continue;
    }
    max_name_bytes = std::max(max_name_bytes, name_bytes(vk.name));
    max_data = std::max(max_data, vk.data_size);
    names.push_back(util::upcase(vk.name));
    if (!vk.resident && vk.data_size != 0)
      check_value_data(kVkStructure, to_file_offset(vk_at).value, vk.data_size,
                       CellOffset{vk.data_offset_field});
  }
  std::sort(names.begin(), names.end());
  const auto dup = std::adjacent_find(names.begin(), names.end());
  if (dup != names.end())
    error(kValueListStructure, list.file_offset(),
          "holds two values named " + quoted(*dup) +
              " (upcased; value names must be unique, case-insensitively)");
}

void Verifier::check_value_data(const std::string& vk_at, std::uint64_t vk_file, std::uint32_t size,
                                CellOffset data) {
  // Windows reads data over 16344 bytes as big data in hives 1.4+ (spec "Big data"): the db record
  // must be there.
  const bool big =
      size > kMaxDataWithoutBigData && base_.minor_version >= kMinMinorVersionForBigData;
  if (!claim(data, big ? CellUse::kBigData : CellUse::kValueData, vk_at, vk_file,
             kVkDataOffset.name))
    return;
  const util::ByteReader cell = cells_.get(data, big ? kDbStructure : kValueDataStructure);
  if (!big) {
    if (cell.size() < size)
      error(kValueDataStructure, cell.file_offset(),
            "cell holds " + std::to_string(cell.size()) + " bytes, expected at least " +
                std::to_string(size) + " (the data size of the value at " +
                util::hex_offset(vk_file) + ")");
    return;
  }
  BigData db;
  try {
    db = parse_big_data(cell, data);
  } catch (const FormatError& err) {
    const Diagnostic d = diagnostic_from(err);
    error(d.structure, d.file_offset,
          d.message + " (data size " + std::to_string(size) + " needs big data in regf 1.4+)");
    return;
  }
  const std::size_t needed = (std::size_t{size} + kDbSegmentSize - 1) / kDbSegmentSize;
  if (db.segment_count != needed)
    error(kDbStructure, cell.file_offset(),
          std::string(kDbNumberOfSegments.name) + " is " + std::to_string(db.segment_count) +
              ", expected " + std::to_string(needed) + " for " + std::to_string(size) + " bytes");
  if (!claim(db.segments_list, CellUse::kSegmentList, kDbStructure, cell.file_offset(),
             kDbSegmentsList.name))
    return;
  const util::ByteReader list = cells_.get(db.segments_list, kDbSegmentsListStructure);
  const std::size_t listed = std::min<std::size_t>(db.segment_count, list.size() / 4);
  if (listed < db.segment_count)
    error(kDbSegmentsListStructure, list.file_offset(),
          "cell holds " + std::to_string(list.size() / 4) + " offsets, expected at least " +
              std::to_string(db.segment_count));
  std::size_t remaining = size;
  for (std::size_t i = 0; i < listed; ++i) {
    const CellOffset seg{list.u32_at(4 * i, "data segment offset")};
    if (!claim(seg, CellUse::kSegment, kDbSegmentsListStructure, list.file_offset(),
               "data segment offset"))
      continue;
    const std::size_t want = std::min(remaining, kDbSegmentSize);
    const auto seg_cell = cells_.get(seg, kDbSegmentStructure);
    if (i < needed && seg_cell.size() < want)
      error(kDbSegmentStructure, seg_cell.file_offset(),
            "cell holds " + std::to_string(seg_cell.size()) + " bytes, expected at least " +
                std::to_string(want));
    remaining -= want;
  }
}

}  // namespace hivelint::regf::verify_detail
