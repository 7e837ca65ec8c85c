// Command-line parsing (CLI11 lives here and in main.cpp only).
#pragma once
#include <string>

#include "util/exit_code.hpp"

namespace hivelint::cli {

/// Parses argv (usage problems print help and return 2), runs the chosen subcommand and returns its
/// exit code. Throws hivelint::Error from the subcommands.
ExitCode run_cli(int argc, char** argv);

/// "hivelint SUBCOMMAND" once the command line is parsed ("hivelint" before): usage errors name the
/// subcommand.
const std::string& command_label();

}  // namespace hivelint::cli
