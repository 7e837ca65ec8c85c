// The real Windows System logs beside the repository (../shared/events-real, see its PROVENANCE.md)
// for Catch2
// `[real]` cases. When they are absent a case prints kRealEventsSkipMarker and returns;
// tests/CMakeLists.txt makes ctest report such a case as Skipped (as for the real hives,
// real_hives.hpp).
#pragma once

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>

namespace hivelint::test {

/// The fixed text ctest looks for (tests/CMakeLists.txt matches "SKIPPED: ../shared/<name>-real
/// absent").
inline constexpr const char* kRealEventsSkipMarker = "SKIPPED: ../shared/events-real absent";

/// ../shared/events-real as configured, or under $HIVELINT_SHARED_DIR when that is set.
inline std::filesystem::path real_events_dir() {
  const char* env = std::getenv("HIVELINT_SHARED_DIR");
  return std::filesystem::path(env != nullptr && *env != '\0' ? env : HIVELINT_SHARED_DIR) /
         "events-real";
}

/// True when the real logs are present; otherwise prints the skip marker (stdout, which ctest
/// reads).
inline bool have_real_events() {
  if (std::filesystem::is_directory(real_events_dir())) return true;
  std::cout << kRealEventsSkipMarker << " (" << real_events_dir().string() << ")" << std::endl;
  WARN(kRealEventsSkipMarker);
  return false;
}

/// A named real log: it must exist (a renamed or lost file fails, it is never skipped).
inline std::filesystem::path real_event_log(const std::string& name) {
  const auto path = real_events_dir() / name;
  INFO(path.string());
  REQUIRE(std::filesystem::is_regular_file(path));
  return path;
}

}  // namespace hivelint::test
