#include <catch2/catch.hpp>

#include "util/utf16.hpp"

using namespace hivelint;

namespace {
std::vector<std::uint8_t> le(std::u16string_view s) {
  std::vector<std::uint8_t> out;
  for (char16_t u : s) {
    out.push_back(static_cast<std::uint8_t>(u & 0xFF));
    out.push_back(static_cast<std::uint8_t>(u >> 8));
  }
  return out;
}
}  // namespace

TEST_CASE("UTF-16 to UTF-8: BMP, surrogate pairs and clean input are not lossy", "[unit][util]") {
  auto r = util::utf16_to_utf8(u"Services");
  CHECK(r.text == "Services");
  CHECK_FALSE(r.lossy);
  r = util::utf16_to_utf8(
      u"B\u00FCro \u20AC \U0001F600");  // ü (2 bytes), € (3 bytes), 😀 (pair -> 4 bytes)
  CHECK(r.text == "B\xC3\xBCro \xE2\x82\xAC \xF0\x9F\x98\x80");
  CHECK_FALSE(r.lossy);
  CHECK(util::utf16_to_utf8(u"").text.empty());
}

TEST_CASE("UTF-16 to UTF-8: unpaired surrogates become U+FFFD and set lossy", "[unit][util]") {
  const std::string fffd = "\xEF\xBF\xBD";
  for (std::u16string s : {std::u16string{u'a', u'\xD800'}, std::u16string{u'\xDC00', u'a'},
                           std::u16string{u'\xD800', u'a'}, std::u16string{u'\xDBFF', u'\xDBFF'}}) {
    const auto r = util::utf16_to_utf8(s);
    CHECK(r.lossy);
    CHECK(util::is_valid_utf8(r.text));
    CHECK(r.text.find(fffd) != std::string::npos);
  }
  CHECK(util::utf16_to_utf8(std::u16string{u'\xD800', u'\xD800', u'\xDC00'}).text ==
        fffd + "\xF0\x90\x80\x80");
}

TEST_CASE("UTF-16LE bytes: an odd trailing byte is lossy, utf16le_units ignores it",
          "[unit][util]") {
  auto bytes = le(u"Ab");
  CHECK(util::utf16le_to_utf8(bytes).text == "Ab");
  bytes.push_back('x');
  const auto r = util::utf16le_to_utf8(bytes);
  CHECK(r.text == "Ab\xEF\xBF\xBD");
  CHECK(r.lossy);
  CHECK(util::utf16le_units(bytes) == u"Ab");
  CHECK(util::utf16le_bytes(u"A\u00FC") == std::string("A\0\xFC\0", 4));
}

TEST_CASE("Latin-1 names decode byte by byte", "[unit][util]") {
  const std::vector<std::uint8_t> bytes{'S', 0xFC, 0xFF};
  CHECK(util::latin1_to_utf8(bytes) == "S\xC3\xBC\xC3\xBF");
}

TEST_CASE("UTF-8 to UTF-16: valid input round-trips, invalid input is replaced and flagged",
          "[unit][util]") {
  bool lossy = true;
  CHECK(util::utf8_to_utf16("B\xC3\xBCro \xF0\x9F\x98\x80", &lossy) == u"B\u00FCro \U0001F600");
  CHECK_FALSE(lossy);
  for (const char* bad :
       {"\xFF", "\xC3", "\xC0\xAF" /* overlong '/' */, "\xED\xA0\x80" /* encoded surrogate */,
        "\xF4\x90\x80\x80" /* above U+10FFFF */, "\xE2\x82"}) {
    INFO(bad);
    const auto out = util::utf8_to_utf16(bad, &lossy);
    CHECK(lossy);
    CHECK(out.find(u'\xFFFD') != std::u16string::npos);
    CHECK_FALSE(util::is_valid_utf8(bad));
  }
  CHECK(util::is_valid_utf8("plain \xC3\xA9"));
  CHECK(util::utf8_to_utf16("x") == u"x");  // lossy pointer optional
  std::u16string kept = u"a longer string held before";
  util::utf8_to_utf16_into("Start", kept, &lossy);  // replaces the contents
  CHECK(kept == u"Start");
  CHECK_FALSE(lossy);
  util::utf8_to_utf16_into("\xC3\xBC\xFF", kept, &lossy);
  CHECK(kept == u"\u00FC\uFFFD");
  CHECK(lossy);
  bool ascii_lossy = true;
  CHECK(util::utf8_to_utf16("ControlSet001", &ascii_lossy) ==
        u"ControlSet001");  // the ASCII fast path
  CHECK_FALSE(ascii_lossy);
  CHECK(util::utf8_to_utf16("").empty());
  CHECK(util::utf8_to_utf16("Svc\xC3\xBC\xFF", &ascii_lossy) ==
        u"Svc\u00FC\uFFFD");  // ASCII, then the slow path
  CHECK(ascii_lossy);
}
