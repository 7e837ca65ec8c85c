// hivelint's own regf reader: base block, hive bins, and every structure below them parsed through
// util::ByteReader, each reference checked against the CellMap. libregf stays the main reading
// backend; this one is the independent second opinion (build verification, `--backend hivelint`)
// and the base for structure-level diagnostics and editing.
//
// Structures (one file each): base_block (spec "Base block"), hbin_scan ("Hive bin", "Cell"),
// key_node ("Key node"), subkey_list ("Index leaf", "Fast leaf", "Hash leaf", "Index root"),
// value_list ("Key values list"), value_key ("Key value"), big_data ("Big data"), security_key
// ("Key security").
//
// Two ways to read a whole tree: read_tree() is strict (any damage is a FormatError: what build
// verification needs), salvage_tree() reads around damage and reports each piece it had to skip as
// a Diagnostic.
#pragma once
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "regf/base_block.hpp"
#include "regf/hbin_scan.hpp"
#include "regf/key_node.hpp"
#include "regf/security_key.hpp"
#include "regf/subkey_list.hpp"
#include "regf/tree.hpp"
#include "regf/value_key.hpp"

namespace hivelint::regf {

/// A key as the reader returns it: the parsed nk record (the class name text is read on demand by
/// Reader::class_name, so listing keys never fails on an unrelated class name cell).
using KeyInfo = KeyNode;

/// A value: its parsed vk record (`key.name`, `key.type`, `key.offset`, `key.stored_size`,
/// `key.resident` ...) and its data.
struct ValueInfo {
  ValueKey key;
  std::vector<std::uint8_t> data;
  bool big_data = false;
};

class Reader {
 public:
  /// Parses the base block and scans the hive bins. Throws FormatError when the hive is unusable
  /// (not a regf file, truncated before the first hive bin, first hive bin broken). Only views
  /// `hive`: keep it alive.
  explicit Reader(std::span<const std::uint8_t> hive);
  /// With `lazy_cells`: only the hive-bin headers are walked up front and each bin's cells are
  /// scanned when a reference first lands in it (scan_hbin_headers): a lookup of a few keys in a
  /// 500 MB hive reads a few bins. Cell damage is then reported only for the bins read
  /// (lazy_diagnostics()), and the reader must not be used by two threads at once. `clean` (lazy
  /// only; its image is `hive`, and it is used only here) lets the header walk read the pages a log
  /// replay left alone in the file's own mapping (clean_pages.hpp).
  Reader(std::span<const std::uint8_t> hive, bool lazy_cells, const CleanPages* clean = nullptr);
  /// A lazy reader of the same bytes as `other`, with no cell scanned yet, for another thread: it
  /// takes the hive bins `other` walked (and the damage that walk found) instead of walking every
  /// header again, which on a big hive whose pages were let go after opening mapped each page once
  /// more. Construct it on the thread that owns `other`; the two then share nothing but the bytes.
  struct SameBins {};
  Reader(const Reader& other, SameBins);

  const BaseBlock& base_block() const noexcept { return base_; }
  /// Damage found by the base block parse and the hive bins scan.
  const std::vector<Diagnostic>& diagnostics() const noexcept { return diagnostics_; }
  /// With lazy_cells: cell damage found in the bins read so far (empty otherwise).
  const std::vector<Diagnostic>& lazy_diagnostics() const noexcept {
    return cells_.lazy_diagnostics();
  }
  const CellMap& cells() const noexcept { return cells_; }

  /// For the editor, after it appended cells in new hive bins from file offset `new_bins` on and
  /// marked the `freed` cells free in the same buffer (now `hive`, maybe longer): re-parses the
  /// base block and rescans only the bins from `new_bins` on (CellMap::rescan_from) instead of the
  /// whole file.
  void refresh(std::span<const std::uint8_t> hive, std::uint64_t new_bins,
               std::span<const CellOffset> freed);

