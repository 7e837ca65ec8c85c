#pragma once
#include <string>

#include "util/error.hpp"

namespace hivelint::events {

/// An event log could not be read at all (not EVT or EVTX, or the library refused its header). The
/// check of a hive turns it into a warning; `hivelint events` into exit code 3.
class EventLogError : public InputError {
 public:
  using InputError::InputError;
};

}  // namespace hivelint::events
