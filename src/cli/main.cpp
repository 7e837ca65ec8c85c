// hivelint entry point: the only catch ladder in the program (CONTRIBUTING.md §7).
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>

#include "cli/cli.hpp"
#include "cli/output.hpp"
#include "util/atomic_file.hpp"
#include "util/error.hpp"

namespace {

// Results that did not reach stdout (a full disk, a closed pipe with SIGPIPE ignored) are an error,
// not a success: exit 3 unless the run already ended with a higher code (4 refused, 5 internal).
// `say` is false when an error message was printed already (export's write error names the failing
// stream itself).
hivelint::ExitCode check_stdout(hivelint::ExitCode code, bool say = true) {
  std::cout.flush();
  errno = 0;
  const bool flushed = std::fflush(stdout) == 0;
  const int err = errno;
  if (flushed && !std::ferror(stdout) && std::cout.good()) return code;
  if (say)
    std::cerr << "hivelint: cannot write the results to standard output"
              << (err ? std::string(": ") + std::strerror(err) : "") << "\n";
  return code > hivelint::ExitCode::kInput ? code : hivelint::ExitCode::kInput;
}

}  // namespace

int main(int argc, char** argv) noexcept {
  hivelint::util::install_sigbus_handler();
  // Messages name hives, keys and values: control characters in them are shown escaped
  // (cli/output.hpp).
  const hivelint::cli::TerminalSafe safe_stderr(std::cerr);
  try {
    return hivelint::to_int(check_stdout(hivelint::cli::run_cli(argc, argv)));
  } catch (
      const hivelint::UsageError& e) {  // a usage error names the subcommand: "hivelint fix: ..."
    std::cerr << hivelint::cli::command_label() << ": " << e.what() << "\n";
    return hivelint::to_int(check_stdout(e.exit_code(), false));
  } catch (const hivelint::Error& e) {
    std::cerr << "hivelint: " << e.what() << "\n";
    return hivelint::to_int(check_stdout(e.exit_code(), false));
  } catch (const std::exception& e) {
    std::cerr << "hivelint: internal error: " << e.what() << "\n";
    return hivelint::to_int(hivelint::ExitCode::kInternal);
  } catch (...) {
    std::cerr << "hivelint: internal error: unknown exception\n";
    return hivelint::to_int(hivelint::ExitCode::kInternal);
  }
}
