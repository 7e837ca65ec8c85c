// The real Windows hives beside the repository (../shared/hives-real) for Catch2 `[real]` cases.
// When they are absent a case prints kRealHivesSkipMarker and returns; tests/CMakeLists.txt gives
// every discovered Catch test SKIP_REGULAR_EXPRESSION on that marker, so ctest reports the case as
// Skipped, never Passed, and scripts/ctest_skips.py makes CI fail on it.
#pragma once

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>

namespace hivelint::test {

/// The fixed text ctest looks for (keep in sync with REAL_HIVES_SKIP_MARKER in
/// tests/CMakeLists.txt).
inline constexpr const char* kRealHivesSkipMarker = "SKIPPED: ../shared/hives-real absent";

/// ../shared/hives-real as configured, or under $HIVELINT_SHARED_DIR when that is set (as for the
/// scripts), so that the skip path can be shown without another build:
/// HIVELINT_SHARED_DIR=/nonexistent ctest -R real
inline std::filesystem::path real_hives_dir() {
  const char* env = std::getenv("HIVELINT_SHARED_DIR");
  return std::filesystem::path(env != nullptr && *env != '\0' ? env : HIVELINT_SHARED_DIR) /
         "hives-real";
}

/// True when the real hives are present; otherwise prints the skip marker (stdout, which ctest
/// reads).
inline bool have_real_hives() {
  if (std::filesystem::is_directory(real_hives_dir())) return true;
  std::cout << kRealHivesSkipMarker << " (" << real_hives_dir().string() << ")" << std::endl;
  WARN(kRealHivesSkipMarker);
  return false;
}

/// A named real hive that a case compares: it must exist (a renamed or lost file fails, it is never
/// skipped).
inline std::filesystem::path real_hive(const std::string& relative) {
  const auto path = real_hives_dir() / relative;
  INFO(path.string());
  REQUIRE(std::filesystem::is_regular_file(path));
  return path;
}

}  // namespace hivelint::test
