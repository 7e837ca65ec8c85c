// EVTX (Windows Vista and later) through libevtx: the only file that includes <libevtx.h>,
// whose functions it calls through the library loaded on first use (libyal_log.hpp).
#include <libevtx.h>

#include "events/libyal_log.hpp"
#include "events/readers.hpp"

namespace hivelint::events {
namespace {

// libevtx's functions, bound when the first EVTX log is read.
HIVELINT_LIBYAL_LOG_API(libevtx, HIVELINT_LIBEVTX_SONAME)

struct Libevtx {
  using file_t = libevtx_file_t;
  using record_t = libevtx_record_t;
  using error_t = libevtx_error_t;
  static constexpr const char* kName = "libevtx";
  static constexpr int kOpenRead = LIBEVTX_OPEN_READ;
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
    std::uint64_t n = 0;
    return api().record_get_identifier(r, &n, nullptr) == 1 ? n : 0;
  }
  static std::uint64_t written_filetime(record_t* r) {
    std::uint64_t filetime = 0;
    return api().record_get_written_time(r, &filetime, nullptr) == 1 ? filetime : 0;
  }
};

}  // namespace

EventLog read_evtx(const std::filesystem::path& path, const RecordFilter& filter) {
  return detail::read_with<Libevtx>(path, LogFormat::kEvtx, filter);
}

std::string libevtx_version() { return api().get_version(); }

}  // namespace hivelint::events
