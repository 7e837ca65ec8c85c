#include "support/resident.hpp"

#include <cstdint>
#include <cstdio>

namespace hivelint::test {

std::size_t resident_bytes_at(const void* address) {
  std::FILE* f = std::fopen("/proc/self/smaps", "r");
  if (f == nullptr) return 0;
  const auto at = reinterpret_cast<std::uintptr_t>(address);
  char line[512];
  bool inside = false;
  std::size_t rss = 0;
  while (std::fgets(line, sizeof line, f)) {
    unsigned long start = 0, end = 0;
    if (std::sscanf(line, "%lx-%lx ", &start, &end) == 2) {
      inside = at >= start && at < end;
      continue;
    }
    unsigned long kb = 0;
    if (inside && std::sscanf(line, "Rss: %lu kB", &kb) == 1) {
      rss = kb * 1024;
      break;
    }
  }
  std::fclose(f);
  return rss;
}

}  // namespace hivelint::test
