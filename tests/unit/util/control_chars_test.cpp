#include <catch2/catch.hpp>

#include "util/control_chars.hpp"

using namespace hivelint;

TEST_CASE("control characters are shown escaped, text and UTF-8 kept", "[unit][util]") {
  CHECK(util::escape_controls("\x1b]0;pwned\x07\x1b[2J") == "\\x1b]0;pwned\\x07\\x1b[2J");
  CHECK(util::escape_controls("x\rPASS\n\t") == "x\\rPASS\\n\\t");
  CHECK(util::escape_controls("a\nb\tc", {true, true}) == "a\nb\tc");
  CHECK(util::escape_controls("\x7f") == "\\x7f");
  CHECK(util::escape_controls("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80") ==
        "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
  CHECK(util::escape_controls("\xc2\x9b"
                              "31m") == "\\u009b31m");                // C1 CSI
  CHECK(util::escape_controls("\xc2\xa0") == "\xc2\xa0");             // NBSP is text
  CHECK(util::escape_controls("\xff\x9b\xc3") == "\\xff\\x9b\\xc3");  // not UTF-8
  CHECK(util::escape_controls("\xed\xa0\x80") == "\\xed\\xa0\\x80");  // a surrogate in UTF-8
  CHECK(util::escape_controls("\xc3"
                              "A") == "\\xc3A");  // cut short
}

TEST_CASE("control character escaping holds a sequence split between feeds", "[unit][util]") {
  util::ControlEscaper e;
  std::string out;
  e.feed("a\xc2", out);
  e.feed(
      "\x9b"
      "b\xe2\x82",
      out);
  e.feed("\xac", out);
  e.finish(out);
  CHECK(out == "a\\u009bb\xe2\x82\xac");
}
