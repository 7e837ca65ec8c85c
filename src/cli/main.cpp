// hivelint entry point: the only catch ladder in the program (HOUSE_STYLE §7).
#include <iostream>

#include "cli/cli.hpp"
#include "util/error.hpp"

int main(int argc, char** argv) noexcept {
  try {
    return hivelint::cli::run_cli(argc, argv);
  } catch (const hivelint::Error& e) {
    std::cerr << "hivelint: " << e.what() << "\n";
    return e.exit_code();
  } catch (const std::exception& e) {
    std::cerr << "hivelint: internal error: " << e.what() << "\n";
    return 5;
  } catch (...) {
    std::cerr << "hivelint: internal error: unknown exception\n";
    return 5;
  }
}
