#include "rules/machine_identity.hpp"

#include "hive/value.hpp"
#include "rules/control_set.hpp"

namespace hivelint::rules {
namespace {

using hive::KeyPath;
using hive::ValueType;

IdentityValue look_up(const hive::HiveReader& reader, const KeyPath& key, const std::string& name) {
  IdentityValue out;
  out.key = key.str();
  out.name = name;
  const auto v = reader.value(key, name);
  if (!v) return out;
  out.present = true;
  out.type = v->type;
  out.size = v->data.size();
  return out;
}

IdentityValue string_value(const hive::HiveReader& reader, const KeyPath& key,
                           const std::string& name) {
  IdentityValue out = look_up(reader, key, name);
  if (!out.present) return out;
  const auto v = reader.value(key, name);
  if (v->type != static_cast<std::uint32_t>(ValueType::kSz) &&
      v->type != static_cast<std::uint32_t>(ValueType::kExpandSz)) {
    out.problem = hive::type_name(v->type) + ", not REG_SZ";
    return out;
  }
  if (v->data.size() % 2 != 0) {
    out.problem = std::to_string(v->data.size()) + " bytes, an odd size for UTF-16";
    return out;
  }
  const hive::DecodedString s = hive::decode_string(v->data);
  out.text = s.text;
  if (s.lossy) out.problem = "some characters are not valid UTF-16 (replaced by U+FFFD)";
  return out;
}

IdentityValue dword_value(const hive::HiveReader& reader, const KeyPath& key,
                          const std::string& name, bool is_signed) {
  IdentityValue out = look_up(reader, key, name);
  if (!out.present) return out;
  const auto v = reader.value(key, name);
  if (v->type != static_cast<std::uint32_t>(ValueType::kDword)) {
    out.problem = hive::type_name(v->type) + ", not REG_DWORD";
    return out;
  }
  if (v->data.size() != 4) {
    out.problem = std::to_string(v->data.size()) + " bytes, not 4";
    return out;
  }
  const std::uint32_t u = *hive::decode_dword(*v);
  // Bias is a LONG (two's complement): 0xFFFFFFC4 is -60, a time zone one hour east of UTC.
  out.number = is_signed ? static_cast<std::int64_t>(static_cast<std::int32_t>(u))
                         : static_cast<std::int64_t>(u);
  return out;
}

}  // namespace

std::string service_pack_name(std::uint32_t csd_version) {
  const std::uint32_t sp = (csd_version >> 8) & 0xFF;
  return sp == 0 ? "" : "Service Pack " + std::to_string(sp);
}

MachineIdentity read_machine_identity(const hive::HiveReader& reader) {
  MachineIdentity m;
  try {
    m.control_set =
        resolve_control_sets(reader, {ControlSetSelector::kCurrent, 0}).sets.front().name;
  } catch (const ControlSetError& e) {
    m.error = e.what();
    return m;
  }
  const KeyPath control = KeyPath::parse(m.control_set) / "Control";
  m.computer_name =
      string_value(reader, control / KeyPath::parse("ComputerName\\ComputerName"), "ComputerName");
  m.product_type = string_value(reader, control / "ProductOptions", "ProductType");
  if (m.product_type.text) {
    const std::string& t = *m.product_type.text;
    if (t == "WinNT")
      m.product_role = "workstation";
    else if (t == "ServerNT")
      m.product_role = "server";
    else if (t == "LanmanNT")
      m.product_role = "domain controller";
  }
  m.csd_version = dword_value(reader, control / "Windows", "CSDVersion", false);
  const KeyPath tz = control / "TimeZoneInformation";
  m.time_zone_key_name = string_value(reader, tz, "TimeZoneKeyName");
  m.standard_name = string_value(reader, tz, "StandardName");
  m.bias = dword_value(reader, tz, "Bias", true);
  m.active_time_bias = dword_value(reader, tz, "ActiveTimeBias", true);
  return m;
}

}  // namespace hivelint::rules
