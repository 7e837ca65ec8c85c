// The backend-neutral reading interface the rules engine uses. Paths are relative to the hive root
// and matched case-insensitively the way Windows matches names (util::names_equal).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hive/key_path.hpp"
#include "hive/tree_visit.hpp"
#include "hive/value.hpp"
#include "regf/diagnostics.hpp"
#include "regf/tree.hpp"

namespace hivelint::hive {

struct KeyInfo {
  KeyPath path;                                   // with the stored spelling of every component
  std::string name;                               // stored spelling (UTF-8)
  std::uint64_t last_written = 0;                 // FILETIME (100 ns since 1601-01-01 UTC)
  std::optional<std::uint64_t> cell_file_offset;  // of the nk cell
  std::uint32_t subkey_count = 0;
  std::uint32_t value_count = 0;
};

class HiveReader {
 public:
  virtual ~HiveReader() = default;
  /// The key at `path`, or nullopt when any component is absent. Throws BackendError when
  /// unreadable.
  virtual std::optional<KeyInfo> key(const KeyPath& path) const = 0;
  /// Names (stored spelling) of the direct subkeys of `path`; empty when the key is absent.
  virtual std::vector<std::string> subkey_names(const KeyPath& path) const = 0;
  /// The value `name` ("" = default value) of key `path`, or nullopt when key or value is absent.
  virtual std::optional<Value> value(const KeyPath& path, std::string_view name) const = 0;
  /// Every value of key `path` in stored order; empty when the key is absent.
  virtual std::vector<Value> values(const KeyPath& path) const = 0;
  /// Damage the backend noticed while reading (its "corrupted" flags); grows as more of the hive is
  /// read.
  virtual std::vector<regf::Diagnostic> diagnostics() const = 0;
  /// "libregf" or "hivelint".
  virtual std::string backend_name() const = 0;
  /// The whole hive as a tree. The default walks by path; backends override it with a faster walk.
  virtual regf::TreeKey read_tree() const;
  /// Calls `visitor` for the key at `start` and everything below it (see tree_visit.hpp); returns
  /// false when `start` is absent. The default walks by path; backends override it with a direct
  /// walk. Throws like key().
  virtual bool visit(const KeyPath& start, TreeVisitor& visitor) const;
  /// True when the backend remembers the keys, subkey names and value keys it has read, so asking
  /// again costs no more than a CachingReader's answer would (evaluation then asks it directly).
  virtual bool remembers_lookups() const { return false; }
};

/// FILETIME as "2004-06-01T00:00:00.0000000Z" (always the 7 digits of 100 ns ticks), "" for 0.
std::string filetime_to_iso8601(std::uint64_t filetime);

}  // namespace hivelint::hive
