#include "cli/evidence_logs.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

using hivelint::cli::sibling_event_logs;

namespace {

std::filesystem::path fresh_dir(const std::string& name) {
  const auto dir = std::filesystem::temp_directory_path() / ("hivelint_evidence_logs_test_" + name);
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

void touch(const std::filesystem::path& path) { std::ofstream(path, std::ios::binary) << "x"; }

}  // namespace

TEST_CASE(
    "event logs beside a hive are found in any case, and a log added later is not hidden by the "
    "remembered listing",
    "[cli][events]") {
  const auto config = fresh_dir("later") / "system32" / "config";
  std::filesystem::create_directories(config);
  touch(config / "SYSTEM");
  touch(config / "OTHER");
  CHECK(sibling_event_logs(config / "SYSTEM").empty());
  CHECK(sibling_event_logs(config / "OTHER")
            .empty());  // the same folder again: the remembered answer

  touch(config / "sysevent.EVT");  // the folder changes, so it is listed again
  CHECK(sibling_event_logs(config / "SYSTEM") ==
        std::vector<std::string>{(config / "sysevent.EVT").string()});
  CHECK(sibling_event_logs(config / "OTHER") ==
        std::vector<std::string>{(config / "sysevent.EVT").string()});

  const auto logs = config.parent_path() / "WinEvt" / "logs";
  std::filesystem::create_directories(logs);
  touch(logs / "SYSTEM.EVTX");
  const auto found = sibling_event_logs(config / "SYSTEM");
  REQUIRE(found.size() == 2);
  CHECK(std::filesystem::equivalent(found[1], logs / "SYSTEM.EVTX"));
}
