// `check`'s hive arguments expanded: a directory stands for the primary hives below it. Nothing
// below a directory is dropped silently: a file that is not checked is a SkippedInput with its
// reason, and a directory that cannot be listed is an input that fails (an error line), so a CI run
// never passes over what it could not read.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "report/batch_report.hpp"

namespace hivelint::cli {

struct HiveInput {
  std::string path;
  std::optional<std::string> error;  // set when it cannot even be listed (an unreadable directory)
};

struct BatchInputs {
  std::vector<HiveInput> hives;  // in argument order; each directory's files sorted by path
  std::vector<report::SkippedInput> skipped;
  bool had_directory = false;
};

/// Files named directly are always inputs (a log or a non-hive named on the command line is an
/// error there, as before). Below a directory (recursively): regular files whose base block says
/// "regf" with file type 0 (or any type that is not a transaction log's 1, 2 or 6) are inputs; a
/// file that cannot be opened is an input too (its error line says why); transaction logs, files
/// without the signature and non-regular entries are skipped.
BatchInputs expand_inputs(const std::vector<std::string>& args);

}  // namespace hivelint::cli
