// HiveReader over hivelint's own regf::Reader (`--backend hivelint`). Returns value data exactly as
// stored, where libregf 20201007 does not: for REG_SZ/REG_EXPAND_SZ it cuts the data at the first
// NUL (hiding bytes stored after it) and appends a terminator that is not in the file, and when the
// stored string has no terminator it returns bytes past the stored size from the cell's slack; 1-
// to 3-byte resident data comes back as wrong bytes (all seen in hives-real/: notatin/NTUSER.DAT
// SkyDrive\Version and Appearance\SchemeLangID, dissect.regf/SYSTEM ACPI\PNP0501\1\Device
// Parameters\DosDeviceName).
#pragma once
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "hive/hive_reader.hpp"
#include "regf/reader.hpp"

namespace hivelint::hive {

class RegfReader final : public HiveReader {
 public:
  /// Reads `bytes`, which must outlive the reader. Throws FormatError when the hive is unusable.
  explicit RegfReader(std::span<const std::uint8_t> bytes) : reader_(bytes) {}
  /// With `lazy_cells` (check): hive bins' cells are scanned only where a lookup goes
  /// (regf::Reader), so diagnostics() names cell damage only in the bins read.
  /// `clean` (lazy only): where a recovered image's untouched pages can be read during the open
  /// (regf/clean_pages.hpp); used only by the constructor.
  RegfReader(std::span<const std::uint8_t> bytes, bool lazy_cells,
             const regf::CleanPages* clean = nullptr)
      : reader_(bytes, lazy_cells, clean) {}
  /// A lazy reader of the same hive as `other`, for another thread: see regf::Reader's SameBins.
  /// Nothing `other` resolved is carried over.
  RegfReader(const RegfReader& other, regf::Reader::SameBins tag) : reader_(other.reader_, tag) {}

  std::optional<KeyInfo> key(const KeyPath& path) const override;
  std::vector<std::string> subkey_names(const KeyPath& path) const override;
  std::optional<Value> value(const KeyPath& path, std::string_view name) const override;
  std::vector<Value> values(const KeyPath& path) const override;
  std::vector<regf::Diagnostic> diagnostics() const override {
    auto all = reader_.diagnostics();
    all.insert(all.end(), reader_.lazy_diagnostics().begin(), reader_.lazy_diagnostics().end());
    return all;
  }
  std::string backend_name() const override { return "hivelint"; }
  regf::TreeKey read_tree() const override { return reader_.read_tree(); }
  /// Walks regf::Reader's key nodes directly; value data exactly as stored. A key node reached
  /// twice or a tree deeper than regf::kMaxDepth is a FormatError, as in read_tree().
  bool visit(const KeyPath& start, TreeVisitor& visitor) const override;
  bool remembers_lookups() const override { return true; }

 private:
  struct Opened;
  /// The path's entry in opened_, resolved and remembered (with every prefix) the first time.
  /// Throws FormatError.
  Opened& open(const KeyPath& path) const;
  Opened& resolve(const KeyPath& path) const;
  void visit_node(const regf::KeyNode& node, std::vector<std::u16string>& below,
                  TreeVisitor& visitor, std::unordered_set<std::uint32_t>& seen) const;
  const regf::Reader reader_;
  struct Opened {
    std::optional<regf::KeyNode> node;  // nullopt: absent
    std::vector<std::string> stored;    // stored spelling of each component
    // Its subkey list, read when a first child is looked up: a walk over Services' 4,000 children
    // read the list of 4,000 elements again for each (a fifth of a check with every rule, perf).
    std::optional<std::vector<regf::ListedSubkey>> listed;
    // The names of that list compared so far, for lookups the hashes did not answer.
    regf::Reader::NameScan names;
    // Its value keys, parsed when a first value is looked up (the service-start rules ask each
    // service for Start, Type, Group, DependOnService, DependOnGroup and DeleteFlag: six parses of
    // every value key before).
    std::optional<std::vector<regf::ValueKey>> value_keys;
    // Its subkeys' names, read when first asked (every for_each over Services asks once per rule
    // and set).
    std::optional<std::vector<std::string>> subkey_names;
  };
  // By path, each component upcased and prefixed by its length ("" = root); elements of an
  // unordered_map keep their addresses when it grows, so the references open() returns stay valid.
  // Hashed, not ordered: a std::map compared char16_t strings unit by unit on every lookup (6 % of
  // a batch of small hives, perf). Not thread-safe.
  // Looked up by view (is_transparent): the prefixes resolve() tries are views of one string, not
  // a new string each.
  struct ViewHash {
    using is_transparent = void;
    std::size_t operator()(std::u16string_view s) const noexcept {
      return std::hash<std::u16string_view>{}(s);
    }
  };
  mutable std::unordered_map<std::u16string, Opened, ViewHash, std::equal_to<>> opened_;
  // Every path asked before, spelled exactly as then (each component prefixed by its length), and
  // its entry: a walk over every service asks each service's key again for each rule and each
  // value, with other keys between, and upcasing and hashing its every prefix each time was most
  // of what a lookup cost (callgrind, a batch of small hives). `spelling_` is the key being looked
  // up, kept to reuse its allocation.
  mutable std::unordered_map<std::string, Opened*> by_spelling_;
  mutable std::string spelling_;
  // The value name value() looks for, in UTF-16, kept to reuse its allocation.
  mutable std::u16string wanted_;
  // The path open() was last asked for, spelled the same way, and its entry: rules ask one key for
  // several values in a row, and comparing the spelling is cheaper than hashing it.
  mutable std::string last_spelling_;
  mutable Opened* last_ = nullptr;
};

}  // namespace hivelint::hive
