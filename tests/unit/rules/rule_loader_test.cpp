#include <catch2/catch.hpp>

#include "rules/embedded_rules.hpp"
#include "rules/json_limits.hpp"
#include "rules/rule_loader.hpp"

using namespace hivelint;
using Catch::Matchers::Contains;

TEST_CASE("the built-in rules load and include KB277770", "[unit][rules]") {
  const auto rules = rules::builtin_rules();
  std::vector<std::string> ids;
  for (const auto& x : rules) ids.push_back(x.id);
  // Sorted by file name; issue 11's four service-start rules beside KB277770.
  CHECK(ids == std::vector<std::string>{"CLASS-FILTER-MISSING", "KB277770",
                                        "SCM-DEPENDENCY-DISABLED", "SCM-DEPENDENCY-MISSING",
                                        "SCM-MARKED-FOR-DELETION"});
  REQUIRE(rules.size() == 5);
  const auto& r = rules[1];
  CHECK(r.id == "KB277770");
  CHECK(r.scope == rules::Scope::kControlSet);
  CHECK(r.check.kind == rules::ConditionKind::kMultiStringContainsAll);
  CHECK(r.check.entries ==
        std::vector<std::string>{"Ldapsvc", "Smtpsvc", "Nntpsvc", "Imap4svc", "Pop3svc", "Resvc"});
  // Exchange installed: all of (an Exchange-only service, one of the five protocol services).
  REQUIRE(r.applies_if.kind == rules::ConditionKind::kAll);
  REQUIRE(r.applies_if.children.size() == 2);
  CHECK(r.applies_if.children[0].children.size() == 4);
  CHECK(r.applies_if.children[1].children.size() == 5);
  CHECK(r.source == "built-in:KB277770.json");
}

TEST_CASE("rule errors name the source and the JSON location", "[unit][rules]") {
  const std::string head = R"({"schema_version": 1, "id": "X", "title": "t", )";
  CHECK_THROWS_WITH(rules::parse_rule("{", "a.json"), Contains("a.json: not valid JSON"));
  CHECK_THROWS_WITH(rules::parse_rule(head + R"("check": {"key_exists": 3}})", "a.json"),
                    Contains("a.json: /check/key_exists: expected a string"));
  CHECK_THROWS_WITH(
      rules::parse_rule(head + R"("check": {"value_exists": {"key": "K"}}})", "a.json"),
      Contains("/check/value_exists: missing \"value\""));
  CHECK_THROWS_WITH(
      rules::parse_rule(head + R"("check": {"key_exists": "K", "any": []}})", "a.json"),
      Contains("exactly one field"));
  CHECK_THROWS_WITH(rules::parse_rule(head + R"("check": {"frobnicate": 1}})", "a.json"),
                    Contains("unknown condition \"frobnicate\""));
  CHECK_THROWS_WITH(
      rules::parse_rule(head + R"("check": {"key_exists": "K"}, "colour": 1})", "a.json"),
      Contains("unknown field \"colour\""));
  CHECK_THROWS_WITH(
      rules::parse_rule(
          head + R"("check": {"string_matches": {"key": "K", "value": "V", "regex": "("}}})",
          "a.json"),
      Contains("/check/string_matches/regex: invalid regular expression"));
  CHECK_THROWS_WITH(
      rules::parse_rule(
          R"({"schema_version": 2, "id": "X", "title": "t", "check": {"key_exists": "K"}})",
          "a.json"),
      Contains("rule schema version 1"));
  CHECK_THROWS_WITH(
      rules::parse_rule(
          head + R"("check": {"value_type_is": {"key": "K", "value": "V", "type": "REG_BOGUS"}}})",
          "a.json"),
      Contains("/check/value_type_is/type: expected a registry type"));
}

TEST_CASE("a rule without applies_if always applies, and every condition kind parses",
          "[unit][rules]") {
  const auto r = rules::parse_rule(R"({
    "schema_version": 1, "id": "demo.rule-1", "title": "t", "scope": "root",
    "check": {"all": [
      {"not": {"key_exists": "A"}},
      {"value_type_is": {"key": "K", "value": "V", "type": ["REG_SZ", 2]}},
      {"string_equals": {"key": "K", "value": "V", "equals": "x"}},
      {"string_matches": {"key": "K", "value": "V", "regex": "^x+$", "case_sensitive": true}},
      {"dword_compare": {"key": "K", "value": "V", "op": "<=", "to": 4}}
    ]},
    "fix": [
      {"action": "set_value", "key": "K", "value": "V", "type": "REG_DWORD", "data": 4},
      {"action": "set_value", "key": "K", "value": "S", "type": "REG_SZ", "data": "hi"},
      {"action": "create_key", "key": "K\\Sub"}
    ]})",
                                   "demo.json");
  CHECK(r.scope == rules::Scope::kRoot);
  CHECK(r.applies_if.kind == rules::ConditionKind::kAll);
  CHECK(r.applies_if.children.empty());
  CHECK(r.check.children.size() == 5);
  CHECK(r.check.children[1].types == std::vector<std::uint32_t>{1, 2});
  REQUIRE(r.fix.size() == 3);
  CHECK(r.fix[0].data == std::vector<std::uint8_t>{4, 0, 0, 0});
  CHECK(r.fix[1].data == std::vector<std::uint8_t>{'h', 0, 'i', 0, 0, 0});
}

