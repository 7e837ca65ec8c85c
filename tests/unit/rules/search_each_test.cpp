#include <catch2/catch.hpp>

#include <algorithm>

#include "rules/evaluator.hpp"
#include "rules/rule_loader.hpp"
#include "rules/search_each.hpp"
#include "support/tree_reader.hpp"

using namespace hivelint;
using Catch::Matchers::Contains;
using rules::Status;

namespace {

// Every service that is not disabled names, in DependOnService, only services that exist: the shape
// of SCM-DEPENDENCY-MISSING written in the rule language.
const char* kDependencies = R"({
  "schema_version": 1, "id": "DEPS", "title": "dependencies exist",
  "check": { "for_each_subkey": {
    "key": "Services", "as": "svc",
    "where": { "not": { "dword_compare": { "key": "Services\\{svc}", "value": "Start", "op": "==", "to": 4 } } },
    "require": { "for_each_entry": {
      "key": "Services\\{svc}", "value": "DependOnService", "as": "dep",
      "require": { "key_exists": "Services\\{dep}" } } } } }
})";

// The issue's example of a user-written rule: every service in group "PNP_TDI" depends on Tcpip.
const char* kGroupDependsOn = R"({
  "schema_version": 1, "id": "GROUP", "title": "PNP_TDI needs Tcpip",
  "check": { "for_each_subkey": {
    "key": "Services", "as": "svc",
    "where": { "string_equals": { "key": "Services\\{svc}", "value": "Group", "equals": "PNP_TDI" } },
    "require": { "multi_string_contains_all": { "key": "Services\\{svc}", "value": "DependOnService", "entries": ["Tcpip"] } } } }
})";

rules::RuleResult run(const char* rule_text, const test::Tree& t) {
  const auto rule = rules::parse_rule(rule_text, "test.json");
  const auto reader = t.reader();
  const auto resolved = rules::resolve_control_sets(reader, rules::parse_control_set_choice("1"));
  return rules::evaluate_rule(rule, reader, "test.hiv", resolved.sets.at(0));
}

test::Tree services() {
  test::Tree t;
  t.key("Select").dword("Current", 1);
  t.key("ControlSet001\\Services\\Tcpip").dword("Start", 1).sz("Group", "PNP_TDI");
  t.key("ControlSet001\\Services\\NetBT")
      .dword("Start", 1)
      .sz("Group", "PNP_TDI")
      .multi_sz("DependOnService", {"TCPIP"});
  return t;
}

}  // namespace

TEST_CASE("bindings replace bound names and keep other braces such as class GUIDs",
          "[unit][rules]") {
  rules::Bindings b;
  CHECK(b.expand("Services\\{svc}") == "Services\\{svc}");
  b.push("svc", "Tcpip");
  b.push("dep", "IPSec");
  CHECK(b.expand("Services\\{svc}\\Linkage") == "Services\\Tcpip\\Linkage");
  CHECK(b.expand("{dep}/{svc}/{other}") == "IPSec/Tcpip/{other}");
  CHECK(b.expand("Control\\Class\\{4D36E965-E325-11CE-BFC1-08002BE10318}") ==
        "Control\\Class\\{4D36E965-E325-11CE-BFC1-08002BE10318}");
  CHECK(b.expand("{svc") == "{svc");
  b.push("svc", "Inner");  // innermost binding wins
  CHECK(b.expand("{svc}") == "Inner");
  std::string out = "left over from before";
  b.expand_into("Services\\{svc}", out);  // replaces what `out` held
  CHECK(out == "Services\\Inner");
  b.expand_into("no braces", out);
  CHECK(out == "no braces");
}

TEST_CASE("for_each follows DependOnService entries to service keys, names compared without case",
          "[unit][rules]") {
  const auto r = run(kDependencies, services());
  CHECK(r.status == Status::kPass);
}

