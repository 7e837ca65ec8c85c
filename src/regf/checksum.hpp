// Base-block checksum (spec "Base block", offset 508): XOR of the first 127 little-endian dwords,
// with 0 stored as 1 and 0xFFFFFFFF stored as 0xFFFFFFFE.
#pragma once
#include <cstdint>
#include <span>

namespace hivelint::regf {

/// Computes the checksum over bytes 0..507 of a base block; throws FormatError if fewer than 508
/// bytes.
std::uint32_t base_block_checksum(std::span<const std::uint8_t> base_block);

}  // namespace hivelint::regf
