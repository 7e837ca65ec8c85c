#pragma once
#include <string>

#include "util/error.hpp"

namespace hivelint::hive {

/// A backend (libregf) refused the hive or failed while reading it. Exit code 3 (unreadable input).
class BackendError : public InputError {
 public:
  BackendError(const std::string& backend, const std::string& what, const std::string& detail)
      : InputError(backend + ": " + what + (detail.empty() ? "" : ": " + detail)),
        backend_(backend) {}
  /// The same failure with one more detail appended (e.g. what hivelint's own reader found).
  BackendError with_detail(const std::string& detail) const {
    const std::string message = InputError::what();
    return BackendError(backend_, message.substr(backend_.size() + 2), detail);
  }

 private:
  std::string backend_;
};

}  // namespace hivelint::hive
