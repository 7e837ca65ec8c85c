#include <catch2/catch.hpp>

#include "hive/value.hpp"

using namespace hivelint;
using hive::decode_multi_string;

namespace {
std::vector<std::uint8_t> le16(std::u16string_view units) {
  std::vector<std::uint8_t> out;
  for (char16_t u : units) {
    out.push_back(static_cast<std::uint8_t>(u & 0xFF));
    out.push_back(static_cast<std::uint8_t>(u >> 8));
  }
  return out;
}
}  // namespace

TEST_CASE("REG_MULTI_SZ in canonical form decodes to its strings", "[unit][hive]") {
  const auto m = decode_multi_string(le16(std::u16string(u"Ldapsvc\0Smtpsvc\0\0", 17)));
  CHECK(m.entries == std::vector<std::string>{"Ldapsvc", "Smtpsvc"});
  CHECK(m.hidden.empty());
  CHECK(m.well_terminated);
  CHECK_FALSE(m.lossy);
}

TEST_CASE("REG_MULTI_SZ without its terminators still yields every string", "[unit][hive]") {
  SECTION("no list terminator") {
    const auto m = decode_multi_string(le16(std::u16string(u"a\0b\0", 4)));
    CHECK(m.entries == std::vector<std::string>{"a", "b"});
    CHECK_FALSE(m.well_terminated);
  }
  SECTION("no terminator at all") {
    const auto m = decode_multi_string(le16(std::u16string(u"a\0b", 3)));
    CHECK(m.entries == std::vector<std::string>{"a", "b"});
    CHECK_FALSE(m.well_terminated);
  }
  SECTION("odd trailing byte") {
    auto bytes = le16(std::u16string(u"a\0\0", 3));
    bytes.push_back(0x41);
    const auto m = decode_multi_string(bytes);
    CHECK(m.entries == std::vector<std::string>{"a"});
    CHECK(m.lossy);
  }
}

TEST_CASE("empty REG_MULTI_SZ forms decode to an empty list", "[unit][hive]") {
  CHECK(decode_multi_string({}).entries.empty());
  CHECK(decode_multi_string(le16(std::u16string(u"\0", 1))).entries.empty());
  CHECK(decode_multi_string(le16(std::u16string(u"\0\0", 2))).entries.empty());
  CHECK(decode_multi_string(le16(std::u16string(u"\0\0", 2))).well_terminated);
}

TEST_CASE("strings after an empty string are outside the list Windows reads", "[unit][hive]") {
  const auto m = decode_multi_string(le16(std::u16string(u"Ldapsvc\0\0Smtpsvc\0\0", 18)));
  CHECK(m.entries == std::vector<std::string>{"Ldapsvc"});
  CHECK(m.hidden == std::vector<std::string>{"Smtpsvc"});
}

TEST_CASE("unpaired surrogates become U+FFFD and set lossy", "[unit][hive]") {
  const auto m =
      decode_multi_string(le16(std::u16string(u"a\xD800"
                                              u"b\0\0",
                                              5)));
  REQUIRE(m.entries.size() == 1);
  CHECK(m.entries[0] ==
        "a\xEF\xBF\xBD"
        "b");
  CHECK(m.lossy);
}

TEST_CASE("encode_multi_string writes each string, its NUL and the final NUL", "[unit][hive]") {
  CHECK(hive::encode_multi_string({"ab", "c"}) == le16(std::u16string(u"ab\0c\0\0", 6)));
  CHECK(hive::encode_multi_string({}) == le16(std::u16string(u"\0", 1)));
  const std::vector<std::string> names{"Ldapsvc", "Smtpsvc", "Nntpsvc", "Imap4svc",
                                       "Pop3svc", "Resvc",   "Ünïcødé"};
  CHECK(decode_multi_string(hive::encode_multi_string(names)).entries == names);
}

TEST_CASE("REG_SZ decoding stops at the first NUL and reports missing terminators",
          "[unit][hive]") {
  auto s = hive::decode_string(le16(std::u16string(u"inetinfo.exe\0junk", 17)));
  CHECK(s.text == "inetinfo.exe");
  CHECK(s.terminated);
  CHECK(s.trailing_data);
  s = hive::decode_string(le16(u"abc"));
  CHECK(s.text == "abc");
  CHECK_FALSE(s.terminated);
}

TEST_CASE("type names round-trip and unknown numbers are kept", "[unit][hive]") {
  CHECK(hive::type_name(7) == "REG_MULTI_SZ");
  CHECK(hive::type_name(0x100000) == "REG_0x100000");
  CHECK(hive::parse_type_name("reg_multi_sz") == 7u);
  CHECK(hive::parse_type_name("MULTI_SZ") == 7u);
  CHECK(hive::parse_type_name("0x100000") == 0x100000u);
  CHECK(hive::parse_type_name("REG_0x100000") == 0x100000u);
  CHECK_FALSE(hive::parse_type_name("REG_BOGUS").has_value());
  CHECK_FALSE(hive::parse_type_name("0x100000000").has_value());
}

TEST_CASE("DWORDs decode in both byte orders and only from 4 bytes", "[unit][hive]") {
  hive::Value v{.name = "Start", .type = 4, .data = {2, 0, 0, 0}};
  CHECK(hive::decode_dword(v) == 2u);
  v.type = 5;
  CHECK(hive::decode_dword(v) == 0x02000000u);
  v.type = 4;
  v.data = {1, 2, 3};
  CHECK_FALSE(hive::decode_dword(v).has_value());
}
