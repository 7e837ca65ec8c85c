#include <catch2/catch.hpp>

#include "rules/confirm.hpp"
#include "rules/rule_loader.hpp"
#include "support/tree_reader.hpp"

using namespace hivelint;
using Catch::Matchers::Contains;
using rules::Status;

namespace {

const std::vector<std::string> kAll{"Ldapsvc",  "Smtpsvc", "Nntpsvc",
                                    "Imap4svc", "Pop3svc", "Resvc"};
const std::string kParams = "ControlSet001\\Services\\InetInfo\\Parameters";

rules::Rule rule(const std::string& id) {
  for (auto& r : rules::builtin_rules())
    if (r.id == id) return r;
  FAIL(id + " is not built in");
  return {};
}

rules::RuleResult evaluate(const std::string& id, const hive::HiveReader& reader) {
  const auto resolved = rules::resolve_control_sets(reader, rules::parse_control_set_choice("1"));
  return rules::evaluate_rule(rule(id), reader, "test.hiv", resolved.sets.at(0));
}

// What libregf's confirmation says of KB277770's result on `first` when the second reader reads
// `second`.
std::optional<std::string> kb277770_disagreement(const test::Tree& first,
                                                 const test::Tree& second) {
  const auto a = first.reader(), b = second.reader();
  return rules::disagreement(evaluate("KB277770", a), rule("KB277770"), a, b);
}

test::Tree failing_exchange() {
  auto t = test::exchange_system({1}, 1, 1);
  t.key("ControlSet001\\Services\\MSExchangeSA");
  t.key(kParams).multi_sz("DispatchEntries", {"Ldapsvc", "Smtpsvc"});
  return t;
}

}  // namespace

TEST_CASE("confirm: two readings of the same tree agree, and the result is left as it was",
          "[unit][rules]") {
  const auto t = failing_exchange();
  const auto first = t.reader(), second = t.reader();
  auto r = evaluate("KB277770", first);
  REQUIRE(r.status == Status::kFail);
  CHECK_FALSE(rules::disagreement(r, rule("KB277770"), first, second));
  CHECK_FALSE(rules::root_disagreement(first, second));
  CHECK_FALSE(rules::confirm_result(r, rule("KB277770"), first, second));
  CHECK(r.status == Status::kFail);
  CHECK_FALSE(r.planned_edits.empty());
}

TEST_CASE("confirm: libregf evaluates KB277770 again, and another verdict is an error naming both",
          "[unit][rules]") {
  const auto t = failing_exchange();
  auto other = failing_exchange();
  other.key(kParams).multi_sz("DispatchEntries", kAll);
  const auto first = t.reader(), second = other.reader();
  auto r = evaluate("KB277770", first);
  REQUIRE(r.status == Status::kFail);
  const auto d = rules::disagreement(r, rule("KB277770"), first, second);
  REQUIRE(d);
  CHECK(*d ==
        "the verdict: hivelint's reader read fail (missing Nntpsvc; Imap4svc; Pop3svc; Resvc), "
        "libregf read pass");
  CHECK(rules::confirm_result(r, rule("KB277770"), first, second));
  CHECK(r.status == Status::kError);
  CHECK_THAT(r.message, Contains("hivelint's reader and libregf disagree: the verdict"));
  CHECK(r.planned_edits.empty());  // no fix from an unconfirmed reading
}

TEST_CASE("confirm: the same verdict from other data is still a disagreement", "[unit][rules]") {
  const auto t = failing_exchange();
  auto other = failing_exchange();
  other.key(kParams).multi_sz("DispatchEntries", {"Ldapsvc", "Smtpsvc", "Extra"});
  const auto d = kb277770_disagreement(t, other);
  REQUIRE(d);
  CHECK(*d ==
        "ControlSet001\\Services\\InetInfo\\Parameters\\DispatchEntries: hivelint's reader read "
        "REG_MULTI_SZ of "
        "34 bytes, libregf read REG_MULTI_SZ of 46 bytes, other data");
}

