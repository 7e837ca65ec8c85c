#include "regf/checksum.hpp"

#include "regf/format.hpp"

namespace hivelint::regf {

std::uint32_t base_block_checksum(std::span<const std::uint8_t> base_block) {
  util::ByteReader r(base_block, 0, kBaseBlockStructure);
  std::uint32_t sum = 0;
  for (std::size_t i = 0; i < kChecksummedBytes; i += 4) sum ^= r.u32_at(i, "checksummed dword");
  if (sum == 0) return 1;
  if (sum == 0xFFFFFFFF) return 0xFFFFFFFE;
  return sum;
}

}  // namespace hivelint::regf
