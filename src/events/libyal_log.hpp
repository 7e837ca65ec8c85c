// The reading loop shared by evt_reader.cpp (libevt) and evtx_reader.cpp (libevtx): both libraries
// have the same libyal shape (file, record, error chain; current and recovered records by index),
// so one template walks both, given a traits struct `L` that names the library's functions, and one
// macro binds the functions of either when its first log is read. Included only by those two files.
#pragma once
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

#include "events/error.hpp"
#include "events/event_log.hpp"
#include "events/shared_library.hpp"
#include "util/bytes.hpp"
#include "util/utf16.hpp"

// The functions of a libyal event-log library the readers call, by their names after the library's
// prefix (libevt_file_open, libevtx_file_open ...): both libraries have the same ones.
#define HIVELINT_LIBYAL_LOG_FUNCTIONS(X, lib)  \
  X(lib, error_free)                           \
  X(lib, error_sprint)                         \
  X(lib, file_close)                           \
  X(lib, file_free)                            \
  X(lib, file_get_number_of_records)           \
  X(lib, file_get_number_of_recovered_records) \
  X(lib, file_get_record_by_index)             \
  X(lib, file_get_recovered_record_by_index)   \
  X(lib, file_initialize)                      \
  X(lib, file_is_corrupted)                    \
  X(lib, file_open)                            \
  X(lib, get_version)                          \
  X(lib, record_free)                          \
  X(lib, record_get_event_identifier)          \
  X(lib, record_get_identifier)                \
  X(lib, record_get_number_of_strings)         \
  X(lib, record_get_offset)                    \
  X(lib, record_get_utf8_source_name)          \
  X(lib, record_get_utf8_source_name_size)     \
  X(lib, record_get_utf8_string)               \
  X(lib, record_get_utf8_string_size)          \
  X(lib, record_get_written_time)

