// The two library readers behind read_event_log (event_log.cpp); not for use elsewhere.
#pragma once
#include <filesystem>

#include "events/event_log.hpp"

namespace hivelint::events {

/// Throws EventLogError when libevt refuses the file header.
EventLog read_evt(const std::filesystem::path& path, const RecordFilter& filter);
/// Throws EventLogError when libevtx refuses the file header.
EventLog read_evtx(const std::filesystem::path& path, const RecordFilter& filter);

}  // namespace hivelint::events
