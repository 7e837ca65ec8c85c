// A HiveReader that remembers what it has read, for one evaluation of a hive that does not change
// meanwhile. The service-start rules ask the same questions many times ("does Services\X exist",
// "what is X's Start", "does any service's Group name +TDI"): once per service, per dependency
// entry and per ControlSet. Each answer costs a path lookup in the backend (libregf's are linear in
// the number of hive bins), so a rule set that is quadratic in questions must not be quadratic in
// lookups. Names match the way the backend matches them (util::upcase of the UTF-16 form), so a
// cached answer is the answer the backend would give.
//
// Bounded: past `max_bytes` of remembered names and data nothing more is remembered and every
// further question goes to the backend (a crafted hive whose keys all share one huge value list
// cannot grow the cache past it). Errors are not remembered: a lookup that throws throws again. Not
// thread-safe; one per hive and thread.
#pragma once
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "hive/hive_reader.hpp"

namespace hivelint::hive {

class CachingReader final : public HiveReader {
 public:
  static constexpr std::size_t kDefaultMaxBytes = std::size_t{64} << 20;

  explicit CachingReader(const HiveReader& backend, std::size_t max_bytes = kDefaultMaxBytes)
      : backend_(backend), max_bytes_(max_bytes) {}

  std::optional<KeyInfo> key(const KeyPath& path) const override;
  std::vector<std::string> subkey_names(const KeyPath& path) const override;
  std::optional<Value> value(const KeyPath& path, std::string_view name) const override;
  std::vector<Value> values(const KeyPath& path) const override { return backend_.values(path); }
  std::vector<regf::Diagnostic> diagnostics() const override { return backend_.diagnostics(); }
  std::string backend_name() const override { return backend_.backend_name(); }
  regf::TreeKey read_tree() const override { return backend_.read_tree(); }
  bool visit(const KeyPath& start, TreeVisitor& visitor) const override {
    return backend_.visit(start, visitor);
  }

  /// Questions answered from memory, and bytes remembered (for tests and --verbose timing notes).
  std::size_t hits() const noexcept { return hits_; }
  std::size_t bytes() const noexcept { return bytes_; }

 private:
  bool room_for(std::size_t n) const;

  const HiveReader& backend_;
  std::size_t max_bytes_;
  mutable std::size_t bytes_ = 0;
  mutable std::size_t hits_ = 0;
  mutable std::unordered_map<std::u16string, std::optional<KeyInfo>> keys_;
  mutable std::unordered_map<std::u16string, std::vector<std::string>> subkeys_;
  mutable std::unordered_map<std::u16string, std::optional<Value>> values_;
};

}  // namespace hivelint::hive
