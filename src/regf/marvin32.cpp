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
  // Each step of one hash waits for the one before (about 7 cycles a dword): four inputs are mixed
  // side by side, dword by dword, so that the processor runs the four chains at once. A lane whose
  // input ends takes the next input, so that the four stay busy while four inputs are left (a
  // log's entries differ in size by a hundred times: grouped four by four, most bytes were mixed
  // by one lane alone after the shortest of its group ended).
  constexpr std::size_t kWays = 4;
  struct Lane {
    Lanes s;
    std::size_t input;
    std::size_t pos;    // the next dword
    std::size_t whole;  // the input's length rounded down to whole dwords
  };
  Lane lane[kWays];
  std::size_t active = 0, next = 0;
  const auto take_next = [&](Lane& l) {
    l = Lane{start(seed), next, 0, inputs[next].size() - inputs[next].size() % 4};
    ++next;
  };
  while (active < kWays && next < inputs.size()) take_next(lane[active++]);
  while (active == kWays) {
    std::size_t steps = lane[0].whole - lane[0].pos;
    for (std::size_t w = 1; w < kWays; ++w) steps = std::min(steps, lane[w].whole - lane[w].pos);
    const std::uint8_t* p[kWays];
    for (std::size_t w = 0; w < kWays; ++w) p[w] = inputs[lane[w].input].data() + lane[w].pos;
    for (std::size_t i = 0; i < steps; i += 4)
      for (std::size_t w = 0; w < kWays; ++w) mix(lane[w].s, dword_at(p[w] + i));
    for (Lane& l : lane) l.pos += steps;
    // At least one lane has reached its last whole dword: finish it and give the lane the next
    // input.
    for (std::size_t w = 0; w < kWays;) {
      Lane& l = lane[w];
      if (l.pos < l.whole) {
        ++w;
        continue;
      }
      out[l.input] = finish(l.s, inputs[l.input], l.pos);  // the tail and the final dword
      if (next < inputs.size()) {
        take_next(l);  // this lane again: the new input may be shorter than a dword
      } else {
        l = lane[--active];  // fewer than four inputs left: they finish one by one below
        break;
      }
    }
  }
  for (std::size_t w = 0; w < active; ++w)
    out[lane[w].input] = finish(lane[w].s, inputs[lane[w].input], lane[w].pos);
}

}  // namespace hivelint::regf
