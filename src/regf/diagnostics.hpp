// Damage that does not stop the work: recorded, reported, and the walk goes on (CONTRIBUTING.md
// §4).
#pragma once
#include <cstdint>
#include <string>

#include "util/error.hpp"

namespace hivelint::regf {

enum class Severity { kInfo, kWarning, kError };

struct Diagnostic {
  Severity severity = Severity::kWarning;
  std::string structure;  // "key node (nk)", "hive bin", "base block" ...
  std::uint64_t file_offset = 0;
  std::string message;  // "<field> <problem, actual vs expected>"

  bool operator==(const Diagnostic&) const = default;
};

/// "info", "warning", "error".
inline const char* severity_name(Severity s) {
  switch (s) {
    case Severity::kInfo:
      return "info";
    case Severity::kWarning:
      return "warning";
    case Severity::kError:
      return "error";
  }
  return "warning";
}

/// A FormatError as a Diagnostic, for walks that record damage and go on (salvage, verify): its
/// location's structure and offset, or "hive" at 0 for an error about the whole file.
Diagnostic diagnostic_from(const FormatError& e, Severity severity = Severity::kError);

}  // namespace hivelint::regf
