#include "support/resident.hpp"

#include <cstdint>
#include <cstdio>
#include <string_view>

namespace hivelint::test {

namespace {

// The `field` line ("Rss", "Anonymous") of the smaps entry holding `address`, in bytes.
std::size_t smaps_bytes_at(const void* address, const char* field) {
  std::FILE* f = std::fopen("/proc/self/smaps", "r");
  if (f == nullptr) return 0;
  const auto at = reinterpret_cast<std::uintptr_t>(address);
  char line[512], name[64];
  bool inside = false;
  std::size_t bytes = 0;
  while (std::fgets(line, sizeof line, f)) {
    unsigned long start = 0, end = 0;
    if (std::sscanf(line, "%lx-%lx ", &start, &end) == 2) {
      inside = at >= start && at < end;
      continue;
    }
    unsigned long kb = 0;
    if (inside && std::sscanf(line, "%63[^:]: %lu kB", name, &kb) == 2 &&
        std::string_view(name) == field) {
      bytes = kb * 1024;
      break;
    }
  }
  std::fclose(f);
  return bytes;
}

}  // namespace

std::size_t resident_bytes_at(const void* address) { return smaps_bytes_at(address, "Rss"); }

std::size_t anonymous_bytes_at(const void* address) { return smaps_bytes_at(address, "Anonymous"); }

}  // namespace hivelint::test
