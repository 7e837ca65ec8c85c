#include "regfile/reg_writer.hpp"

#include "regfile/reg_format.hpp"
#include "util/utf16.hpp"

namespace hivelint::regfile {

// The value lines themselves come from reg_format (shared with `export`), so both write regedit's
// exact text.
std::string format_value(const RegValue& value) {
  std::u16string out;
  if (value.remove)
    append_value_deletion(out, util::utf8_to_utf16(value.name));
  else
    append_value(out, util::utf8_to_utf16(value.name), value.type, value.data);
  if (out.size() >= 2 && out.compare(out.size() - 2, 2, u"\r\n") == 0) out.resize(out.size() - 2);
  return util::utf16_to_utf8(out).text;
}

std::string format_reg_file(const std::vector<std::string>& comments,
                            const std::vector<RegKeyBlock>& blocks) {
  // Through reg_format's checked pieces: comments stay one line (a hive's file name is in them,
  // D5), key and value names a .reg file cannot carry are refused.
  std::u16string out(kRegHeader);
  out += u"\r\n";
  for (const auto& c : comments) append_comment_line(out, c);
  if (!comments.empty()) out += u"\r\n";
  for (const auto& block : blocks) {
    append_key_line(out, util::utf8_to_utf16(block.path));
    for (const auto& v : block.values) {
      if (v.remove)
        append_value_deletion(out, util::utf8_to_utf16(v.name));
      else
        append_value(out, util::utf8_to_utf16(v.name), v.type, v.data);
    }
    out += u"\r\n";
  }
  return util::utf16_to_utf8(out).text;
}

std::vector<std::uint8_t> encode_utf16le_with_bom(const std::string& text) {
  const std::string bytes = reg_utf16le_bytes(util::utf8_to_utf16(text));  // BOM included
  return {bytes.begin(), bytes.end()};
}

}  // namespace hivelint::regfile
