// Fuzz target: arbitrary bytes as a System event log through the path `hivelint events` and `check
// --events` take: read_event_log with the SCM-failure filter (EVT or EVTX told apart by content;
// libevt or libevtx, and for EVTX hivelint's own chunk scan), then scm_failures, summarise (without
// a hive and with a small service directory) and the events report in text and JSON. The readers
// take a path, so each input goes to a temporary file of its own. Beyond "only hivelint::Error
// escapes", the results must keep the promises of event_log.hpp, scm_failure.hpp and summary.hpp:
// the format is the one the first bytes name; kept records are the filter's, counted among the
// records read, current ones first, with 16-bit ids, UTF-8 text and offsets inside the file (an
// EVTX offset is the header of the record with that identifier and time), and all they hold within
// twice the file's size plus 1 MiB; warnings name the log and stay capped; summaries are sorted and
// unique, count their records, and first/last are the earliest and latest times.
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>
#include <tuple>

#include "events/error.hpp"
#include "events/event_log.hpp"
#include "events/libyal_log.hpp"
#include "events/scm_failure.hpp"
#include "events/service_directory.hpp"
#include "events/summary.hpp"
#include "fuzz/fuzz_targets.hpp"
#include "report/events_report.hpp"
#include "support/tree_reader.hpp"
#include "util/upcase.hpp"
#include "util/utf16.hpp"

