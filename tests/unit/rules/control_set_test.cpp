#include <catch2/catch.hpp>

#include "rules/control_set.hpp"
#include "support/tree_reader.hpp"

using namespace hivelint;
using Catch::Matchers::Contains;
using rules::ControlSetSelector;
using rules::parse_control_set_choice;
using rules::resolve_control_sets;

namespace {
test::Tree two_sets(unsigned current, unsigned default_set, unsigned lkg, unsigned failed) {
  test::Tree t;
  t.key("Select")
      .dword("Current", current)
      .dword("Default", default_set)
      .dword("LastKnownGood", lkg)
      .dword("Failed", failed);
  t.key("ControlSet001\\Control");
  t.key("ControlSet002\\Control");
  return t;
}
}  // namespace

TEST_CASE("control-set choices parse, and anything else is a usage error", "[unit][rules]") {
  CHECK(parse_control_set_choice("current").selector == ControlSetSelector::kCurrent);
  CHECK(parse_control_set_choice("LastKnownGood").selector == ControlSetSelector::kLastKnownGood);
  CHECK(parse_control_set_choice("ALL").selector == ControlSetSelector::kAll);
  CHECK(parse_control_set_choice("2").number == 2);
  CHECK(parse_control_set_choice("002").number == 2);
  CHECK(parse_control_set_choice("controlset003").number == 3);
  CHECK_THROWS_AS(parse_control_set_choice("0"), UsageError);
  CHECK_THROWS_AS(parse_control_set_choice("1000"), UsageError);
  CHECK_THROWS_AS(parse_control_set_choice("latest"), UsageError);
}

TEST_CASE("each Select value picks its ControlSet", "[unit][rules]") {
  const auto reader = two_sets(2, 2, 1, 1).reader();
  auto pick = [&](const char* choice) {
    return resolve_control_sets(reader, parse_control_set_choice(choice)).sets.at(0);
  };
  CHECK(pick("current").name == "ControlSet002");
  CHECK(pick("current").source == "Select\\Current = 2");
  CHECK(pick("current").is_current);
  CHECK(pick("default").name == "ControlSet002");
  CHECK(pick("lastknowngood").name == "ControlSet001");
  CHECK_FALSE(pick("lastknowngood").is_current);
  CHECK(pick("failed").name == "ControlSet001");
  CHECK(pick("1").source == "--control-set 1");
}

TEST_CASE("all lists every ControlSetNNN in numeric order, gaps included", "[unit][rules]") {
  test::Tree t;
  t.key("Select").dword("Current", 3);
  t.key("ControlSet003");
  t.key("controlset001");
  t.key("ControlSet01");  // not three digits: not a control set
  t.key("ControlSetX01");
  const auto r = resolve_control_sets(t.reader(), parse_control_set_choice("all"));
  REQUIRE(r.sets.size() == 2);
  CHECK(r.sets[0].name == "controlset001");  // stored spelling
  CHECK(r.sets[1].name == "ControlSet003");
  CHECK(r.sets[1].is_current);
}

TEST_CASE("a missing or inconsistent Select is reported, never guessed", "[unit][rules]") {
  SECTION("no Select key") {
    test::Tree t;
    t.key("ControlSet001");
    REQUIRE_THROWS_WITH(resolve_control_sets(t.reader(), parse_control_set_choice("current")),
                        Contains("no Select key"));
    CHECK(resolve_control_sets(t.reader(), parse_control_set_choice("1")).sets.at(0).name ==
          "ControlSet001");
  }
  SECTION("Select\\Current absent") {
    test::Tree t;
    t.key("Select").dword("Default", 1);
    t.key("ControlSet001");
    REQUIRE_THROWS_WITH(resolve_control_sets(t.reader(), parse_control_set_choice("current")),
                        Contains("Select\\Current is absent"));
  }
  SECTION("Select\\Current of the wrong type") {
    test::Tree t;
    t.key("Select").sz("Current", "1");
    t.key("ControlSet001");
    REQUIRE_THROWS_WITH(resolve_control_sets(t.reader(), parse_control_set_choice("current")),
                        Contains("not a 4-byte REG_DWORD (it is REG_SZ"));
  }
  SECTION("Select points at a ControlSet that does not exist") {
    const auto reader = two_sets(3, 3, 1, 0).reader();
    REQUIRE_THROWS_WITH(resolve_control_sets(reader, parse_control_set_choice("current")),
                        Contains("Select\\Current = 3 but the hive has no ControlSet003 key"));
  }
  SECTION("Failed = 0 names no ControlSet") {
    const auto reader = two_sets(1, 1, 2, 0).reader();
    REQUIRE_THROWS_WITH(resolve_control_sets(reader, parse_control_set_choice("failed")),
                        Contains("no ControlSet is recorded as failed"));
  }
  SECTION("an explicit number that is absent") {
    const auto reader = two_sets(1, 1, 2, 0).reader();
    REQUIRE_THROWS_WITH(resolve_control_sets(reader, parse_control_set_choice("7")),
                        Contains("no ControlSet007 key"));
  }
  SECTION("Current differs from Default: resolved, with a note") {
    const auto r =
        resolve_control_sets(two_sets(1, 2, 2, 0).reader(), parse_control_set_choice("current"));
    CHECK(r.sets.at(0).name == "ControlSet001");
    REQUIRE(r.notes.size() == 1);
    CHECK_THAT(r.notes[0], Contains("Select\\Default = 2"));
  }
}

TEST_CASE("a CurrentControlSet key in an offline hive is noted and ignored", "[unit][rules]") {
  auto t = two_sets(1, 1, 2, 0);
  t.key("CurrentControlSet\\Services");
  const auto r = resolve_control_sets(t.reader(), parse_control_set_choice("current"));
  CHECK(r.sets.at(0).name == "ControlSet001");
  REQUIRE_FALSE(r.notes.empty());
  CHECK_THAT(r.notes[0], Contains("CurrentControlSet key"));
}

TEST_CASE("each resolved set carries the roles Select gives it, possibly none", "[unit][rules]") {
  auto t = two_sets(2, 2, 1, 0);
  t.key("ControlSet003\\Control");
  const auto reader = t.reader();
  const auto all = resolve_control_sets(reader, parse_control_set_choice("all"));
  REQUIRE(all.sets.size() == 3);
  CHECK(all.sets[0].roles == std::vector<std::string>{"LastKnownGood"});
  CHECK(all.sets[1].roles == std::vector<std::string>{"Current", "Default"});
  CHECK(all.sets[2].roles.empty());
  CHECK(resolve_control_sets(reader, parse_control_set_choice("lastknowngood")).sets.at(0).roles ==
        std::vector<std::string>{"LastKnownGood"});
  CHECK(resolve_control_sets(reader, parse_control_set_choice("2")).sets.at(0).roles ==
        std::vector<std::string>{"Current", "Default"});
  // Failed = 1 as well: every role, in Select's order.
  CHECK(rules::control_set_roles(rules::read_select(two_sets(1, 1, 1, 1).reader()), 1) ==
        std::vector<std::string>{"Current", "Default", "LastKnownGood", "Failed"});
}
