#include "hive/value.hpp"

#include <array>
#include <cstdio>
#include <span>

#include "util/bytes.hpp"
#include "util/utf16.hpp"

namespace hivelint::hive {

const char* data_storage_name(DataStorage storage) {
  switch (storage) {
    case DataStorage::kNone:
      return "none";
    case DataStorage::kResident:
      return "resident";
    case DataStorage::kCell:
      return "cell";
    case DataStorage::kBigData:
      return "big_data";
    case DataStorage::kUnknown:
      break;
  }
  return "unknown";
}
namespace {

constexpr std::array<const char*, 12> kTypeNames{"REG_NONE",
                                                 "REG_SZ",
                                                 "REG_EXPAND_SZ",
                                                 "REG_BINARY",
                                                 "REG_DWORD",
                                                 "REG_DWORD_BIG_ENDIAN",
                                                 "REG_LINK",
                                                 "REG_MULTI_SZ",
                                                 "REG_RESOURCE_LIST",
                                                 "REG_FULL_RESOURCE_DESCRIPTOR",
                                                 "REG_RESOURCE_REQUIREMENTS_LIST",
                                                 "REG_QWORD"};

std::string ascii_upper(std::string_view s) {
  std::string out(s);
  for (auto& c : out)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return out;
}

}  // namespace

std::string type_name(std::uint32_t type) {
  if (type < kTypeNames.size()) return kTypeNames[type];
  char buf[32];
  std::snprintf(buf, sizeof buf, "REG_0x%x", type);
  return buf;
}

std::optional<std::uint32_t> parse_type_name(std::string_view name) {
  const std::string upper = ascii_upper(name);
  for (std::uint32_t i = 0; i < kTypeNames.size(); ++i) {
    const std::string_view full = kTypeNames[i];
    if (upper == full || upper == full.substr(4)) return i;
  }
  std::string_view digits = upper;
  if (digits.starts_with("REG_")) digits.remove_prefix(4);
  int base = 10;
  if (digits.starts_with("0X")) {
    digits.remove_prefix(2);
    base = 16;
  }
  if (digits.empty() || digits.size() > 10) return std::nullopt;
  std::uint64_t v = 0;
  for (char c : digits) {
    int d;
    if (c >= '0' && c <= '9')
      d = c - '0';
    else if (base == 16 && c >= 'A' && c <= 'F')
      d = c - 'A' + 10;
    else
      return std::nullopt;
    v = v * static_cast<std::uint64_t>(base) + static_cast<std::uint64_t>(d);
    if (v > 0xFFFFFFFFull) return std::nullopt;
  }
  return static_cast<std::uint32_t>(v);
}

DecodedString decode_string(const std::vector<std::uint8_t>& data) {
  DecodedString out;
  const std::u16string units = util::utf16le_units(data);
  const std::size_t nul = units.find(u'\0');
  out.terminated = nul != std::u16string::npos;
  const std::u16string_view text = std::u16string_view(units).substr(0, nul);
  auto utf8 = util::utf16_to_utf8(text);
  out.text = std::move(utf8.text);
  out.lossy = utf8.lossy || (data.size() % 2 != 0 && !out.terminated);
  if (out.terminated)
    for (std::size_t i = nul; i < units.size(); ++i)
      if (units[i] != u'\0') out.trailing_data = true;
  return out;
}

DecodedMultiString decode_multi_string(const std::vector<std::uint8_t>& data) {
  DecodedMultiString out;
  const std::u16string units = util::utf16le_units(data);
  if (data.size() % 2 != 0) out.lossy = true;
  // Split on NULs. The canonical form is "a\0b\0\0"; anything after the double NUL is ignored only
  // if it is all NULs (padding) — otherwise those strings are kept, since a reader that stops early
  // would hide them.
  std::vector<std::u16string_view> parts;
  std::size_t start = 0;
  const std::u16string_view all(units);
  for (std::size_t i = 0; i <= all.size(); ++i) {
    if (i == all.size() || all[i] == u'\0') {
      parts.push_back(all.substr(start, i - start));
      start = i + 1;
    }
  }
  // "a\0b\0\0" splits into a, b, "", "": the first empty part is the list terminator.
  const bool ends_double_nul =
      units.size() >= 2 && units[units.size() - 1] == u'\0' && units[units.size() - 2] == u'\0';
  out.well_terminated =
      ends_double_nul || units.empty() || (units.size() == 1 && units[0] == u'\0');
  bool after_terminator = false;
  for (const auto& p : parts) {
    if (p.empty()) {
      after_terminator = true;
      continue;
    }
    auto utf8 = util::utf16_to_utf8(p);
    out.lossy = out.lossy || utf8.lossy;
    (after_terminator ? out.hidden : out.entries).push_back(std::move(utf8.text));
  }
  return out;
}

std::vector<std::uint8_t> encode_multi_string(const std::vector<std::string>& entries) {
  std::vector<std::uint8_t> out;
  auto put = [&out](char16_t u) {
    out.push_back(static_cast<std::uint8_t>(u & 0xFF));
    out.push_back(static_cast<std::uint8_t>(u >> 8));
  };
  for (const auto& e : entries) {
    for (char16_t u : util::utf8_to_utf16(e)) put(u);
    put(u'\0');
  }
  put(u'\0');
  return out;
}

std::optional<std::uint32_t> decode_dword(const Value& value) {
  if (value.data.size() != 4) return std::nullopt;
  if (value.type == static_cast<std::uint32_t>(ValueType::kDword)) return util::le_u32(value.data);
  if (value.type == static_cast<std::uint32_t>(ValueType::kDwordBigEndian))
    return static_cast<std::uint32_t>(value.data[0]) << 24 |
           static_cast<std::uint32_t>(value.data[1]) << 16 |
           static_cast<std::uint32_t>(value.data[2]) << 8 | value.data[3];
  return std::nullopt;
}

std::optional<std::uint64_t> decode_qword(const Value& value) {
  if (value.data.size() != 8 || value.type != static_cast<std::uint32_t>(ValueType::kQword))
    return std::nullopt;
  return util::le_u64(value.data);
}

std::string render_data(const Value& value, std::size_t max_bytes) {
  switch (static_cast<ValueType>(value.type)) {
    case ValueType::kSz:
    case ValueType::kExpandSz:
    case ValueType::kLink:
      return "\"" + decode_string(value.data).text + "\"";
    case ValueType::kMultiSz: {
      const auto m = decode_multi_string(value.data);
      std::string out;
      for (std::size_t i = 0; i < m.entries.size(); ++i)
        out += (i ? " | " : "") + ("\"" + m.entries[i] + "\"");
      return m.entries.empty() ? "(empty list)" : out;
    }
    case ValueType::kDword:
    case ValueType::kDwordBigEndian:
      if (auto v = decode_dword(value)) {
        char buf[40];
        std::snprintf(buf, sizeof buf, "%u (0x%08x)", *v, *v);
        return buf;
      }
      break;
    case ValueType::kQword:
      if (auto v = decode_qword(value)) {
        char buf[64];
        std::snprintf(buf, sizeof buf, "%llu (0x%016llx)", static_cast<unsigned long long>(*v),
                      static_cast<unsigned long long>(*v));
        return buf;
      }
      break;
    default:
      break;
  }
  std::string out = "hex:";
  for (std::size_t i = 0; i < value.data.size() && i < max_bytes; ++i) {
    char buf[4];
    std::snprintf(buf, sizeof buf, "%s%02x", i ? "," : "", value.data[i]);
    out += buf;
  }
  if (value.data.size() > max_bytes)
    out += ",... (" + std::to_string(value.data.size()) + " bytes)";
  return out;
}

}  // namespace hivelint::hive
