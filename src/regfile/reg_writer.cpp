#include "regfile/reg_writer.hpp"

#include "regfile/reg_format.hpp"
#include "util/utf16.hpp"

namespace hivelint::regfile {

// The value lines themselves come from reg_format (shared with `export`), so both write regedit's exact text.
std::string format_value(const RegValue& value) {
  std::u16string out;
  append_value(out, util::utf8_to_utf16(value.name), value.type, value.data);
  if (out.size() >= 2 && out.compare(out.size() - 2, 2, u"\r\n") == 0) out.resize(out.size() - 2);
  return util::utf16_to_utf8(out).text;
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
  const std::string bytes = reg_utf16le_bytes(util::utf8_to_utf16(text));  // BOM included
  return {bytes.begin(), bytes.end()};
}

}  // namespace hivelint::regfile
