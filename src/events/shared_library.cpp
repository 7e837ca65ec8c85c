#include "events/shared_library.hpp"

#include <dlfcn.h>

#include "events/error.hpp"

namespace hivelint::events::detail {
namespace {

// dlerror's text is the calling thread's own (glibc) and the next dl* call replaces it: read at
// once.
std::string last_dl_error() {
  const char* text = ::dlerror();
  return text ? text : "(no detail)";
}

}  // namespace

void* load_library(const char* soname) {
  void* library = ::dlopen(soname, RTLD_NOW | RTLD_LOCAL);
  if (!library)
    throw EventLogError(std::string(soname) + " cannot be loaded (hivelint reads event logs " +
                        "through it; is its Debian package installed?): " + last_dl_error());
  return library;
}

void* find_symbol(void* library, const char* soname, const char* name) {
  (void)::dlerror();
  void* address = ::dlsym(library, name);
  if (!address)
    throw EventLogError(
        std::string(soname) + " has no " + name +
        " (not the library version hivelint was built against?): " + last_dl_error());
  return address;
}

}  // namespace hivelint::events::detail
