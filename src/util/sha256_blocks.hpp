// The SHA-256 compression function (FIPS 180-4 §6.2.2) over whole 64-byte blocks, in its two
// implementations; util/sha256.cpp pads the message and picks one (util/sha256.hpp). Internal to
// util: nothing else includes it.
#pragma once
#include <cstddef>
#include <cstdint>

namespace hivelint::util::detail {

/// The round constants K0..K63 (FIPS 180-4 §4.2.2), shared by both implementations.
extern const std::uint32_t kSha256Round[64];

/// Portable C++: `count` blocks of 64 bytes at `blocks` into `state` (a..h).
void sha256_blocks_portable(std::uint32_t* state, const std::uint8_t* blocks, std::size_t count);

/// Whether the CPU running this has the SHA extensions, SSSE3 and SSE4.1 (always false outside
/// x86-64).
bool sha256_shani_supported();

#if defined(__x86_64__)
/// The same with the x86 SHA extensions; call it only when sha256_shani_supported().
void sha256_blocks_shani(std::uint32_t* state, const std::uint8_t* blocks, std::size_t count);
#endif

}  // namespace hivelint::util::detail
