#include <catch2/catch.hpp>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "report/check_report.hpp"
#include "rules/evaluator.hpp"
#include "rules/rule_loader.hpp"
#include "support/tree_reader.hpp"

using namespace hivelint;
using Catch::Matchers::Contains;

namespace {

rules::Rule builtin(const std::string& id) {
  for (auto& r : rules::builtin_rules())
    if (r.id == id) return r;
  FAIL("no built-in rule " << id);
  return {};
}

report::CheckReport one_result(const test::Tree& tree, const char* control_set) {
  const auto reader = tree.reader();
  const auto sets =
      rules::resolve_control_sets(reader, rules::parse_control_set_choice(control_set));
  report::CheckReport rep;
  rep.results.push_back(
      rules::evaluate_rule(builtin("KB277770"), reader, "SYSTEM", sets.sets.at(0)));
  return rep;
}

}  // namespace

TEST_CASE("exit codes: errors win over failures, failures over passes", "[unit][report]") {
  report::CheckReport rep;
  CHECK(report::exit_code(rep) == ExitCode::kOk);
  rep.results.emplace_back().status = rules::Status::kNotApplicable;
  rep.results.emplace_back().status = rules::Status::kPass;
  CHECK(report::exit_code(rep) == ExitCode::kOk);
  rep.results.emplace_back().status = rules::Status::kFail;
  CHECK(report::exit_code(rep) == ExitCode::kFail);
  rep.results.emplace_back().status = rules::Status::kError;
  CHECK(report::exit_code(rep) == ExitCode::kInput);
  CHECK(to_int(report::exit_code(rep)) == 3);  // the number README.md and docs/usage.md give
}

TEST_CASE("exit codes combine: an input error wins, then the higher code", "[unit][report]") {
  CHECK(combine(ExitCode::kOk, ExitCode::kFail) == ExitCode::kFail);
  CHECK(combine(ExitCode::kRefused, ExitCode::kInput) == ExitCode::kInput);
  CHECK(combine(ExitCode::kInput, ExitCode::kInternal) == ExitCode::kInput);
  CHECK(combine(ExitCode::kRefused, ExitCode::kFail) == ExitCode::kRefused);
  CHECK(to_int(ExitCode::kUsage) == 2);
  CHECK(to_int(ExitCode::kInternal) == 5);
}

TEST_CASE("text output puts the verdict first, then what is missing, where, and the next command",
          "[unit][report]") {
  auto t = test::exchange_system({1, 2}, 2, 1);
  t.key("ControlSet002\\Services\\InetInfo\\Parameters")
      .multi_sz("DispatchEntries", {"Ldapsvc", "Smtpsvc", "Nntpsvc"});
  std::ostringstream out;
  report::render_check_text(one_result(t, "current"), out);
  const std::string text = out.str();
  CHECK(text.rfind("FAIL  KB277770  SYSTEM  [ControlSet002, Select\\Current = 2]\n", 0) == 0);
  CHECK_THAT(text, Contains("Missing:  Imap4svc, Pop3svc, Resvc\n"));
  CHECK_THAT(
      text,
      Contains("(on the server: HKLM\\SYSTEM\\CurrentControlSet\\Services\\InetInfo\\Parameters)"));
  CHECK_THAT(
      text,
      Contains("Found:    DispatchEntries REG_MULTI_SZ = \"Ldapsvc\" | \"Smtpsvc\" | \"Nntpsvc\""));
  CHECK_THAT(
      text,
      Contains(
          "reg add \"HKLM\\SYSTEM\\CurrentControlSet\\Services\\InetInfo\\Parameters\" /v "
          "DispatchEntries "
          "/t REG_MULTI_SZ /d \"Ldapsvc\\0Smtpsvc\\0Nntpsvc\\0Imap4svc\\0Pop3svc\\0Resvc\" /f"));
  CHECK_THAT(text,
             Contains("reg add \"HKLM\\OFFLINE\\ControlSet002\\Services\\InetInfo\\Parameters\""));
  CHECK_THAT(text, Contains("Summary: 1 fail, 0 pass, 0 not applicable, 0 errors (exit 1)"));
}

TEST_CASE("a set that is not the current one is named by its own path, never CurrentControlSet",
          "[unit][report]") {
  auto t = test::exchange_system({1, 2}, 2, 1);
  t.key("ControlSet001\\Services\\InetInfo\\Parameters").multi_sz("DispatchEntries", {"Ldapsvc"});
  std::ostringstream out;
  report::render_check_text(one_result(t, "1"), out);
  CHECK_THAT(out.str(),
             Contains("reg add \"HKLM\\SYSTEM\\ControlSet001\\Services\\InetInfo\\Parameters\""));
  CHECK_THAT(out.str(), !Contains("CurrentControlSet"));
}

