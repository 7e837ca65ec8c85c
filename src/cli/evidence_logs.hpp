// Event logs as evidence beside a hive (issue 13): where Windows keeps the System log relative to a
// SYSTEM hive, reading one into a report, and the Services key of the ControlSet a check is about.
#pragma once
#include <filesystem>
#include <string>
#include <vector>

#include "cli/evaluate.hpp"
#include "events/service_directory.hpp"
#include "hive/hive_reader.hpp"
#include "report/events_report.hpp"

namespace hivelint::cli {

/// The System logs Windows keeps near a hive at `hive_path`, any case: SysEvent.Evt in the hive's
/// folder (Windows 2000/XP/2003) and ../winevt/Logs/System.evtx from it (Vista and later). Absent
/// ones are left out.
std::vector<std::string> sibling_event_logs(const std::filesystem::path& hive_path);

/// Reads `path` (EVT or EVTX by content) and summarises its SCM failures; a log that cannot be read
/// is a LogReport with `error` set, never an exception. `directory`: nullptr without a hive.
report::LogReport read_evidence_log(const std::string& path,
                                    const events::ServiceDirectory* directory);

struct ServiceLookup {
  std::string services_key;  // "ControlSet001\\Services"
  events::ServiceDirectory directory;
};
/// The Services key of the ControlSet `choice` names (--control-set syntax; "all" means the current
/// one). Throws what control-set resolution throws (ControlSetError).
ServiceLookup services_of(const hive::HiveReader& reader, const std::string& choice);

/// The logs to read for the hive at `hive_path`: --events files as given, none for --no-events,
/// else sibling_event_logs(hive_path).
std::vector<std::string> event_log_paths(const std::string& hive_path,
                                         const EventsOptions& options);

/// Reads each log once and attaches to every result the summaries of the services it concerns (the
/// services its evidence keys name, e.g. KB277770's protocol services where installed, and its
/// items' services), resolved through the Services key of the result's ControlSet; names the logs
/// in `ev.summary.event_logs`. A log that cannot be read is a warning on `output.diag()` naming it
/// and the offset. Needs `ev.opened`. With `detail`, each attached summary also lists its records
/// (`--events-detail`).
void attach_event_evidence(HiveEvaluation& ev, const std::vector<std::string>& log_paths,
                           bool detail, Output& output);

}  // namespace hivelint::cli
