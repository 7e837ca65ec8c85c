#include "regf/diagnostics.hpp"

namespace hivelint::regf {

Diagnostic diagnostic_from(const FormatError& e, Severity severity) {
  const auto& where = e.location();
  if (!where) return Diagnostic{severity, "hive", 0, e.detail()};
  return Diagnostic{severity, where->structure, where->file_offset, e.detail()};
}

}  // namespace hivelint::regf
