#include <catch2/catch.hpp>

#include "regfile/reg_format.hpp"
#include "regfile/reg_parser.hpp"
#include "util/utf16.hpp"

using namespace hivelint;

namespace {

std::vector<std::uint8_t> le16(std::u16string_view s, bool terminate = true) {
  std::vector<std::uint8_t> out;
  for (char16_t c : s) {
    out.push_back(static_cast<std::uint8_t>(c & 0xFF));
    out.push_back(static_cast<std::uint8_t>(c >> 8));
  }
  if (terminate) out.insert(out.end(), {0, 0});
  return out;
}

std::string utf8(std::u16string_view s) { return util::utf16_to_utf8(s).text; }

std::vector<std::string> lines(std::u16string_view name, std::uint32_t type,
                               const std::vector<std::uint8_t>& data) {
  std::vector<std::string> out;
  for (const auto& l : regfile::format_value_lines(name, type, data)) out.push_back(utf8(l));
  return out;
}

std::vector<std::uint8_t> counting(std::size_t n) {
  std::vector<std::uint8_t> d(n);
  for (std::size_t i = 0; i < n; ++i) d[i] = static_cast<std::uint8_t>(i);
  return d;
}

}  // namespace

TEST_CASE("reg_format: dword is lowercase 8-digit hex, other sizes fall back to hex(4)",
          "[unit][regfile]") {
  CHECK(lines(u"Start", 4, {0x2a, 0, 0, 0}) ==
        std::vector<std::string>{"\"Start\"=dword:0000002a"});
  CHECK(lines(u"Big", 4, {0xef, 0xbe, 0xad, 0xde}) ==
        std::vector<std::string>{"\"Big\"=dword:deadbeef"});
  CHECK(lines(u"Short", 4, {1, 2}) == std::vector<std::string>{"\"Short\"=hex(4):01,02"});
  CHECK(lines(u"Empty", 4, {}) == std::vector<std::string>{"\"Empty\"=hex(4):"});
}

TEST_CASE(
    "reg_format: REG_SZ is quoted with backslash and quote escaped, @= names the default value",
    "[unit][regfile]") {
  CHECK(lines(u"", 1, le16(u"C:\\Windows \"x\"")) ==
        std::vector<std::string>{"@=\"C:\\\\Windows \\\"x\\\"\""});
  CHECK(lines(u"a\\b\"c", 1, le16(u"")) == std::vector<std::string>{"\"a\\\\b\\\"c\"=\"\""});
  CHECK(lines(u"Umlaut", 1, le16(u"\u00e4\U0001F600")) ==
        std::vector<std::string>{"\"Umlaut\"=\"\u00e4\U0001F600\""});
}

TEST_CASE("reg_format: REG_SZ that does not decode cleanly is hex(1)", "[unit][regfile]") {
  auto inner_nul = le16(u"ab");
  inner_nul.insert(inner_nul.end(), {'c', 0, 0, 0});
  CHECK(lines(u"n", 1, inner_nul) ==
        std::vector<std::string>{"\"n\"=hex(1):61,00,62,00,00,00,63,00,00,00"});
  CHECK(lines(u"n", 1, le16(u"ab", false)) ==
        std::vector<std::string>{"\"n\"=hex(1):61,00,62,00"});  // no terminator
  CHECK(lines(u"n", 1, {0x61, 0x00, 0x00}) ==
        std::vector<std::string>{"\"n\"=hex(1):61,00,00"});  // odd size
  CHECK(lines(u"n", 1, {}) == std::vector<std::string>{"\"n\"=hex(1):"});
  CHECK(lines(u"n", 1, le16(u"\xD800x")) ==
        std::vector<std::string>{"\"n\"=hex(1):00,d8,78,00,00,00"});
  CHECK(lines(u"n", 1, le16(u"a\r\nb")) ==
        std::vector<std::string>{"\"n\"=hex(1):61,00,0d,00,0a,00,62,00,00,00"});
  CHECK(regfile::reg_sz_is_quotable(le16(u"\U0001F600")));
  CHECK_FALSE(regfile::reg_sz_is_quotable(le16(u"\xDC00")));
}

TEST_CASE("reg_format: hex:, hex(2), hex(7), hex(b) and types above 0xb in lowercase hex",
          "[unit][regfile]") {
  CHECK(lines(u"b", 3, {0xde, 0xad}) == std::vector<std::string>{"\"b\"=hex:de,ad"});
  CHECK(lines(u"b", 3, {}) == std::vector<std::string>{"\"b\"=hex:"});
  CHECK(lines(u"e", 2, le16(u"%x")) == std::vector<std::string>{"\"e\"=hex(2):25,00,78,00,00,00"});
  CHECK(lines(u"q", 11, {1, 0, 0, 0, 0, 0, 0, 0}) ==
        std::vector<std::string>{"\"q\"=hex(b):01,00,00,00,00,00,00,00"});
  CHECK(lines(u"n", 0, {}) == std::vector<std::string>{"\"n\"=hex(0):"});
  CHECK(lines(u"t", 0x100, {0xAB}) == std::vector<std::string>{"\"t\"=hex(100):ab"});
  CHECK(lines(u"t", 0xFFFF0001, {}) == std::vector<std::string>{"\"t\"=hex(ffff0001):"});
}

