#include "util/upcase.hpp"

#include <algorithm>
#include <array>
#include <cstdint>

#include "util/utf16.hpp"

namespace hivelint::util {
namespace {

struct Run {
  std::uint16_t first;
  std::uint16_t last;
  std::uint16_t step;
  std::uint16_t delta;
};

constexpr Run kRuns[] = {
#include "util/upcase_table.inc"
};

// A direct 64K table built once from the runs: name comparison is on the hot path of every key
// lookup.
const std::array<char16_t, 0x10000>& table() {
  static const std::array<char16_t, 0x10000> t = [] {
    std::array<char16_t, 0x10000> a{};
    for (std::uint32_t u = 0; u < 0x10000; ++u) a[u] = static_cast<char16_t>(u);
    for (const Run& r : kRuns)
      for (std::uint32_t u = r.first; u <= r.last; u += r.step)
        a[u] = static_cast<char16_t>((u + r.delta) & 0xFFFF);
    return a;
  }();
  return t;
}

}  // namespace

char16_t upcase(char16_t unit) noexcept { return table()[unit]; }

std::u16string upcase(std::u16string_view name) {
  std::u16string out(name);
  const auto& t = table();
  for (auto& u : out) u = t[u];
  return out;
}

void append_upcased(std::u16string& out, std::string_view name) {
  if (std::all_of(name.begin(), name.end(),
                  [](char c) { return static_cast<unsigned char>(c) < 0x80; })) {
    // ASCII: Windows' table folds a-z and nothing else there. Written in place: these keys are
    // built for every path a rule asks for.
    const std::size_t at = out.size();
    out.resize(at + name.size());
    char16_t* to = out.data() + at;
    for (const char c : name)
      *to++ = static_cast<char16_t>(c >= 'a' && c <= 'z' ? c - ('a' - 'A') : c);
    return;
  }
  out += upcase(utf8_to_utf16(name));
}

void append_counted_upcased(std::u16string& out, std::string_view name) {
  const std::size_t at = out.size();
  out.append(2, u'\0');  // the count, filled in below
  append_upcased(out, name);
  const std::size_t units = out.size() - at - 2;
  out[at] = static_cast<char16_t>(units & 0xFFFF);
  out[at + 1] = static_cast<char16_t>(units >> 16);
}

bool names_equal(std::u16string_view a, std::u16string_view b) noexcept {
  if (a.size() != b.size()) return false;
  const auto& t = table();
  for (std::size_t i = 0; i < a.size(); ++i)
    if (t[a[i]] != t[b[i]]) return false;
  return true;
}

bool names_equal_utf8(std::string_view a, std::string_view b) {
  // ASCII on both sides (nearly every name): Windows' table folds a-z and nothing else there; no
  // allocation.
  if (a.size() == b.size()) {
    const auto& t = table();
    std::size_t i = 0;
    for (; i < a.size(); ++i) {
      const auto x = static_cast<unsigned char>(a[i]), y = static_cast<unsigned char>(b[i]);
      if ((x | y) >= 0x80) break;
      if (t[x] != t[y]) return false;
    }
    if (i == a.size()) return true;
  } else if (std::all_of(a.begin(), a.end(),
                         [](char c) { return static_cast<unsigned char>(c) < 0x80; }) &&
             std::all_of(b.begin(), b.end(),
                         [](char c) { return static_cast<unsigned char>(c) < 0x80; })) {
    return false;  // one UTF-16 unit per byte: different lengths cannot be equal
  }
  return names_equal(utf8_to_utf16(a), utf8_to_utf16(b));
}

int compare_names(std::u16string_view a, std::u16string_view b) noexcept {
  const auto& t = table();
  const std::size_t n = std::min(a.size(), b.size());
  for (std::size_t i = 0; i < n; ++i) {
    const char16_t x = t[a[i]], y = t[b[i]];
    if (x != y) return x < y ? -1 : 1;
  }
  if (a.size() == b.size()) return 0;
  return a.size() < b.size() ? -1 : 1;
}

}  // namespace hivelint::util
