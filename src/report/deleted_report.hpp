// `hivelint deleted`: what a hive's free cells still hold (regf/carver.hpp), as text or JSON
// (docs/deleted.md).
#pragma once
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "regf/carver.hpp"
#include "regf/diagnostics.hpp"
#include "report/provenance.hpp"

namespace hivelint::report {

struct DeletedReport {
  std::string hive;                         // path as given
  std::string error;                        // set when the hive is unreadable (exit 3)
  std::optional<regf::CarveResult> result;  // set otherwise
  std::vector<regf::Diagnostic>
      diagnostics;  // damage of the base block and hive bins (the carve goes on)
  std::optional<Provenance> provenance;  // tool, run time, command line (docs/json.md)
};

/// The JSON document (docs/json.md), written to `out` element by element (no tree of every carved
/// cell in memory).
void write_deleted_json(const DeletedReport& report, std::ostream& out);
void render_deleted_text(const DeletedReport& report, std::ostream& out);

}  // namespace hivelint::report
