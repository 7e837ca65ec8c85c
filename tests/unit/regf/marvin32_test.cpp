#include <catch2/catch.hpp>

#include <algorithm>

#include "regf/format.hpp"
#include "regf/marvin32.hpp"
#include "util/bytes.hpp"

using namespace hivelint;

TEST_CASE("marvin32: hash-2 of a log entry header written by Windows 10", "[unit][regf]") {
  // The first 40 bytes of the only entry in yarp's NewDirtyHive1/NewDirtyHive.LOG1 (offset 512):
  // hash-2 at +32 is Windows' Marvin32 of bytes 0..31 with the log-entry seed.
  const std::vector<std::uint8_t> header{
      0x48, 0x76, 0x4c, 0x45, 0x00, 0x5e, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00,
      0x00, 0x00, 0x00, 0x50, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x31, 0xe4, 0x07, 0x18,
      0x66, 0x6c, 0x86, 0x67, 0x02, 0x7f, 0x65, 0xa7, 0xcf, 0xf3, 0x44, 0xcd};
  const std::uint64_t stored = util::le_u64(header, regf::kLeHash2.offset);
  CHECK(regf::marvin32(std::span(header).first(32), regf::kLogEntryMarvinSeed) == stored);
  // One changed bit anywhere in the hashed bytes changes the hash.
  for (std::size_t i = 0; i < 32; ++i) {
    auto changed = header;
    changed[i] ^= 0x01;
    CHECK(regf::marvin32(std::span(changed).first(32), regf::kLogEntryMarvinSeed) != stored);
  }
}

TEST_CASE("marvin32: the tail bytes and the seed take part in the hash", "[unit][regf]") {
  const std::vector<std::uint8_t> data{1, 2, 3, 4, 5, 6, 7};
  std::vector<std::uint64_t> seen;
  for (std::size_t n = 0; n <= data.size(); ++n)
    seen.push_back(regf::marvin32(std::span(data).first(n), regf::kLogEntryMarvinSeed));
  for (std::size_t a = 0; a < seen.size(); ++a)
    for (std::size_t b = a + 1; b < seen.size(); ++b) CHECK(seen[a] != seen[b]);
  CHECK(regf::marvin32(data, 1) != regf::marvin32(data, 2));
  const std::vector<std::uint8_t> tail_differs{1, 2, 3, 4, 5, 6, 8};
  CHECK(regf::marvin32(data, 1) != regf::marvin32(tail_differs, 1));
}

TEST_CASE("marvin32_many: each input's hash is marvin32's, whatever the lengths and the count",
          "[unit][regf]") {
  std::uint32_t state = 12345;
  const auto next = [&] {
    state = state * 1103515245u + 12345u;
    return static_cast<std::uint8_t>(state >> 16);
  };
  std::vector<std::vector<std::uint8_t>> data;
  // Every length 0-40 (every tail, shorter and longer than the others of its group of four), then
  // longer inputs of unequal sizes.
  for (std::size_t n = 0; n <= 40; ++n) data.emplace_back(n);
  for (std::size_t n : {511u, 512u, 4096u, 4099u, 65536u, 3u, 70000u}) data.emplace_back(n);
  for (auto& d : data)
    for (auto& b : d) b = next();
  for (std::size_t count = 0; count <= data.size(); count += (count < 10 ? 1 : 7)) {
    std::vector<std::span<const std::uint8_t>> inputs;
    for (std::size_t i = 0; i < count; ++i) inputs.emplace_back(data[i]);
    std::vector<std::uint64_t> out(count, 0);
    regf::marvin32_many(inputs, regf::kLogEntryMarvinSeed, out);
    for (std::size_t i = 0; i < count; ++i) {
      INFO("count " << count << ", input " << i << " of " << data[i].size() << " bytes");
      CHECK(out[i] == regf::marvin32(data[i], regf::kLogEntryMarvinSeed));
    }
  }
  // A log's shape: one long entry among short ones, longest first and last, and the order reversed
  // (a lane whose input ends takes the next one, also one shorter than a dword).
  for (const bool reversed : {false, true}) {
    std::vector<std::span<const std::uint8_t>> inputs;
    for (std::size_t i : {47u, 0u, 45u, 2u, 44u, 46u, 3u, 41u, 43u, 1u, 42u, 5u, 40u})
      inputs.emplace_back(data[i]);
    if (reversed) std::reverse(inputs.begin(), inputs.end());
    std::vector<std::uint64_t> out(inputs.size(), 0);
    regf::marvin32_many(inputs, regf::kLogEntryMarvinSeed, out);
    for (std::size_t i = 0; i < inputs.size(); ++i) {
      INFO("reversed " << reversed << ", input " << i << " of " << inputs[i].size() << " bytes");
      CHECK(out[i] == regf::marvin32(inputs[i], regf::kLogEntryMarvinSeed));
    }
  }
}
