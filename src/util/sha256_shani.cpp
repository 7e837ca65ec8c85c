// The SHA-256 compression function with the x86 SHA extensions (SHA-NI), written from Intel's
// description of the instructions (Intel 64 and IA-32 Architectures Software Developer's Manual,
// SHA256RNDS2, SHA256MSG1, SHA256MSG2). Only these functions are compiled for SHA, SSSE3 and SSE4.1
// (function-level target attributes, not -msha for the file), so the binary still runs on a CPU
// without them; util/sha256.cpp calls them only after sha256_shani_supported() said yes.
#include "util/sha256_blocks.hpp"

#if defined(__x86_64__)
#include <immintrin.h>
#if defined(__clang__)
#include <cpuid.h>
#endif

namespace hivelint::util::detail {
namespace {

#define HIVELINT_SHANI __attribute__((target("sha,sse4.1,ssse3")))

// The instructions keep the eight working variables in two registers, lane 0 first: "ABEF" = (F, E,
// B, A) and "CDGH" = (H, G, D, C). SHA256RNDS2 runs two rounds: from CDGH and ABEF and the two sums
// K[t] + W[t] in the low lanes of its third operand, it returns the new ABEF; the new CDGH is the
// old ABEF (after two rounds, C and D are the old A and B, G and H the old E and F). So the two
// registers swap roles after each instruction, and swap back after the second of a pair: four
// rounds leave `abef` and `cdgh` named right.
HIVELINT_SHANI inline void rounds4(__m128i& abef, __m128i& cdgh, __m128i w, std::size_t t) {
  // W[t..t+3] + K[t..t+3]; _mm_loadu_si128 reads 16 unaligned bytes: four round constants.
  __m128i wk =
      _mm_add_epi32(w, _mm_loadu_si128(reinterpret_cast<const __m128i*>(kSha256Round + t)));
  cdgh = _mm_sha256rnds2_epu32(cdgh, abef,
                               wk);  // rounds t, t+1: `cdgh` now holds ABEF, `abef` holds CDGH
  wk = _mm_shuffle_epi32(wk, 0x0E);  // the sums for rounds t+2, t+3 into the low lanes
  abef = _mm_sha256rnds2_epu32(abef, cdgh, wk);  // rounds t+2, t+3: named right again
}

// W[t..t+3] (FIPS 180-4 §6.2.2 step 1: W[t] = σ1(W[t-2]) + W[t-7] + σ0(W[t-15]) + W[t-16]) from the
// sixteen words before them: w0 = W[t-16..t-13], w1 = W[t-12..t-9], w2 = W[t-8..t-5], w3 =
// W[t-4..t-1]. SHA256MSG1 adds σ0 of the next word to each of W[t-16..t-13]; the alignr supplies
// W[t-7..t-4]; SHA256MSG2 adds σ1 of W[t-2], W[t-1] and then of the two words it has just made.
HIVELINT_SHANI inline __m128i schedule4(__m128i w0, __m128i w1, __m128i w2, __m128i w3) {
  const __m128i partial = _mm_add_epi32(_mm_sha256msg1_epu32(w0, w1), _mm_alignr_epi8(w3, w2, 4));
  return _mm_sha256msg2_epu32(partial, w3);
}

// Sixteen message bytes as four big-endian words (FIPS 180-4 §3.1): the bytes of each 32-bit lane
// reversed.
HIVELINT_SHANI inline __m128i load_words(const std::uint8_t* p) {
  const __m128i reverse_each_word =
      _mm_set_epi8(12, 13, 14, 15, 8, 9, 10, 11, 4, 5, 6, 7, 0, 1, 2, 3);
  return _mm_shuffle_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)), reverse_each_word);
}

}  // namespace

HIVELINT_SHANI void sha256_blocks_shani(std::uint32_t* state, const std::uint8_t* blocks,
                                        std::size_t count) {
  // state a..h (lanes a, b, c, d and e, f, g, h) into ABEF and CDGH.
  const __m128i badc =
      _mm_shuffle_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(state)), 0xB1);
  const __m128i hgfe =
      _mm_shuffle_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(state + 4)), 0x1B);
  __m128i abef = _mm_alignr_epi8(badc, hgfe, 8);     // f e b a
  __m128i cdgh = _mm_blend_epi16(hgfe, badc, 0xF0);  // h g d c
  for (std::size_t i = 0; i < count; ++i, blocks += 64) {
    const __m128i abef_before = abef, cdgh_before = cdgh;
    __m128i w0 = load_words(blocks), w1 = load_words(blocks + 16), w2 = load_words(blocks + 32),
            w3 = load_words(blocks + 48);
    rounds4(abef, cdgh, w0, 0);
    rounds4(abef, cdgh, w1, 4);
    rounds4(abef, cdgh, w2, 8);
    rounds4(abef, cdgh, w3, 12);
    for (std::size_t t = 16; t < 64; t += 16) {
      w0 = schedule4(w0, w1, w2, w3);
      rounds4(abef, cdgh, w0, t);
      w1 = schedule4(w1, w2, w3, w0);
      rounds4(abef, cdgh, w1, t + 4);
      w2 = schedule4(w2, w3, w0, w1);
      rounds4(abef, cdgh, w2, t + 8);
      w3 = schedule4(w3, w0, w1, w2);
      rounds4(abef, cdgh, w3, t + 12);
    }
    // FIPS 180-4 §6.2.2 step 4: add the working variables to the hash value of the previous block.
    abef = _mm_add_epi32(abef, abef_before);
    cdgh = _mm_add_epi32(cdgh, cdgh_before);
  }
  // And back: ABEF, CDGH to a, b, c, d and e, f, g, h.
  const __m128i abef_rev = _mm_shuffle_epi32(abef, 0x1B);  // a b e f
  const __m128i ghcd = _mm_shuffle_epi32(cdgh, 0xB1);      // g h c d
  _mm_storeu_si128(reinterpret_cast<__m128i*>(state),
                   _mm_blend_epi16(abef_rev, ghcd, 0xF0));  // a b c d
  _mm_storeu_si128(reinterpret_cast<__m128i*>(state + 4),
                   _mm_alignr_epi8(ghcd, abef_rev, 8));  // e f g h
}

bool sha256_shani_supported() {
#if defined(__clang__)
  // clang 14 (the fuzz build) does not know "sha" in __builtin_cpu_supports: ask CPUID (leaf 1 ECX:
  // SSSE3 bit 9, SSE4.1 bit 19; leaf 7 subleaf 0 EBX: SHA bit 29).
  unsigned a = 0, b = 0, c = 0, d = 0;
  if (__get_cpuid(1, &a, &b, &c, &d) == 0) return false;
  const bool ssse3_sse41 = (c & bit_SSSE3) != 0 && (c & bit_SSE4_1) != 0;
  if (__get_cpuid_count(7, 0, &a, &b, &c, &d) == 0) return false;
  return ssse3_sse41 && (b & bit_SHA) != 0;
#else
  __builtin_cpu_init();
  return __builtin_cpu_supports("sha") && __builtin_cpu_supports("sse4.1") &&
         __builtin_cpu_supports("ssse3");
#endif
}

#undef HIVELINT_SHANI

}  // namespace hivelint::util::detail

#else  // not x86-64: the portable function only

namespace hivelint::util::detail {
bool sha256_shani_supported() { return false; }
}  // namespace hivelint::util::detail

#endif
