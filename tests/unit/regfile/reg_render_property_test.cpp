// Property test for the one .reg renderer (regfile/reg_format): for names and data made of
// arbitrary UTF-16 units, biased towards the characters that broke .reg files before (D4 and D5 of
// the adversarial review:
// ']', CR, LF, NUL, '\', '"', '[', '-', ';', '=', lone surrogates), the rendered key line and value
// line either read back through hivelint's .reg parser as exactly one key with exactly that name
// holding exactly that value, or are refused by the renderer with InputError. Nothing in between:
// no extra key, no extra value.
#include <catch2/catch.hpp>

#include <random>

#include "regfile/reg_format.hpp"
#include "regfile/reg_parser.hpp"
#include "util/error.hpp"

using namespace hivelint;

namespace {

std::u16string render_random_name(std::mt19937& rng, std::size_t max_len) {
  static constexpr char16_t kAlphabet[] = {
      u'a', u'Z', u' ', u'\\', u'"', u']',   u'[', u'\r', u'\n', 0,    0xD800, 0xDC00, u'=',
      u'@', u'-', u';', 0x1b,  0x85, 0x2028, u'h', u'e',  u'x',  u'(', u':',   u'\t'};
  std::u16string s(std::uniform_int_distribution<std::size_t>(0, max_len)(rng), u'a');
  for (auto& c : s) {
    if (rng() % 4 == 0)
      c = static_cast<char16_t>(rng() & 0xFFFF);
    else
      c = kAlphabet[rng() % std::size(kAlphabet)];
  }
  return s;
}

std::vector<std::uint8_t> render_random_data(std::mt19937& rng, std::uint32_t type) {
  std::vector<std::uint8_t> d(std::uniform_int_distribution<std::size_t>(0, 40)(rng));
  for (auto& b : d) b = static_cast<std::uint8_t>(rng());
  if (type == 1 &&
      rng() % 2 == 0) {  // often a well-formed string, so that the quoted form is exercised
    const std::u16string s = render_random_name(rng, 12) + u'\0';
    d.clear();
    for (char16_t c : s) {
      d.push_back(static_cast<std::uint8_t>(c & 0xFF));
      d.push_back(static_cast<std::uint8_t>(c >> 8));
    }
  }
  if (type == 4 && rng() % 2 == 0) d.resize(4);
  return d;
}

}  // namespace

TEST_CASE(".reg renderer: arbitrary names and data read back exactly or are refused",
          "[unit][regfile][property]") {
  std::mt19937 rng(20261204);
  const std::u16string root = u"HKEY_LOCAL_MACHINE\\SYSTEM";
  std::size_t refused = 0, read_back = 0;
  for (int round = 0; round < 3000; ++round) {
    const std::u16string key = render_random_name(rng, 10);
    const std::u16string value = render_random_name(rng, 10);
    static constexpr std::uint32_t kTypes[] = {0, 1, 2, 3, 4, 7, 11, 0x10007};
    const std::uint32_t type =
        rng() % 3 == 0 ? static_cast<std::uint32_t>(rng()) : kTypes[rng() % std::size(kTypes)];
    const std::vector<std::uint8_t> data = render_random_data(rng, type);

    std::u16string text(regfile::kRegHeader);
    text += u"\r\n";
    try {
      regfile::append_key_line(text, root, {key});
      regfile::append_value(text, value, type, data);
    } catch (const InputError&) {
      CHECK((!regfile::reg_key_name_problem(key).empty() ||
             !regfile::reg_value_name_problem(value).empty()));
      ++refused;
      continue;
    }
    text += u"\r\n";
    const std::string file = regfile::reg_utf16le_bytes(text);
    regfile::RegParseOptions options;
    options.prefix = "HKEY_LOCAL_MACHINE\\SYSTEM";
    INFO("round " << round);
    const auto parsed = regfile::parse_reg(std::vector<std::uint8_t>(file.begin(), file.end()),
                                           options, "rendered");
    REQUIRE(parsed.key_lines == 1);
    REQUIRE(parsed.value_lines == 1);
    REQUIRE(parsed.root.values.empty());
    REQUIRE(parsed.root.subkeys.size() == 1);
    const auto& k = parsed.root.subkeys[0];
    CHECK(k.name == key);
    CHECK(k.subkeys.empty());
    REQUIRE(k.values.size() == 1);
    CHECK(k.values[0].name == value);
    CHECK(k.values[0].type == type);
    CHECK(k.values[0].data == data);
    ++read_back;
  }
  // Both outcomes must really be exercised.
  CHECK(refused > 300);
  CHECK(read_back > 300);
}

TEST_CASE(".reg renderer: the names that made other keys are refused with the key named",
          "[unit][regfile]") {
  std::u16string out;
  CHECK_THROWS_WITH(
      regfile::append_key_line(out, u"HKEY_LOCAL_MACHINE\\SYSTEM",
                               {u"x]\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\Evil"}),
      Catch::Contains(
          "key \"HKEY_LOCAL_MACHINE\\SYSTEM\\x]\\r\\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\Evil\""));
  CHECK_THROWS_AS(regfile::append_value(out, u"a\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\Evil]", 1, {}),
                  InputError);
  CHECK_THROWS_AS(regfile::validate_reg_root(u"HKLM\\X]\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\Evil"),
                  UsageError);
  CHECK_THROWS_AS(regfile::validate_reg_root(u"-HKEY_LOCAL_MACHINE\\SYSTEM"), UsageError);
  CHECK_THROWS_AS(regfile::validate_reg_root(u"HKEY_LOCAL_MACHINE\\\\SYSTEM"), UsageError);
  CHECK_NOTHROW(regfile::validate_reg_root(u"HKEY_LOCAL_MACHINE\\SYSTEM"));
  CHECK(out.empty());
  regfile::append_comment_line(out, "hive x\r\n[-HKEY_LOCAL_MACHINE\\SYSTEM\\Tcpip]\r\n;");
  CHECK(out == u"; hive x\\r\\n[-HKEY_LOCAL_MACHINE\\SYSTEM\\Tcpip]\\r\\n;\r\n");
}
