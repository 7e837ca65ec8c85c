// Event logs as evidence beside a hive (issue 13): where Windows keeps the System log relative to a SYSTEM hive,
// reading one into a report, and the Services key of the ControlSet a check is about.
#pragma once
#include <filesystem>
#include <string>
#include <vector>

#include "events/service_directory.hpp"
#include "hive/hive_reader.hpp"
#include "report/events_report.hpp"

namespace hivelint::cli {

/// The System logs Windows keeps near a hive at `hive_path`, any case: SysEvent.Evt in the hive's folder
/// (Windows 2000/XP/2003) and ../winevt/Logs/System.evtx from it (Vista and later). Absent ones are left out.
std::vector<std::string> sibling_event_logs(const std::filesystem::path& hive_path);

/// Reads `path` (EVT or EVTX by content) and summarises its SCM failures; a log that cannot be read is a
/// LogReport with `error` set, never an exception. `directory`: nullptr without a hive.
report::LogReport read_evidence_log(const std::string& path, const events::ServiceDirectory* directory);

struct ServiceLookup {
  std::string services_key;            // "ControlSet001\\Services"
  events::ServiceDirectory directory;
};
/// The Services key of the ControlSet `choice` names (--control-set syntax; "all" means the current one).
/// Throws what control-set resolution throws (ControlSetError).
ServiceLookup services_of(const hive::HiveReader& reader, const std::string& choice);

}  // namespace hivelint::cli
