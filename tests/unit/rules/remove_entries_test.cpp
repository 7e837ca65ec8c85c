// remove_multi_string_entries: the fix action that takes names out of a REG_MULTI_SZ
// (docs/rules.md), in its literal form and in the from_items form CLASS-FILTER-MISSING uses, and
// the loader's checks of it.
#include <catch2/catch.hpp>

#include "hive/value.hpp"
#include "rules/evaluator.hpp"
#include "rules/rule_loader.hpp"
#include "support/tree_reader.hpp"
#include "util/utf16.hpp"

using namespace hivelint;
using Catch::Matchers::Contains;
using rules::Status;

namespace {

constexpr const char* kCdrom =
    "ControlSet001\\Control\\Class\\{4D36E965-E325-11CE-BFC1-08002BE10318}";
constexpr const char* kDisk =
    "ControlSet001\\Control\\Class\\{4D36E967-E325-11CE-BFC1-08002BE10318}";

rules::Rule class_filter_rule() {
  for (auto& r : rules::builtin_rules())
    if (r.id == "CLASS-FILTER-MISSING") return r;
  FAIL("CLASS-FILTER-MISSING is not built in");
  return {};
}

rules::RuleResult run(const rules::Rule& rule, const test::Tree& t) {
  const auto reader = t.reader();
  const auto resolved = rules::resolve_control_sets(reader, rules::parse_control_set_choice("1"));
  return rules::evaluate_rule(rule, reader, "test.hiv", resolved.sets.at(0));
}

test::Tree machine() {
  test::Tree t;
  t.key("Select").dword("Current", 1);
  t.key("ControlSet001\\Services\\Redbook").dword("Start", 1);
  t.key("ControlSet001\\Services\\PartMgr").dword("Start", 0);
  return t;
}

const hive::Edit* edit_of(const rules::RuleResult& r, const std::string& key,
                          const std::string& value) {
  for (const auto& e : r.planned_edits)
    if (e.key.str() == key && e.value_name == value) return &e;
  return nullptr;
}

std::vector<std::uint8_t> bytes(std::u16string_view units) {
  const std::string b = util::utf16le_bytes(units);
  return {b.begin(), b.end()};
}

rules::Rule rule_with_fix(const std::string& check, const std::string& fix) {
  return rules::parse_rule(R"({"schema_version": 1, "id": "X", "title": "t", "check": )" + check +
                               R"(, "fix": [)" + fix + "]}",
                           "x.json");
}

const std::string kItemCheck =
    R"({"for_each_entry": {"key": "K", "value": "L", "as": "e", "require": {"key_exists": "S\\{e}"},
        "item": {"service": "K", "key": "K", "value": "L", "name": "{e}"}}})";

}  // namespace

TEST_CASE(
    "CLASS-FILTER-MISSING's fix removes exactly the dangling names, others kept in order, any case",
    "[unit][rules][fix]") {
  auto t = machine();
  t.key(std::string(kCdrom))
      .multi_sz("UpperFilters", {"AcmeCdFlt", "redbook", "ACMECDFLT", "PartMgr"});
  t.key(std::string(kCdrom) + "\\0000").sz("DriverDesc", "CD-ROM");
  t.key(std::string(kDisk)).multi_sz("UpperFilters", {"PartMgr"});  // nothing dangling: no edit
  const auto r = run(class_filter_rule(), t);
  REQUIRE(r.status == Status::kFail);
  REQUIRE(r.items.size() == 2);
  REQUIRE(r.planned_edits.size() == 1);
  const hive::Edit& e = r.planned_edits.front();
  CHECK(e.kind == hive::Edit::Kind::kSetValue);
  CHECK(e.key.str() == kCdrom);
  CHECK(e.value_name == "UpperFilters");
  CHECK(e.type == 7u);
  CHECK(hive::decode_multi_string(e.data).entries ==
        std::vector<std::string>{"redbook", "PartMgr"});
  CHECK(e.data == bytes(std::u16string(u"redbook\0PartMgr\0\0", 17)));
  REQUIRE(e.old_value);
  CHECK(hive::decode_multi_string(e.old_value->data).entries.size() == 4);
}

