// The exit status of every hivelint command (README.md "Exit codes", docs/usage.md#exit-codes): one
// enum, so that no code names a status by its number.
#pragma once

namespace hivelint {

enum class ExitCode : int {
  kOk = 0,     // nothing failed (pass or not_applicable; verify: clean; fix: written and verified)
  kFail = 1,   // a rule failed; verify: inconsistent; fix --dry-run: a fix is needed
  kUsage = 2,  // usage error
  kInput = 3,  // an input could not be read, fewer hives than --min-hives, output not written
  kRefused = 4,   // a write was refused
  kInternal = 5,  // a bug
};

constexpr int to_int(ExitCode code) noexcept { return static_cast<int>(code); }

/// The status of a run made of two parts: an input error wins over everything (a CI job must not
/// take an unread hive for a refused write), then the higher status.
constexpr ExitCode combine(ExitCode a, ExitCode b) noexcept {
  if (a == ExitCode::kInput || b == ExitCode::kInput) return ExitCode::kInput;
  return a < b ? b : a;
}

}  // namespace hivelint
