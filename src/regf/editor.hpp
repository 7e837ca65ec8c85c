// The hive editor: minimal changes to a copy of a hive, so that a byte-level diff of input and
// output shows only what the fix needed (spec "Key node", "Key value", "Key values list", "Index
// leaf"/"Fast leaf"/ "Hash leaf"/"Index root", "Key security", "Big data").
//
// What it does, and nothing else:
// * set a value's data and type: the vk is changed in place; data of the same size overwrites the
// old data
//   cell in place, other data goes to a new cell (or resident in the vk, or a new db with segments)
//   and the old data cell(s) are marked free;
// * add a value: a new vk, a new value list with one more element (old list marked free);
// * delete a value: a new value list without its element (none when it was the last: count 0, list
// offset
//   0xFFFFFFFF), the old list, the vk and its data cell(s) marked free; the largest-* fields are
//   left as they were (an upper bound stays valid; Windows recomputes them itself);
// * create a key under an existing one: a new nk with the parent's security cell (its reference
// count + 1)
//   and the parent's subkey list re-allocated with the new element in Windows' order (li, lf, lh;
//   under an ri only the leaf that receives the key and the ri itself are re-allocated), lf hints
//   and lh hashes computed from the name; the parent's subkey count and largest-subkey-name field
//   updated;
// * every touched key gets the edit's last-written time; the largest value name/data fields grow as
// needed. New cells go to new hive bins at the end (HiveWriter); free cells are never reused.
#pragma once
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "regf/hive_writer.hpp"
#include "regf/reader.hpp"
#include "regf/subkey_list.hpp"

namespace hivelint::regf {

struct EditorOptions {
  std::uint64_t timestamp =
      0;  // FILETIME written to touched keys and the base block (an injected clock)
};

class Editor {
 public:
  /// Copies `hive`. Throws FormatError when it cannot be read, RefusedError when it must not be
  /// edited as it is: dirty (its logs must be replayed first), a bad base-block checksum, or
  /// damaged hive bins.
  Editor(std::span<const std::uint8_t> hive, const EditorOptions& options);

  /// Creates the key at `path` (backslash-separated, below the root) and any missing parent;
  /// returns how many keys were created (0 when it exists). Throws RefusedError when a name is
  /// empty or too long, or a subkey list is full; FormatError on damage along the path.
  std::size_t create_key(std::u16string_view path);

  /// Sets value `name` (u"" = default value) of the existing key at `path` to `type` and `data`,
  /// adding the value when absent. Throws RefusedError when the key is absent or the data cannot be
  /// stored in this hive's version (over 16344 bytes in a regf 1.4 hive, which libregf cannot read
  /// back).
  void set_value(std::u16string_view path, std::u16string_view name, std::uint32_t type,
                 std::span<const std::uint8_t> data);

  /// Deletes value `name` of the existing key at `path`. Throws RefusedError when the key or the
  /// value is absent (a plan deletes only what it read), FormatError on damage in the key's value
  /// list.
  void delete_value(std::u16string_view path, std::u16string_view name);

  /// A reader over the hive as edited so far (before the first edit: the input's bytes).
  const Reader& view() { return reader(); }

  /// The commit step (HiveWriter::commit) with the options' timestamp; the editor is spent
  /// afterwards.
  std::vector<std::uint8_t> commit();

  const std::vector<CellChange>& changes() const noexcept { return writer_.changes(); }
  /// Bytes the input had past its hive bins data (not part of the hive; not copied to the output).
  std::size_t dropped_trailing_bytes() const noexcept { return writer_.dropped_trailing_bytes(); }
  /// The end of the input's hive bins data, where new hive bins begin.
  std::size_t original_size() const noexcept { return writer_.original_size(); }

 private:
  const Reader& reader();
  KeyNode require_key(std::u16string_view path);
  void check_storable(std::size_t size) const;
  void free_data(const ValueInfo& value);
  void update_key_after_value(const KeyNode& key, std::u16string_view name, std::size_t data_size);
  struct LeafInsert {
    CellOffset old;
    ListKind kind = ListKind::kHashLeaf;
    std::vector<ListElement> elements;
    std::size_t at = 0;       // index the new element takes
    std::uint32_t check = 0;  // its hash or hint
  };
  LeafInsert plan_leaf_insert(CellOffset leaf, std::u16string_view name);
  CellOffset write_leaf(const LeafInsert& plan, CellOffset new_key);
  CellOffset new_leaf(CellOffset new_key, std::u16string_view name);
  void add_subkey(const KeyNode& parent, std::u16string_view name);
  void touch(CellOffset key, std::string structure = kNkStructure);

  EditorOptions options_;
  std::uint32_t minor_version_ = 0;
  HiveWriter writer_;
  std::optional<Reader> reader_;  // over writer_'s bytes; rebuilt whenever they have grown or moved
  const std::uint8_t* reader_bytes_ = nullptr;
  std::size_t reader_size_ = 0;
  std::size_t reader_changes_ = 0;  // writer_.changes().size() when the reader last saw the bytes
};

}  // namespace hivelint::regf
