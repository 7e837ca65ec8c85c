#include <catch2/catch.hpp>

#include "regfile/reg_parser.hpp"
#include "util/error.hpp"
#include "util/utf16.hpp"

using namespace hivelint;
using Catch::Matchers::Contains;

namespace {

std::vector<std::uint8_t> bytes(std::string_view s) { return {s.begin(), s.end()}; }

std::vector<std::uint8_t> utf16_file(std::string_view utf8) {
  std::vector<std::uint8_t> out{0xFF, 0xFE};
  const std::string le = util::utf16le_bytes(util::utf8_to_utf16(utf8));
  out.insert(out.end(), le.begin(), le.end());
  return out;
}

regfile::RegParseResult parse(const std::vector<std::uint8_t>& b,
                              std::optional<std::string> prefix = "HKEY_LOCAL_MACHINE\\SYSTEM") {
  regfile::RegParseOptions o;
  o.prefix = std::move(prefix);
  return regfile::parse_reg(b, o, "t.reg");
}

}  // namespace

TEST_CASE(".reg files as regedit writes them (UTF-16LE, CRLF) parse into the tree",
          "[unit][regfile]") {
  const auto r = parse(
      utf16_file("Windows Registry Editor Version 5.00\r\n\r\n"
                 "[HKEY_LOCAL_MACHINE\\SYSTEM\\ControlSet001\\Services\\InetInfo\\Parameters]\r\n"
                 "\"DispatchEntries\"=hex(7):4c,00,64,00,61,00,70,00,73,00,76,00,63,00,00,00,\\\r\n"
                 "  00,00\r\n"
                 "\"ListenBackLog\"=dword:0000000f\r\n"
                 "@=\"C:\\\\Path \\\"quoted\\\" Büro\"\r\n"
                 "\"Bin\"=hex:de,ad\r\n"));
  CHECK(r.encoding == "UTF-16LE");
  const auto* params = r.root.find_subkey(u"ControlSet001")
                           ->find_subkey(u"Services")
                           ->find_subkey(u"InetInfo")
                           ->find_subkey(u"Parameters");
  REQUIRE(params != nullptr);
  const auto* dispatch = params->find_value(u"DispatchEntries");
  REQUIRE(dispatch != nullptr);
  CHECK(dispatch->type == 7);
  CHECK(dispatch->data.size() == 18);
  CHECK(params->find_value(u"ListenBackLog")->data == std::vector<std::uint8_t>{15, 0, 0, 0});
  const auto* def = params->find_value(u"");
  REQUIRE(def != nullptr);
  CHECK(def->type == 1);
  CHECK(util::utf16le_to_utf8(def->data).text == std::string("C:\\Path \"quoted\" Büro") + '\0');
  CHECK(params->find_value(u"Bin")->data == std::vector<std::uint8_t>{0xDE, 0xAD});
}

TEST_CASE("REGEDIT4 in Windows-1252, UTF-8, aliases and deletions", "[unit][regfile]") {
  SECTION("Windows-1252: 0x80 is the euro sign") {
    const auto r = parse(bytes("REGEDIT4\n[HKEY_LOCAL_MACHINE\\SYSTEM\\K]\n\"v\"=\"\x80\"\n"));
    CHECK(r.encoding == "Windows-1252");
    CHECK(r.root.find_subkey(u"K")->find_value(u"v")->data ==
          std::vector<std::uint8_t>{0xAC, 0x20, 0, 0});
  }
  SECTION("UTF-8 with HKLM alias in the prefix, hex(N) with a large type") {
    const auto r = parse(bytes("\xEF\xBB\xBFWindows Registry Editor Version "
                               "5.00\n[HKEY_LOCAL_MACHINE\\SYSTEM\\Ω]\n\"x\"=hex(100000):01\n"),
                         "HKLM\\SYSTEM");
    CHECK(r.prefix == "HKEY_LOCAL_MACHINE\\SYSTEM");
    CHECK(r.root.find_subkey(u"Ω")->find_value(u"x")->type == 0x100000u);
  }
  SECTION("deletions") {
    const auto r = parse(
        bytes("REGEDIT4\n[HKEY_LOCAL_MACHINE\\SYSTEM\\A\\B]\n\"v\"=\"1\"\n\"w\"=\"2\"\n"
              "[HKEY_LOCAL_MACHINE\\SYSTEM\\A\\B]\n\"v\"=-\n[-HKEY_LOCAL_MACHINE\\SYSTEM\\A\\B]\n"
              "[HKEY_LOCAL_MACHINE\\SYSTEM\\C]\n"));
    CHECK(r.root.find_subkey(u"A")->subkeys.empty());
    CHECK(r.root.find_subkey(u"C") != nullptr);
  }
  SECTION("prefix detected from the first key") {
    const auto r = parse(bytes("REGEDIT4\n[HKEY_LOCAL_MACHINE\\TEST]\n\"v\"=dword:1\n[HKEY_LOCAL_"
                               "MACHINE\\TEST\\Sub]\n"),
                         std::nullopt);
    CHECK(r.prefix == "HKEY_LOCAL_MACHINE\\TEST");
    CHECK(r.root.find_value(u"v") != nullptr);
    CHECK(r.root.find_subkey(u"Sub") != nullptr);
  }
}

TEST_CASE(".reg errors name the file and line", "[unit][regfile]") {
  CHECK_THROWS_WITH(parse(bytes("hello\n")), Contains("t.reg:1: expected the header"));
  CHECK_THROWS_WITH(parse(bytes("REGEDIT4\n[HKEY_CURRENT_USER\\X]\n")),
                    Contains("t.reg:2: key \"HKEY_CURRENT_USER\\X\" is not under the prefix"));
  CHECK_THROWS_WITH(parse(bytes("REGEDIT4\n[HKEY_LOCAL_MACHINE\\SYSTEM\\K]\n\n\"v\"=hex:zz\n")),
                    Contains("t.reg:4: expected two hex digits"));
  CHECK_THROWS_WITH(parse(bytes("REGEDIT4\n\"v\"=dword:1\n")),
                    Contains("t.reg:2: a value line before any key line"));
  CHECK_THROWS_WITH(
      parse(bytes("REGEDIT4\n[HKEY_LOCAL_MACHINE\\SYSTEM\\K]\n\"v\"=\"unterminated\n")),
      Contains("t.reg:3: missing closing"));
  CHECK_THROWS_WITH(parse(bytes("REGEDIT4\n[HKEY_LOCAL_MACHINE\\SYSTEM\\K]\n\"v\"=qword:1\n")),
                    Contains("unknown value data"));
  CHECK_THROWS_AS(parse(bytes("")), InputError);
}

TEST_CASE(".reg key and value names with a NUL character are refused", "[unit][regfile]") {
  // Fuzz regression (tests/fuzz/regressions/builder_roundtrip/): libregf cuts names at a NUL, so
  // such a hive could never read back as written.
  std::string key = "Windows Registry Editor Version 5.00\r\n\r\n[HKEY_LOCAL_MACHINE\\SYSTEM\\A";
  key += '\0';
  key += "B]\r\n";
  CHECK_THROWS_WITH(parse(utf16_file(key)),
                    Contains("t.reg:3: key name \"A\" contains a NUL character (U+0000)"));
  std::string value =
      "Windows Registry Editor Version 5.00\r\n\r\n[HKEY_LOCAL_MACHINE\\SYSTEM\\A]\r\n\"v";
  value += '\0';
  value += "w\"=dword:00000001\r\n";
  CHECK_THROWS_WITH(parse(utf16_file(value)),
                    Contains("t.reg:4: value name \"v\" contains a NUL character (U+0000)"));
}