TEST_CASE("JSON output carries the contract fields", "[unit][report]") {
  auto t = test::exchange_system({1}, 1, 1);
  t.key("ControlSet001\\Services\\InetInfo\\Parameters").sz("DispatchEntries", "Ldapsvc Smtpsvc");
  const auto j = nlohmann::json::parse(report::render_check_json(one_result(t, "current")));
  CHECK(j["schema_version"] == 1);
  const auto& r = j["results"][0];
  CHECK(r["rule"] == "KB277770");
  CHECK(r["hive"] == "SYSTEM");
  CHECK(r["control_set"] == "ControlSet001");
  CHECK(r["status"] == "fail");
  CHECK(r["details"]["missing"].size() == 6);
  CHECK(r["details"]["checks"][0]["reason"] == "wrong_type");
  CHECK(r["details"]["checks"][0]["type"] == "REG_SZ");
  CHECK(r["fix"][0]["new"]["strings"] ==
        nlohmann::json({"Ldapsvc", "Smtpsvc", "Nntpsvc", "Imap4svc", "Pop3svc", "Resvc"}));
  CHECK(r["fix"][0]["old"]["type"] == "REG_SZ");
  CHECK(j["summary"]["fail"] == 1);
  CHECK(j["exit_code"] == 1);
}

TEST_CASE(
    "under --control-set all each set is named with its roles, and a failing current set says "
    "where the rule passes",
    "[unit][report]") {
  auto t = test::exchange_system({1, 2, 3}, 2, 1);
  t.key("ControlSet001\\Services\\InetInfo\\Parameters")
      .multi_sz("DispatchEntries",
                {"Ldapsvc", "Smtpsvc", "Nntpsvc", "Imap4svc", "Pop3svc", "Resvc"});
  t.key("ControlSet002\\Services\\InetInfo\\Parameters").multi_sz("DispatchEntries", {"Ldapsvc"});
  t.key("ControlSet003\\Services\\InetInfo\\Parameters").multi_sz("DispatchEntries", {"Ldapsvc"});
  const auto reader = t.reader();
  report::CheckReport rep;
  for (const auto& set :
       rules::resolve_control_sets(reader, rules::parse_control_set_choice("all")).sets)
    rep.results.push_back(rules::evaluate_rule(builtin("KB277770"), reader, "SYSTEM", set));
  rep.results[1].passes_in.push_back({"ControlSet001", {"LastKnownGood"}});
  std::ostringstream out;
  report::render_check_text(rep, out);
  const std::string text = out.str();
  CHECK_THAT(text, Contains("PASS  KB277770  SYSTEM  [ControlSet001 = LastKnownGood]\n"));
  CHECK_THAT(text, Contains("FAIL  KB277770  SYSTEM  [ControlSet002 = Current, Default]\n"
                            "      DispatchEntries does not name every Exchange protocol service\n"
                            "      Also:     LastKnownGood = ControlSet001 passes\n"));
  CHECK_THAT(text, Contains("FAIL  KB277770  SYSTEM  [ControlSet003]\n"));
  const auto j = nlohmann::json::parse(report::render_check_json(rep));
  CHECK(j["results"][0]["control_set_roles"] == nlohmann::json({"LastKnownGood"}));
  CHECK(j["results"][1]["control_set_roles"] == nlohmann::json({"Current", "Default"}));
  CHECK(j["results"][2]["control_set_roles"] == nlohmann::json::array());
  CHECK(j["results"][1]["passes_in"] ==
        nlohmann::json::parse(R"([{"control_set": "ControlSet001", "roles": ["LastKnownGood"]}])"));
  CHECK(j["results"][2]["passes_in"] == nlohmann::json::array());
}

