// The subcommands. Each takes its config and an Output and returns the process exit code; none touches CLI11.
#pragma once
#include "cli/config.hpp"
#include "cli/output.hpp"

namespace hivelint::cli {

int run_build(const BuildConfig& config, Output& output);
int run_info(const InfoConfig& config, Output& output);
int run_check(const CheckConfig& config, Output& output);
int run_export(const ExportConfig& config, Output& output);
int run_rules(const RulesConfig& config, Output& output);

}  // namespace hivelint::cli