TEST_CASE("for_each names each service whose dependency is missing, one trace line each",
          "[unit][rules]") {
  auto t = services();
  t.key("ControlSet001\\Services\\Dhcp")
      .dword("Start", 2)
      .multi_sz("DependOnService", {"Tcpip", "Afd", "NetBT"});
  t.key("ControlSet001\\Services\\Browser")
      .dword("Start", 2)
      .multi_sz("DependOnService", {"LanmanServer"});
  const auto r = run(kDependencies, t);
  CHECK(r.status == Status::kFail);
  std::string trace;
  for (const auto& line : r.notes) trace += line + "\n";
  CHECK_THAT(trace, Contains("svc = Dhcp (subkey of ControlSet001\\Services): dep = Afd (entry of "
                             "ControlSet001\\Services\\Dhcp\\DependOnService): "
                             "ControlSet001\\Services\\Afd is absent"));
  CHECK_THAT(trace, Contains("svc = Browser"));
  CHECK_THAT(trace, Contains("ControlSet001\\Services\\LanmanServer is absent"));
  CHECK_THAT(trace, !Contains("svc = NetBT"));
}

TEST_CASE("for_each's where leaves a disabled service's own dependencies alone", "[unit][rules]") {
  auto t = services();
  t.key("ControlSet001\\Services\\Messenger")
      .dword("Start", 4)
      .multi_sz("DependOnService", {"NetBIOS"});
  CHECK(run(kDependencies, t).status == Status::kPass);
  t.key("ControlSet001\\Services\\Messenger").dword("Start", 3);
  CHECK(run(kDependencies, t).status == Status::kFail);
}

TEST_CASE("a user rule: every service in a group depends on a given service", "[unit][rules]") {
  auto t = services();
  CHECK(run(kGroupDependsOn, t).status ==
        Status::kFail);  // Tcpip itself is in PNP_TDI without the dependency
  t.key("ControlSet001\\Services\\Tcpip").sz("Group", "Network");
  CHECK(run(kGroupDependsOn, t).status == Status::kPass);
  t.key("ControlSet001\\Services\\IPSec")
      .sz("Group", "pnp_tdi")
      .multi_sz("DependOnService", {"Ndis"});
  const auto r = run(kGroupDependsOn, t);
  CHECK(r.status == Status::kFail);
  REQUIRE_FALSE(r.notes.empty());
  CHECK_THAT(r.notes.front(), Contains("svc = IPSec"));
}

TEST_CASE("for_each over an absent key or value holds: nothing to require", "[unit][rules]") {
  test::Tree t;
  t.key("Select").dword("Current", 1);
  t.key("ControlSet001\\Control");
  CHECK(run(kDependencies, t).status == Status::kPass);
}

TEST_CASE("the loader checks for_each fields and caps its nesting", "[unit][rules]") {
  const std::string head = R"({"schema_version": 1, "id": "X", "title": "t", "check": )";
  const auto rule = [&](const std::string& check) {
    return rules::parse_rule(head + check + "}", "a.json");
  };
  const std::string leaf = R"({"key_exists": "Services\\{s}"})";
  CHECK_NOTHROW(
      rule(R"({"for_each_subkey": {"key": "Services", "as": "s", "require": )" + leaf + "}}"));
  CHECK_THROWS_WITH(rule(R"({"for_each_subkey": {"key": "Services", "as": "s"}})"),
                    Contains("a.json: /check/for_each_subkey: missing \"require\""));
  CHECK_THROWS_WITH(
      rule(R"({"for_each_subkey": {"key": "Services", "as": "1s", "require": )" + leaf + "}}"),
      Contains("/check/for_each_subkey/as: expected a name"));
  CHECK_THROWS_WITH(
      rule(R"({"for_each_entry": {"key": "Services", "as": "s", "require": )" + leaf + "}}"),
      Contains("/check/for_each_entry: missing \"value\""));
  CHECK_THROWS_WITH(
      rule(R"({"for_each_subkey": {"key": "S", "value": "V", "as": "s", "require": )" + leaf +
           "}}"),
      Contains("unknown field \"value\""));
  std::string nested = leaf;
  for (int i = 0; i < 4; ++i)
    nested = R"({"for_each_subkey": {"key": "Services", "as": "s", "require": )" + nested + "}}";
  CHECK_THROWS_WITH(rule(nested), Contains("for_each nested more than 3 deep"));
}

