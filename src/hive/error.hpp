#pragma once
#include <string>

#include "util/error.hpp"

namespace hivelint::hive {

/// A backend (libregf) refused the hive or failed while reading it. Exit code 3 (unreadable input).
class BackendError : public InputError {
 public:
  BackendError(const std::string& backend, const std::string& what, const std::string& detail)
      : InputError(backend + ": " + what + (detail.empty() ? "" : ": " + detail)),
        backend_(backend),
        what_(detail.empty() ? what : what + ": " + detail) {}
  /// The same failure with one more detail appended (e.g. what hivelint's own reader found);
  /// `located`: the detail names a structure and its file offset.
  BackendError with_detail(const std::string& detail, bool located) const {
    BackendError e(backend_, what_, detail);
    e.located_ = located_ || located;
    return e;
  }
  bool names_location() const noexcept override { return located_; }

 private:
  std::string backend_;
  std::string what_;  // the message after "<backend>: "
  bool located_ = false;
};

}  // namespace hivelint::hive
