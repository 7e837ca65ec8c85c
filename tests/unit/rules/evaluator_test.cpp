#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>

#include "rules/evaluator.hpp"
#include "rules/rule_loader.hpp"
#include "support/tree_reader.hpp"

using namespace hivelint;
using rules::Status;

namespace {

const std::vector<std::string> kAll{"Ldapsvc",  "Smtpsvc", "Nntpsvc",
                                    "Imap4svc", "Pop3svc", "Resvc"};
const std::string kParams = "ControlSet001\\Services\\InetInfo\\Parameters";

rules::Rule kb277770() {
  for (auto& r : rules::builtin_rules())
    if (r.id == "KB277770") return r;
  FAIL("KB277770 is not built in");
  return {};
}

rules::RuleResult check(const test::Tree& tree, unsigned set = 1) {
  const auto reader = tree.reader();
  const auto resolved =
      rules::resolve_control_sets(reader, rules::parse_control_set_choice(std::to_string(set)));
  return rules::evaluate_rule(kb277770(), reader, "test.hiv", resolved.sets.at(0));
}

// The REG_MULTI_SZ the fix would write (the one set_value edit; a create_key may precede it).
std::vector<std::string> proposed(const rules::RuleResult& r) {
  REQUIRE(!r.planned_edits.empty());
  const auto& last = r.planned_edits.back();
  REQUIRE(last.kind == hive::Edit::Kind::kSetValue);
  CHECK(last.type == 7);
  return hive::decode_multi_string(last.data).entries;
}

}  // namespace

TEST_CASE("KB277770 passes when DispatchEntries names all six", "[unit][rules]") {
  auto t = test::exchange_system({1}, 1, 1);
  t.key(kParams).multi_sz("DispatchEntries", kAll);
  const auto r = check(t);
  CHECK(r.status == Status::kPass);
  CHECK(r.missing.empty());
  CHECK(r.planned_edits.empty());
}

TEST_CASE("KB277770 reports the missing names in rule order", "[unit][rules]") {
  auto t = test::exchange_system({1}, 1, 1);
  t.key(kParams).multi_sz("DispatchEntries", {"Smtpsvc", "Ldapsvc"});
  const auto r = check(t);
  CHECK(r.status == Status::kFail);
  CHECK(r.missing == std::vector<std::string>{"Nntpsvc", "Imap4svc", "Pop3svc", "Resvc"});
  REQUIRE(r.findings.size() == 1);
  CHECK(r.findings[0].reason == rules::FindingReason::kMissingEntries);
  // The fix keeps the stored order and appends what is missing.
  CHECK(proposed(r) ==
        std::vector<std::string>{"Smtpsvc", "Ldapsvc", "Nntpsvc", "Imap4svc", "Pop3svc", "Resvc"});
}

TEST_CASE("KB277770 compares names case-insensitively and keeps extra entries", "[unit][rules]") {
  auto t = test::exchange_system({1}, 1, 1);
  SECTION("every name present in another case, plus an extra: passes, nothing to write") {
    t.key(kParams).multi_sz("DispatchEntries", {"LDAPSVC", "smtpsvc", "NntpSvc", "W3Svc",
                                                "Imap4Svc", "POP3SVC", "ReSvc"});
    const auto r = check(t);
    CHECK(r.status == Status::kPass);
    CHECK(r.missing.empty());
    CHECK(r.planned_edits.empty());
  }
  SECTION("one name missing, extras present: the fix keeps the extras and the stored spelling") {
    t.key(kParams).multi_sz("DispatchEntries", {"LDAPSVC", "W3Svc", "smtpsvc", "NntpSvc",
                                                "Imap4Svc", "POP3SVC", "MyOwnSvc"});
    const auto r = check(t);
    CHECK(r.status == Status::kFail);
    CHECK(r.missing == std::vector<std::string>{"Resvc"});
    CHECK(proposed(r) == std::vector<std::string>{"LDAPSVC", "W3Svc", "smtpsvc", "NntpSvc",
                                                  "Imap4Svc", "POP3SVC", "MyOwnSvc", "Resvc"});
  }
}

