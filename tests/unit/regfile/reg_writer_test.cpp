#include <catch2/catch.hpp>

#include "hive/value.hpp"
#include "regfile/reg_parser.hpp"
#include "regfile/reg_writer.hpp"
#include "util/utf16.hpp"

using namespace hivelint;

namespace {

std::vector<std::uint8_t> utf16z(std::u16string_view s) {
  std::string b = util::utf16le_bytes(s);
  b.append(2, '\0');
  return {b.begin(), b.end()};
}

}  // namespace

TEST_CASE("reg writer: REG_MULTI_SZ wrapped exactly as regedit exports it", "[unit][regfile]") {
  // The lines Wine's `regedit /E` wrote for this value (tests/scripts/fix_proof.sh compares live,
  // too).
  const regfile::RegValue v{
      "DispatchEntries", 7,
      hive::encode_multi_string({"Ldapsvc", "Smtpsvc", "Nntpsvc", "Imap4svc", "Pop3svc", "Resvc"})};
  CHECK(regfile::format_value(v) ==
        "\"DispatchEntries\"=hex(7):4c,00,64,00,61,00,70,00,73,00,76,00,63,00,00,00,53,00,\\\r\n"
        "  6d,00,74,00,70,00,73,00,76,00,63,00,00,00,4e,00,6e,00,74,00,70,00,73,00,76,\\\r\n"
        "  00,63,00,00,00,49,00,6d,00,61,00,70,00,34,00,73,00,76,00,63,00,00,00,50,00,\\\r\n"
        "  6f,00,70,00,33,00,73,00,76,00,63,00,00,00,52,00,65,00,73,00,76,00,63,00,00,\\\r\n"
        "  00,00,00");
}

TEST_CASE("reg writer: strings, dwords, binary, default value, odd types and escapes",
          "[unit][regfile]") {
  CHECK(regfile::format_value({"Path", 1, utf16z(u"C:\\x \"q\"")}) ==
        "\"Path\"=\"C:\\\\x \\\"q\\\"\"");
  CHECK(regfile::format_value({"", 1, utf16z(u"dflt")}) == "@=\"dflt\"");
  CHECK(regfile::format_value({"A\"b", 4, {0x2a, 0, 0, 0x80}}) == "\"A\\\"b\"=dword:8000002a");
  CHECK(regfile::format_value({"Bin", 3, {0xde, 0xad}}) == "\"Bin\"=hex:de,ad");
  CHECK(regfile::format_value({"None", 0, {}}) == "\"None\"=hex(0):");
  CHECK(regfile::format_value({"Q", 0x4000000b, {1}}) == "\"Q\"=hex(4000000b):01");
  CHECK(regfile::format_value({"Short", 4, {1, 2}}) ==
        "\"Short\"=hex(4):01,02");  // not a 4-byte dword
  // REG_SZ that regedit could not write back as a quoted string: inner NUL, no terminator, CR/LF.
  CHECK(regfile::format_value({"S", 1, {0x41, 0, 0, 0, 0x42, 0, 0, 0}}) ==
        "\"S\"=hex(1):41,00,00,00,42,00,00,00");
  CHECK(regfile::format_value({"S", 1, {0x41, 0}}) == "\"S\"=hex(1):41,00");
  CHECK(regfile::format_value({"S", 1, utf16z(u"a\r\nb")}).rfind("\"S\"=hex(1):", 0) == 0);
}

TEST_CASE(
    "reg writer: whole file is regedit's: header, comments, CRLF, blank line after each key, "
    "UTF-16LE BOM",
    "[unit][regfile]") {
  const std::string text = regfile::format_reg_file(
      {"from hivelint"},
      {{"HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\X", {{"V", 4, {1, 0, 0, 0}}}},
       {"HKEY_LOCAL_MACHINE\\SYSTEM\\Empty", {}}});
  CHECK(
      text ==
      "Windows Registry Editor Version 5.00\r\n\r\n; from hivelint\r\n\r\n"
      "[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\X]\r\n\"V\"=dword:00000001\r\n\r\n"
      "[HKEY_LOCAL_MACHINE\\SYSTEM\\Empty]\r\n\r\n");
  const auto bytes = regfile::encode_utf16le_with_bom(text);
  REQUIRE(bytes.size() == 2 + 2 * text.size());
  CHECK(bytes[0] == 0xFF);
  CHECK(bytes[1] == 0xFE);
  CHECK(bytes[2] == 'W');
  CHECK(bytes[3] == 0);
  // Our own parser reads it back to the same tree.
  regfile::RegParseOptions o;
  o.prefix = "HKEY_LOCAL_MACHINE\\SYSTEM";
  const auto parsed = regfile::parse_reg(bytes, o, "test.reg");
  const auto* x =
      parsed.root.find_subkey(u"CurrentControlSet")->find_subkey(u"Services")->find_subkey(u"X");
  REQUIRE(x);
  CHECK(x->find_value(u"V")->data == std::vector<std::uint8_t>{1, 0, 0, 0});
  CHECK(parsed.root.find_subkey(u"Empty"));
}

TEST_CASE("reg writer: every wrapped line stays within regedit's 80 columns, at any name length",
          "[unit][regfile]") {
  for (std::size_t n = 1; n < 90; n += 7) {
    const std::string value =
        regfile::format_value({std::string(n, 'n'), 3, std::vector<std::uint8_t>(200, 0xab)});
    std::size_t start = 0, lines = 0;
    while (start < value.size()) {
      std::size_t end = value.find("\r\n", start);
      if (end == std::string::npos) end = value.size();
      const std::size_t len = end - start;
      if (lines > 0) {
        CHECK(len <= 80);
        CHECK(value.compare(start, 2, "  ") == 0);
      }
      ++lines;
      start = end + 2;
    }
    CHECK(lines > 1);
  }
}

TEST_CASE("reg writer: a value deletion is \"name\"=- and reads back as no value",
          "[unit][regfile]") {
  regfile::RegValue del{"UpperFilters", 7, {}, true};
  CHECK(regfile::format_value(del) == "\"UpperFilters\"=-");
  const regfile::RegValue def{"", 1, {}, true};
  CHECK(regfile::format_value(def) == "@=-");
  const std::string text =
      regfile::format_reg_file({}, {regfile::RegKeyBlock{"HKEY_LOCAL_MACHINE\\SYSTEM\\K", {del}}});
  CHECK(text ==
        "Windows Registry Editor Version "
        "5.00\r\n\r\n[HKEY_LOCAL_MACHINE\\SYSTEM\\K]\r\n\"UpperFilters\"=-\r\n\r\n");
  regfile::RegParseOptions o;
  o.prefix = "HKEY_LOCAL_MACHINE\\SYSTEM";
  const auto parsed = regfile::parse_reg(regfile::encode_utf16le_with_bom(text), o, "t.reg");
  CHECK(parsed.value_lines == 1);
  REQUIRE(parsed.root.find_subkey(u"K"));
  CHECK(parsed.root.find_subkey(u"K")->values.empty());
}
