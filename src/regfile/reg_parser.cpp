#include "regfile/reg_parser.hpp"

#include <array>

#include "util/error.hpp"
#include "util/upcase.hpp"
#include "util/utf16.hpp"

namespace hivelint::regfile {
namespace {

// Windows-1252 bytes 0x80..0x9F (the rest of the code page is Latin-1); 0 where the code page has
// no character.
constexpr std::array<char16_t, 32> kCp1252High{
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

struct Decoded {
  std::u16string text;
  std::string encoding;
};

Decoded decode(std::span<const std::uint8_t> b) {
  if (b.size() >= 2 && b[0] == 0xFF && b[1] == 0xFE)
    return {util::utf16le_units(b.subspan(2)), "UTF-16LE"};
  if (b.size() >= 2 && b[0] == 0xFE && b[1] == 0xFF) {
    std::u16string units;
    for (std::size_t i = 2; i + 1 < b.size(); i += 2)
      units += static_cast<char16_t>(b[i] << 8 | b[i + 1]);
    return {units, "UTF-16BE"};
  }
  std::string_view text(reinterpret_cast<const char*>(b.data()), b.size());
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  if (util::is_valid_utf8(text)) return {util::utf8_to_utf16(text), "UTF-8"};
  std::u16string units;
  units.reserve(b.size());
  for (const auto c : b)
    units +=
        (c >= 0x80 && c <= 0x9F && kCp1252High[c - 0x80]) ? kCp1252High[c - 0x80] : char16_t{c};
  return {units, "Windows-1252"};
}

std::string utf8(std::u16string_view s) { return util::utf16_to_utf8(s).text; }

bool is_blank(char16_t c) { return c == u' ' || c == u'\t'; }

std::u16string_view trim(std::u16string_view s) {
  while (!s.empty() && (is_blank(s.front()) || s.front() == u'\r')) s.remove_prefix(1);
  while (!s.empty() && (is_blank(s.back()) || s.back() == u'\r')) s.remove_suffix(1);
  return s;
}

int hex_digit(char16_t c) {
  if (c >= u'0' && c <= u'9') return c - u'0';
  if (c >= u'a' && c <= u'f') return c - u'a' + 10;
  if (c >= u'A' && c <= u'F') return c - u'A' + 10;
  return -1;
}

struct LogicalLine {
  std::u16string text;
  std::size_t number;  // first physical line, 1-based
};

// Joins continuation lines: a line ending in '\' (outside a quoted string) continues on the next
// one.
std::vector<LogicalLine> logical_lines(const std::u16string& text) {
  std::vector<LogicalLine> out;
  std::size_t line_no = 0, pos = 0;
  bool continuing = false;
  while (pos <= text.size()) {
    std::size_t end = text.find(u'\n', pos);
    if (end == std::u16string::npos) end = text.size();
    ++line_no;
    std::u16string_view line = std::u16string_view(text).substr(pos, end - pos);
    if (!line.empty() && line.back() == u'\r') line.remove_suffix(1);
    if (continuing) {
      while (!line.empty() && is_blank(line.front())) line.remove_prefix(1);
      out.back().text += line;
    } else {
      out.push_back({std::u16string(line), line_no});
    }
    std::u16string_view current = out.back().text;
    while (!current.empty() && is_blank(current.back())) current.remove_suffix(1);
    // A trailing backslash continues only hex data (after '=hex'); a string line ends in '"'.
    continuing = !current.empty() && current.back() == u'\\' &&
                 current.find(u"=hex") != std::u16string_view::npos;
    if (continuing) {
      out.back().text.resize(current.size() - 1);
    }
    pos = end + 1;
    if (end == text.size()) break;
  }
  return out;
}

class Parser {
 public:
  Parser(const RegParseOptions& options, std::string source)
      : options_(options), source_(std::move(source)) {}

  [[noreturn]] void fail(std::size_t line, const std::string& what) const {
    throw InputError(source_ + ":" + std::to_string(line) + ": " + what);
  }

  RegParseResult run(std::span<const std::uint8_t> bytes) {
    Decoded d = decode(bytes);
    result_.encoding = d.encoding;
    result_.root.name = options_.root_name;
    if (options_.prefix) set_prefix(util::utf8_to_utf16(expand_root_alias(*options_.prefix)));
    const auto lines = logical_lines(d.text);
    bool header = false;
    for (const auto& l : lines) {
      const std::u16string_view t = trim(l.text);
      if (t.empty() || t.front() == u';') continue;
      if (!header) {
        if (t == u"Windows Registry Editor Version 5.00" || t == u"REGEDIT4") {
          result_.format = utf8(t);
          header = true;
          continue;
        }
        fail(l.number,
             "expected the header \"Windows Registry Editor Version 5.00\" or \"REGEDIT4\", found "
             "\"" +
                 utf8(t.substr(0, 60)) + "\" (is this a .reg file?)");
      }
      if (t.front() == u'[')
        key_line(t, l.number);
      else
        value_line(t, l.number);
    }
    if (!header)
      fail(1,
           "empty file: expected the header \"Windows Registry Editor Version 5.00\" or "
           "\"REGEDIT4\"");
    result_.prefix = utf8(prefix_);
    return std::move(result_);
  }

 private:
  void set_prefix(std::u16string p) {
    while (!p.empty() && p.back() == u'\\') p.pop_back();
    prefix_ = std::move(p);
    have_prefix_ = true;
  }

  // Maps a full key path to the components below the prefix; nullopt when outside it.
  std::optional<std::vector<std::u16string>> below_prefix(std::u16string_view path) const {
    if (path.size() < prefix_.size() || !util::names_equal(path.substr(0, prefix_.size()), prefix_))
      return std::nullopt;
    std::u16string_view rest = path.substr(prefix_.size());
    if (!rest.empty() && rest.front() != u'\\') return std::nullopt;
    std::vector<std::u16string> parts;
    std::size_t start = 0;
    while (start <= rest.size()) {
      std::size_t end = rest.find(u'\\', start);
      if (end == std::u16string_view::npos) end = rest.size();
      if (end > start) parts.emplace_back(rest.substr(start, end - start));
      start = end + 1;
    }
    return parts;
  }

  void key_line(std::u16string_view t, std::size_t line) {
    ++result_.key_lines;
    if (t.back() != u']') fail(line, "a key line must end with ']'");
    std::u16string_view path = t.substr(1, t.size() - 2);
    const bool remove = !path.empty() && path.front() == u'-';
    if (remove) path.remove_prefix(1);
    const std::u16string full = util::utf8_to_utf16(expand_root_alias(utf8(path)));
    if (full.empty()) fail(line, "empty key path");
    if (!have_prefix_) set_prefix(full);
    auto parts = below_prefix(full);
    if (!parts)
      fail(line, "key \"" + utf8(full) + "\" is not under the prefix \"" + utf8(prefix_) +
                     "\" (choose another with --prefix)");
    for (const auto& p : *parts) {
      if (p.size() > 255)
        fail(line, "key name longer than 255 characters: \"" + utf8(p.substr(0, 40)) + "...\"");
      // Win32 names end at a NUL, and libregf cuts them there too: such a name cannot round-trip
      // (found by fuzz_builder_roundtrip; tests/fuzz/regressions/builder_roundtrip/).
      if (p.find(u'\0') != std::u16string::npos)
        fail(line, "key name \"" + utf8(p.substr(0, p.find(u'\0'))) +
                       "\" contains a NUL character (U+0000)");
    }
    if (remove) {
      current_ = nullptr;
      if (parts->empty()) fail(line, "cannot delete the hive root \"" + utf8(full) + "\"");
      regf::TreeKey* parent = &result_.root;
      for (std::size_t i = 0; i + 1 < parts->size() && parent; ++i)
        parent = parent->find_subkey((*parts)[i]);
      if (parent) parent->remove_subkey(parts->back());
      return;
    }
    regf::TreeKey* k = &result_.root;
    for (const auto& p : *parts) k = &k->ensure_subkey(p);
    current_ = k;
  }

  // Reads a quoted string starting at t[i] == '"'; returns the unescaped text and moves i past the
  // closing quote.
  std::u16string quoted(std::u16string_view t, std::size_t& i, std::size_t line) const {
    std::u16string out;
    ++i;
    while (i < t.size()) {
      const char16_t c = t[i];
      if (c == u'\\') {
        if (i + 1 >= t.size()) fail(line, "unfinished escape at the end of the line");
        const char16_t n = t[i + 1];
        if (n == u'\\' || n == u'"')
          out += n;
        else if (n == u'n')
          out += u'\n';  // regedit writes none of these, but imports them
        else if (n == u'r')
          out += u'\r';
        else if (n == u't')
          out += u'\t';
        else if (n == u'0')
          out += u'\0';
        else
          fail(line, std::string("unknown escape \\") + utf8(std::u16string(1, n)));
        i += 2;
        continue;
      }
      if (c == u'"') {
        ++i;
        return out;
      }
      out += c;
      ++i;
    }
    fail(line, "missing closing '\"'");
  }

  std::vector<std::uint8_t> hex_bytes(std::u16string_view data, std::size_t line) const {
    std::vector<std::uint8_t> out;
    std::size_t i = 0;
    auto skip = [&] {
      while (i < data.size() && is_blank(data[i])) ++i;
    };
    skip();
    if (i == data.size()) return out;
    for (;;) {
      skip();
      if (i + 2 > data.size()) fail(line, "expected two hex digits");
      const int hi = hex_digit(data[i]), lo = hex_digit(data[i + 1]);
      if (hi < 0 || lo < 0)
        fail(line, "expected two hex digits, found \"" + utf8(data.substr(i, 2)) + "\"");
      out.push_back(static_cast<std::uint8_t>(hi << 4 | lo));
      i += 2;
      skip();
      if (i == data.size()) break;
      if (data[i] != u',')
        fail(line, "expected ',' between hex bytes, found \"" + utf8(data.substr(i, 1)) + "\"");
      ++i;
      skip();
      if (i == data.size()) break;  // a trailing comma (left by a wrapped line) is harmless
    }
    return out;
  }

  void value_line(std::u16string_view t, std::size_t line) {
    ++result_.value_lines;
    std::u16string name;
    std::size_t i = 0;
    if (t.front() == u'@') {
      i = 1;
    } else if (t.front() == u'"') {
      name = quoted(t, i, line);
    } else {
      fail(line,
           "expected a key line \"[...]\", a value line (\"name\"=... or @=...) or a comment, "
           "found \"" +
               utf8(t.substr(0, 60)) + "\"");
    }
    while (i < t.size() && is_blank(t[i])) ++i;
    if (i >= t.size() || t[i] != u'=') fail(line, "expected '=' after the value name");
    ++i;
    while (i < t.size() && is_blank(t[i])) ++i;
    const std::u16string_view data = t.substr(i);
    if (!current_) fail(line, "a value line before any key line (or under a deleted key)");
    if (name.size() > 16383) fail(line, "value name longer than 16383 characters");
    if (name.find(u'\0') != std::u16string::npos)
      fail(line, "value name \"" + utf8(name.substr(0, name.find(u'\0'))) +
                     "\" contains a NUL character (U+0000)");
    if (data == u"-") {
      current_->remove_value(name);
      return;
    }
    regf::TreeValue v;
    v.name = name;
    if (!data.empty() && data.front() == u'"') {
      std::size_t j = 0;
      std::u16string text = quoted(data, j, line);
      if (j != data.size())
        fail(line, "unexpected text after the closing '\"': \"" + utf8(data.substr(j, 40)) + "\"");
      text += u'\0';
      const std::string bytes = util::utf16le_bytes(text);
      v.type = 1;
      v.data.assign(bytes.begin(), bytes.end());
    } else if (data.starts_with(u"dword:")) {
      const std::u16string_view digits = data.substr(6);
      if (digits.empty() || digits.size() > 8) fail(line, "dword: needs 1 to 8 hex digits");
      std::uint32_t n = 0;
      for (char16_t c : digits) {
        const int d = hex_digit(c);
        if (d < 0) fail(line, "dword: needs hex digits, found \"" + utf8(digits) + "\"");
        n = n << 4 | static_cast<std::uint32_t>(d);
      }
      v.type = 4;
      v.data = {static_cast<std::uint8_t>(n), static_cast<std::uint8_t>(n >> 8),
                static_cast<std::uint8_t>(n >> 16), static_cast<std::uint8_t>(n >> 24)};
    } else if (data.starts_with(u"hex:")) {
      v.type = 3;
      v.data = hex_bytes(data.substr(4), line);
    } else if (data.starts_with(u"hex(")) {
      const std::size_t close = data.find(u')');
      if (close == std::u16string_view::npos || close + 1 >= data.size() || data[close + 1] != u':')
        fail(line, "expected hex(N): with N a hex type number");
      const std::u16string_view digits = data.substr(4, close - 4);
      if (digits.empty() || digits.size() > 8) fail(line, "hex(N): N needs 1 to 8 hex digits");
      std::uint32_t type = 0;
      for (char16_t c : digits) {
        const int d = hex_digit(c);
        if (d < 0) fail(line, "hex(N): N must be hex, found \"" + utf8(digits) + "\"");
        type = type << 4 | static_cast<std::uint32_t>(d);
      }
      v.type = type;
      v.data = hex_bytes(data.substr(close + 2), line);
    } else {
      fail(line, "unknown value data \"" + utf8(data.substr(0, 40)) +
                     "\" (expected \"string\", dword:, hex:, hex(N): or - to delete)");
    }
    current_->set_value(std::move(v));
  }

  const RegParseOptions& options_;
  std::string source_;
  RegParseResult result_;
  std::u16string prefix_;
  bool have_prefix_ = false;
  regf::TreeKey* current_ = nullptr;
};

}  // namespace

std::string expand_root_alias(std::string_view path) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 5> kAliases{{
      {"HKLM", "HKEY_LOCAL_MACHINE"},
      {"HKCU", "HKEY_CURRENT_USER"},
      {"HKCR", "HKEY_CLASSES_ROOT"},
      {"HKU", "HKEY_USERS"},
      {"HKCC", "HKEY_CURRENT_CONFIG"},
  }};
  const std::size_t end = path.find('\\');
  const std::string_view head = path.substr(0, end);
  for (const auto& [alias, full] : kAliases)
    if (util::names_equal_utf8(head, alias))
      return std::string(full) + std::string(end == std::string_view::npos ? "" : path.substr(end));
  return std::string(path);
}

RegParseResult parse_reg(std::span<const std::uint8_t> file_bytes, const RegParseOptions& options,
                         const std::string& source_name) {
  return Parser(options, source_name).run(file_bytes);
}

}  // namespace hivelint::regfile
