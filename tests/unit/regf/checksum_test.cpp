#include <catch2/catch.hpp>

#include "regf/checksum.hpp"
#include "regf/format.hpp"
#include "util/bytes.hpp"

using namespace hivelint;

namespace {

// A 508-byte block (exactly the checksummed part) whose 127 dwords XOR to `wanted`: dwords 0..125
// hold arbitrary data, dword 126 balances them.
std::vector<std::uint8_t> block_xoring_to(std::uint32_t wanted) {
  std::vector<std::uint8_t> b(regf::kChecksummedBytes, 0);
  util::ByteWriter w(b);
  std::uint32_t x = 0;
  for (std::size_t i = 0; i < 126; ++i) {
    const std::uint32_t v = static_cast<std::uint32_t>(0x01000193u * (i + 7)) ^ 0xA5A5A5A5u;
    w.put_u32(4 * i, v);
    x ^= v;
  }
  w.put_u32(4 * 126, x ^ wanted);
  return b;
}

}  // namespace

TEST_CASE("checksum: an XOR of 0 is stored as 1", "[unit][regf]") {
  CHECK(regf::base_block_checksum(block_xoring_to(0)) == 1u);
  CHECK(regf::base_block_checksum(std::vector<std::uint8_t>(508, 0)) == 1u);  // all zero
}

TEST_CASE("checksum: an XOR of 0xFFFFFFFF is stored as 0xFFFFFFFE", "[unit][regf]") {
  CHECK(regf::base_block_checksum(block_xoring_to(0xFFFFFFFFu)) == 0xFFFFFFFEu);
  std::vector<std::uint8_t> ones(508, 0);
  ones[0] = ones[1] = ones[2] = ones[3] = 0xFF;  // one dword of all ones, the rest zero
  CHECK(regf::base_block_checksum(ones) == 0xFFFFFFFEu);
}

TEST_CASE("checksum: other values are the plain XOR of the 127 little-endian dwords",
          "[unit][regf]") {
  CHECK(regf::base_block_checksum(block_xoring_to(0x12345678u)) == 0x12345678u);
  CHECK(regf::base_block_checksum(block_xoring_to(1)) == 1u);  // 1 is itself, not adjusted
  CHECK(regf::base_block_checksum(block_xoring_to(0xFFFFFFFEu)) == 0xFFFFFFFEu);
  std::vector<std::uint8_t> b(508, 0);
  b[0] = 0x01;    // dword 0 = 0x00000001 (little-endian)
  b[7] = 0x80;    // dword 1 = 0x80000000
  b[507] = 0x10;  // dword 126 = 0x10000000
  CHECK(regf::base_block_checksum(b) == 0x90000001u);
}

TEST_CASE("checksum: bytes from 508 on (the stored checksum itself) do not count", "[unit][regf]") {
  auto b = block_xoring_to(0x0BADF00Du);
  b.resize(4096, 0xEE);
  CHECK(regf::base_block_checksum(b) == 0x0BADF00Du);
}

TEST_CASE("checksum: fewer than 508 bytes is a FormatError", "[unit][regf]") {
  CHECK_THROWS_AS(regf::base_block_checksum(std::vector<std::uint8_t>(507, 0)), FormatError);
  CHECK_THROWS_AS(regf::base_block_checksum({}), FormatError);
}
