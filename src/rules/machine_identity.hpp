// The machine a SYSTEM hive belongs to, read from its current ControlSet (issue 17 §2):
// ComputerName, ProductType, CSDVersion and the time zone, so a reviewer can name the machine and
// turn the UTC key times into its local time. Every value is reported as found: absent, of the
// expected type, or of another type or size (never misread).
#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include "hive/hive_reader.hpp"

namespace hivelint::rules {

/// One value `info` shows: where it was looked for and what was there.
struct IdentityValue {
  std::string key;  // hive-relative key path ("ControlSet001\\Control\\ComputerName\\ComputerName")
  std::string name;  // value name ("ComputerName")
  bool present = false;
  std::optional<std::uint32_t> type;  // as stored, when present
  std::size_t size = 0;               // data size, when present
  std::optional<std::string> text;    // a string value of a string type (REG_SZ / REG_EXPAND_SZ)
  std::optional<std::int64_t>
      number;           // a DWORD value of type REG_DWORD and 4 bytes (signed for the biases)
  std::string problem;  // present but not usable: "REG_SZ, not REG_DWORD", "2 bytes, not 4"
};

struct MachineIdentity {
  std::string control_set;      // the set read ("ControlSet001"), "" when none could be resolved
  std::string error;            // why no set was read (no Select, Select\Current absent ...)
  IdentityValue computer_name;  // Control\ComputerName\ComputerName\ComputerName (REG_SZ)
  IdentityValue product_type;   // Control\ProductOptions\ProductType (REG_SZ)
  std::string
      product_role;  // WinNT workstation, ServerNT server, LanmanNT domain controller; "" otherwise
  IdentityValue csd_version;  // Control\Windows\CSDVersion (REG_DWORD; service pack in bits 8..15)
  IdentityValue
      time_zone_key_name;  // Control\TimeZoneInformation\TimeZoneKeyName (REG_SZ, Vista and later)
  IdentityValue standard_name;  // Control\TimeZoneInformation\StandardName (REG_SZ)
  IdentityValue
      bias;  // Control\TimeZoneInformation\Bias (REG_DWORD, signed minutes: UTC = local + bias)
  IdentityValue
      active_time_bias;  // Control\TimeZoneInformation\ActiveTimeBias (REG_DWORD, signed minutes)
};

/// Reads the identity from the set Select\Current names. Never throws for absent or ill-typed
/// values or a missing Select (they are reported in the result); backend errors (BackendError)
/// propagate.
MachineIdentity read_machine_identity(const hive::HiveReader& reader);

/// "Service Pack 2" for a CSDVersion of 0x200, "" for 0 or no service pack number.
std::string service_pack_name(std::uint32_t csd_version);

}  // namespace hivelint::rules
