// Command-line parsing (CLI11 lives here and in main.cpp only).
#pragma once

namespace hivelint::cli {

/// Parses argv (usage problems print help and return 2), runs the chosen subcommand and returns its exit code.
/// Throws hivelint::Error from the subcommands.
int run_cli(int argc, char** argv);

}  // namespace hivelint::cli
