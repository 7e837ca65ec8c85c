// Service key names of one ControlSet's Services key, and the display names that lead to them: an
// EVT record names a service by its display name only, and a reviewer wants the key name as stored
// in the hive.
#pragma once
#include <map>
#include <optional>
#include <string>

#include "hive/hive_reader.hpp"
#include "hive/key_path.hpp"

namespace hivelint::events {

class ServiceDirectory {
 public:
  ServiceDirectory() = default;
  /// Reads every subkey of `services` (e.g. ControlSet001\Services) and its DisplayName (REG_SZ or
  /// REG_EXPAND_SZ). An absent key gives an empty directory. Throws what the reader throws.
  static ServiceDirectory read(const hive::HiveReader& reader, const hive::KeyPath& services);

  /// The key name as stored for a key name in any case, or nullopt when no such service key exists.
  std::optional<std::string> key_by_name(const std::string& name) const;
  /// The key name of the service with this display name (Windows' case folding); nullopt when none
  /// has it or when two services share it (ambiguous).
  std::optional<std::string> key_by_display_name(const std::string& display_name) const;
  bool empty() const { return keys_.empty(); }

 private:
  std::map<std::u16string, std::string> keys_;  // upcased key name -> stored key name
  std::map<std::u16string, std::optional<std::string>>
      by_display_;  // upcased display name -> key (nullopt: ambiguous)
};

}  // namespace hivelint::events
