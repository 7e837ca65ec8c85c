#include "regf/marvin32.hpp"

#include <algorithm>
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

std::uint32_t dword_at(const std::uint8_t* p) noexcept {
  return static_cast<std::uint32_t>(p[0]) | static_cast<std::uint32_t>(p[1]) << 8 |
         static_cast<std::uint32_t>(p[2]) << 16 | static_cast<std::uint32_t>(p[3]) << 24;
}

Lanes start(std::uint64_t seed) noexcept {
  return Lanes{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)};
}

// Mixes the whole dwords of `data` from byte `i` on, then the tail and the final zero dword.
std::uint64_t finish(Lanes s, std::span<const std::uint8_t> data, std::size_t i) noexcept {
  for (; data.size() - i >= 4; i += 4) mix(s, dword_at(data.data() + i));
  // The tail: its bytes little-endian, followed by the 0x80 marker byte.
  std::uint32_t last = 0x80;
  for (std::size_t k = data.size(); k-- > i;) last = (last << 8) | data[k];
  mix(s, last);
  mix(s, 0);
  return static_cast<std::uint64_t>(s.hi) << 32 | s.lo;
}

}  // namespace

std::uint64_t marvin32(std::span<const std::uint8_t> data, std::uint64_t seed) noexcept {
  return finish(start(seed), data, 0);
}

void marvin32_many(std::span<const std::span<const std::uint8_t>> inputs, std::uint64_t seed,
                   std::span<std::uint64_t> out) noexcept {
  // Each step of one hash waits for the one before (about 7 cycles a dword): four inputs are
  // mixed side by side, dword by dword, over the length they share, so that the processor runs the
  // four chains at once; each then finishes alone.
  constexpr std::size_t kWays = 4;
  std::size_t n = 0;
  for (; inputs.size() - n >= kWays; n += kWays) {
    Lanes s[kWays];
    std::size_t shared = inputs[n].size();
    for (std::size_t w = 0; w < kWays; ++w) {
      s[w] = start(seed);
      shared = std::min(shared, inputs[n + w].size());
    }
    const std::size_t whole = shared - shared % 4;
    for (std::size_t i = 0; i < whole; i += 4)
      for (std::size_t w = 0; w < kWays; ++w) mix(s[w], dword_at(inputs[n + w].data() + i));
    for (std::size_t w = 0; w < kWays; ++w) out[n + w] = finish(s[w], inputs[n + w], whole);
  }
  for (; n < inputs.size(); ++n) out[n] = marvin32(inputs[n], seed);
}

}  // namespace hivelint::regf