TEST_CASE("KB277770 names each way DispatchEntries can be wrong", "[unit][rules]") {
  auto t = test::exchange_system({1}, 1, 1);
  std::string reason;
  SECTION("value absent") {
    t.key(kParams).dword("ListenBackLog", 15);
    reason = "value_absent";
  }
  SECTION("Parameters key absent") {
    t.key("ControlSet001\\Services\\InetInfo").dword("Type", 32);
    reason = "key_absent";
  }
  SECTION("a key named DispatchEntries instead of the value") {
    t.key(kParams + "\\DispatchEntries");
    reason = "key_not_value";
  }
  SECTION("REG_SZ instead of REG_MULTI_SZ") {
    t.key(kParams).sz("DispatchEntries", "Ldapsvc Smtpsvc Nntpsvc Imap4svc Pop3svc Resvc");
    reason = "wrong_type";
  }
  const auto r = check(t);
  CHECK(r.status == Status::kFail);
  CHECK(r.missing == kAll);
  REQUIRE(r.findings.size() == 1);
  CHECK(rules::finding_reason_name(r.findings[0].reason) == reason);
  CHECK(proposed(r) == kAll);
  CHECK(r.planned_edits.size() == (reason == "key_absent" ? 2u : 1u));
}

TEST_CASE("a verdict-only evaluation gives the full one's verdict, without evidence or fix",
          "[unit][rules]") {
  auto t = test::exchange_system({1}, 1, 1);
  Status expected = Status::kFail;
  SECTION("fail") { t.key(kParams).multi_sz("DispatchEntries", {"Smtpsvc"}); }
  SECTION("pass") {
    t.key(kParams).multi_sz("DispatchEntries", kAll);
    expected = Status::kPass;
  }
  SECTION("not applicable") {
    t = test::Tree();
    t.key("Select").dword("Current", 1);
    t.key("ControlSet001\\Services\\SMTPSVC").dword("Start", 2);
    expected = Status::kNotApplicable;
  }
  const auto reader = t.reader();
  const auto set =
      rules::resolve_control_sets(reader, rules::parse_control_set_choice("1")).sets.at(0);
  const auto full = rules::evaluate_rule(kb277770(), reader, "test.hiv", set);
  const auto verdict =
      rules::evaluate_rule(kb277770(), reader, "test.hiv", set, rules::ResultDetail::kVerdict);
  CHECK(full.status == expected);
  CHECK(verdict.status == full.status);
  CHECK(verdict.message == full.message);
  CHECK(verdict.missing == full.missing);
  CHECK(verdict.applicability == full.applicability);
  CHECK(verdict.notes == full.notes);
  REQUIRE(verdict.findings.size() == full.findings.size());
  for (std::size_t i = 0; i < full.findings.size(); ++i)
    CHECK(verdict.findings[i].reason == full.findings[i].reason);
  CHECK(verdict.evidence.empty());
  CHECK(verdict.planned_edits.empty());
  CHECK(verdict.impact.empty());
  if (expected != Status::kNotApplicable) CHECK_FALSE(full.evidence.empty());
  if (expected == Status::kFail) CHECK_FALSE(full.planned_edits.empty());
}

TEST_CASE("KB277770 on a missing Parameters key plans to create it", "[unit][rules]") {
  auto t = test::exchange_system({1}, 1, 1);
  t.key("ControlSet001\\Services\\InetInfo").dword("Type", 32);
  const auto reader = t.reader();
  const auto sets = rules::resolve_control_sets(reader, rules::parse_control_set_choice("1"));
  const auto r = rules::evaluate_rule(kb277770(), reader, "t", sets.sets[0]);
  REQUIRE(r.planned_edits.size() == 2);
  CHECK(r.planned_edits[0].kind == hive::Edit::Kind::kCreateKey);
  CHECK(r.planned_edits[0].key.str() == kParams);
  CHECK(r.planned_edits[1].kind == hive::Edit::Kind::kSetValue);
}