TEST_CASE("a filter value left with no name is deleted, not written empty", "[unit][rules][fix]") {
  auto t = machine();
  t.key(std::string(kCdrom))
      .multi_sz("LowerFilters", {"AcmeBurn", "acmeburn"})
      .multi_sz("UpperFilters", {"redbook"});
  t.key(std::string(kCdrom) + "\\0000");
  const auto r = run(class_filter_rule(), t);
  REQUIRE(r.planned_edits.size() == 1);
  const hive::Edit* e = edit_of(r, kCdrom, "LowerFilters");
  REQUIRE(e);
  CHECK(e->kind == hive::Edit::Kind::kDeleteValue);
  REQUIRE(e->old_value);
  CHECK(e->old_value->type == 7u);
}

TEST_CASE("entries after the list's empty string are neither reported nor lost",
          "[unit][rules][fix]") {
  auto t = machine();
  // "Gone1", then the empty string that ends the list as Windows reads it, then "Hidden" that
  // Windows never reads.
  t.key(std::string(kCdrom))
      .raw("UpperFilters", 7, bytes(std::u16string(u"Gone1\0redbook\0\0Hidden\0\0", 24)));
  t.key(std::string(kCdrom) + "\\0000");
  const auto r = run(class_filter_rule(), t);
  REQUIRE(r.items.size() == 1);
  CHECK(r.items[0].name == "Gone1");
  REQUIRE(r.planned_edits.size() == 1);
  CHECK(r.planned_edits[0].data == bytes(std::u16string(u"redbook\0\0Hidden\0\0", 18)));
}

TEST_CASE(
    "the literal form removes the named entries, a REG_SZ is one entry, other types are left alone",
    "[unit][rules][fix]") {
  test::Tree t;
  t.key("Select").dword("Current", 1);
  t.key("ControlSet001\\K")
      .multi_sz("M", {"a", "B", "c"})
      .sz("S", "b")
      .dword("D", 1)
      .multi_sz("Unterminated", {"x"});
  const auto fix = [&](const std::string& value, const std::string& entries) {
    const auto rule =
        rule_with_fix(R"({"key_exists": "Nope"})",
                      R"({"action": "remove_multi_string_entries", "key": "K", "value": ")" +
                          value + R"(", "entries": )" + entries + "}");
    return run(rule, t);
  };
  auto r = fix("M", R"(["b", "zzz"])");
  REQUIRE(r.planned_edits.size() == 1);
  CHECK(hive::decode_multi_string(r.planned_edits[0].data).entries ==
        std::vector<std::string>{"a", "c"});
  r = fix("S", R"(["B"])");
  REQUIRE(r.planned_edits.size() == 1);
  CHECK(r.planned_edits[0].kind == hive::Edit::Kind::kDeleteValue);
  CHECK(fix("D", R"(["1"])").planned_edits.empty());
  CHECK(fix("M", R"(["zzz"])").planned_edits.empty());     // nothing to remove: no edit
  CHECK(fix("Absent", R"(["a"])").planned_edits.empty());  // no value: no edit
}

TEST_CASE("an unterminated list gets its terminator back when an entry is removed",
          "[unit][rules][fix]") {
  test::Tree t;
  t.key("Select").dword("Current", 1);
  t.key("ControlSet001\\K").raw("M", 7, bytes(std::u16string(u"keep\0drop", 9)));
  const auto rule = rule_with_fix(
      R"({"key_exists": "Nope"})",
      R"({"action": "remove_multi_string_entries", "key": "K", "value": "M", "entries": ["DROP"]})");
  const auto r = run(rule, t);
  REQUIRE(r.planned_edits.size() == 1);
  CHECK(r.planned_edits[0].data == bytes(std::u16string(u"keep\0\0", 6)));
}

