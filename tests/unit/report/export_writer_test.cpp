#include <catch2/catch.hpp>

#include <sstream>

#include "report/export_writer.hpp"

using namespace hivelint;

namespace {

std::string data_json(std::uint32_t type, std::vector<std::uint8_t> data) {
  std::string out;
  report::append_json_value_data(out, type, data);
  return out;
}

std::vector<std::uint8_t> le16(std::u16string_view s) {
  std::vector<std::uint8_t> out;
  for (char16_t c : s) {
    out.push_back(static_cast<std::uint8_t>(c & 0xFF));
    out.push_back(static_cast<std::uint8_t>(c >> 8));
  }
  return out;
}

}  // namespace

TEST_CASE("export JSON: typed data only when the bytes re-encode exactly, else hex",
          "[unit][report]") {
  CHECK(data_json(1, le16(std::u16string(u"C:\\x\0", 5))) == R"("data":"C:\\x")");
  CHECK(data_json(2, le16(std::u16string(u"%a%\0", 4))) == R"("data":"%a%")");
  CHECK(data_json(1, le16(std::u16string(u"ab", 2))) == R"("hex":"61006200")");  // no terminator
  CHECK(data_json(1, le16(std::u16string(u"a\0b\0", 4))) ==
        R"("hex":"6100000062000000")");  // inner NUL
  CHECK(data_json(1, le16(std::u16string(u"\xD800\0", 2))) ==
        R"("hex":"00d80000")");  // lone surrogate
  CHECK(data_json(7, le16(std::u16string(u"a\0bc\0\0", 6))) == R"("data":["a","bc"])");
  CHECK(data_json(7, le16(std::u16string(u"\0", 1))) == R"("data":[])");
  CHECK(data_json(7, le16(std::u16string(u"a\0\0b\0\0", 6))) ==
        R"("data":["a","","b"])");  // empty entry kept
  CHECK(data_json(7, le16(std::u16string(u"a\0", 2))) ==
        R"("hex":"61000000")");  // no list terminator
  CHECK(data_json(4, {0x2a, 0, 0, 0}) == R"("data":42)");
  CHECK(data_json(4, {0x2a, 0, 0}) == R"("hex":"2a0000")");
  CHECK(data_json(5, {0, 0, 1, 0}) == R"("data":256)");
  CHECK(data_json(11, {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}) ==
        R"("data":18446744073709551615)");
  CHECK(data_json(3, {0xde, 0xad}) == R"("hex":"dead")");
  CHECK(data_json(0x1234, {}) == R"("hex":"")");
}

TEST_CASE("export JSON strings: escapes, UTF-8, and lone surrogates flagged", "[unit][report]") {
  std::string out;
  CHECK_FALSE(report::append_json_string(out, u"a\"b\\c\n\x01\u00e4\U0001F600"));
  CHECK(out == "\"a\\\"b\\\\c\\n\\u0001\xC3\xA4\xF0\x9F\x98\x80\"");
  out.clear();
  CHECK(report::append_json_string(out, u"x\xDC00"));
  CHECK(out == "\"x\xEF\xBF\xBD\"");
}

TEST_CASE("export writers: regedit layout and a closed JSON document", "[unit][report]") {
  std::ostringstream reg;
  report::RegExportWriter w(reg, u"HKEY_LOCAL_MACHINE\\SYSTEM");
  w.key({}, u"ROOT", 0);
  w.value(u"", 4, std::vector<std::uint8_t>{1, 0, 0, 0});
  w.key({u"Sub"}, u"Sub", 0);
  w.finish();
  std::u16string text;
  const std::string bytes = reg.str();
  REQUIRE(bytes.substr(0, 2) == "\xFF\xFE");
  for (std::size_t i = 2; i + 1 < bytes.size(); i += 2)
    text += static_cast<char16_t>(static_cast<std::uint8_t>(bytes[i]) |
                                  (static_cast<std::uint8_t>(bytes[i + 1]) << 8));
  CHECK(text ==
        u"Windows Registry Editor Version "
        u"5.00\r\n\r\n[HKEY_LOCAL_MACHINE\\SYSTEM]\r\n@=dword:00000001\r\n"
        u"\r\n[HKEY_LOCAL_MACHINE\\SYSTEM\\Sub]\r\n\r\n");

  std::ostringstream json;
  report::JsonExportWriter j(json, {"h.hiv", "hivelint", "A\\B", std::nullopt, std::nullopt});
  j.key({}, u"B", 0);
  j.value(u"v", 3, std::vector<std::uint8_t>{0xAB});
  j.key({u"C"}, u"C", 0);
  j.finish();
  CHECK(json.str() ==
        "{\"schema_version\":1,\"tool\":\"hivelint\",\"command\":\"export\",\"provenance\":null,"
        "\"input\":null,\"hive\":\"h.hiv\",\"backend\":\"hivelint\","
        "\"key\":\"A\\\\B\",\n\"keys\":[\n"
        "{\"path\":\"A\\\\B\",\"name\":\"B\",\"last_written\":null,\"values\":[{\"name\":\"v\","
        "\"type\":\"REG_BINARY\","
        "\"type_number\":3,\"size\":1,\"hex\":\"ab\"}]},\n"
        "{\"path\":\"A\\\\B\\\\C\",\"name\":\"C\",\"last_written\":null,\"values\":[]}\n],\n"
        "\"summary\":{\"keys\":2,\"values\":1}}\n");
}
