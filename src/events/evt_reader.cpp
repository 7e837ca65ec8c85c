// EVT (Windows 2000/XP/2003) through libevt: the only file that includes <libevt.h>,
// whose functions it calls through the library loaded on first use (libyal_log.hpp).
#include <libevt.h>

#include "events/libyal_log.hpp"
#include "events/readers.hpp"

namespace hivelint::events {
namespace {

// libevt's functions, bound when the first EVT log is read.
HIVELINT_LIBYAL_LOG_API(libevt, HIVELINT_LIBEVT_SONAME)

struct Libevt {
  using file_t = libevt_file_t;
  using record_t = libevt_record_t;
  using error_t = libevt_error_t;
  static constexpr const char* kName = "libevt";
  static constexpr int kOpenRead = LIBEVT_OPEN_READ;
  static void error_free(error_t** e) { api().error_free(e); }
  static int error_sprint(error_t* e, char* buf, std::size_t size) {
    return api().error_sprint(e, buf, size);
  }
  static int file_initialize(file_t** f, error_t** e) { return api().file_initialize(f, e); }
  static int file_open(file_t* f, const char* name, int flags, error_t** e) {
    return api().file_open(f, name, flags, e);
  }
  static int file_close(file_t* f, error_t** e) { return api().file_close(f, e); }
  static int file_free(file_t** f, error_t** e) { return api().file_free(f, e); }
  static int file_is_corrupted(file_t* f, error_t** e) { return api().file_is_corrupted(f, e); }
  static int file_get_number_of_records(file_t* f, int* n, error_t** e) {
    return api().file_get_number_of_records(f, n, e);
  }
  static int file_get_number_of_recovered_records(file_t* f, int* n, error_t** e) {
    return api().file_get_number_of_recovered_records(f, n, e);
  }
  static int file_get_record_by_index(file_t* f, int i, record_t** r, error_t** e) {
    return api().file_get_record_by_index(f, i, r, e);
  }
  static int file_get_recovered_record_by_index(file_t* f, int i, record_t** r, error_t** e) {
    return api().file_get_recovered_record_by_index(f, i, r, e);
  }
  static int record_free(record_t** r, error_t** e) { return api().record_free(r, e); }
  static int record_get_offset(record_t* r, off64_t* o, error_t** e) {
    return api().record_get_offset(r, o, e);
  }
  static int record_get_event_identifier(record_t* r, std::uint32_t* id, error_t** e) {
    return api().record_get_event_identifier(r, id, e);
  }
  static int record_get_utf8_source_name_size(record_t* r, std::size_t* s, error_t** e) {
    return api().record_get_utf8_source_name_size(r, s, e);
  }
  static int record_get_utf8_source_name(record_t* r, std::uint8_t* b, std::size_t s, error_t** e) {
    return api().record_get_utf8_source_name(r, b, s, e);
  }
  static int record_get_number_of_strings(record_t* r, int* n, error_t** e) {
    return api().record_get_number_of_strings(r, n, e);
  }
  static int record_get_utf8_string_size(record_t* r, int i, std::size_t* s, error_t** e) {
    return api().record_get_utf8_string_size(r, i, s, e);
  }
  static int record_get_utf8_string(record_t* r, int i, std::uint8_t* b, std::size_t s,
                                    error_t** e) {
    return api().record_get_utf8_string(r, i, b, s, e);
  }
  static std::uint64_t record_number(record_t* r) {
    std::uint32_t n = 0;
    return api().record_get_identifier(r, &n, nullptr) == 1 ? n : 0;
  }
  /// EVT keeps POSIX seconds (unsigned 32-bit, UTC); hivelint's times are FILETIMEs.
  static std::uint64_t written_filetime(record_t* r) {
    std::uint32_t posix = 0;
    if (api().record_get_written_time(r, &posix, nullptr) != 1 || posix == 0) return 0;
    constexpr std::uint64_t kSecondsFrom1601To1970 = 11'644'473'600;
    return (static_cast<std::uint64_t>(posix) + kSecondsFrom1601To1970) * 10'000'000;
  }
};

}  // namespace

EventLog read_evt(const std::filesystem::path& path, const RecordFilter& filter) {
  return detail::read_with<Libevt>(path, LogFormat::kEvt, filter);
}

std::string libevt_version() { return api().get_version(); }

}  // namespace hivelint::events
