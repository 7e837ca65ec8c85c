#include <catch2/catch.hpp>

#include "hive/caching_reader.hpp"
#include "hive/error.hpp"
#include "support/tree_reader.hpp"

using namespace hivelint;
using hive::KeyPath;

namespace {

test::Tree sample() {
  test::Tree t;
  t.key("Services\\Tcpip").dword("Start", 1).sz("Group", "PNP_TDI");
  t.key("Services\\NetBT").dword("Start", 3);
  t.key("A").sz("B\\C", "value named with a backslash");
  t.key("A\\B").sz("C", "value C of key A\\B");
  return t;
}

}  // namespace

TEST_CASE("caching reader: the same question in any case reaches the backend once",
          "[unit][hive]") {
  const auto tree = sample().reader();
  test::CountingReader backend(tree);
  const hive::CachingReader cache(backend);

  const auto first = cache.key(KeyPath::parse("Services\\Tcpip"));
  REQUIRE(first);
  const auto again = cache.key(KeyPath::parse("SERVICES\\tcpip"));
  REQUIRE(again);
  CHECK(again->path == first->path);
  CHECK(again->path.str() == "Services\\Tcpip");  // the stored spelling, not the asked one
  CHECK(cache.value(KeyPath::parse("services\\TCPIP"), "start")->data ==
        cache.value(KeyPath::parse("Services\\Tcpip"), "Start")->data);
  CHECK(cache.subkey_names(KeyPath::parse("services")) ==
        cache.subkey_names(KeyPath::parse("Services")));
  CHECK(backend.calls == 3);  // one key, one value, one subkey list
  CHECK(cache.hits() == 3);
}

TEST_CASE("caching reader: absent keys and values are remembered as absent", "[unit][hive]") {
  const auto tree = sample().reader();
  test::CountingReader backend(tree);
  const hive::CachingReader cache(backend);
  CHECK_FALSE(cache.key(KeyPath::parse("Services\\Nope")));
  CHECK_FALSE(cache.key(KeyPath::parse("services\\NOPE")));
  CHECK_FALSE(cache.value(KeyPath::parse("Services\\NetBT"), "DependOnService"));
  CHECK_FALSE(cache.value(KeyPath::parse("Services\\NetBT"), "dependonservice"));
  CHECK(backend.calls == 2);
}

TEST_CASE("caching reader: a value name holding a backslash never answers for a deeper key",
          "[unit][hive]") {
  const auto tree = sample().reader();
  test::CountingReader backend(tree);
  const hive::CachingReader cache(backend);
  // Key A, value "B\C" and key A\B, value "C" spell the same text once joined; the answers must
  // stay apart.
  const auto shallow = cache.value(KeyPath::parse("A"), "B\\C");
  const auto deep = cache.value(KeyPath::parse("A\\B"), "C");
  REQUIRE(shallow);
  REQUIRE(deep);
  CHECK(shallow->name == "B\\C");
  CHECK(deep->name == "C");
  CHECK(shallow->data != deep->data);
  CHECK(backend.calls == 2);
}

TEST_CASE("caching reader: past its byte budget every question goes to the backend",
          "[unit][hive]") {
  const auto tree = sample().reader();
  test::CountingReader backend(tree);
  const hive::CachingReader cache(backend, 0);
  for (int i = 0; i < 3; ++i) REQUIRE(cache.value(KeyPath::parse("Services\\Tcpip"), "Group"));
  CHECK(backend.calls == 3);
  CHECK(cache.hits() == 0);
  CHECK(cache.bytes() == 0);
}

TEST_CASE("caching reader: a lookup that throws is asked again, not remembered", "[unit][hive]") {
  const auto tree = sample().reader();
  test::CountingReader backend(tree);
  const hive::CachingReader cache(backend);
  backend.throw_next = true;
  CHECK_THROWS_AS(cache.key(KeyPath::parse("Services\\Tcpip")), hive::BackendError);
  CHECK(cache.key(KeyPath::parse("Services\\Tcpip")));
  CHECK(backend.calls == 2);
}