namespace {

// kDependencies with an item: one per missing dependency; error for a boot/system/automatic
// dependent.
const char* kDependencyItems = R"({
  "schema_version": 1, "id": "DEPS", "title": "dependencies exist",
  "check": { "for_each_subkey": {
    "key": "Services", "as": "svc",
    "where": { "not": { "dword_compare": { "key": "Services\\{svc}", "value": "Start", "op": "==", "to": 4 } } },
    "require": { "for_each_entry": {
      "key": "Services\\{svc}", "value": "DependOnService", "as": "dep",
      "where": { "not": { "text_matches": { "text": "{dep}", "regex": "^\\+" } } },
      "require": { "key_exists": "Services\\{dep}" },
      "item": { "service": "{svc}", "key": "Services\\{svc}", "value": "DependOnService", "name": "{dep}",
                "severity": [ { "when": { "dword_compare": { "key": "Services\\{svc}", "value": "Start", "op": "<=", "to": 2 } },
                                "is": "error" }, { "is": "warning" } ] } } } } }
})";

}  // namespace

TEST_CASE("an item per failing entry, severity from the rule's cases, errors first",
          "[unit][rules]") {
  auto t = services();
  t.key("ControlSet001\\Services\\Scanner")
      .dword("Start", 3)
      .multi_sz("DependOnService", {"GpioClx", "+TDI"});
  t.key("ControlSet001\\Services\\Dhcp")
      .dword("Start", 2)
      .multi_sz("DependOnService", {"tcpip", "Afd"});
  auto r = run(kDependencyItems, t);
  REQUIRE(r.itemized);
  CHECK(r.status == Status::kFail);
  REQUIRE(r.items.size() ==
          2);  // "+TDI" is a group, skipped by text_matches; "tcpip" exists (other case)
  CHECK(r.items[0].service == "Dhcp");
  CHECK(r.items[0].name == "Afd");
  CHECK(r.items[0].severity == "error");
  CHECK(r.items[0].start == 2u);
  CHECK(r.items[0].key == "ControlSet001\\Services\\Dhcp");
  CHECK(r.items[0].value == "DependOnService");
  CHECK(r.items[1].service == "Scanner");
  CHECK(r.items[1].severity == "warning");
  CHECK(r.severity == "error");

  rules::apply_min_severity(r, "error");
  CHECK(r.status == Status::kFail);
  CHECK(r.items.size() == 1);
  CHECK(r.items_below_min_severity == 1);
}

TEST_CASE("min-severity leaving no item makes the result a pass", "[unit][rules]") {
  auto t = services();
  t.key("ControlSet001\\Services\\Scanner")
      .dword("Start", 3)
      .multi_sz("DependOnService", {"GpioClx"});
  auto r = run(kDependencyItems, t);
  CHECK(r.status == Status::kFail);
  CHECK(r.severity == "warning");
  rules::apply_min_severity(r, "error");
  CHECK(r.status == Status::kPass);
  CHECK(r.items.empty());
  CHECK_THAT(r.message, Contains("1 below it left out"));
}

TEST_CASE("the loader checks item fields and severity cases", "[unit][rules]") {
  const std::string head =
      R"({"schema_version": 1, "id": "X", "title": "t", "check": {"for_each_subkey": {"key": "Services", "as": "s", "require": {"key_exists": "Services\\{s}\\X"}, "item": )";
  const auto rule = [&](const std::string& item) {
    return rules::parse_rule(head + item + "}}}", "a.json");
  };
  CHECK(
      rule(R"({"service": "{s}", "key": "Services\\{s}", "value": "V", "name": "{s}"})").itemized);
  CHECK_THROWS_WITH(rule(R"({"service": "{s}", "key": "K", "value": "V"})"),
                    Contains("/item: missing \"name\""));
  CHECK_THROWS_WITH(
      rule(
          R"({"service": "{s}", "key": "K", "value": "V", "name": "n", "severity": [{"is": "fatal"}]})"),
      Contains("/item/severity/0/is: expected error, warning or info"));
  CHECK_FALSE(rules::parse_rule(
                  R"({"schema_version": 1, "id": "X", "title": "t", "check": {"key_exists": "A"}})",
                  "b.json")
                  .itemized);
}