namespace {
std::string nested_not(std::size_t depth) {
  std::string s = R"({"schema_version": 1, "id": "D", "title": "t", "check": )";
  for (std::size_t i = 0; i < depth; ++i) s += R"({"not": )";
  s += R"({"key_exists": "x"})";
  s += std::string(depth, '}');
  return s + "}";
}
}  // namespace

TEST_CASE("rule files nested deeper than the cap are refused before anything recurses",
          "[unit][rules]") {
  // Review D13: 20,000 levels overflowed the parser's stack, 10,000 the evaluator's.
  CHECK(rules::parse_rule(nested_not(100), "ok.json").check.kind == rules::ConditionKind::kNot);
  CHECK_THROWS_AS(rules::parse_rule(nested_not(20000), "deep.json"), rules::RuleError);
  CHECK_THROWS_WITH(
      rules::parse_rule(nested_not(200), "deep.json"),
      Contains("deep.json: /check/not/not/not") && Contains("nested more than 128 levels deep"));
  // Arrays count as well ("all": [...] is two levels).
  std::string arrays = R"({"schema_version": 1, "id": "A", "title": "t", "references": )";
  arrays += std::string(300, '[') + std::string(300, ']') + R"(, "check": {"key_exists": "x"}})";
  CHECK_THROWS_WITH(rules::parse_rule(arrays, "a.json"), Contains("a.json: /references/0/0/0"));
}

TEST_CASE("the strict loader refuses a repeated key and a schema_version that only truncates to 1",
          "[unit][rules]") {
  // Review D21: get<int>() read 4294967297 as 1; nlohmann kept the last of two "id" keys.
  CHECK_THROWS_WITH(
      rules::parse_rule(
          R"({"schema_version": 4294967297, "id": "A", "title": "t", "check": {"key_exists": "x"}})",
          "v.json"),
      Contains("v.json: /schema_version"));
  CHECK_THROWS_WITH(
      rules::parse_rule(
          R"({"schema_version": -4294967295, "id": "A", "title": "t", "check": {"key_exists": "x"}})",
          "v.json"),
      Contains("v.json: /schema_version"));
  CHECK_THROWS_WITH(
      rules::parse_rule(
          R"({"schema_version": 1, "id": "A", "id": "B", "title": "t", "check": {"key_exists": "x"}})",
          "d.json"),
      Contains("d.json: /: \"id\" appears twice in one object"));
  CHECK_THROWS_WITH(
      rules::parse_rule(
          R"({"schema_version": 1, "id": "A", "title": "t", "check": {"not": {"key_exists": "x", "key_exists": "y"}}})",
          "d.json"),
      Contains("d.json: /check/not: \"key_exists\" appears twice"));
}

TEST_CASE("rule regexes use RE2 syntax: a backreference is refused when the rule is loaded",
          "[unit][rules]") {
  CHECK_THROWS_WITH(
      rules::parse_rule(
          R"({"schema_version": 1, "id": "B", "title": "t", "check": {"string_matches": {"key": "k", "value": "v", "regex": "(a)\\1"}}})",
          "b.json"),
      Contains("b.json: /check/string_matches/regex: invalid regular expression"));
}

