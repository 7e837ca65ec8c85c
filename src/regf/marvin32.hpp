// Marvin32 (spec "Log entries", notes 1-3): the 64-bit keyed hash Windows puts in every new-format
// log entry (Hash-1 over the dirty page references and pages, Hash-2 over the first 32 bytes of the
// entry). The algorithm is Microsoft's published Marvin32: the seed splits into two 32-bit lanes
// (low, high), each little-endian dword of the input is added to the low lane and mixed, the 0-3
// trailing bytes are packed after a 0x80 marker byte into one last dword, and a final zero dword is
// mixed in; the result is high << 32 | low.
#pragma once
#include <cstdint>
#include <span>

namespace hivelint::regf {

/// Marvin32 of `data` with `seed`. Never throws.
std::uint64_t marvin32(std::span<const std::uint8_t> data, std::uint64_t seed) noexcept;

/// Marvin32 of each input with `seed` into out[i] (out has inputs.size() elements): the same values
/// as marvin32(), computed four at a time side by side (a log's entries, hashed before they are
/// applied, take a third of the time). Never throws.
void marvin32_many(std::span<const std::span<const std::uint8_t>> inputs, std::uint64_t seed,
                   std::span<std::uint64_t> out) noexcept;

}  // namespace hivelint::regf