#define HIVELINT_LIBYAL_LOG_FIELD(lib, name) decltype(&::lib##_##name) name = nullptr;
#define HIVELINT_LIBYAL_LOG_BIND(lib, name) \
  api.name = ::hivelint::events::detail::bind<decltype(api.name)>(library, soname, #lib "_" #name);

/// Defines, in the including file, `struct Api` (a pointer to each of the library's functions
/// above, of the type its header, already included, declares) and `const Api& api()`, which loads
/// the library with that soname and binds them when first called (shared_library.hpp), throwing
/// EventLogError when it cannot.
#define HIVELINT_LIBYAL_LOG_API(lib, library_soname)                    \
  struct Api {                                                          \
    HIVELINT_LIBYAL_LOG_FUNCTIONS(HIVELINT_LIBYAL_LOG_FIELD, lib)       \
  };                                                                    \
  const Api& api() {                                                    \
    static const Api bound = [] {                                       \
      constexpr const char* soname = library_soname;                    \
      void* library = ::hivelint::events::detail::load_library(soname); \
      Api api;                                                          \
      HIVELINT_LIBYAL_LOG_FUNCTIONS(HIVELINT_LIBYAL_LOG_BIND, lib)      \
      return api;                                                       \
    }();                                                                \
    return bound;                                                       \
  }

namespace hivelint::events::detail {

/// Caps for hostile logs: a record's strings are read only for kept records, and only this many,
/// this long.
inline constexpr int kMaxStringsPerRecord = 256;           // SCM records carry at most 5
inline constexpr std::size_t kMaxStringBytes = 64 * 1024;  // one insertion string, UTF-8
inline constexpr std::size_t kMaxSourceNameBytes = 1024;   // a source (provider) name
inline constexpr std::size_t kMaxWarnings = 100;           // then one line says how many more
/// What the kept records of one log may hold in all (source names and strings): twice the file's
/// size plus 1 MiB. A log whose records each carry their own strings never needs more (UTF-16 gives
/// at most 1.5 UTF-8 bytes per byte, binary data two hex digits), but one EVTX template may name
/// the same substitution value in 256 Data elements, and libevtx then gives every record that uses
/// it 256 copies: a 1 MiB log made hivelint keep 400 MiB
/// (tests/fuzz/regressions/event_logs/strings-amplified.evtx).
inline constexpr std::uint64_t kKeptBytesPerFileByte = 2;
inline constexpr std::uint64_t kKeptBytesBase = 1024 * 1024;

/// What is left of that allowance while a log is read.
struct KeptBudget {
  std::uint64_t left = 0;
  bool spent = false;  // a record did not fit: it and every later one are counted, not kept
};

template <class L>
class ErrorChain {
 public:
  ErrorChain() = default;
  ErrorChain(const ErrorChain&) = delete;
  ErrorChain& operator=(const ErrorChain&) = delete;
  ~ErrorChain() {
    if (error_) L::error_free(&error_);
  }
  typename L::error_t** out() { return &error_; }
  /// The library's call chain on one line, innermost last ("" when there is none).
  std::string message() const {
    if (!error_) return "";
    char buf[2048];
    if (L::error_sprint(error_, buf, sizeof buf) < 0) return "(no detail)";
    std::string text(buf);
    for (auto& c : text)
      if (c == '\n') c = ';';
    while (!text.empty() && (text.back() == ';' || text.back() == ' ' || text.back() == '.'))
      text.pop_back();
    return text;
  }

 private:
  typename L::error_t* error_ = nullptr;
};

template <class L>
struct FileCloser {
  void operator()(typename L::file_t* f) const noexcept {
    L::file_close(f, nullptr);
    L::file_free(&f, nullptr);
  }
};
template <class L>
struct RecordFree {
  void operator()(typename L::record_t* r) const noexcept { L::record_free(&r, nullptr); }
};

/// A UTF-8 string read through a libyal (size, get) pair; nullopt when the library has none or
/// fails.
template <class SizeFn, class GetFn>
std::optional<std::string> utf8_of(SizeFn size_fn, GetFn get_fn, std::size_t cap) {
  std::size_t size = 0;
  if (size_fn(&size) != 1 || size == 0) return std::nullopt;
  if (size > cap) return std::nullopt;
  std::string buf(size, '\0');
  if (get_fn(reinterpret_cast<std::uint8_t*>(buf.data()), size) != 1) return std::nullopt;
  while (!buf.empty() && buf.back() == '\0') buf.pop_back();
  if (!util::is_valid_utf8(buf)) return util::utf16_to_utf8(util::utf8_to_utf16(buf)).text;
  return buf;
}

inline std::string record_where(const EventLog& log, bool recovered, int index) {
  return log.label + ": " + (recovered ? "recovered record " : "record ") + std::to_string(index);
}

inline void warn(EventLog& log, std::string message) {
  if (log.warnings.size() < kMaxWarnings)
    log.warnings.push_back(std::move(message));
  else if (log.warnings.size() == kMaxWarnings)
    log.warnings.push_back(log.label + ": further warnings left out");
}

/// Reads one record: always its id and source; its strings only when the filter keeps it and the
/// budget allows.
template <class L>
void read_record(EventLog& log, typename L::record_t* record, bool recovered, int index,
                 const RecordFilter& filter, KeptBudget& budget) {
  EventRecord r;
  r.recovered = recovered;
  off64_t offset = 0;
  if (L::record_get_offset(record, &offset, nullptr) == 1 && offset >= 0)
    r.file_offset = static_cast<std::uint64_t>(offset);
  ErrorChain<L> err;
  std::uint32_t id = 0;
  if (L::record_get_event_identifier(record, &id, err.out()) != 1) {
    warn(log, record_where(log, recovered, index) + " at " + util::hex_offset(r.file_offset) +
                  ": no event identifier: " + err.message());
    return;
  }
  r.event_id = id & 0xFFFFu;
  r.source =
      utf8_of(
          [&](std::size_t* s) { return L::record_get_utf8_source_name_size(record, s, nullptr); },
          [&](std::uint8_t* b, std::size_t s) {
            return L::record_get_utf8_source_name(record, b, s, nullptr);
          },
          kMaxSourceNameBytes)
          .value_or("");
  if (!filter.keep || !filter.keep(r.source, r.event_id) || budget.spent) return;
  r.record_number = L::record_number(record);
  r.written = L::written_filetime(record);
  int count = 0;
  if (L::record_get_number_of_strings(record, &count, nullptr) != 1) count = 0;
  if (count > kMaxStringsPerRecord) {
    warn(log, record_where(log, recovered, index) + " at " + util::hex_offset(r.file_offset) +
                  ": " + std::to_string(count) + " strings, only the first " +
                  std::to_string(kMaxStringsPerRecord) + " read");
    count = kMaxStringsPerRecord;
  }
  for (int i = 0; i < count; ++i) {
    auto text = utf8_of(
        [&](std::size_t* s) { return L::record_get_utf8_string_size(record, i, s, nullptr); },
        [&](std::uint8_t* b, std::size_t s) {
          return L::record_get_utf8_string(record, i, b, s, nullptr);
        },
        kMaxStringBytes);
    r.strings.push_back(text.value_or(""));
  }
  std::uint64_t bytes = r.source.size();
  for (const auto& s : r.strings) bytes += s.size();
  if (bytes > budget.left) {
    budget.spent = true;
    // libevtx gives no record offsets (event_log.cpp finds them later): the record number says
    // which one it is.
    warn(log, record_where(log, recovered, index) + " (number " + std::to_string(r.record_number) +
                  ")" + (r.file_offset ? " at " + util::hex_offset(r.file_offset) : "") +
                  ": its source and " + std::to_string(r.strings.size()) + " strings (" +
                  std::to_string(bytes) +
                  " bytes) pass what the kept records may hold (twice the log's size plus 1 MiB, " +
                  std::to_string(budget.left) +
                  " bytes left): it and every later record of the filter's are counted, not kept");
    return;
  }
  budget.left -= bytes;
  log.kept.push_back(std::move(r));
}

template <class L>
void read_records(EventLog& log, typename L::file_t* file, bool recovered,
                  const RecordFilter& filter, KeptBudget& budget) {
  ErrorChain<L> err;
  int count = 0;
  const int rc = recovered ? L::file_get_number_of_recovered_records(file, &count, err.out())
                           : L::file_get_number_of_records(file, &count, err.out());
  if (rc != 1 || count < 0) {
    warn(log, log.label + ": cannot count the " + (recovered ? "recovered " : "") +
                  "records: " + err.message());
    return;
  }
  std::uint64_t read = 0;
  std::uint64_t unreadable = 0;
  std::string first_failure;
  for (int i = 0; i < count; ++i) {
    ErrorChain<L> record_err;
    typename L::record_t* raw = nullptr;
    const int got = recovered
                        ? L::file_get_recovered_record_by_index(file, i, &raw, record_err.out())
                        : L::file_get_record_by_index(file, i, &raw, record_err.out());
    if (got != 1 || raw == nullptr) {
      // As evtexport/evtxexport do, a record the library lists but cannot read is passed over: the
      // counts then equal theirs. One warning per pass says how many and why the first failed.
      if (unreadable++ == 0)
        first_failure = "index " + std::to_string(i) + ": " + record_err.message();
      continue;
    }
    std::unique_ptr<typename L::record_t, RecordFree<L>> record{raw};
    ++read;
    read_record<L>(log, record.get(), recovered, i, filter, budget);
  }
  (recovered ? log.recovered : log.records) = read;
  log.unreadable += unreadable;
  if (unreadable > 0)
    warn(log, log.label + ": " + std::to_string(unreadable) + " of " + std::to_string(count) + " " +
                  (recovered ? "recovered " : "") + "records listed by " + L::kName +
                  " cannot be read and are left out; the first, " + first_failure);
}

/// Opens `path` with library L and reads its current, then its recovered records.
template <class L>
EventLog read_with(const std::filesystem::path& path, LogFormat format,
                   const RecordFilter& filter) {
  EventLog log;
  log.label = path.string();
  log.format = format;
  ErrorChain<L> err;
  typename L::file_t* raw = nullptr;
  if (L::file_initialize(&raw, err.out()) != 1)
    throw EventLogError(log.label + ": " + L::kName + " cannot initialise: " + err.message());
  if (L::file_open(raw, path.c_str(), L::kOpenRead, err.out()) != 1) {
    L::file_free(&raw, nullptr);
    throw EventLogError(std::string(format_name(format)) + " file header at 0x00000000 of " +
                        log.label + ": " + L::kName + " refuses it: " + err.message());
  }
  std::unique_ptr<typename L::file_t, FileCloser<L>> file{raw};
  log.dirty = L::file_is_corrupted(file.get(), nullptr) == 1;
  std::error_code ec;
  const std::uint64_t size =
      std::filesystem::file_size(path, ec);  // the library has it open: a failure is a race
  KeptBudget budget{(ec ? 0 : size) * kKeptBytesPerFileByte + kKeptBytesBase};
  read_records<L>(log, file.get(), false, filter, budget);
  read_records<L>(log, file.get(), true, filter, budget);
  return log;
}

}  // namespace hivelint::events::detail
