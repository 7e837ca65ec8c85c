// Where a subcommand writes: results to `out`, progress and diagnostics to `err` (silenced by --quiet).
#pragma once
#include <ostream>

namespace hivelint::cli {

struct Output {
  std::ostream& out;
  std::ostream& err;
  bool quiet = false;
  std::ostream& diag() { return quiet ? null_stream() : err; }
  static std::ostream& null_stream();
};

}  // namespace hivelint::cli
