// The error model shared by every layer (CONTRIBUTING.md §4): absent things are std::optional,
// recoverable damage is a Diagnostic, and only "cannot proceed" is an exception derived from
// hivelint::Error.
#pragma once
#include <stdexcept>
#include <string>

#include "util/exit_code.hpp"

namespace hivelint {

/// Base of every exception hivelint throws on purpose; exit_code() is the CLI's exit status for it.
class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message) : std::runtime_error(message) {}
  virtual ExitCode exit_code() const noexcept { return ExitCode::kInternal; }
};

/// The bytes are not what the format says they must be (not a hive, truncated, corrupt).
class FormatError : public Error {
 public:
  using Error::Error;
  ExitCode exit_code() const noexcept override { return ExitCode::kInput; }
};

/// An input file (hive, rule, .reg source) could not be read or parsed.
class InputError : public Error {
 public:
  using Error::Error;
  ExitCode exit_code() const noexcept override { return ExitCode::kInput; }
};

/// The user asked for something that cannot be done as asked (bad option value, unknown rule id).
class UsageError : public Error {
 public:
  using Error::Error;
  ExitCode exit_code() const noexcept override { return ExitCode::kUsage; }
};

/// A write was refused because it would be unsafe (existing output, unsupported edit, failed
/// verification).
class RefusedError : public Error {
 public:
  using Error::Error;
  ExitCode exit_code() const noexcept override { return ExitCode::kRefused; }
};

}  // namespace hivelint
