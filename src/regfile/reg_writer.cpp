#include "regfile/reg_writer.hpp"

#include <algorithm>
#include <cstdio>
#include <optional>

#include "util/utf16.hpp"

namespace hivelint::regfile {
namespace {

// regedit wraps hex data once a line reaches this many characters (Windows' and Wine's regedit alike).
constexpr std::size_t kHexWrapColumn = 77;

std::string quoted(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '\\' || c == '"') out += '\\';
    out += c;
  }
  return out + "\"";
}

// The REG_SZ text when the data is a clean string regedit can write and read back unchanged.
std::optional<std::string> clean_string(const std::vector<std::uint8_t>& data) {
  if (data.size() < 2 || data.size() % 2 != 0) return std::nullopt;
  const std::u16string units = util::utf16le_units(data);
  if (units.back() != u'\0') return std::nullopt;
  const std::u16string_view body(units.data(), units.size() - 1);
  for (char16_t u : body)
    if (u == u'\0' || u == u'\r' || u == u'\n') return std::nullopt;
  const auto text = util::utf16_to_utf8(body);
  if (text.lossy) return std::nullopt;
  return text.text;
}

std::string hex_data(std::string prefix, std::size_t column, const std::vector<std::uint8_t>& data) {
  std::string out = std::move(prefix);
  char byte[3];
  for (std::size_t i = 0; i < data.size(); ++i) {
    std::snprintf(byte, sizeof byte, "%02x", data[i]);
    out += byte;
    if (i + 1 == data.size()) break;
    out += ',';
    column += 3;
    if (column >= kHexWrapColumn) {
      out += "\\\r\n  ";
      column = 2;
    }
  }
  return out;
}

}  // namespace

std::string format_value(const RegValue& value) {
  const std::string name = value.name.empty() ? "@=" : quoted(value.name) + "=";
  if (value.type == 1)
    if (const auto text = clean_string(value.data)) return name + quoted(*text);
  if (value.type == 4 && value.data.size() == 4) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "dword:%08x",
                  static_cast<unsigned>(value.data[0] | value.data[1] << 8 | value.data[2] << 16 |
                                        static_cast<unsigned>(value.data[3]) << 24));
    return name + buf;
  }
  std::string prefix = "hex:";
  if (value.type != 3) {
    char buf[24];
    std::snprintf(buf, sizeof buf, "hex(%x):", value.type);
    prefix = buf;
  }
  // The column counts UTF-16 units as regedit does; names are short, so UTF-8 bytes of ASCII names agree.
  const std::size_t column = util::utf8_to_utf16(name).size() + prefix.size();
  return name + hex_data(prefix, column, value.data);
}

std::string format_reg_file(const std::vector<std::string>& comments, const std::vector<RegKeyBlock>& blocks) {
  std::string out = "Windows Registry Editor Version 5.00\r\n\r\n";
  for (const auto& c : comments) out += "; " + c + "\r\n";
  if (!comments.empty()) out += "\r\n";
  for (const auto& block : blocks) {
    out += "[" + block.path + "]\r\n";
    for (const auto& v : block.values) out += format_value(v) + "\r\n";
    out += "\r\n";
  }
  return out;
}

std::vector<std::uint8_t> encode_utf16le_with_bom(const std::string& text) {
  const std::string body = util::utf16le_bytes(util::utf8_to_utf16(text));
  std::vector<std::uint8_t> out(body.size() + 2);
  out[0] = 0xFF;  // byte order mark U+FEFF, little-endian
  out[1] = 0xFE;
  std::copy(body.begin(), body.end(), out.begin() + 2);
  return out;
}

}  // namespace hivelint::regfile