  /// The root key node. Throws FormatError.
  KeyInfo root() const;
  /// The key at a backslash-separated path below the root (case-insensitive, Windows' rules; empty
  /// components are skipped, "" is the root); nullopt when absent. Throws FormatError on damage
  /// along the path.
  std::optional<KeyInfo> open(std::u16string_view path) const;
  /// The direct subkey of `key` named `name` (case-insensitive, Windows' rules), nullopt when
  /// absent. Under lh lists only the key nodes whose stored hash equals the name's are read
  /// (Windows' own lookup); when none of them matches, every subkey is compared, so a key behind a
  /// wrong hash is still found. Throws FormatError.
  std::optional<KeyInfo> child(const KeyNode& key, std::u16string_view name) const;
  /// The elements of `key`'s subkey list, checked against its subkey count: what child() reads on
  /// each call. A caller looking up many names under one key (every service under Services) reads
  /// it once and uses child_in. Throws FormatError.
  std::vector<ListedSubkey> listed_subkeys(const KeyNode& key) const;
  /// child() over a list read by listed_subkeys(key).
  std::optional<KeyInfo> child_in(const std::vector<ListedSubkey>& listed,
                                  std::u16string_view name) const;
  /// What lookups by name have learnt of one subkey list: the names of the key nodes read so far
  /// in list order (upcased, each with the first node so named) and how many were read.
  struct NameScan {
    std::unordered_map<std::u16string, CellOffset> first_by_name;
    std::size_t read = 0;
  };
  /// child_in, remembering in `scan` the names it compares when the hash finds nothing: a later
  /// name missed by hash is looked up there, and the comparison goes on where the last one stopped
  /// instead of reading every key node again (every dependency that names no service did, a walk
  /// over Services being as many reads of its whole list). The same answers and errors as
  /// child_in.
  std::optional<KeyInfo> child_in(const std::vector<ListedSubkey>& listed, std::u16string_view name,
                                  NameScan& scan) const;
  /// The key's class name (UTF-16), nullopt when it has none. Throws FormatError.
  std::optional<std::u16string> class_name(const KeyNode& key) const;
  /// The key's security cell. Throws FormatError.
  SecurityKey security(const KeyNode& key) const;
  /// Direct subkeys in stored order. Throws FormatError on a damaged list or key node, or when the
  /// list does not hold "number of subkeys" keys.
  std::vector<KeyInfo> subkeys(const KeyNode& key) const;
  /// Values in stored order, with their data. Throws FormatError.
  std::vector<ValueInfo> values(const KeyNode& key) const;
  /// One value by name (case-insensitive; u"" = default value); nullopt when absent. Throws
  /// FormatError.
  std::optional<ValueInfo> value(const KeyNode& key, std::u16string_view name) const;
  /// The value keys (vk) of `key` in stored order, without their data: what values() and value()
  /// parse first. Throws FormatError.
  std::vector<ValueKey> value_keys(const KeyNode& key) const;
  /// One value key with its data (as values() gives it). Throws FormatError.
  ValueInfo with_data(ValueKey vk) const;
  /// The data of `vk` alone (with_data without a copy of the value key).
  ValueData data_of(const ValueKey& vk) const;
  /// The whole hive as a tree (root's name = the root key's name). A key node reached twice (a
  /// cycle or a shared subtree) or a tree deeper than kMaxDepth is a FormatError, as is any damage:
  /// the walk cannot loop or explode.
  TreeKey read_tree() const;
  /// The whole hive as far as it can be read: a damaged subkey list, key node, value list, value or
  /// class name is skipped and reported in `damage` (with its structure and file offset); so are
  /// cycles, keys past kMaxDepth, subkey-count mismatches, and lh hashes or lf hints that differ
  /// from the names (Windows' lookups would miss those keys). Throws FormatError only when the root
  /// key itself is unreadable.
  TreeKey salvage_tree(std::vector<Diagnostic>& damage) const;

 private:
  KeyNode node(CellOffset offset) const;
  void read_tree_into(const KeyNode& key, TreeKey& out, std::unordered_set<std::uint32_t>& seen,
                      std::size_t depth) const;
  void salvage_into(const KeyNode& key, TreeKey& out, std::unordered_set<std::uint32_t>& seen,
                    std::size_t depth, std::vector<Diagnostic>& damage) const;

  std::span<const std::uint8_t> bytes_;
  std::vector<Diagnostic> diagnostics_;
  BaseBlock base_;
  CellMap cells_;
};

}  // namespace hivelint::regf
