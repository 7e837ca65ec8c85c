// What hivelint keeps of a Windows event log (EVT: Windows 2000/XP/2003; EVTX: Vista and later):
// the counts a reviewer compares with evtexport/evtxexport, what could not be read, and the records
// of one source that the caller asks for (the Service Control Manager's, scm_failure.hpp). Readers:
// evt_reader.cpp (libevt) and evtx_reader.cpp (libevtx), the only files that include the libyal
// headers.
#pragma once
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace hivelint::events {

enum class LogFormat { kEvt, kEvtx };

/// "EVT" or "EVTX".
const char* format_name(LogFormat format);

/// One event record as read by libevt/libevtx.
struct EventRecord {
  std::uint64_t file_offset = 0;    // of the record in the log
  std::uint64_t record_number = 0;  // EVT record number / EVTX event record identifier
  std::uint32_t event_id = 0;       // low 16 bits of the event identifier (7000, not 0xC0001B58)
  std::uint64_t written = 0;        // FILETIME (UTC); EVT's POSIX seconds converted
  std::string source;               // EVT source name / EVTX EventSourceName (UTF-8)
  std::vector<std::string>
      strings;             // insertion strings (UTF-8); EVTX binary data appears as hex text
  bool recovered = false;  // from libevt/libevtx's recovered records (free space, a wrapped tail)
};

/// Decides which records are kept (their strings read): the others are only counted.
struct RecordFilter {
  std::function<bool(const std::string& source, std::uint32_t event_id)> keep;
};

struct EventLog {
  std::string label;  // the path as given
  LogFormat format = LogFormat::kEvt;
  std::uint64_t records = 0;    // current records read
  std::uint64_t recovered = 0;  // recovered records read
  std::uint64_t unreadable =
      0;  // records the library lists but cannot read (left out, as evtexport does)
  std::uint64_t chunks = 0;  // EVTX: chunk slots in the file (0 for EVT)
  std::uint64_t bad_chunks =
      0;               // EVTX: chunks skipped as damaged (their records may come back recovered)
  bool dirty = false;  // the library's "corrupted" flag: dirty, wrapped or damaged
  std::vector<std::string>
      warnings;  // what could not be read, each naming log and offset or record index
  std::vector<EventRecord> kept;  // the records the filter kept, current ones first, in file order
};

/// EVT or EVTX from the file's first bytes (EVT: "LfLe" at offset 4; EVTX: "ElfFile\0" at offset
/// 0). Throws EventLogError naming the log when it is neither or cannot be read.
LogFormat detect_format(const std::filesystem::path& path);

/// Reads a log of either format (told apart by content). Records that cannot be read become
/// warnings; so does a kept record that would take the kept records' source names and strings past
/// twice the file's size plus 1 MiB (it and every later record the filter keeps are then counted,
/// not kept). Throws EventLogError only when the file is not an event log or its header is refused.
EventLog read_event_log(const std::filesystem::path& path, const RecordFilter& filter);

/// libevt's and libevtx's version strings, for reports.
std::string libevt_version();
std::string libevtx_version();

}  // namespace hivelint::events