TEST_CASE("confirm: evidence the verdict does not depend on is still compared value by value",
          "[unit][rules]") {
  // libregf's second evaluation builds the verdict only (ResultDetail::kVerdict); the evidence a
  // report shows is compared by reading each of its values through both readers.
  const auto t = failing_exchange();
  auto other = failing_exchange();
  other.key("ControlSet001\\Services\\IISADMIN")
      .expand_sz("ImagePath", "C:\\elsewhere\\inetinfo.exe");
  const auto d = kb277770_disagreement(t, other);
  REQUIRE(d);
  CHECK_THAT(*d, Contains("ControlSet001\\Services\\IISADMIN\\ImagePath: hivelint's reader read "
                          "REG_EXPAND_SZ"));
  CHECK_THAT(*d, Contains("other data"));
}

TEST_CASE("confirm: a key only one reader finds, and an item's Start read differently",
          "[unit][rules]") {
  // An applicability key absent for the second reader.
  {
    const auto t = failing_exchange();
    auto other = test::exchange_system({1}, 1, 1);
    other.key(kParams).multi_sz("DispatchEntries", {"Ldapsvc", "Smtpsvc"});
    const auto d = kb277770_disagreement(t, other);
    REQUIRE(d);
    // The verdict is the same (RESvc is there too); why the rule applies is not.
    CHECK_THAT(*d, Contains("why the rule applies: hivelint's reader read "
                            "ControlSet001\\Services\\MSExchangeSA exists;"));
    CHECK_THAT(*d, Contains("libregf read ControlSet001\\Services\\MSExchangeSA is absent;"));
  }
  // SCM-MARKED-FOR-DELETION's item: the second reader sees another Start.
  {
    auto t = test::exchange_system({1}, 1, 1);
    t.key("ControlSet001\\Services\\OldAv").dword("DeleteFlag", 1).dword("Start", 2);
    auto other = test::exchange_system({1}, 1, 1);
    other.key("ControlSet001\\Services\\OldAv").dword("DeleteFlag", 1).dword("Start", 4);
    const auto first = t.reader(), second = other.reader();
    const auto r = evaluate("SCM-MARKED-FOR-DELETION", first);
    REQUIRE(r.items.size() == 1);
    const auto d = rules::disagreement(r, rule("SCM-MARKED-FOR-DELETION"), first, second);
    REQUIRE(d);
    CHECK_THAT(*d, Contains("OldAv\\Start"));
  }
}

TEST_CASE("confirm: libregf's known readings are not disagreements", "[unit][rules]") {
  hive::Value a, b;
  a.type = b.type = 1;  // REG_SZ: libregf cuts at the first NUL and adds a terminator
  a.data = {'A', 0, 0, 0, 'B', 0};
  b.data = {'A', 0, 0, 0};
  CHECK(rules::same_value_reading(a, b));
  a.type = b.type = 3;  // REG_BINARY: byte for byte
  CHECK_FALSE(rules::same_value_reading(a, b));
  b.data = a.data;
  a.cell_file_offset = 0x1020;
  b.cell_file_offset = 0x1028;  // another cell is another reading
  CHECK_FALSE(rules::same_value_reading(a, b));

  // A compressed name with a byte in 0x80-0x9F: Latin-1 for hivelint's reader, Windows-1252 for
  // libregf.
  auto t = test::Tree{};
  t.key(std::string("\xC2\x9F"));  // U+009F
  auto other = test::Tree{};
  other.key(std::string("\xC5\xB8"));  // U+0178, what libregf makes of byte 0x9F
  CHECK_FALSE(rules::root_disagreement(t.reader(), other.reader()));
  auto third = test::Tree{};
  third.key("Y");
  CHECK(rules::root_disagreement(t.reader(), third.reader()));
}
