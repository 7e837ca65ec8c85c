// The rule language's iteration constructs: for_each_subkey (every subkey of a key, its name bound)
// and for_each_entry (every entry of a REG_MULTI_SZ, each bound in turn), so a rule can follow a
// value's entries to other keys ("every service that is not disabled has each DependOnService entry
// as a key under Services"). A bound name is written "{name}" in the inner conditions' key, value
// and text fields.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "hive/hive_reader.hpp"

namespace hivelint::rules {

/// Names bound by enclosing for_each constructs, innermost last.
class Bindings {
 public:
  void push(std::string name, std::string value) {
    vars_.emplace_back(std::move(name), std::move(value));
  }
  void pop() { vars_.pop_back(); }
  bool empty() const noexcept { return vars_.empty(); }
  /// `text` with each "{name}" of a bound name replaced by its value (innermost binding wins); any
  /// other braces (a class GUID such as "{4D36E965-E325-11CE-BFC1-08002BE10318}") are kept as
  /// written.
  std::string expand(std::string_view text) const;
  /// The same into `out` (replacing its contents), reusing its storage.
  void expand_into(std::string_view text, std::string& out) const;
  /// The value `name` is bound to (innermost), or nullptr when it is not bound.
  const std::string* find(std::string_view name) const;

 private:
  std::vector<std::pair<std::string, std::string>> vars_;
};

/// The names written "{name}" in `text`, in order (bound or not: "{4D36E965-...}" is listed too).
void placeholders(std::string_view text, std::vector<std::string>& out);

/// Most subkeys or entries one for_each visits; past it the construct fails with a trace line
/// saying so (a hostile or damaged hive cannot make a rule run unbounded). Above Windows' own
/// Services count by far.
inline constexpr std::size_t kMaxForEachItems = 100000;

/// What a for_each iterates over: the subkey names of `key`, or the entries of the value as Windows
/// reads them (REG_MULTI_SZ up to the first empty string; a REG_SZ/REG_EXPAND_SZ is one entry).
/// Empty when absent.
std::vector<std::string> for_each_subkey_names(const hive::HiveReader& reader,
                                               const hive::KeyPath& key);
std::vector<std::string> for_each_entries(const hive::HiveReader& reader, const hive::KeyPath& key,
                                          std::string_view value);

}  // namespace hivelint::rules
