// The subcommands. Each takes its config and an Output and returns the process exit code; none
// touches CLI11.
#pragma once
#include "cli/config.hpp"
#include "cli/output.hpp"
#include "hive/open.hpp"

namespace hivelint::cli {

/// --backend, --log and --no-logs as open_hive options; throws UsageError for --log with several
/// hives.
hive::OpenOptions open_options(const std::string& backend, const std::vector<std::string>& logs,
                               bool no_logs, std::size_t hive_count);

ExitCode run_build(const BuildConfig& config, Output& output);
ExitCode run_info(const InfoConfig& config, Output& output);
ExitCode run_check(const CheckConfig& config, Output& output);
ExitCode run_fix(const FixConfig& config, Output& output);
ExitCode run_verify(const VerifyConfig& config, Output& output);
ExitCode run_export(const ExportConfig& config, Output& output);
ExitCode run_rules(const RulesConfig& config, Output& output);
ExitCode run_recover(const RecoverConfig& config, Output& output);
ExitCode run_events(const EventsConfig& config, Output& output);
ExitCode run_deleted(const DeletedConfig& config, Output& output);

}  // namespace hivelint::cli
