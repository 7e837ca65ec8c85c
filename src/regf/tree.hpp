// An in-memory registry tree: what the .reg parser produces and the hive builder consumes.
// Names are UTF-16 code units exactly as they will be stored; data is the raw value bytes.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace hivelint::regf {

struct TreeValue {
  std::u16string name;             // empty = the key's default value ("@" in .reg files)
  std::uint32_t type = 0;          // REG_* number (any 32-bit value is kept as given)
  std::vector<std::uint8_t> data;  // raw bytes as stored in the hive
};

struct TreeKey {
  std::u16string name;
  std::optional<std::u16string> class_name;
  std::vector<TreeValue> values;  // in insertion order (hives keep value lists unsorted)
  std::vector<TreeKey> subkeys;   // any order; the builder sorts them the way Windows does

  /// Finds a direct subkey by case-insensitive name (Windows upcase rules); nullptr if absent.
  TreeKey* find_subkey(std::u16string_view n);
  const TreeKey* find_subkey(std::u16string_view n) const;
  /// Returns the subkey with that name, creating it (with this spelling) when absent.
  TreeKey& ensure_subkey(std::u16string_view n);
  /// Finds a value by case-insensitive name; nullptr if absent.
  TreeValue* find_value(std::u16string_view n);
  const TreeValue* find_value(std::u16string_view n) const;
  /// Sets (replacing a same-named value in place, else appending) a value.
  void set_value(TreeValue v);
  /// Removes a value by name; returns whether one was removed.
  bool remove_value(std::u16string_view n);
  /// Removes a subkey (and its subtree) by name; returns whether one was removed.
  bool remove_subkey(std::u16string_view n);
};

/// Where the first name below `root` (a key's, or a value's as "key\\value") is not valid UTF-16
/// (an unpaired surrogate), as a backslash path in UTF-8 with U+FFFD; nullopt when every name is.
/// Windows stores such names; libregf and hivex refuse to read them.
std::optional<std::string> first_invalid_utf16_name(const TreeKey& root);

}  // namespace hivelint::regf
