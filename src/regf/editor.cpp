#include "regf/editor.hpp"

#include <algorithm>

#include "regf/big_data.hpp"
#include "regf/key_node.hpp"
#include "regf/security_key.hpp"
#include "regf/subkey_list.hpp"
#include "regf/value_key.hpp"
#include "regf/value_list.hpp"
#include "util/error.hpp"
#include "util/upcase.hpp"
#include "util/utf16.hpp"

namespace hivelint::regf {
namespace {

void refuse_damage(const std::vector<Diagnostic>& diagnostics) {
  for (const auto& d : diagnostics)
    if (d.severity == Severity::kError)
      throw RefusedError(d.structure + " at " + util::hex_offset(d.file_offset) + ": " + d.message +
                         "; hivelint does not edit a damaged hive");
}

std::string utf8(std::u16string_view s) { return util::utf16_to_utf8(s).text; }

// The base block of a hive that may be edited; refuses what must not be (CONTRIBUTING.md §6). The
// hive bins are scanned afterwards, once, over the editor's copy (Editor::Editor).
BaseBlock editable_base_block(std::span<const std::uint8_t> hive) {
  std::vector<Diagnostic> diagnostics;
  const BaseBlock b = parse_base_block(hive, diagnostics);
  if (b.is_dirty())
    throw RefusedError(
        "base block at 0x00000000: the hive is dirty (primary sequence number " +
        std::to_string(b.primary_sequence) + ", secondary " + std::to_string(b.secondary_sequence) +
        "): its last writes are in its transaction logs; replay them before editing");
  if (!b.checksum_ok())
    throw RefusedError("base block at 0x00000000: checksum is " +
                       util::hex_offset(b.stored_checksum) + ", expected " +
                       util::hex_offset(b.computed_checksum) +
                       "; hivelint does not edit a hive whose header is damaged");
  refuse_damage(diagnostics);
  return b;
}

// Subkeys per leaf that Windows' own lists stay under; a leaf cannot count past 0xFFFF elements.
constexpr std::size_t kMaxLeafElements = 0xFFFF;

}  // namespace

Editor::Editor(std::span<const std::uint8_t> hive, const EditorOptions& options)
    : options_(options), writer_(hive, editable_base_block(hive)) {
  const Reader& r =
      reader();  // the one scan of the hive bins, over the copy (the same bytes as the input's)
  refuse_damage(r.diagnostics());
  (void)r.root();  // throws FormatError when the root key is unreadable
  minor_version_ = r.base_block().minor_version;
}

const Reader& Editor::reader() {
  // A reader views the bytes; once an allocation has grown (and maybe moved) them it must not be
  // used.
  const auto& changes = writer_.changes();
  if (!reader_ || reader_bytes_ != writer_.bytes().data()) {
    reader_.emplace(writer_.bytes());
  } else if (reader_size_ != writer_.bytes().size() || reader_changes_ != changes.size()) {
    // Same buffer, grown in place: only the new bins need scanning again, and freed cells leave the
    // map.
    std::vector<CellOffset> freed;
    for (std::size_t i = reader_changes_; i < changes.size(); ++i)
      if (changes[i].kind == CellChange::Kind::kFreed)
        freed.push_back(
            CellOffset{static_cast<std::uint32_t>(changes[i].file_offset - kBaseBlockSize)});
    reader_->refresh(writer_.bytes(), writer_.original_size(), freed);
  }
  reader_bytes_ = writer_.bytes().data();
  reader_size_ = writer_.bytes().size();
  reader_changes_ = changes.size();
  return *reader_;
}

KeyNode Editor::require_key(std::u16string_view path) {
  auto key = reader().open(path);
  if (!key) throw RefusedError("key \"" + utf8(path) + "\" does not exist");
  return *key;
}

void Editor::touch(CellOffset key, std::string structure) {
  util::ByteWriter(writer_.bytes()).put_u64(kNkLastWritten, cell_data_at(key), options_.timestamp);
  writer_.note_modified(key, std::move(structure));
}

// ---- values -------------------------------------------------------------------------------------

void Editor::check_storable(std::size_t size) const {
  if (size > kMaxValueBytes)
    throw RefusedError("value data of " + std::to_string(size) + " bytes is too large");
  if (size <= kMaxDataWithoutBigData || minor_version_ < kMinMinorVersionForBigData) return;
  // From 1.4 on larger data needs db segments, which libregf 20201007 reads only from 1.5 on (the
  // builder refuses the same case).
  if (minor_version_ < kMinMinorVersionForHashLeaf)
    throw RefusedError("value data of " + std::to_string(size) +
                       " bytes needs big-data cells, which libregf "
                       "cannot read in a regf 1." +
                       std::to_string(minor_version_) + " hive");
  if ((size + kDbSegmentSize - 1) / kDbSegmentSize > 0xFFFF)
    throw RefusedError("value data of " + std::to_string(size) + " bytes needs too many segments");
}

void Editor::free_data(const ValueInfo& value) {
  const ValueKey& vk = value.key;
  if (vk.resident || vk.data_size == 0) return;
  const Reader& r = reader();
  const CellOffset data{vk.data_offset_field};
  if (!r.cells().is_allocated(data)) return;
  if (value.big_data) {
    const BigData db = parse_big_data(r.cells().get(data, kDbStructure), data);
    const auto list = r.cells().get(db.segments_list, kDbSegmentsListStructure);
    std::vector<CellOffset> segments;
    for (std::size_t i = 0; i < db.segment_count; ++i)
      segments.push_back(CellOffset{list.u32_at(4 * i, "segment offset")});
    for (CellOffset seg : segments)
      if (r.cells().is_allocated(seg)) writer_.free_cell(seg, kDbSegmentStructure);
    writer_.free_cell(db.segments_list, kDbSegmentsListStructure);
  }
  writer_.free_cell(data, value.big_data ? kDbStructure : kValueDataStructure);
}

void Editor::update_key_after_value(const KeyNode& key, std::u16string_view name,
                                    std::size_t data_size) {
  util::ByteWriter w(writer_.bytes());
  const std::size_t d = cell_data_at(key.offset);
  w.put_u32(
      kNkLargestValueNameLength, d,
      std::max<std::uint32_t>(key.largest_value_name, static_cast<std::uint32_t>(name.size() * 2)));
  w.put_u32(kNkLargestValueDataSize, d,
            std::max<std::uint32_t>(key.largest_value_data, static_cast<std::uint32_t>(data_size)));
  touch(key.offset);
}

void Editor::set_value(std::u16string_view path, std::u16string_view name, std::uint32_t type,
                       std::span<const std::uint8_t> data) {
  // Every refusal comes before the first change, so a refused edit leaves the copy as it was.
  if (name.size() > kMaxNameUnits)
    throw RefusedError("value name is longer than " + std::to_string(kMaxNameUnits) +
                       " characters");
  check_storable(data.size());
  const KeyNode key = require_key(path);
  const std::optional<ValueInfo> old = reader().value(key, name);
  const std::vector<CellOffset> list =
      old ? std::vector<CellOffset>{}
          : read_value_list(reader().cells(), key.values_list, key.value_count);

  if (old) {
    const ValueKey& vk = old->key;
    const CellOffset data_cell{vk.data_offset_field};
    const bool same_size_cell =
        !vk.resident && !old->big_data && data.size() == vk.data_size &&
        data.size() > kVkMaxResidentSize && reader().cells().is_allocated(data_cell) &&
        reader().cells().get(data_cell, kValueDataStructure).size() >= data.size();
    if (same_size_cell) {  // same size: overwrite the data where it is
      util::ByteWriter(writer_.bytes()).put_bytes(cell_data_at(data_cell), data);
      writer_.note_modified(data_cell, kValueDataStructure);
      write_value_key_data(writer_, vk.offset, type,
                           StoredData{vk.stored_size, vk.data_offset_field});
    } else {
      free_data(*old);
      write_value_key_data(writer_, vk.offset, type,
                           store_value_data(writer_, data, minor_version_));
    }
    writer_.note_modified(vk.offset, kVkStructure);
  } else {
    if (list.size() >= kMaxValues)
      throw RefusedError("key \"" + utf8(path) + "\" has too many values to add one");
    const StoredData stored = store_value_data(writer_, data, minor_version_);
    ValueKey vk;
    vk.offset = allocate_value_key(writer_, name);
    vk.name = name;
    vk.type = type;
    vk.stored_size = stored.size_field;
    vk.data_offset_field = stored.offset_field;
    write_value_key(writer_, vk);
    std::vector<CellOffset> new_values = list;
    new_values.push_back(vk.offset);
    const CellOffset new_list = write_value_list(writer_, new_values);
    if (key.value_count > 0) writer_.free_cell(key.values_list, kValueListStructure);
    util::ByteWriter w(writer_.bytes());
    w.put_u32(kNkNumberOfValues, cell_data_at(key.offset),
              static_cast<std::uint32_t>(list.size() + 1));
    w.put_u32(kNkValuesList, cell_data_at(key.offset), new_list.value);
  }
  update_key_after_value(key, name, data.size());
  reader_.reset();
}

void Editor::delete_value(std::u16string_view path, std::u16string_view name) {
  // Every refusal and every read comes before the first change, so a refused edit leaves the copy
  // as it was.
  const KeyNode key = require_key(path);
  const std::optional<ValueInfo> old = reader().value(key, name);
  if (!old)
    throw RefusedError("key \"" + utf8(path) + "\" has no value \"" + utf8(name) + "\" to delete");
  const std::vector<CellOffset> list =
      read_value_list(reader().cells(), key.values_list, key.value_count);
  std::vector<CellOffset> kept;
  for (CellOffset v : list)
    if (v.value != old->key.offset.value) kept.push_back(v);
  if (kept.size() + 1 != list.size())
    throw RefusedError("key \"" + utf8(path) + "\": value \"" + utf8(name) +
                       "\" is not listed exactly once in its value list");

  free_data(*old);
  writer_.free_cell(old->key.offset, kVkStructure);
  const CellOffset new_list = write_value_list(writer_, kept);
  writer_.free_cell(key.values_list, kValueListStructure);
  util::ByteWriter w(writer_.bytes());
  w.put_u32(kNkNumberOfValues, cell_data_at(key.offset), static_cast<std::uint32_t>(kept.size()));
  w.put_u32(kNkValuesList, cell_data_at(key.offset), new_list.value);
  touch(key.offset);
  reader_.reset();
}

// ---- keys ---------------------------------------------------------------------------------------

// Where `name` goes in the leaf at `leaf` (read before anything is allocated: allocation moves the
// bytes).
Editor::LeafInsert Editor::plan_leaf_insert(CellOffset leaf, std::u16string_view name) {
  const Reader& r = reader();
  LeafInsert plan;
  plan.old = leaf;
  const SubkeyList list = parse_subkey_list(r.cells().get(leaf, kSubkeyListStructure));
  if (list.kind == ListKind::kIndexRoot)
    throw FormatError({kSubkeyListStructure, to_file_offset(leaf).value, "", "", ""},
                      "an index root inside an index root");
  if (list.elements.size() >= kMaxLeafElements)
    throw RefusedError("subkey list at " + util::hex_offset(to_file_offset(leaf).value) +
                       " is full (" + std::to_string(list.elements.size()) + " elements)");
  plan.kind = list.kind;
  plan.elements = list.elements;
  plan.at = list.elements.size();
  for (std::size_t i = 0; i < list.elements.size(); ++i) {
    const KeyNode sibling = parse_key_node(r.cells().get(list.elements[i].offset, kNkStructure),
                                           list.elements[i].offset);
    const int order = util::compare_names(sibling.name, name);
    if (order == 0) throw RefusedError("a key named \"" + utf8(name) + "\" already exists");
    if (order > 0) {
      plan.at = i;
      break;
    }
  }
  plan.check = list_element_check(list.kind, name);
  return plan;
}

// A copy of the planned leaf with `new_key` inserted; the old leaf is marked free. Stored hints and
// hashes of the other elements are copied as they were.
CellOffset Editor::write_leaf(const LeafInsert& plan, CellOffset new_key) {
  std::vector<ListElement> elements = plan.elements;
  elements.insert(elements.begin() + static_cast<std::ptrdiff_t>(plan.at),
                  ListElement{new_key, plan.check});
  const CellOffset list = write_subkey_list(writer_, plan.kind, elements);
  writer_.free_cell(plan.old, kSubkeyListStructure);
  return list;
}

// The first list of a key that had no subkeys: lh from regf 1.5 on, lf before (as Windows writes
// them).
CellOffset Editor::new_leaf(CellOffset new_key, std::u16string_view name) {
  const ListKind kind =
      minor_version_ >= kMinMinorVersionForHashLeaf ? ListKind::kHashLeaf : ListKind::kFastLeaf;
  const ListElement element{new_key, list_element_check(kind, name)};
  return write_subkey_list(writer_, kind, std::span<const ListElement>(&element, 1));
}

void Editor::add_subkey(const KeyNode& parent, std::u16string_view name) {
  if (name.empty()) throw RefusedError("a key name cannot be empty");
  if (name.size() > 255)
    throw RefusedError("key name \"" + utf8(name.substr(0, 40)) +
                       "...\" is longer than 255 characters");
  const Reader& r = reader();
  const SecurityKey sk = r.security(parent);
  // Read everything the change needs before the first allocation moves the bytes.
  std::optional<SubkeyList> root_list;
  std::size_t leaf_index = 0;
  std::optional<LeafInsert> leaf_plan;
  if (parent.subkey_count > 0) {
    const SubkeyList top =
        parse_subkey_list(r.cells().get(parent.subkeys_list, kSubkeyListStructure));
    if (top.kind == ListKind::kIndexRoot) {
      if (top.elements.empty())
        throw FormatError({"index root", to_file_offset(parent.subkeys_list).value, "", "", ""},
                          "no leaves");
      // The leaf that takes the name: the first whose last name sorts after it, else the last leaf.
      leaf_index = top.elements.size() - 1;
      for (std::size_t i = 0; i < top.elements.size(); ++i) {
        const SubkeyList leaf =
            parse_subkey_list(r.cells().get(top.elements[i].offset, kSubkeyListStructure));
        if (leaf.elements.empty()) continue;
        const CellOffset last = leaf.elements.back().offset;
        if (util::compare_names(parse_key_node(r.cells().get(last, kNkStructure), last).name,
                                name) > 0) {
          leaf_index = i;
          break;
        }
      }
      root_list = top;
      leaf_plan = plan_leaf_insert(top.elements[leaf_index].offset, name);
    } else {
      leaf_plan = plan_leaf_insert(parent.subkeys_list, name);
    }
  }

  KeyNode nk;
  nk.offset = allocate_key_node(writer_, name);
  nk.name = std::u16string(name);
  nk.last_written = options_.timestamp;
  nk.parent = parent.offset;
  nk.security = parent.security;
  write_key_node(writer_, nk);
  // The new key shares its parent's security descriptor.
  util::ByteWriter(writer_.bytes())
      .put_u32(kSkReferenceCount, cell_data_at(sk.offset), sk.reference_count + 1);
  writer_.note_modified(sk.offset, kSkStructure);

  CellOffset list;
  if (parent.subkey_count == 0) {
    list = new_leaf(nk.offset, name);
  } else if (!root_list) {
    list = write_leaf(*leaf_plan, nk.offset);
  } else {
    std::vector<ListElement> leaves = root_list->elements;
    leaves[leaf_index].offset = write_leaf(*leaf_plan, nk.offset);
    list = write_subkey_list(writer_, ListKind::kIndexRoot, leaves);
    writer_.free_cell(parent.subkeys_list, kSubkeyListStructure);
  }
  util::ByteWriter w(writer_.bytes());
  const std::size_t d = cell_data_at(parent.offset);
  w.put_u32(kNkNumberOfSubkeys, d, parent.subkey_count + 1);
  w.put_u32(kNkSubkeysList, d, list.value);
  // Low 16 bits: the length in bytes (as UTF-16); Windows 7+ keeps flags in the high bits, so they
  // stay.
  const std::uint32_t field = parent.largest_subkey_name;
  const std::uint32_t length =
      std::max<std::uint32_t>(field & 0xFFFF, static_cast<std::uint32_t>(name.size() * 2));
  w.put_u32(kNkLargestSubkeyNameLength, d, (field & 0xFFFF0000u) | length);
  touch(parent.offset);
  reader_.reset();
}

std::size_t Editor::create_key(std::u16string_view path) {
  // Names are checked before the first key is created, so a refusal leaves no half-made path
  // behind.
  for (std::size_t start = 0; start <= path.size();) {
    std::size_t end = path.find(u'\\', start);
    if (end == std::u16string_view::npos) end = path.size();
    if (end - start > 255)
      throw RefusedError("key name \"" + utf8(path.substr(start, 40)) +
                         "...\" is longer than 255 characters");
    start = end + 1;
  }
  std::size_t created = 0;
  std::u16string so_far;
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t end = path.find(u'\\', start);
    if (end == std::u16string_view::npos) end = path.size();
    const std::u16string_view part = path.substr(start, end - start);
    start = end + 1;
    if (part.empty()) continue;
    const KeyNode parent = require_key(so_far);
    so_far += (so_far.empty() ? u"" : u"\\") + std::u16string(part);
    if (reader().open(so_far)) continue;
    add_subkey(parent, part);
    ++created;
  }
  return created;
}

std::vector<std::uint8_t> Editor::commit() {
  reader_.reset();
  return writer_.commit(options_.timestamp);
}

}  // namespace hivelint::regf