TEST_CASE(
    "the impact names only the services whose names are missing, and each Service line says so",
    "[unit][report]") {
  auto t = test::exchange_system({1}, 1, 1);
  t.key("ControlSet001\\Services\\InetInfo\\Parameters")
      .multi_sz("DispatchEntries", {"Ldapsvc", "Smtpsvc", "Nntpsvc"});
  const auto rep = one_result(t, "current");
  std::ostringstream out;
  report::render_check_text(rep, out);
  const std::string text = out.str();
  CHECK_THAT(
      text,
      Contains(
          "Impact:   IMAP4, POP3 and Routing Engine fail to start: Event ID 7000, error 1083.\n"));
  CHECK_THAT(text, Contains("Service:  SMTP service (Services\\SMTPSVC) ImagePath "
                            "\"%SystemRoot%\\System32\\inetsrv\\inetinfo.exe\"; "
                            "runs inside inetinfo.exe (IIS), so it needs DispatchEntries; not "
                            "affected: Smtpsvc is present\n"));
  CHECK_THAT(text, Contains("Service:  IMAP4 service (Services\\IMAP4Svc) ImagePath "
                            "\"%SystemRoot%\\System32\\inetsrv\\inetinfo.exe\"; "
                            "runs inside inetinfo.exe (IIS), so it needs DispatchEntries; "
                            "affected: Imap4svc is missing\n"));
  CHECK_THAT(text, Contains("Service:  IIS Admin service (Services\\IISADMIN) ImagePath"));
  CHECK_THAT(text, !Contains("IIS Admin service (Services\\IISADMIN) ImagePath "
                             "\"%SystemRoot%\\System32\\inetsrv\\inetinfo.exe\"; affected"));
  const auto j = nlohmann::json::parse(report::render_check_json(rep));
  std::map<std::string, nlohmann::json> affected;
  for (const auto& e : j["results"][0]["evidence"]) affected[e["label"]] = e["affected"];
  CHECK(affected["SMTP service"] == false);
  CHECK(affected["NNTP service"] == false);
  CHECK(affected["IMAP4 service"] == true);
  CHECK(affected["POP3 service"] == true);
  CHECK(affected["Routing Engine service"] == true);
  CHECK(affected["IIS Admin service"].is_null());
  CHECK(affected["checked value"].is_null());
  CHECK(j["results"][0]["impact"] ==
        "IMAP4, POP3 and Routing Engine fail to start: Event ID 7000, error 1083.");
}

TEST_CASE("one affected service takes the singular, and none installed affected says so",
          "[unit][report]") {
  auto t = test::exchange_system({1}, 1, 1);
  t.key("ControlSet001\\Services\\InetInfo\\Parameters")
      .multi_sz("DispatchEntries", {"Ldapsvc", "Smtpsvc", "Nntpsvc", "Imap4svc", "Pop3svc"});
  CHECK(one_result(t, "current").results[0].impact ==
        "Routing Engine fails to start: Event ID 7000, error 1083.");
  auto only_ldap = test::exchange_system({1}, 1, 1);
  only_ldap.key("ControlSet001\\Services\\InetInfo\\Parameters")
      .multi_sz("DispatchEntries", {"Smtpsvc", "Nntpsvc", "Imap4svc", "Pop3svc", "Resvc"});
  const auto r = one_result(only_ldap, "current").results[0];
  CHECK(r.status == rules::Status::kFail);
  CHECK_THAT(r.impact, Contains("No installed service is affected"));
}

TEST_CASE("reg add line for cmd-safe data", "[unit][report]") {
  CHECK(report::reg_add_multi_sz("HKLM\\X", "V", {"a b", "c"}).line ==
        "reg add \"HKLM\\X\" /v V /t REG_MULTI_SZ /d \"a b\\0c\" /f");
  CHECK(report::reg_add_multi_sz("HKLM\\X", "V W", {"a"}).line ==
        "reg add \"HKLM\\X\" /v \"V W\" /t REG_MULTI_SZ /d \"a\" /f");
}

TEST_CASE("no reg add line when hive data holds what cmd.exe or reg.exe would interpret",
          "[unit][report]") {
  // D3 of the adversarial review: '\"' is no escape for cmd.exe; the quote ends the argument and
  // '&' runs a command.
  const auto injected = report::reg_add_multi_sz(
      "HKLM\\X", "V", {"Ldapsvc", "\" & echo INJECTED> C:\\pwned.txt & rem \""});
  CHECK_FALSE(injected.line);
  CHECK(injected.why_not == "entry 2 holds '\"'");
  for (const std::string bad : {"%PATH%", "!x!", "a^b", "a&b", "a|b", "a<b", "a>b", "a\rb", "a\nb",
                                "a\x1b", "caf\xc3\xa9", "a\\0b", ""})
    CHECK_FALSE(report::reg_add_multi_sz("HKLM\\X", "V", {"ok", bad}).line);
  CHECK_FALSE(report::reg_add_multi_sz("HKLM\\X", "V", {"ends in\\"}).line);
  CHECK_FALSE(report::reg_add_multi_sz("HKLM\\X&calc", "V", {"a"}).line);
  CHECK_FALSE(report::reg_add_multi_sz("HKLM\\X", "V\"&calc", {"a"}).line);
}
