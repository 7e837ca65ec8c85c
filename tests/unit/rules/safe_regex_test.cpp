#include <catch2/catch.hpp>

#include <memory>
#include <vector>

#include "rules/rule_loader.hpp"
#include "rules/safe_regex.hpp"

using namespace hivelint;

TEST_CASE("a retained pattern answers as the pattern compiled at each use", "[unit][rules]") {
  const auto kept =
      rules::compile_retained("^system32\\\\drivers\\\\.*\\.sys$", rules::RegexOptions{false});
  REQUIRE(kept);
  for (const char* text :
       {"System32\\DRIVERS\\cdrom.SYS", "system32\\drivers\\x.dll", "", "\xff\xfe"}) {
    CHECK(
        rules::regex_search(text, kept, "unused", rules::RegexOptions{false}) ==
        rules::regex_search(text, "^system32\\\\drivers\\\\.*\\.sys$", rules::RegexOptions{false}));
  }
  // Without a retained pattern the text is compiled at each use.
  CHECK(rules::regex_search("abc", nullptr, "B", rules::RegexOptions{false}));
  CHECK_FALSE(rules::regex_search("abc", nullptr, "B", rules::RegexOptions{true}));
  // Case follows the options the pattern was retained with.
  CHECK_FALSE(rules::compile_retained("B", rules::RegexOptions{true})->search("abc"));
}

TEST_CASE(
    "retained patterns are capped for the process, and the cap is given back when they are dropped",
    "[unit][rules]") {
  std::vector<std::shared_ptr<const rules::SafeRegex>> kept;
  for (int i = 0; i < rules::kMaxRetainedRegexes + 10; ++i) {
    auto re = rules::compile_retained("x" + std::to_string(i), {});
    if (!re) break;
    kept.push_back(std::move(re));
  }
  // Built-in rules loaded elsewhere in this process may hold some of the budget, never more than
  // all of it.
  CHECK(kept.size() <= static_cast<std::size_t>(rules::kMaxRetainedRegexes));
  CHECK_FALSE(rules::compile_retained("y", {}));
  // A rule loaded now still evaluates: its patterns are compiled at each use.
  const auto rules_now = rules::builtin_rules();
  CHECK(rules_now.size() == 5);
  kept.clear();
  CHECK(rules::compile_retained("y", {}));
}

TEST_CASE(
    "a pattern too big to retain is not retained, and still matches when compiled at each use",
    "[unit][rules]") {
  // About 40,000 instructions (440 bytes of pattern): over kRetainedRegexMemory, under
  // kMaxRegexMemory.
  std::string big;
  for (int i = 0; i < 40; ++i) big += "[a-z]{1000}";
  CHECK(rules::regex_error(big).empty());
  CHECK_FALSE(rules::compile_retained(big, {}));
  CHECK(rules::regex_search(std::string(40000, 'q'), nullptr, big, {}));
  CHECK_FALSE(rules::regex_search(std::string(39999, 'q'), nullptr, big, {}));
}

namespace {
int count_matches(const rules::Condition& c, int& compiled) {
  int n = 0;
  if (c.kind == rules::ConditionKind::kStringMatches ||
      c.kind == rules::ConditionKind::kTextMatches) {
    ++n;
    if (c.regex) ++compiled;
  }
  for (const auto& child : c.children) n += count_matches(child, compiled);
  for (const auto& spec : c.item)
    for (const auto& s : spec.severity)
      for (const auto& w : s.when) n += count_matches(w, compiled);
  return n;
}
}  // namespace

TEST_CASE("the built-in rules keep their patterns compiled", "[unit][rules]") {
  int notes = 0, compiled_notes = 0, conditions = 0, compiled_conditions = 0;
  for (const auto& r : rules::builtin_rules()) {
    for (const auto& e : r.evidence)
      for (const auto& n : e.notes) {
        ++notes;
        if (n.compiled) ++compiled_notes;
      }
    conditions += count_matches(r.applies_if, compiled_conditions) +
                  count_matches(r.check, compiled_conditions);
  }
  CHECK(notes >= 10);
  CHECK(compiled_notes == notes);
  CHECK(conditions >= 2);
  CHECK(compiled_conditions == conditions);
}
