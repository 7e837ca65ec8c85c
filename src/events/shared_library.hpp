// libevt and libevtx are loaded when hivelint first reads an event log, not when it starts.
//
// Why: Debian builds both with immediate binding (BIND_NOW) and each exports its own copies of the
// libyal helper libraries (libcdata, libfdata, libuna...), so linking them made the dynamic loader
// resolve about 2,700 symbols at every start: 1.5 ms of a 12 ms `check` of one value on an 11 MB
// hive, for a run that reads no log (docs/performance.md, session 8). Only evt_reader.cpp and
// evtx_reader.cpp use this; they still include the libraries' headers, so every function's type
// is checked against the declaration it replaces.
#pragma once
#include <string>

namespace hivelint::events::detail {

/// The library with this soname ("libevtx.so.1"), loaded once for the process and never unloaded
/// (libyal libraries keep no state between calls, but unloading one while a thread reads a log
/// would not be safe). Throws EventLogError naming it when it cannot be loaded.
void* load_library(const char* soname);

/// The address of `name` in `library`; throws EventLogError naming both when it is absent.
void* find_symbol(void* library, const char* soname, const char* name);

/// `find_symbol` as the function type the library's header declares for `name`.
template <class Fn>
Fn bind(void* library, const char* soname, const char* name) {
  return reinterpret_cast<Fn>(find_symbol(library, soname, name));
}

}  // namespace hivelint::events::detail
