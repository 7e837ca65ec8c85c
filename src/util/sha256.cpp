#include "util/sha256.hpp"

#include "util/error.hpp"
#include "util/sha256_blocks.hpp"

namespace hivelint::util {
namespace detail {

// FIPS 180-4 §4.2.2: the first 32 bits of the fractional parts of the cube roots of the first 64
// primes.
const std::uint32_t kSha256Round[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

namespace {

constexpr std::uint32_t rotr(std::uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

inline std::uint32_t big_sigma0(std::uint32_t x) { return rotr(x, 2) ^ rotr(x, 13) ^ rotr(x, 22); }
inline std::uint32_t big_sigma1(std::uint32_t x) { return rotr(x, 6) ^ rotr(x, 11) ^ rotr(x, 25); }
inline std::uint32_t small_sigma0(std::uint32_t x) { return rotr(x, 7) ^ rotr(x, 18) ^ (x >> 3); }
inline std::uint32_t small_sigma1(std::uint32_t x) { return rotr(x, 17) ^ rotr(x, 19) ^ (x >> 10); }

// One round (FIPS 180-4 §6.2.2 step 3) without moving the eight working variables: the caller
// passes them rotated by one position per round instead, so that after eight rounds every name is
// back in place. Of the round's shifts (h = g, g = f, ..., e = d + T1, a = T1 + T2) only the two
// sums are real work: they land in `d` and `h`, which the next round sees as `e` and `a`.
inline void round(std::uint32_t a, std::uint32_t b, std::uint32_t c, std::uint32_t& d,
                  std::uint32_t e, std::uint32_t f, std::uint32_t g, std::uint32_t& h,
                  std::uint32_t k_plus_w) {
  const std::uint32_t t1 = h + big_sigma1(e) + ((e & f) ^ (~e & g)) + k_plus_w;
  const std::uint32_t t2 = big_sigma0(a) + ((a & b) ^ (a & c) ^ (b & c));
  d += t1;
  h = t1 + t2;
}

// FIPS 180-4 §6.2.2: one 512-bit block (big-endian words). The message schedule is kept as a ring
// of its last sixteen words (W[t] only needs W[t-16..t-2]), filled as the rounds go.
void block(std::uint32_t* state, const std::uint8_t* p) {
  std::uint32_t w[16];
  for (std::size_t t = 0; t < 16; ++t)
    w[t] = static_cast<std::uint32_t>(p[4 * t]) << 24 |
           static_cast<std::uint32_t>(p[4 * t + 1]) << 16 |
           static_cast<std::uint32_t>(p[4 * t + 2]) << 8 | static_cast<std::uint32_t>(p[4 * t + 3]);
  std::uint32_t a = state[0], b = state[1], c = state[2], d = state[3];
  std::uint32_t e = state[4], f = state[5], g = state[6], h = state[7];
  // g++ -O2 does not unroll these loops by itself; unrolled, every index and round constant is a
  // constant (240 MB per CPU-second rolled, 370 unrolled).
#pragma GCC unroll 8
  for (std::size_t t = 0; t < 64; t += 8) {
    if (t >= 16)
#pragma GCC unroll 8
      for (std::size_t i = t; i < t + 8; ++i)
        w[i & 15] +=
            small_sigma1(w[(i - 2) & 15]) + w[(i - 7) & 15] + small_sigma0(w[(i - 15) & 15]);
    round(a, b, c, d, e, f, g, h, kSha256Round[t] + w[t & 15]);
    round(h, a, b, c, d, e, f, g, kSha256Round[t + 1] + w[(t + 1) & 15]);
    round(g, h, a, b, c, d, e, f, kSha256Round[t + 2] + w[(t + 2) & 15]);
    round(f, g, h, a, b, c, d, e, kSha256Round[t + 3] + w[(t + 3) & 15]);
    round(e, f, g, h, a, b, c, d, kSha256Round[t + 4] + w[(t + 4) & 15]);
    round(d, e, f, g, h, a, b, c, kSha256Round[t + 5] + w[(t + 5) & 15]);
    round(c, d, e, f, g, h, a, b, kSha256Round[t + 6] + w[(t + 6) & 15]);
    round(b, c, d, e, f, g, h, a, kSha256Round[t + 7] + w[(t + 7) & 15]);
  }
  state[0] += a;
  state[1] += b;
  state[2] += c;
  state[3] += d;
  state[4] += e;
  state[5] += f;
  state[6] += g;
  state[7] += h;
}

}  // namespace

void sha256_blocks_portable(std::uint32_t* state, const std::uint8_t* blocks, std::size_t count) {
  for (std::size_t i = 0; i < count; ++i) block(state, blocks + 64 * i);
}

}  // namespace detail

bool sha256_engine_available(Sha256Engine engine) {
  static const bool shani = detail::sha256_shani_supported();  // CPUID once
  return engine != Sha256Engine::kShaNi || shani;
}

Sha256Engine sha256_auto_engine() {
  return sha256_engine_available(Sha256Engine::kShaNi) ? Sha256Engine::kShaNi
                                                       : Sha256Engine::kPortable;
}

// FIPS 180-4 §5.3.3: the initial hash value.
Sha256::Sha256(Sha256Engine engine)
    : blocks_(detail::sha256_blocks_portable), state_{0x6a09e667, 0xbb67ae85, 0x3c6ef372,
                                                      0xa54ff53a, 0x510e527f, 0x9b05688c,
                                                      0x1f83d9ab, 0x5be0cd19} {
  if (engine == Sha256Engine::kAuto) engine = sha256_auto_engine();
  if (!sha256_engine_available(engine))
    throw Error(
        "SHA-256: the SHA-NI engine was asked for, but this CPU or build has no SHA extensions");
#if defined(__x86_64__)
  if (engine == Sha256Engine::kShaNi) blocks_ = detail::sha256_blocks_shani;
#endif
}

void Sha256::update(std::span<const std::uint8_t> bytes) {
  length_ += bytes.size();
  std::size_t i = 0;
  if (buffered_ > 0) {
    while (buffered_ < 64 && i < bytes.size()) buffer_[buffered_++] = bytes[i++];
    if (buffered_ < 64) return;
    blocks_(state_.data(), buffer_.data(), 1);
    buffered_ = 0;
  }
  // Every whole block in one call: SHA-NI keeps the state in registers from one block to the next.
  const std::size_t whole = (bytes.size() - i) / 64;
  if (whole > 0) blocks_(state_.data(), bytes.data() + i, whole);
  i += 64 * whole;
  while (i < bytes.size()) buffer_[buffered_++] = bytes[i++];
}

void Sha256::update(std::string_view text) {
  update(std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(text.data()),
                                       text.size()));
}

// FIPS 180-4 §5.1.1: a 1 bit, zeros to 56 mod 64 bytes, then the message length in bits,
// big-endian.
std::array<std::uint8_t, 32> Sha256::digest() {
  const std::uint64_t bits = length_ * 8;
  const std::uint8_t one = 0x80, zero = 0;
  update(std::span<const std::uint8_t>(&one, 1));
  while (buffered_ != 56) update(std::span<const std::uint8_t>(&zero, 1));
  std::uint8_t len[8];
  for (int i = 0; i < 8; ++i) len[i] = static_cast<std::uint8_t>(bits >> (56 - 8 * i));
  update(std::span<const std::uint8_t>(len, 8));
  std::array<std::uint8_t, 32> out{};
  for (std::size_t i = 0; i < 8; ++i)
    for (std::size_t k = 0; k < 4; ++k)
      out[4 * i + k] = static_cast<std::uint8_t>(state_[i] >> (24 - 8 * k));
  return out;
}

std::string Sha256::hex() {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string s;
  for (const std::uint8_t b : digest()) {
    s += kDigits[b >> 4];
    s += kDigits[b & 15];
  }
  return s;
}

std::string sha256_hex(std::span<const std::uint8_t> bytes, Sha256Engine engine) {
  Sha256 h(engine);
  h.update(bytes);
  return h.hex();
}

std::string sha256_hex(std::string_view text, Sha256Engine engine) {
  Sha256 h(engine);
  h.update(text);
  return h.hex();
}

}  // namespace hivelint::util
