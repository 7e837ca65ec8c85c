#pragma once
#include <string>

#include "util/error.hpp"

namespace hivelint::hive {

/// A backend (libregf) refused the hive or failed while reading it. Exit code 3 (unreadable input).
class BackendError : public InputError {
 public:
  BackendError(const std::string& backend, const std::string& what, const std::string& detail)
      : InputError(backend + ": " + what + (detail.empty() ? "" : ": " + detail)) {}
};

}  // namespace hivelint::hive
