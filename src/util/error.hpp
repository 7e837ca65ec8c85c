// The error model shared by every layer (CONTRIBUTING.md §4): absent things are std::optional,
// recoverable damage is a Diagnostic, and only "cannot proceed" is an exception derived from
// hivelint::Error.
#pragma once
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>

#include "util/exit_code.hpp"

namespace hivelint {

/// Base of every exception hivelint throws on purpose; exit_code() is the CLI's exit status for it.
class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message) : std::runtime_error(message) {}
  virtual ExitCode exit_code() const noexcept { return ExitCode::kInternal; }
  /// Whether the message already names a structure and its file offset.
  virtual bool names_location() const noexcept { return false; }
};

/// Where in a file a structure is not what its format says, and what was wrong, as fields: a
/// caller that records damage and goes on (salvage, verify) takes them from here, never from the
/// message text.
struct FormatLocation {
  std::string structure;  // "key node (nk)", "hive bin", "base block" ...
  std::uint64_t file_offset = 0;
  std::string field;     // "number of subkeys"; empty when the problem is not one field's
  std::string expected;  // "\"nk\"", "8 bytes"; empty when the check is not a comparison
  std::string actual;    // what the bytes hold; empty likewise
};

/// The bytes are not what the format says they must be (not a hive, truncated, corrupt).
class FormatError : public Error {
 public:
  /// About a whole file (too short to be a hive, not a hive at all): no structure to name.
  explicit FormatError(const std::string& message) : Error(message), detail_(message) {}
  /// About one structure: the message is "<structure> at 0x<offset>: <detail>".
  FormatError(FormatLocation where, const std::string& detail);

  ExitCode exit_code() const noexcept override { return ExitCode::kInput; }
  bool names_location() const noexcept override { return where_.has_value(); }
  /// The structure, its offset and the field; absent for an error about a whole file.
  const std::optional<FormatLocation>& location() const noexcept { return where_; }
  /// The message after "<structure> at 0x<offset>: " (the whole message without a location).
  const std::string& detail() const noexcept { return detail_; }

 private:
  std::optional<FormatLocation> where_;
  std::string detail_;
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