TEST_CASE("names stored after an empty string do not count", "[unit][rules]") {
  auto t = test::exchange_system({1}, 1, 1);
  t.key(kParams).raw("DispatchEntries", 7, [] {
    auto head = hive::encode_multi_string({"Ldapsvc", "Smtpsvc"});
    head.pop_back();
    head.pop_back();  // drop the list terminator ...
    head.push_back(0);
    head.push_back(0);  // ... and write an empty string instead, then more names
    const auto tail = hive::encode_multi_string({"Nntpsvc", "Imap4svc", "Pop3svc", "Resvc"});
    head.insert(head.end(), tail.begin(), tail.end());
    return head;
  }());
  const auto r = check(t);
  CHECK(r.status == Status::kFail);
  CHECK(r.missing == std::vector<std::string>{"Nntpsvc", "Imap4svc", "Pop3svc", "Resvc"});
  CHECK(r.findings.at(0).hidden == r.missing);
}

TEST_CASE("KB277770 does not apply without Exchange protocol services", "[unit][rules]") {
  test::Tree t;
  t.key("Select").dword("Current", 1);
  t.key("ControlSet001\\Services\\W3SVC").dword("Start", 2);
  t.key(kParams).dword("ListenBackLog", 15);
  CHECK(check(t).status == Status::kNotApplicable);
}

TEST_CASE("KB277770 does not apply to an IIS SMTP relay without Exchange, and says what it saw",
          "[unit][rules]") {
  test::Tree t;
  t.key("Select").dword("Current", 1);
  t.key("ControlSet001\\Services\\SMTPSVC").dword("Start", 2);
  const auto r = check(t);
  CHECK(r.status == Status::kNotApplicable);
  CHECK_THAT(r.message, Catch::Matchers::Contains("no Exchange service"));
  CHECK_THAT(r.message, Catch::Matchers::EndsWith("services seen: SMTPSVC"));
  CHECK(r.planned_edits.empty());
}

TEST_CASE("KB277770 does not apply to the Windows Server 2003 POP3 Service beside IIS SMTP",
          "[unit][rules]") {
  // POP3SVC (pop3svc.exe, the operating system's POP3 Service) equals Exchange's POP3Svc without
  // case.
  test::Tree t;
  t.key("Select").dword("Current", 1);
  t.key("ControlSet001\\Services\\SMTPSVC").dword("Start", 2);
  t.key("ControlSet001\\Services\\POP3SVC")
      .expand_sz("ImagePath", "%SystemRoot%\\system32\\pop3server\\pop3svc.exe");
  const auto r = check(t);
  CHECK(r.status == Status::kNotApplicable);
  CHECK_THAT(r.message, Catch::Matchers::EndsWith("services seen: SMTPSVC, POP3SVC"));
}

TEST_CASE("KB277770 does not apply to an Exchange service without a protocol service",
          "[unit][rules]") {
  test::Tree t;
  t.key("Select").dword("Current", 1);
  t.key("ControlSet001\\Services\\MSExchangeSA").dword("Start", 2);
  const auto r = check(t);
  CHECK(r.status == Status::kNotApplicable);
  CHECK_THAT(r.message, Catch::Matchers::EndsWith("services seen: MSExchangeSA"));
}

TEST_CASE(
    "KB277770 applies where an Exchange-only service and a protocol service exist, matched "
    "case-insensitively",
    "[unit][rules]") {
  for (const char* exchange : {"msexchangesa", "MSExchangeIS", "MSEXCHANGEMTA"}) {
    test::Tree t;
    t.key("Select").dword("Current", 1);
    t.key(std::string("ControlSet001\\Services\\") + exchange).dword("Start", 2);
    t.key("ControlSet001\\Services\\smtpsvc").dword("Start", 2);
    const auto r = check(t);
    CHECK(r.status == Status::kFail);
    CHECK(r.missing == kAll);
  }
  // RESvc, the Routing Engine, is both an Exchange-only service and one of the five protocol
  // services.
  test::Tree t;
  t.key("Select").dword("Current", 1);
  t.key("ControlSet001\\Services\\RESvc").dword("Start", 2);
  CHECK(check(t).status == Status::kFail);
}

