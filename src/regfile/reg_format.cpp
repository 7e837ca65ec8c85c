#include "regfile/reg_format.hpp"

#include <cstdio>

#include "util/control_chars.hpp"
#include "util/error.hpp"
#include "util/utf16.hpp"

namespace hivelint::regfile {
namespace {

constexpr char16_t kHexDigits[] = u"0123456789abcdef";

void append_hex_byte(std::u16string& out, std::uint8_t b) {
  out += kHexDigits[b >> 4];
  out += kHexDigits[b & 0xF];
}

// `hex:` for REG_BINARY, else `hex(N):` with N in lowercase hex, no leading zeros (regedit's
// "hex(%x):").
std::size_t append_hex_type(std::u16string& out, std::uint32_t type) {
  if (type == 3) {
    out += u"hex:";
    return 4;
  }
  const std::size_t before = out.size();
  out += u"hex(";
  char16_t digits[8];
  std::size_t n = 0;
  do {
    digits[n++] = kHexDigits[type & 0xF];
    type >>= 4;
  } while (type != 0);
  while (n > 0) out += digits[--n];
  out += u"):";
  return out.size() - before;
}

// regedit's export_hex_data: `line_len` is what the current line already holds (the name and the
// type prefix).
void append_hex_data(std::u16string& out, std::size_t line_len,
                     std::span<const std::uint8_t> data) {
  out.reserve(out.size() + data.size() * 3 + data.size() / 8 +
              8);  // "xx," per byte plus the line breaks
  for (std::size_t i = 0; i < data.size(); ++i) {
    append_hex_byte(out, data[i]);
    if (i + 1 == data.size()) break;
    out += u',';
    line_len += 3;
    if (line_len >= kRegHexLineChars) {
      out += u"\\\r\n  ";
      line_len = 2;
    }
  }
}

void append_escaped(std::u16string& out, std::u16string_view s) {
  for (char16_t c : s) {
    if (c == u'\\' || c == u'"') out += u'\\';
    out += c;
  }
}

std::string code_point(char16_t c) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(c));
  return buf;
}

bool has_unpaired_surrogate(std::u16string_view s) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char16_t c = s[i];
    if (c >= 0xD800 && c <= 0xDBFF && i + 1 < s.size() && s[i + 1] >= 0xDC00 && s[i + 1] <= 0xDFFF)
      ++i;
    else if (c >= 0xD800 && c <= 0xDFFF)
      return true;
  }
  return false;
}

// A path for an error message: UTF-8, control characters escaped (it goes to a terminal).
std::string shown(std::u16string_view path) {
  return util::escape_controls(util::utf16_to_utf8(path).text);
}

[[noreturn]] void refuse_key(std::u16string_view path, const std::string& problem) {
  throw InputError("key \"" + shown(path) + "\": " + problem +
                   "; a .reg file cannot carry it (regedit would read other keys or values from "
                   "it): use --format json, "
                   "or export a key below or beside it");
}

}  // namespace

std::string reg_key_name_problem(std::u16string_view name) {
  if (name.empty()) return "a key name is empty";
  for (char16_t c : name) {
    if (c == u'\r' || c == u'\n') return "a key name holds a line break (" + code_point(c) + ")";
    if (c == u']') return "a key name holds ']' (ends a key line)";
    if (c == u'\\') return "a key name holds '\\' (separates key names)";
    if (c == 0) return "a key name holds NUL (U+0000)";
  }
  if (has_unpaired_surrogate(name)) return "a key name holds an unpaired surrogate";
  if (name.size() > 255) return "a key name is longer than 255 characters";
  return {};
}

std::string reg_value_name_problem(std::u16string_view name) {
  for (char16_t c : name) {
    if (c == u'\r' || c == u'\n')
      return "the value name holds a line break (" + code_point(c) + ")";
    if (c == 0) return "the value name holds NUL (U+0000)";
  }
  if (name.size() > 16383) return "the value name is longer than 16383 characters";
  return {};
}

void append_key_line(std::u16string& out, std::u16string_view root,
                     const std::vector<std::u16string>& names) {
  std::u16string path(root);
  for (const auto& n : names) (path += u'\\') += n;
  for (const auto& n : names)
    if (const std::string problem = reg_key_name_problem(n); !problem.empty())
      refuse_key(path, problem);
  out += u'[';
  out += path;
  out += u"]\r\n";
}

void validate_reg_root(std::u16string_view root) {
  const auto refuse = [&](const std::string& why) {
    throw UsageError("--root \"" + shown(root) + "\": " + why +
                     " (expected a key path such as HKEY_LOCAL_MACHINE\\SYSTEM)");
  };
  if (root.empty()) refuse("is empty");
  if (root.front() == u'-') refuse("starts with '-', which makes a key line a deletion");
  std::size_t start = 0;
  while (start <= root.size()) {
    std::size_t end = root.find(u'\\', start);
    if (end == std::u16string_view::npos) end = root.size();
    if (const std::string problem = reg_key_name_problem(root.substr(start, end - start));
        !problem.empty())
      refuse(problem);
    start = end + 1;
  }
}

