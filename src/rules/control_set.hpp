// Resolving CurrentControlSet in an offline SYSTEM hive. An offline hive has no CurrentControlSet
// key (it is a volatile link Windows creates at boot); Select\Current (or Default, LastKnownGood,
// Failed) names the ControlSet00N that plays that role.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "hive/hive_reader.hpp"
#include "util/error.hpp"

namespace hivelint::rules {

enum class ControlSetSelector { kCurrent, kDefault, kLastKnownGood, kFailed, kNumber, kAll };

struct ControlSetChoice {
  ControlSetSelector selector = ControlSetSelector::kCurrent;
  unsigned number = 0;  // kNumber only (1..999)
};

/// Parses "current", "default", "lastknowngood", "failed", "all", "N", "00N" or "ControlSet00N"
/// (case-insensitive). Throws UsageError for anything else.
ControlSetChoice parse_control_set_choice(std::string_view text);

/// Select's four DWORDs as found (each nullopt when absent or not a 4-byte REG_DWORD).
struct SelectValues {
  bool key_present = false;
  std::optional<std::uint32_t> current, default_set, failed, last_known_good;
};
SelectValues read_select(const hive::HiveReader& reader);

/// The ControlSetNNN keys directly under the root, by number (names matched case-insensitively).
std::vector<unsigned> list_control_sets(const hive::HiveReader& reader);

struct ResolvedControlSet {
  unsigned number = 0;
  std::string name;    // "ControlSet002" (as stored in the hive)
  std::string source;  // how it was chosen: "Select\\Current = 2", "--control-set 2", "all"
  bool is_current =
      false;  // equals Select\Current, so HKLM\SYSTEM\CurrentControlSet is this set on that machine
  std::vector<std::string> roles;  // the Select values naming it, in Select's order: Current,
                                   // Default, LastKnownGood, Failed
};

/// The roles Select gives ControlSet `number` ("Current", "Default", "LastKnownGood", "Failed"),
/// possibly none.
std::vector<std::string> control_set_roles(const SelectValues& select, unsigned number);

/// Why a choice cannot be resolved (no Select key, value missing, set absent ...). Exit code 3.
class ControlSetError : public InputError {
 public:
  using InputError::InputError;
};

struct Resolution {
  std::vector<ResolvedControlSet> sets;  // one, or every set for kAll
  std::vector<std::string>
      notes;  // oddities worth telling (Select inconsistent, CurrentControlSet key present ...)
};

/// Resolves the choice against the hive. Throws ControlSetError when it cannot (never guesses).
Resolution resolve_control_sets(const hive::HiveReader& reader, const ControlSetChoice& choice);

/// "ControlSet002" for 2.
std::string control_set_name(unsigned number);

}  // namespace hivelint::rules
