// Internal to verify*.cpp: the state one verify_hive() run shares between its passes (cells, keys,
// security).
#pragma once
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "regf/base_block.hpp"
#include "regf/hbin_scan.hpp"
#include "regf/key_node.hpp"
#include "regf/subkey_list.hpp"
#include "regf/verify.hpp"

namespace hivelint::regf::verify_detail {

/// What a referenced cell is used as; each allocated cell may have one use (sk cells are shared by
/// design).
enum class CellUse : std::uint8_t {
  kNone,
  kKeyNode,
  kSubkeyList,
  kValueList,
  kValueKey,
  kValueData,
  kBigData,
  kSegmentList,
  kSegment,
  kClassName,
  kSecurity
};
const char* use_name(CellUse use) noexcept;

class Verifier {
 public:
  Verifier(std::span<const std::uint8_t> bytes, const BaseBlock& base, const CellMap& cells,
           VerifyResult& result, const VerifyOptions* options = nullptr)
      : bytes_(bytes),
        base_(base),
        cells_(cells),
        result_(result),
        uses_(cells.allocated().size(), CellUse::kNone),
        touched_(options && !options->touched.empty() ? &options->touched : nullptr) {}

  /// Walks the key tree from the root (verify_keys.cpp). Throws FormatError when the root is not a
  /// key node.
  void walk_keys();
  /// The sk ring and reference counts (verify_security.cpp); after walk_keys().
  void check_security();
  /// Allocated cells no reference reached.
  void report_unreferenced();

  void add(Severity severity, std::string structure, std::uint64_t file_offset,
           std::string message);
  void error(std::string structure, std::uint64_t file_offset, std::string message) {
    add(Severity::kError, std::move(structure), file_offset, std::move(message));
  }

 private:
  // Index of the allocated cell starting at `offset`, or npos.
  std::size_t index_of(CellOffset offset) const;
  /// Checks that `target` (named `field` in the structure at `from`) is an allocated cell not used
  /// otherwise and marks it `use`. Records a finding and returns false when it is not.
  bool claim(CellOffset target, CellUse use, const std::string& from_structure, std::uint64_t from,
             const char* field);
  std::string where_is(CellOffset target)
      const;  // "in free space", "inside the cell at 0x...", "past the hive bins"

  void shortfall(std::uint32_t stored, std::string structure, std::uint64_t at,
                 std::string message);
  void check_key(const KeyNode& key, CellOffset expected_parent, std::size_t depth);
  void check_key_fields(const KeyNode& key, CellOffset expected_parent, std::uint64_t at);
  void check_class_and_security(const KeyNode& key, std::uint64_t at);
  void check_value_maxima(const KeyNode& key, std::uint64_t at);
  void check_subkeys(const KeyNode& key, std::uint64_t at, std::size_t depth);
  void check_values(const KeyNode& key, std::uint32_t& max_name_bytes, std::uint32_t& max_data);
  void check_value_data(const std::string& vk_at, std::uint64_t vk_file, std::uint32_t size,
                        CellOffset data);
  /// The key nodes listed by the subkeys list of `key`, in order, each with the hash/hint stored
  /// for it.
  struct Listed {
    CellOffset node;
    CellOffset leaf;
    ListKind kind;  // of the leaf: li, lf or lh
    std::uint32_t check;
  };
  std::vector<Listed> read_subkeys(const KeyNode& key);
  /// The checks of one listed subkey against its leaf and its previous sibling (`previous`, none
  /// for the first): the leaf's hash or hint, and Windows' order without duplicates.
  void check_listed(const Listed& e, const KeyNode& child, const std::u16string* previous,
                    std::uint64_t parent_at);
  void read_leaf(CellOffset leaf, const util::ByteReader& cell, std::vector<Listed>& out);

  std::span<const std::uint8_t> bytes_;
  const BaseBlock& base_;
  const CellMap& cells_;
  VerifyResult& result_;
  std::vector<CellUse> uses_;                             // parallel to cells_.allocated()
  std::map<std::uint32_t, std::uint32_t> sk_references_;  // sk cell -> keys using it
  // Attribution of touched cells (VerifyOptions::touched) to the key being checked.
  const std::vector<std::pair<std::uint64_t, std::uint64_t>>* touched_ = nullptr;
  CellOffset current_key_ = kNoCell;
  bool is_touched(CellOffset cell) const;
  void note_touched(CellOffset cell, CellUse use);
};

}  // namespace hivelint::regf::verify_detail
