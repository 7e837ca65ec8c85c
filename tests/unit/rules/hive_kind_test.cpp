#include <catch2/catch.hpp>

#include "rules/hive_kind.hpp"
#include "support/tree_reader.hpp"

using namespace hivelint;
using rules::classify_hive;
using rules::looks_like_system;

TEST_CASE("a root with Select or a ControlSetNNN is a SYSTEM hive, even without the other",
          "[unit][rules]") {
  test::Tree with_select;
  with_select.key("Select").dword("Current", 1);
  CHECK(looks_like_system(with_select.reader()));
  test::Tree sets_only;  // Select lost: still SYSTEM, so the missing Select stays an error for
                         // ControlSet rules
  sets_only.key("controlset001\\Services");
  CHECK(looks_like_system(sets_only.reader()));
  CHECK(classify_hive(sets_only.reader(), "") == "SYSTEM");
}

TEST_CASE("the other Windows hives are told apart by their root keys", "[unit][rules]") {
  const auto kind_of = [](std::initializer_list<const char*> keys) {
    test::Tree t;
    for (const char* k : keys) t.key(k);
    return classify_hive(t.reader(), "");
  };
  CHECK(kind_of({"AppEvents", "Console", "control panel", "Environment", "Software"}) == "NTUSER");
  CHECK(kind_of({"SAM"}) == "SAM");
  CHECK(kind_of({"Cache", "Policy", "RXACT"}) == "SECURITY");
  CHECK(kind_of({"Classes", "Clients", "Microsoft", "Policies"}) == "SOFTWARE");
  CHECK(kind_of({"Local Settings", "VirtualStore"}) == "UsrClass");
  CHECK(kind_of({"Root"}) == "Amcache");
  CHECK(kind_of({"Description", "Objects"}) == "BCD");
  CHECK(kind_of({"ControlSet01", "Key1"}) == "other");  // not three digits: not a ControlSet
  test::Tree not_a_set;
  not_a_set.key("ControlSet01");
  CHECK_FALSE(looks_like_system(not_a_set.reader()));
}

TEST_CASE("an empty root falls back to the file name stored in the base block", "[unit][rules]") {
  test::Tree empty;
  CHECK(classify_hive(empty.reader(), "\\??\\C:\\Users\\joe\\ntuser.dat") == "NTUSER");
  CHECK(classify_hive(empty.reader(), "\\SystemRoot\\System32\\Config\\SOFTWARE") == "SOFTWARE");
  CHECK(classify_hive(empty.reader(), "emRoot\\System32\\Config\\SECURITY") == "SECURITY");
  CHECK(classify_hive(empty.reader(), "C:\\test\\hive") == "other");
}
