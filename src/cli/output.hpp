// Where a subcommand writes: results to `out`, progress and diagnostics to `err`.
// -q means the same for every subcommand (docs/usage.md#quiet): nothing on stdout or stderr except
// an error that stops the command; the exit code tells the result. cli.cpp points `out` at a null
// stream under -q (unless -o FILE asked for the report), `diag()` is silent, and `error()` stays
// for the one message of a command that stops.
#pragma once
#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "util/exit_code.hpp"

namespace hivelint::cli {

struct Output {
  std::ostream& out;
  std::ostream& err;
  bool quiet = false;
  std::vector<std::string> argv;  // the command line, for the report's provenance
  std::string started_at;  // UTC time the run started (ISO 8601, whole seconds), for the provenance
  std::ostream& diag() { return quiet ? null_stream() : err; }
  std::ostream& error() { return err; }  // an error that stops the command: printed even under -q
  static std::ostream& null_stream();
};

/// "hivelint: PATH: MESSAGE\n", or "hivelint: MESSAGE\n" when the message already begins with
/// "PATH: " (the reader's errors name the file themselves), so that no path is said twice.
std::string about_input(const std::string& path, const std::string& message);

/// While it lives, everything written to `stream` passes through util::ControlEscaper (newlines and
/// tabs kept): ESC sequences, CR and other control characters from hive data are shown escaped
/// instead of reaching the analyst's terminal (D18). Not for binary output (export's UTF-16 .reg).
/// A write error sets `stream`'s badbit. Runs `body` with its report going to `file` when one is
/// given (not "-"): written the way export writes (a unique temporary file beside it, renamed when
/// complete; an existing file only with `force`; never one of `inputs`), else to `output.out`.
/// Under -q without a file the report goes nowhere. Throws RefusedError / InputError.
ExitCode with_report_file(const std::optional<std::string>& file, bool force,
                          const std::vector<std::string>& inputs, Output& output,
                          const std::function<ExitCode(Output&)>& body);

class TerminalSafe {
 public:
  explicit TerminalSafe(std::ostream& stream);
  ~TerminalSafe();
  TerminalSafe(const TerminalSafe&) = delete;
  TerminalSafe& operator=(const TerminalSafe&) = delete;
  /// The buffer under the filter when `stream` is filtered, else its own: for hivelint's own
  /// terminal control (check's progress bar draws with CR and ESC [K), never for text that holds
  /// hive data.
  static std::streambuf* unfiltered(std::ostream& stream);

 private:
  class Buffer;
  std::ostream& stream_;
  std::streambuf* original_;
  std::unique_ptr<Buffer> buffer_;
};

}  // namespace hivelint::cli