TEST_CASE("from_items removes the items' names from the values it lists, and only those",
          "[unit][rules][fix]") {
  test::Tree t;
  t.key("Select").dword("Current", 1);
  t.key("ControlSet001\\S\\ok");
  t.key("ControlSet001\\K").multi_sz("L", {"gone", "ok", "Gone2"});
  auto r = run(rule_with_fix(kItemCheck,
                             R"({"action": "remove_multi_string_entries", "from_items": ["L"]})"),
               t);
  REQUIRE(r.items.size() == 2);
  REQUIRE(r.planned_edits.size() == 1);
  CHECK(hive::decode_multi_string(r.planned_edits[0].data).entries ==
        std::vector<std::string>{"ok"});
  r = run(rule_with_fix(kItemCheck,
                        R"({"action": "remove_multi_string_entries", "from_items": ["Other"]})"),
          t);
  CHECK(r.status == Status::kFail);
  CHECK(r.planned_edits.empty());  // the items' value is not listed: nothing planned, so `fix` says
                                   // there is no fix
}

TEST_CASE("the loader checks remove_multi_string_entries and caps its sizes",
          "[unit][rules][fix]") {
  const std::string plain = R"({"key_exists": "A"})";
  const auto refused = [&](const std::string& check, const std::string& fix,
                           const std::string& message) {
    CHECK_THROWS_WITH(rule_with_fix(check, fix), Contains(message));
  };
  refused(plain, R"({"action": "remove_multi_string_entries", "from_items": ["L"]})",
          "/fix/0/from_items: the rule declares no \"item\"");
  refused(kItemCheck, R"({"action": "remove_multi_string_entries", "from_items": []})",
          "/fix/0/from_items: expected 1 to 1024");
  refused(kItemCheck,
          R"({"action": "remove_multi_string_entries", "from_items": ["L"], "key": "K"})",
          "/fix/0: unknown field \"key\"");
  refused(plain,
          R"({"action": "remove_multi_string_entries", "key": "K", "value": "V", "entries": []})",
          "/fix/0/entries: expected 1 to 1024");
  refused(
      plain,
      R"({"action": "remove_multi_string_entries", "key": "K", "value": "V", "entries": ["a", ""]})",
      "/fix/0/entries/1: an empty entry cannot be removed");
  refused(plain, R"({"action": "remove_multi_string_entries", "key": "K", "entries": ["a"]})",
          "/fix/0: missing \"value\"");
  refused(plain,
          R"({"action": "remove_multi_string_entries", "key": "K", "value": "V", "entries": "a"})",
          "/fix/0/entries: expected an array of strings");
  refused(plain, R"({"action": "remove_entries"})", "unknown action \"remove_entries\"");

  std::string many = "[";
  for (int i = 0; i < 1025; ++i)
    many += std::string(i ? "," : "") + "\"n" + std::to_string(i) + "\"";
  many += "]";
  refused(plain,
          R"({"action": "remove_multi_string_entries", "key": "K", "value": "V", "entries": )" +
              many + "}",
          "/fix/0/entries: expected 1 to 1024");
  std::string actions;
  for (int i = 0; i < 65; ++i)
    actions += std::string(i ? "," : "") + R"({"action": "create_key", "key": "K"})";
  refused(plain, actions, "/fix: expected an array of at most 64 actions");

  const auto ok = rule_with_fix(
      kItemCheck, R"({"action": "remove_multi_string_entries", "from_items": ["L", "M"]})");
  REQUIRE(ok.fix.size() == 1);
  CHECK(ok.fix[0].kind == rules::FixKind::kRemoveMultiStringEntries);
  CHECK(ok.fix[0].from_items == std::vector<std::string>{"L", "M"});
}

TEST_CASE(
    "an entry with an unpaired surrogate is removed by the item made from it, and only that one",
    "[unit][rules][fix]") {
  auto t = machine();
  std::u16string units;
  units +=
      static_cast<char16_t>(0xD800);  // unpaired high surrogate: the item's name reads it as U+FFFD
  units += u"x";
  units += u'\0';
  units += u"redbook";
  units += u'\0';
  units += u'\0';
  t.key(std::string(kCdrom)).raw("UpperFilters", 7, bytes(units));
  t.key(std::string(kCdrom) + "\\0000");
  const auto r = run(class_filter_rule(), t);
  REQUIRE(r.items.size() == 1);
  CHECK(r.items[0].name == "\xEF\xBF\xBDx");
  REQUIRE(r.planned_edits.size() == 1);
  CHECK(r.planned_edits[0].data == bytes(std::u16string(u"redbook\0\0", 9)));
}