TEST_CASE("built-in rules: each text is within the loader's limits, which builtin_rules skips",
          "[unit][rules]") {
  for (const auto& r : rules::embedded_rules())
    CHECK_NOTHROW(rules::check_json_limits(r.text, std::string(r.file_name)));
}

TEST_CASE("builtin_rules_named parses only the rules asked for, as builtin_rules does",
          "[unit][rules]") {
  const auto all = rules::builtin_rules();
  REQUIRE(all.size() >= 2);
  const auto named = rules::builtin_rules_named({"kb277770", all.back().id, "KB277770"});
  REQUIRE(named);
  REQUIRE(named->size() == 3);
  const auto same = [](const rules::Rule& a, const rules::Rule& b) {
    CHECK(a.id == b.id);
    CHECK(a.source == b.source);
    CHECK(a.source_sha256 == b.source_sha256);
    CHECK(a.itemized == b.itemized);
    CHECK(a.fix.size() == b.fix.size());
    CHECK(a.references == b.references);
  };
  const auto by_id = [&](const std::string& id) {
    return *std::find_if(all.begin(), all.end(), [&](const rules::Rule& r) { return r.id == id; });
  };
  same((*named)[0], by_id("KB277770"));
  same((*named)[1], all.back());
  same((*named)[2], by_id("KB277770"));
  // Not a built-in rule file's name: the caller loads them all and says so.
  CHECK_FALSE(rules::builtin_rules_named({"KB277770", "NO-SUCH-RULE"}));
  CHECK_FALSE(rules::builtin_rules_named({"KB277770.json"}));
  CHECK_FALSE(rules::builtin_rules_named({""}));
  // The provenance of the built-in rules is the same whether they were parsed or not.
  const auto parsed = rules::describe_rule_source(std::nullopt, all);
  const auto unparsed = rules::describe_builtin_rule_source();
  CHECK(parsed.source == unparsed.source);
  CHECK(parsed.sha256 == unparsed.sha256);
  REQUIRE(parsed.files.size() == unparsed.files.size());
  for (std::size_t i = 0; i < parsed.files.size(); ++i) {
    CHECK(parsed.files[i].path == unparsed.files[i].path);
    CHECK(parsed.files[i].sha256 == unparsed.files[i].sha256);
  }
}

TEST_CASE("rule ids and for_each names: their shapes, at their lengths", "[unit][rules]") {
  const auto with_id = [](const std::string& id) {
    return R"({"schema_version": 1, "id": ")" + id +
           R"(", "title": "t", "check": {"key_exists": "K"}})";
  };
  CHECK(rules::parse_rule(with_id("A"), "a.json").id == "A");
  CHECK(rules::parse_rule(with_id("9x_.-Z"), "a.json").id == "9x_.-Z");
  CHECK_NOTHROW(rules::parse_rule(with_id(std::string(64, 'a')), "a.json"));
  for (const std::string& bad : std::vector<std::string>{"", std::string(65, 'a'), "_x", ".x", "-x",
                                                         "a b", "a/b", "\xc3\xa9"})
    CHECK_THROWS_WITH(rules::parse_rule(with_id(bad), "a.json"),
                      Contains("/id: expected letters, digits"));

  const auto with_name = [](const std::string& as) {
    return R"({"schema_version": 1, "id": "X", "title": "t", "check": {"for_each_subkey": {"key": "S", "as": ")" +
           as + R"(", "require": {"key_exists": "S\\{)" + as + R"(}"}}}})";
  };
  CHECK_NOTHROW(rules::parse_rule(with_name("_"), "a.json"));
  CHECK_NOTHROW(rules::parse_rule(with_name("svc_2"), "a.json"));
  CHECK_NOTHROW(rules::parse_rule(with_name("a" + std::string(31, '9')), "a.json"));
  for (const std::string& bad :
       std::vector<std::string>{"2svc", "a" + std::string(32, '9'), "a-b", "a.b", "\xc3\xa9"})
    CHECK_THROWS_WITH(rules::parse_rule(with_name(bad), "a.json"),
                      Contains("/check/for_each_subkey/as: expected a name of letters"));
}
