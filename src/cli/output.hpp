// Where a subcommand writes: results to `out`, progress and diagnostics to `err` (silenced by --quiet).
#pragma once
#include <memory>
#include <ostream>
#include <string>
#include <vector>

namespace hivelint::cli {

struct Output {
  std::ostream& out;
  std::ostream& err;
  bool quiet = false;
  std::vector<std::string> argv;   // the command line, for the report's provenance
  std::string started_at;          // UTC time the run started (ISO 8601, whole seconds), for the provenance
  std::ostream& diag() { return quiet ? null_stream() : err; }
  static std::ostream& null_stream();
};

/// While it lives, everything written to `stream` passes through util::ControlEscaper (newlines and tabs kept):
/// ESC sequences, CR and other control characters from hive data are shown escaped instead of reaching the
/// analyst's terminal (D18). Not for binary output (export's UTF-16 .reg). A write error sets `stream`'s badbit.
class TerminalSafe {
 public:
  explicit TerminalSafe(std::ostream& stream);
  ~TerminalSafe();
  TerminalSafe(const TerminalSafe&) = delete;
  TerminalSafe& operator=(const TerminalSafe&) = delete;
  /// The buffer under the filter when `stream` is filtered, else its own: for hivelint's own terminal control
  /// (check's progress bar draws with CR and ESC [K), never for text that holds hive data.
  static std::streambuf* unfiltered(std::ostream& stream);

 private:
  class Buffer;
  std::ostream& stream_;
  std::streambuf* original_;
  std::unique_ptr<Buffer> buffer_;
};

}  // namespace hivelint::cli