TEST_CASE("string_equals with value_prefix matches a +Group entry against a service's Group",
          "[unit][rules]") {
  const char* rule = R"({
    "schema_version": 1, "id": "PLUSGROUP", "title": "group entries have members",
    "check": { "for_each_entry": {
      "key": "Services\\NetBT", "value": "DependOnService", "as": "dep",
      "where": { "text_matches": { "text": "{dep}", "regex": "^\\+" } },
      "require": { "not": { "for_each_subkey": { "key": "Services", "as": "m",
        "require": { "not": { "string_equals": { "key": "Services\\{m}", "value": "Group", "equals": "{dep}", "value_prefix": "+" } } } } } } } }
  })";
  auto t = services();
  t.key("ControlSet001\\Services\\NetBT").multi_sz("DependOnService", {"TCPIP", "+pnp_tdi"});
  CHECK(run(rule, t).status == Status::kPass);
  t.key("ControlSet001\\Services\\NetBT").multi_sz("DependOnService", {"TCPIP", "+NoSuchGroup"});
  const auto r = run(rule, t);
  CHECK(r.status == Status::kFail);
  CHECK_THAT(r.notes.front(), Contains("dep = +NoSuchGroup"));
}

TEST_CASE("a repeated for_each is answered once per distinct binding it mentions",
          "[unit][rules]") {
  // Two services depend on D, whose subkey Bad is wrong only for A ("Bad-A" is refused): the inner
  // walk mentions both {dep} and {svc}, so B must get its own answer, not A's replayed.
  const char* rule = R"({
    "schema_version": 1, "id": "MEMO", "title": "binding-sensitive inner walk",
    "check": { "for_each_subkey": { "key": "Services", "as": "svc",
      "require": { "for_each_entry": { "key": "Services\\{svc}", "value": "DependOnService", "as": "dep",
        "require": { "for_each_subkey": { "key": "Services\\{dep}", "as": "sub",
          "require": { "not": { "text_matches": { "text": "{sub}-{svc}", "regex": "^Bad-A$" } } } } },
        "item": { "service": "{svc}", "key": "Services\\{svc}", "value": "DependOnService", "name": "{dep}" } } } } }
  })";
  test::Tree t;
  t.key("Select").dword("Current", 1);
  t.key("ControlSet001\\Services\\D\\Bad");
  t.key("ControlSet001\\Services\\A").multi_sz("DependOnService", {"D"});
  t.key("ControlSet001\\Services\\B").multi_sz("DependOnService", {"D"});
  const auto r = run(rule, t);
  CHECK(r.status == Status::kFail);
  REQUIRE(r.items.size() == 1);
  CHECK(r.items[0].service == "A");
}

TEST_CASE("the shipped group check costs lookups linear in the services, not quadratic",
          "[unit][rules]") {
  // Every service depends on the groups +Net (which has members) and +Gone (which has none).
  // Evaluated naively, each entry walks every service's Group: 2 x n walks of n services. Counted,
  // not timed.
  const std::size_t n = 300;
  test::Tree t;
  t.key("Select").dword("Current", 1);
  for (std::size_t i = 0; i < n; ++i)
    t.key("ControlSet001\\Services\\Svc" + std::to_string(i))
        .dword("Start", 2)
        .sz("Group", "Net")
        .multi_sz("DependOnService", {"+Net", "+Gone"});
  const auto tree = t.reader();
  test::CountingReader backend(tree);
  const auto all = rules::select_rules(std::nullopt);
  const auto rule = std::find_if(all.begin(), all.end(), [](const rules::Rule& x) {
    return x.id == "SCM-DEPENDENCY-MISSING";
  });
  REQUIRE(rule != all.end());
  const auto resolved = rules::resolve_control_sets(tree, rules::parse_control_set_choice("1"));
  const auto r = rules::evaluate_rule(*rule, backend, "test.hiv", resolved.sets.at(0));
  CHECK(r.status == Status::kFail);
  REQUIRE(r.items.size() == n);  // every service, for +Gone only
  for (const auto& item : r.items) CHECK(item.name == "+Gone");
  CHECK(backend.calls < 30 * n);  // quadratic would be over 2 * n * n = 180000
}