TEST_CASE("evidence carries paths, types, data, times and ImagePath notes", "[unit][rules]") {
  auto t = test::exchange_system({1}, 1, 1);
  t.key(kParams).multi_sz("DispatchEntries", {"Ldapsvc"});
  t.key("ControlSet001\\Services\\RESvc")
      .expand_sz("ImagePath", "%SystemRoot%\\System32\\dllhost.exe /Processid:{X}");
  const auto r = check(t);
  REQUIRE(!r.evidence.empty());
  const auto& checked = r.evidence[0];
  CHECK(checked.label == "checked value");
  CHECK(checked.path == kParams);
  CHECK(checked.last_written == "2004-06-01T00:00:00.0000000Z");
  REQUIRE(checked.values.size() == 1);
  CHECK(checked.values[0].type == 7);
  CHECK(checked.values[0].strings == std::vector<std::string>{"Ldapsvc"});
  bool saw_dllhost = false, saw_inetinfo = false;
  for (const auto& e : r.evidence)
    for (const auto& v : e.values)
      for (const auto& n : v.notes) {
        saw_dllhost =
            saw_dllhost || (e.label == "Routing Engine service" && n == "runs in dllhost.exe");
        saw_inetinfo = saw_inetinfo || n.find("inetinfo.exe") != std::string::npos;
      }
  CHECK(saw_dllhost);
  CHECK(saw_inetinfo);
}

TEST_CASE(
    "the fix keeps stored entries exactly: unpaired surrogates and duplicates are not rewritten",
    "[unit][rules]") {
  // Review D20: "Res\uD800vc" came back as "Res\uFFFDvc" (the plan went through UTF-8).
  auto t = test::exchange_system({1}, 1, 1);
  std::vector<std::uint8_t> data;
  static constexpr char16_t kStored[] =
      u"Ldapsvc\0Res\xD800vc\0ldapsvc\0";  // + the literal's NUL: "\0\0"
  for (char16_t u : kStored) {
    data.push_back(static_cast<std::uint8_t>(u & 0xFF));
    data.push_back(static_cast<std::uint8_t>(u >> 8));
  }
  t.key(kParams).raw("DispatchEntries", 7, data);
  const auto r = check(t);
  REQUIRE(r.status == Status::kFail);
  const auto& written = r.planned_edits.back().data;
  // The stored bytes, up to the list terminator, are a prefix of what is written; then the missing
  // names.
  REQUIRE(written.size() > data.size() - 2);
  CHECK(std::equal(data.begin(), data.end() - 2, written.begin()));
  std::vector<std::uint8_t> tail(written.begin() + static_cast<std::ptrdiff_t>(data.size() - 2),
                                 written.end());
  CHECK(tail == hive::encode_multi_string({"Smtpsvc", "Nntpsvc", "Imap4svc", "Pop3svc", "Resvc"}));
}

TEST_CASE("fix planning is linear in the number of stored entries", "[unit][rules]") {
  // Review D8: 40,000 distinct entries took 108 s (a case-insensitive compare against every kept
  // entry).
  auto t = test::exchange_system({1}, 1, 1);
  std::vector<std::string> many;
  for (int i = 0; i < 30000; ++i) many.push_back("e" + std::to_string(i));
  t.key(kParams).multi_sz("DispatchEntries", many);
  const auto start = std::chrono::steady_clock::now();
  const auto r = check(t);
  const auto seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  REQUIRE(r.status == Status::kFail);
  CHECK(proposed(r).size() == many.size() + kAll.size());
  CHECK(seconds < 5.0);  // quadratic: about a minute; linear: well under a second
}

TEST_CASE("rule regexes match long hive data without recursion", "[unit][rules]") {
  // Review D14: std::regex recursed once per character; "inetinfo.*\.exe" over 200,000 characters
  // was SIGSEGV.
  auto t = test::exchange_system({1}, 1, 1);
  t.key("ControlSet001\\Services\\SMTPSVC")
      .sz("ImagePath", "inetinfo" + std::string(200000, 'a') + ".EXE");
  const auto rule = rules::parse_rule(
      R"({"schema_version": 1, "id": "M", "title": "t", "check": {"string_matches": {"key": "Services\\SMTPSVC", "value": "ImagePath", "regex": "inetinfo.*\\.exe"}}})",
      "m.json");
  const auto reader = t.reader();
  const auto sets = rules::resolve_control_sets(reader, rules::parse_control_set_choice("1"));
  CHECK(rules::evaluate_rule(rule, reader, "t", sets.sets.at(0)).status ==
        Status::kPass);  // case-insensitive by default
}
