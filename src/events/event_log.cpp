#include "events/event_log.hpp"

#include <algorithm>
#include <array>
#include <fstream>

#include "events/error.hpp"
#include "events/evtx_chunks.hpp"
#include "events/libyal_log.hpp"
#include "events/readers.hpp"

namespace hivelint::events {
namespace {

// libyal "Windows Event Log (EVT) format", file header: size (4) then signature "LfLe" at offset 4.
// libyal "Windows XML Event Log (EVTX) format", file header: signature "ElfFile\0" at offset 0.
constexpr std::array<std::uint8_t, 4> kEvtSignature{'L', 'f', 'L', 'e'};
constexpr std::array<std::uint8_t, 8> kEvtxSignature{'E', 'l', 'f', 'F', 'i', 'l', 'e', 0};

}  // namespace

const char* format_name(LogFormat format) { return format == LogFormat::kEvt ? "EVT" : "EVTX"; }

LogFormat detect_format(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw EventLogError(path.string() + ": cannot be opened");
  std::array<std::uint8_t, 8> head{};
  in.read(reinterpret_cast<char*>(head.data()), static_cast<std::streamsize>(head.size()));
  const auto got = static_cast<std::size_t>(in.gcount());
  if (got == head.size() && std::equal(kEvtxSignature.begin(), kEvtxSignature.end(), head.begin()))
    return LogFormat::kEvtx;
  if (got == head.size() &&
      std::equal(kEvtSignature.begin(), kEvtSignature.end(), head.begin() + 4))
    return LogFormat::kEvt;
  throw EventLogError("event log file header at 0x00000000 of " + path.string() +
                      ": signature is neither EVTX \"ElfFile\" at +0x0 nor EVT \"LfLe\" at +0x4 (" +
                      std::to_string(got) + " bytes read)");
}

EventLog read_event_log(const std::filesystem::path& path, const RecordFilter& filter) {
  const LogFormat format = detect_format(path);
  if (format == LogFormat::kEvt) return read_evt(path, filter);
  EventLog log = read_evtx(path, filter);
  ChunkScan scan = scan_evtx_chunks(path);
  log.chunks = scan.chunks;
  log.bad_chunks = scan.bad;
  for (auto& problem : scan.problems) detail::warn(log, std::move(problem));
  for (auto& record :
       log.kept)  // libevtx gives no record offsets: hivelint's own walk of the sound chunks does
    if (record.file_offset == 0)
      record.file_offset = record_file_offset(scan, record.record_number, record.written);
  return log;
}

}  // namespace hivelint::events
