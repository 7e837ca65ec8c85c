#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "report/junit_report.hpp"
#include "report/sarif_report.hpp"

using namespace hivelint;
using Catch::Matchers::Contains;

TEST_CASE("path_to_uri percent-encodes every byte outside the unreserved set", "[report][sarif]") {
  CHECK(report::path_to_uri("samples/hives/a-b_c.~1.hiv") == "samples/hives/a-b_c.~1.hiv");
  CHECK(report::path_to_uri("/srv/hives/host 1/SYSTEM") == "file:///srv/hives/host%201/SYSTEM");
  // ':' would make the first segment a scheme, '#' and '?' would start a fragment or query.
  CHECK(report::path_to_uri("c:x#y?z%") == "c%3Ax%23y%3Fz%25");
  CHECK(report::path_to_uri(std::string("bad\xff\x1b", 5)) == "bad%FF%1B");
}

TEST_CASE("sarif_level maps rule and item severities to SARIF levels", "[report][sarif]") {
  CHECK(std::string(report::sarif_level("error")) == "error");
  CHECK(std::string(report::sarif_level("warning")) == "warning");
  CHECK(std::string(report::sarif_level("info")) == "note");
}

TEST_CASE("registry_path prefixes HKLM SYSTEM for ControlSet results only", "[report][sarif]") {
  rules::RuleResult r;
  CHECK(report::registry_path(r, "Classes\\x") == "Classes\\x");
  r.control_set = rules::ResolvedControlSet{};
  CHECK(report::registry_path(r, "ControlSet002\\Services\\InetInfo\\Parameters") ==
        "HKLM\\SYSTEM\\ControlSet002\\Services\\InetInfo\\Parameters");
}

TEST_CASE("xml_escape leaves well-formed character data whatever the input", "[report][junit]") {
  CHECK(report::xml_escape("a&b<c>\"d'") == "a&amp;b&lt;c&gt;&quot;d&apos;");
  CHECK(report::xml_escape("line\nnext\ttab") == "line\nnext\ttab");
  const std::string hostile = report::xml_escape(std::string("\x1b[2J\r\0\xff", 7));
  for (const char c : hostile)
    CHECK((static_cast<unsigned char>(c) >= 0x20 && static_cast<unsigned char>(c) < 0x80));
}

TEST_CASE("an empty run is a JUnit error and a SARIF notification, never an empty green report",
          "[report][junit]") {
  const std::string junit =
      report::render_check_junit({}, {"fewer hives checked than --min-hives 1"});
  CHECK_THAT(
      junit,
      Contains("<testsuites name=\"hivelint check\" tests=\"1\" failures=\"0\" errors=\"1\""));
  const auto sarif = nlohmann::json::parse(
      report::render_check_sarif({}, {"nothing checked"}, {}, ExitCode::kInput));
  const auto& inv = sarif["runs"][0]["invocations"][0];
  CHECK(inv["executionSuccessful"] == false);
  CHECK(inv["toolExecutionNotifications"][0]["message"]["text"] == "nothing checked");
  CHECK(sarif["runs"][0]["results"].empty());
}