TEST_CASE(
    "reg_format: hex lines wrap like regedit (first line counts the name, then 25 bytes a line)",
    "[unit][regfile]") {
  // KB277770's value as Windows' regedit exports it: 18 bytes on the first line (80 columns with
  // the '\'), then the rest.
  const auto entries = le16(std::u16string(u"LdapSvc\0SMTPSVC\0", 16));
  const auto l = lines(u"DispatchEntries", 7, entries);
  REQUIRE(l.size() == 2);
  CHECK(l[0] ==
        "\"DispatchEntries\"=hex(7):4c,00,64,00,61,00,70,00,53,00,76,00,63,00,00,00,53,00,\\");
  CHECK(l[0].size() == 80);
  CHECK(l[1] == "  4d,00,54,00,50,00,53,00,56,00,43,00,00,00,00,00");

  const auto d = counting(100);
  const auto b = lines(u"Blob", 3, d);
  // "Blob"=hex: is 11 characters: 22 bytes reach 77, then 25 bytes per continuation line.
  REQUIRE(b.size() == 5);
  CHECK(b[0].size() == 11 + 22 * 3 + 1);
  CHECK(b[1] == "  16,17,18,19,1a,1b,1c,1d,1e,1f,20,21,22,23,24,25,26,27,28,29,2a,2b,2c,2d,2e,\\");
  CHECK(b[1].size() == 78);
  CHECK(b[4] == "  61,62,63");
}

TEST_CASE("reg_format: no line exceeds 80 columns for names up to 60 characters, any size",
          "[unit][regfile]") {
  for (std::size_t name_len = 0; name_len <= 60; name_len += 3)
    for (std::size_t size : {0u, 1u, 2u, 17u, 18u, 19u, 24u, 25u, 26u, 27u, 51u, 200u}) {
      const std::u16string name(name_len, u'N');
      const auto l = lines(name, 3, counting(size));
      std::size_t bytes = 0;
      for (std::size_t i = 0; i < l.size(); ++i) {
        INFO("name " << name_len << ", size " << size << ", line " << i << ": " << l[i]);
        CHECK(l[i].size() <= 80);
        CHECK((i + 1 < l.size()) == (l[i].back() == '\\'));
        if (i > 0) CHECK(l[i].rfind("  ", 0) == 0);
        for (char c : l[i]) bytes += c == ',' ? 1 : 0;
      }
      CHECK(bytes == (size == 0 ? 0 : size - 1));
    }
}

TEST_CASE("reg_format: our own .reg parser reads back every value exactly", "[unit][regfile]") {
  struct Case {
    std::u16string name;
    std::uint32_t type;
    std::vector<std::uint8_t> data;
  };
  auto inner_nul = le16(u"a");
  inner_nul.insert(inner_nul.end(), {'b', 0, 0, 0});
  const std::vector<Case> cases = {
      {u"", 1, le16(u"default \"quoted\" C:\\path")},
      {u"dw", 4, {1, 2, 3, 4}},
      {u"dw3", 4, {1, 2, 3}},
      {u"bin", 3, counting(300)},
      {u"multi", 7, le16(std::u16string(u"a\0b\0", 4))},
      {u"exp", 2, le16(u"%SystemRoot%")},
      {u"q", 11, counting(8)},
      {u"odd", 0x1234, counting(5)},
      {u"nul", 1, inner_nul},
      {u"empty", 1, {}},
      {u"name with \\ and \"", 3, {}},
      {u"crlf", 1, le16(u"a\r\nb")},
  };
  std::u16string text(regfile::kRegHeader);
  text += u"\r\n";
  regfile::append_key_line(text, u"HKEY_LOCAL_MACHINE\\SYSTEM\\K");
  for (const auto& c : cases) regfile::append_value(text, c.name, c.type, c.data);
  text += u"\r\n";
  const std::string file = regfile::reg_utf16le_bytes(text);
  regfile::RegParseOptions o;
  o.prefix = "HKEY_LOCAL_MACHINE\\SYSTEM";
  const auto parsed =
      regfile::parse_reg(std::vector<std::uint8_t>(file.begin(), file.end()), o, "t.reg");
  const auto* k = parsed.root.find_subkey(u"K");
  REQUIRE(k != nullptr);
  REQUIRE(k->values.size() == cases.size());
  for (std::size_t i = 0; i < cases.size(); ++i) {
    INFO("value " << utf8(cases[i].name));
    CHECK(k->values[i].name == cases[i].name);
    CHECK(k->values[i].type == cases[i].type);
    CHECK(k->values[i].data == cases[i].data);
  }
}

TEST_CASE("reg_format: UTF-16LE output starts with the BOM", "[unit][regfile]") {
  const std::string b = regfile::reg_utf16le_bytes(u"W\u00e4");
  CHECK(b == std::string("\xFF\xFEW\x00\xE4\x00", 6));
}