void append_comment_line(std::u16string& out, std::string_view text) {
  out += u"; ";
  out += util::utf8_to_utf16(util::escape_controls(text));
  out += u"\r\n";
}

std::u16string escape_reg_string(std::u16string_view s) {
  std::u16string out;
  out.reserve(s.size());
  append_escaped(out, s);
  return out;
}

bool reg_sz_is_quotable(std::span<const std::uint8_t> data) {
  if (data.size() < 2 || data.size() % 2 != 0) return false;
  const std::size_t units = data.size() / 2;
  bool expect_low = false;
  for (std::size_t i = 0; i < units; ++i) {
    const auto u = static_cast<char16_t>(data[2 * i] | (data[2 * i + 1] << 8));
    const bool last = i + 1 == units;
    if (u == 0) return last && !expect_low;  // the terminator, and only at the end
    if (last) return false;  // not terminated: regedit would drop the last character
    if (u == u'\r' || u == u'\n') return false;
    const bool high = u >= 0xD800 && u <= 0xDBFF, low = u >= 0xDC00 && u <= 0xDFFF;
    if (expect_low != low) return false;  // unpaired surrogate
    expect_low = high;
  }
  return false;
}

void append_key_line(std::u16string& out, std::u16string_view path) {
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t end = path.find(u'\\', start);
    if (end == std::u16string_view::npos) end = path.size();
    if (const std::string problem = reg_key_name_problem(path.substr(start, end - start));
        !problem.empty())
      refuse_key(path, problem);
    start = end + 1;
  }
  if (path.front() == u'-') refuse_key(path, "the path starts with '-' (a deletion line)");
  out += u'[';
  out += path;
  out += u"]\r\n";
}

std::size_t append_value_name(std::u16string& out, std::u16string_view name) {
  const std::size_t before = out.size();
  if (name.empty()) {
    out += u"@=";
  } else {
    out += u'"';
    append_escaped(out, name);
    out += u"\"=";
  }
  return out.size() - before;
}

void append_value(std::u16string& out, std::u16string_view name, std::uint32_t type,
                  std::span<const std::uint8_t> data) {
  if (const std::string problem = reg_value_name_problem(name); !problem.empty())
    throw InputError("value \"" + shown(name) + "\": " + problem + "; a .reg file cannot carry it");
  const std::size_t name_len = append_value_name(out, name);
  if (type == 1 && reg_sz_is_quotable(data)) {
    out += u'"';
    for (std::size_t i = 0; i + 2 < data.size(); i += 2) {
      const auto u = static_cast<char16_t>(data[i] | (data[i + 1] << 8));
      if (u == u'\\' || u == u'"') out += u'\\';
      out += u;
    }
    out += u"\"\r\n";
    return;
  }
  if (type == 4 && data.size() == 4) {
    out += u"dword:";
    for (int i = 3; i >= 0; --i) append_hex_byte(out, data[static_cast<std::size_t>(i)]);
    out += u"\r\n";
    return;
  }
  const std::size_t prefix_len = append_hex_type(out, type);
  append_hex_data(out, name_len + prefix_len, data);
  out += u"\r\n";
}

void append_value_deletion(std::u16string& out, std::u16string_view name) {
  if (const std::string problem = reg_value_name_problem(name); !problem.empty())
    throw InputError("value \"" + shown(name) + "\": " + problem + "; a .reg file cannot carry it");
  (void)append_value_name(out, name);
  out += u"-\r\n";
}

std::vector<std::u16string> format_value_lines(std::u16string_view name, std::uint32_t type,
                                               std::span<const std::uint8_t> data) {
  std::u16string text;
  append_value(text, name, type, data);
  std::vector<std::u16string> lines;
  std::size_t start = 0;
  for (std::size_t crlf = text.find(u"\r\n"); crlf != std::u16string::npos;
       crlf = text.find(u"\r\n", start)) {
    lines.push_back(text.substr(start, crlf - start));
    start = crlf + 2;
  }
  return lines;
}

void append_utf16le(std::string& bytes, std::u16string_view text) {
  const std::size_t at = bytes.size();
  bytes.resize(at + 2 * text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    bytes[at + 2 * i] = static_cast<char>(text[i] & 0xFF);
    bytes[at + 2 * i + 1] = static_cast<char>(text[i] >> 8);
  }
}

std::string reg_utf16le_bytes(std::u16string_view text) {
  std::string bytes = "\xFF\xFE";
  append_utf16le(bytes, text);
  return bytes;
}

}  // namespace hivelint::regfile
