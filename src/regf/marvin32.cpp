#include "regf/marvin32.hpp"

#include <bit>

namespace hivelint::regf {
namespace {

struct Lanes {
  std::uint32_t lo;
  std::uint32_t hi;
};

void mix(Lanes& s, std::uint32_t v) noexcept {
  s.lo += v;
  s.hi ^= s.lo;
  s.lo = std::rotl(s.lo, 20) + s.hi;
  s.hi = std::rotl(s.hi, 9) ^ s.lo;
  s.lo = std::rotl(s.lo, 27) + s.hi;
  s.hi = std::rotl(s.hi, 19);
}

}  // namespace

std::uint64_t marvin32(std::span<const std::uint8_t> data, std::uint64_t seed) noexcept {
  Lanes s{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)};
  std::size_t i = 0;
  for (; data.size() - i >= 4; i += 4)
    mix(s, static_cast<std::uint32_t>(data[i]) | static_cast<std::uint32_t>(data[i + 1]) << 8 |
               static_cast<std::uint32_t>(data[i + 2]) << 16 |
               static_cast<std::uint32_t>(data[i + 3]) << 24);
  // The tail: its bytes little-endian, followed by the 0x80 marker byte.
  std::uint32_t last = 0x80;
  for (std::size_t k = data.size(); k-- > i;) last = (last << 8) | data[k];
  mix(s, last);
  mix(s, 0);
  return static_cast<std::uint64_t>(s.hi) << 32 | s.lo;
}

}  // namespace hivelint::regf