namespace hivelint::fuzz {
namespace {

constexpr const char* kTarget = "event_logs";
constexpr std::uint64_t kEvtxFileHeaderSize =
    4096;  // evtx_chunks.hpp: chunks follow the 4096-byte file header
constexpr std::uint64_t kEvtxChunkSize = 65536;
constexpr std::uint64_t kEvtxRecordsStart =
    512;  // a chunk's records start after its 512-byte header
constexpr std::uint64_t kEvtxRecordHeaderSize = 24;

// The input as a file, removed again on the way out (also when the reader throws). tmpfs when there
// is one: each input is written and read back whole, and the disk would slow every execution.
class TempLog {
 public:
  explicit TempLog(std::span<const std::uint8_t> data) {
    static const std::filesystem::path dir = [] {
      std::error_code ec;
      return std::filesystem::is_directory("/dev/shm", ec) ? std::filesystem::path("/dev/shm")
                                                           : std::filesystem::temp_directory_path();
    }();
    static std::atomic<std::uint64_t> counter{0};
    path_ = dir / ("hivelint-fuzz-event-log-" + std::to_string(::getpid()) + "-" +
                   std::to_string(counter++));
    std::ofstream out(path_, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data.data()),
              static_cast<std::streamsize>(data.size()));
    if (!out.flush()) fail(kTarget, "cannot write " + path_.string());
  }
  TempLog(const TempLog&) = delete;
  TempLog& operator=(const TempLog&) = delete;
  ~TempLog() {
    std::error_code ec;
    std::filesystem::remove(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// A Services key as a hive would have it: display names for some records' services, one display
// name shared by two keys (ambiguous), so that summarise resolves through every ServiceSource.
const events::ServiceDirectory& directory() {
  static const events::ServiceDirectory d = [] {
    test::Tree tree;
    tree.key("ControlSet001\\Services\\POP3Svc").sz("DisplayName", "Microsoft Exchange POP3");
    tree.key("ControlSet001\\Services\\CldFlt").sz("DisplayName", "Cloud Files Filter");
    tree.key("ControlSet001\\Services\\Spooler").expand_sz("DisplayName", "Print Spooler");
    tree.key("ControlSet001\\Services\\acmefilt");
    tree.key("ControlSet001\\Services\\BackupA").sz("DisplayName", "Contoso Backup Agent");
    tree.key("ControlSet001\\Services\\BackupB").sz("DisplayName", "Contoso Backup Agent");
    return events::ServiceDirectory::read(tree.reader(),
                                          hive::KeyPath::parse("ControlSet001\\Services"));
  }();
  return d;
}

bool starts_with(std::span<const std::uint8_t> data, std::size_t at, std::string_view text) {
  return data.size() >= at + text.size() &&
         std::equal(text.begin(), text.end(), data.begin() + static_cast<std::ptrdiff_t>(at));
}

std::uint64_t u64_at(std::span<const std::uint8_t> data, std::uint64_t at) {
  std::uint64_t v = 0;
  for (std::size_t i = 8; i-- > 0;) v = v << 8 | data[at + i];
  return v;
}

void check_utf8(const std::string& text, const char* what) {
  if (!util::is_valid_utf8(text)) fail(kTarget, std::string(what) + " is not UTF-8");
}

// event_log.hpp's promises about one log read from `data`.
void check_log(const events::EventLog& log, const std::string& label,
               std::span<const std::uint8_t> data) {
  using namespace std::string_view_literals;
  // detect_format: EVTX "ElfFile\0" at 0, else EVT "LfLe" at 4; read_event_log throws for anything
  // else.
  const bool evtx = starts_with(data, 0, "ElfFile\0"sv);
  if (!evtx && !starts_with(data, 4, "LfLe"))
    fail(kTarget, "a log was read from bytes that are neither EVT nor EVTX");
  if (log.format != (evtx ? events::LogFormat::kEvtx : events::LogFormat::kEvt))
    fail(kTarget, "format differs from the one the first bytes name");
  if (log.label != label) fail(kTarget, "label is not the path as given");
  if (evtx) {
    const std::uint64_t slots =
        data.size() <= kEvtxFileHeaderSize
            ? 0
            : (data.size() - kEvtxFileHeaderSize + kEvtxChunkSize - 1) / kEvtxChunkSize;
    if (log.chunks > slots) fail(kTarget, "more chunks than the file has slots");
    if (log.bad_chunks > log.chunks) fail(kTarget, "more bad chunks than chunks");
  } else if (log.chunks != 0 || log.bad_chunks != 0) {
    fail(kTarget, "an EVT log with chunks");
  }
  if (log.warnings.size() > events::detail::kMaxWarnings + 1)
    fail(kTarget, "more warnings than the cap");
  for (const auto& w : log.warnings) {
    if (w.find(label) == std::string::npos) fail(kTarget, "a warning does not name the log: " + w);
    check_utf8(w, "a warning");
  }
  std::uint64_t current = 0;
  std::uint64_t recovered = 0;
  std::uint64_t kept_bytes = 0;
  for (const auto& r : log.kept) {
    kept_bytes += r.source.size();
    for (const auto& s : r.strings) kept_bytes += s.size();
    if (!events::is_scm_failure(r.source, r.event_id))
      fail(kTarget, "a record the filter did not keep is kept");
    if (r.event_id > 0xFFFF) fail(kTarget, "an event id above 16 bits");
    if (r.recovered)
      ++recovered;
    else if (recovered > 0)
      fail(kTarget, "a current record kept after a recovered one");
    else
      ++current;
    if (r.strings.size() > static_cast<std::size_t>(events::detail::kMaxStringsPerRecord))
      fail(kTarget, "more strings than the cap");
    for (const auto& s : r.strings) check_utf8(s, "an insertion string");
    if (r.file_offset >= data.size())
      fail(kTarget, "record " + std::to_string(r.record_number) + " at offset " +
                        std::to_string(r.file_offset) + " lies outside the file");
    // EVTX: 0 when no sound chunk holds the record, else the header of the record with that
    // identifier and time.
    if (evtx && r.file_offset != 0) {
      if (r.file_offset < kEvtxFileHeaderSize + kEvtxRecordsStart ||
          r.file_offset + kEvtxRecordHeaderSize > data.size())
        fail(kTarget, "an EVTX record offset outside any chunk's records");
      if (!starts_with(data, r.file_offset, std::string_view("**\0\0", 4)) ||
          u64_at(data, r.file_offset + 8) != r.record_number ||
          u64_at(data, r.file_offset + 16) != r.written)
        fail(kTarget, "an EVTX record offset that is not the header of that record");
    }
  }
  if (current > log.records || recovered > log.recovered)
    fail(kTarget, "more records kept than read");
  if (kept_bytes >
      data.size() * events::detail::kKeptBytesPerFileByte + events::detail::kKeptBytesBase)
    fail(kTarget, "the kept records hold more than twice the file's size plus 1 MiB");
}

// scm_failure.hpp's promises about the failures of one kept record.
std::size_t check_failures(const events::EventRecord& r) {
  const auto failures = events::scm_failures(r);
  if (r.event_id != 7026 && failures.size() > 1)
    fail(kTarget, "more than one failure from a record other than 7026");
  for (const auto& f : failures) {
    if (f.event_id != r.event_id || f.written != r.written || f.file_offset != r.file_offset ||
        f.record_number != r.record_number || f.recovered != r.recovered)
      fail(kTarget, "a failure differs from its record");
    if (f.display_name.empty()) fail(kTarget, "a failure that names no service");
    check_utf8(f.display_name, "a display name");
    if (f.key_name) {
      check_utf8(*f.key_name, "a key name");
      if (f.key_name->empty()) fail(kTarget, "an empty key name");
      const bool control = std::any_of(f.key_name->begin(), f.key_name->end(),
                                       [](char c) { return static_cast<unsigned char>(c) < 0x20; });
      if (r.event_id != 7026 && control)
        fail(kTarget, "a key name from Binary with control characters");
    }
  }
  return failures.size();
}

// summary.hpp's promises about the summaries of `log`.
void check_summaries(const std::vector<events::EventSummary>& summaries,
                     const events::EventLog& log, const events::ServiceDirectory* dir,
                     std::size_t failures, std::span<const std::uint8_t> data) {
  using Key = std::tuple<std::u16string, std::uint32_t, std::int64_t>;
  std::optional<Key> previous;
  std::size_t counted = 0;
  for (const auto& s : summaries) {
    const Key key{util::upcase(util::utf8_to_utf16(s.service)), s.event_id,
                  s.error ? static_cast<std::int64_t>(*s.error) : -1};
    if (previous && !(*previous < key))
      fail(kTarget, "summaries not sorted by service, event id and error, or repeated");
    previous = key;
    if (!events::is_scm_failure(events::kScmSource, s.event_id))
      fail(kTarget, "a summary of an event id that is no SCM failure");
    if (s.service.empty()) fail(kTarget, "a summary without a service");
    check_utf8(s.service, "a summary's service");
    if (s.log != log.label) fail(kTarget, "a summary names another log");
    if (s.count != s.records.size() || s.count == 0)
      fail(kTarget, "a summary's count differs from its records");
    counted += s.records.size();
    std::uint64_t first = 0;
    std::uint64_t last = 0;
    for (const auto& rec : s.records) {
      if (rec.file_offset >= data.size()) fail(kTarget, "a summary's record lies outside the file");
      if (rec.written != 0 && (first == 0 || rec.written < first)) first = rec.written;
      last = std::max(last, rec.written);
    }
    if (s.first != first || s.last != last)
      fail(kTarget, "first or last is not the earliest or latest record's time");
    if (s.first != 0 && s.first > s.last) fail(kTarget, "first after last");
    switch (s.source) {
      case events::ServiceSource::kNoHive:
        if (dir) fail(kTarget, "kNoHive with a hive");
        break;
      case events::ServiceSource::kRecord:
        if (dir && dir->key_by_name(s.service) != s.service)
          fail(kTarget, "kRecord not in the hive's spelling");
        break;
      case events::ServiceSource::kDisplayName:
        if (!dir || dir->key_by_display_name(s.display_name) != s.service)
          fail(kTarget, "kDisplayName not the hive's key");
        break;
      case events::ServiceSource::kUnresolved:
        if (!dir || dir->key_by_display_name(s.display_name))
          fail(kTarget, "kUnresolved for a display name the hive has");
        break;
      case events::ServiceSource::kKeyNotInHive:
        if (!dir || dir->key_by_name(s.service))
          fail(kTarget, "kKeyNotInHive for a key the hive has");
        break;
    }
  }
  if (counted != failures) fail(kTarget, "the summaries count other than every failure once");
}

}  // namespace

void event_logs(std::span<const std::uint8_t> data) {
  const TempLog file(data);
  const std::string label = file.path().string();
  try {
    const events::EventLog log = events::read_event_log(file.path(), events::scm_failure_filter());
    check_log(log, label, data);
    std::size_t failures = 0;
    for (const auto& r : log.kept) failures += check_failures(r);
    check_summaries(events::summarise(log, nullptr), log, nullptr, failures, data);
    check_summaries(events::summarise(log, &directory()), log, &directory(), failures, data);
    // As `hivelint events LOG --hive SYSTEM --detail` renders it, text and JSON.
    report::EventsReport report;
    report.detail = true;
    report.logs.push_back(report::log_report(log, &directory()));
    std::ostringstream text;
    report::render_events_text(report, text);
    (void)report::render_events_json(report);
  } catch (const Error&) {}
}

}  // namespace hivelint::fuzz

HIVELINT_FUZZ_ENTRY(event_logs)
