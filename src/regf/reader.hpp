// hivelint's own regf reader: base block, hive bins, and every structure below them parsed through
// util::ByteReader, each reference checked against the CellMap. libregf stays the main reading backend;
// this one is the independent second opinion (build verification, `--backend hivelint`) and the base for
// structure-level diagnostics and editing.
#pragma once
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <unordered_set>
#include <vector>

#include "regf/base_block.hpp"
#include "regf/hbin_scan.hpp"
#include "regf/key_node.hpp"
#include "regf/security_key.hpp"
#include "regf/tree.hpp"
#include "regf/value_key.hpp"

namespace hivelint::regf {

using KeyInfo = KeyNode;

struct ValueInfo {
  ValueKey key;
  std::vector<std::uint8_t> data;
  bool big_data = false;
};

class Reader {
 public:
  /// Parses the base block and scans the hive bins. Throws FormatError when the hive is unusable.
  explicit Reader(std::span<const std::uint8_t> hive);

  const BaseBlock& base_block() const noexcept { return base_; }
  const std::vector<Diagnostic>& diagnostics() const noexcept { return diagnostics_; }
  const CellMap& cells() const noexcept { return cells_; }

  /// The root key node. Throws FormatError.
  KeyNode root() const;
  /// The key at a backslash-separated path below the root (case-insensitive); nullopt when absent.
  std::optional<KeyNode> open(std::u16string_view path) const;
  /// The key's security cell. Throws FormatError.
  SecurityKey security(const KeyNode& key) const;
  /// Direct subkeys in stored order. Throws FormatError on a damaged list or key node.
  std::vector<KeyNode> subkeys(const KeyNode& key) const;
  /// Values in stored order, with their data. Throws FormatError.
  std::vector<ValueInfo> values(const KeyNode& key) const;
  /// One value by name (case-insensitive; "" = default value); nullopt when absent.
  std::optional<ValueInfo> value(const KeyNode& key, std::u16string_view name) const;
  /// The whole hive as a tree; a key node reached twice (a cycle or a shared subtree) or a tree deeper than
  /// kMaxDepth is a FormatError, so hostile lists cannot make the walk loop or explode.
  TreeKey read_tree() const;

 private:
  KeyNode node(CellOffset offset) const;
  std::vector<ValueKey> value_keys(const KeyNode& key) const;
  void read_tree_into(const KeyNode& key, TreeKey& out, std::unordered_set<std::uint32_t>& seen, std::size_t depth) const;

  std::span<const std::uint8_t> bytes_;
  std::vector<Diagnostic> diagnostics_;
  BaseBlock base_;
  CellMap cells_;
};

}  // namespace hivelint::regf
