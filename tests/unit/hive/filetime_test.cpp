#include <catch2/catch.hpp>

#include "hive/hive_reader.hpp"
#include "hive/key_path.hpp"

using namespace hivelint;

TEST_CASE("FILETIMEs render as ISO 8601 UTC", "[unit][hive]") {
  CHECK(hive::filetime_to_iso8601(0).empty());
  CHECK(hive::filetime_to_iso8601(116444736000000000ull) == "1970-01-01T00:00:00.0000000Z");
  CHECK(hive::filetime_to_iso8601(127305216000000000ull) == "2004-06-01T00:00:00.0000000Z");
  CHECK(hive::filetime_to_iso8601(127305216000000001ull) == "2004-06-01T00:00:00.0000001Z");
  CHECK(hive::filetime_to_iso8601(1) == "1601-01-01T00:00:00.0000001Z");
  // 2000-02-29 (leap day) 12:34:56 UTC
  CHECK(hive::filetime_to_iso8601(125963012960000000ull) == "2000-02-29T12:34:56.0000000Z");
}

TEST_CASE("key paths split on backslashes and ignore empty components", "[unit][hive]") {
  CHECK(hive::KeyPath::parse("A\\B\\\\C\\").components() ==
        std::vector<std::string>{"A", "B", "C"});
  CHECK(hive::KeyPath::parse("").is_root());
  CHECK((hive::KeyPath::parse("ControlSet001") / "Services\\InetInfo").str() ==
        "ControlSet001\\Services\\InetInfo");
}

TEST_CASE("a key path assigned from a base and a relative text equals base / parse(text)",
          "[unit][hive]") {
  const auto base = hive::KeyPath::parse("ControlSet001");
  hive::KeyPath p;
  for (const char* text : {"Services\\A\\Parameters", "Services\\Longer name", "", "\\X\\\\Y\\",
                           "Services\\A\\Parameters\\Deeper\\Still"}) {
    INFO(text);
    p.assign(base, text);
    CHECK(p == base / hive::KeyPath::parse(text));
  }
  p.assign(hive::KeyPath(), "A");  // from the root: shorter than before
  CHECK(p.components() == std::vector<std::string>{"A"});
}
