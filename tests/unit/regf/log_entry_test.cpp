#include <catch2/catch.hpp>

#include "regf/format.hpp"
#include "regf/log_entry.hpp"
#include "support/log_builder.hpp"
#include "util/bytes.hpp"

using namespace hivelint;
using Catch::Matchers::Contains;
using test::EntrySpec;

TEST_CASE("log entries: malformed headers are refused with the entry's offset", "[unit][regf]") {
  auto e =
      test::log_entry(EntrySpec{9, 4096, {test::Page{0, std::vector<std::uint8_t>(4096, 1)}}, 0});
  std::vector<std::uint8_t> log(512 + e.size(), 0);
  std::copy(e.begin(), e.end(), log.begin() + 512);
  CHECK(regf::parse_log_entry(log, 512, 9).pages.size() == 1);
  auto with = [&](const regf::Field& f, std::uint32_t v) {
    auto copy = log;
    util::ByteWriter(copy).put_u32(512 + f.offset, v);
    return copy;
  };
  REQUIRE_THROWS_WITH(regf::parse_log_entry(with(regf::kLeSize, 700), 512, 9),
                      Contains("not a positive multiple of 512"));
  REQUIRE_THROWS_WITH(regf::parse_log_entry(with(regf::kLeSize, 0x7FFFFE00), 512, 9),
                      Contains("truncated log"));
  REQUIRE_THROWS_WITH(regf::parse_log_entry(with(regf::kLeHiveBinsDataSize, 100), 512, 9),
                      Contains("hive bins data size is 100"));
  REQUIRE_THROWS_WITH(regf::parse_log_entry(with(regf::kLeDirtyPagesCount, 0), 512, 9),
                      Contains("dirty pages count is 0"));
  REQUIRE_THROWS_WITH(regf::parse_log_entry(with(regf::kLeDirtyPagesCount, 0xFFFFFFFF), 512, 9),
                      Contains("do not fit"));
  REQUIRE_THROWS_WITH(regf::parse_log_entry(log, 512, 8),
                      Contains("sequence number is 9, expected 8"));
  REQUIRE_THROWS_WITH(regf::parse_log_entry(log, 512 + 4096 + 512 + 512, 9), Contains("at 0x"));
  // A page reference past the entry's hive bins data size (hashes recomputed so only that check
  // fails).
  auto far = test::log_entry(
      EntrySpec{9, 4096, {test::Page{4096, std::vector<std::uint8_t>(4096, 1)}}, 0});
  REQUIRE_THROWS_WITH(regf::parse_log_entry(far, 0, 9),
                      Contains("ends past the entry's hive bins data size"));
}

TEST_CASE("log entries: hash-1 computed ahead follows the chain and is used for its exact bytes",
          "[unit][regf]") {
  std::vector<std::uint8_t> log(512, 0);
  std::vector<std::size_t> at;
  for (std::uint32_t seq = 5; seq < 8; ++seq) {
    const auto e = test::log_entry(
        EntrySpec{seq,
                  4096,
                  {test::Page{0, std::vector<std::uint8_t>(4096, static_cast<std::uint8_t>(seq))}},
                  0});
    at.push_back(log.size());
    log.insert(log.end(), e.begin(), e.end());
  }
  constexpr std::size_t kAny = 1u << 30;
  const auto all = regf::prehash_log_entries(log, 512, 5, 16, kAny);
  REQUIRE(all.size() == 3);
  for (std::size_t i = 0; i < all.size(); ++i) {
    CHECK(all[i].data == log.data() + at[i] + regf::kLeHeaderSize);
    CHECK(all[i].hash == util::le_u64(log, at[i] + regf::kLeHash1.offset));
    CHECK(regf::parse_log_entry(log, at[i], 5 + static_cast<std::uint32_t>(i), &all[i]).sequence ==
          5 + i);
  }
  CHECK(regf::prehash_log_entries(log, 512, 5, 2, kAny).size() == 2);
  CHECK(regf::prehash_log_entries(log, 512, 5, 16, 1).size() == 1);  // the byte cap, one at least
  CHECK(regf::prehash_log_entries(log, at[1], 6, 16, kAny).size() == 2);
  CHECK(regf::prehash_log_entries(log, at[2] + 512, 7, 16, kAny).empty());  // no entry there
  // The chain ends at an entry whose header fails a check parse_log_entry makes before hash-1:
  // a size that breaks it, a sequence that does not follow, a damaged header (hash-2).
  CHECK(regf::prehash_log_entries(log, 512, 4, 16, kAny).empty());
  auto broken = log;
  util::ByteWriter(broken).put_u32(at[1] + regf::kLeSize.offset, 700);
  CHECK(regf::prehash_log_entries(broken, 512, 5, 16, kAny).size() == 1);
  broken = log;
  broken[at[2] + regf::kLeFlags.offset] ^= 1;
  CHECK(regf::prehash_log_entries(broken, 512, 5, 16, kAny).size() == 2);
  broken = log;
  util::ByteWriter(broken).put_u32(at[1] + regf::kLeDirtyPagesCount.offset, 0);
  CHECK(regf::prehash_log_entries(broken, 512, 5, 16, kAny).size() == 1);

  // A hash is taken only for exactly the bytes it covers: with the wrong value it makes the entry
  // fail as a wrong stored hash-1 would; for other bytes it is not used.
  regf::KnownHash wrong = all[0];
  wrong.hash ^= 1;
  REQUIRE_THROWS_WITH(regf::parse_log_entry(log, at[0], 5, &wrong), Contains("hash-1"));
  wrong.size -= 4;
  CHECK(regf::parse_log_entry(log, at[0], 5, &wrong).sequence == 5u);
  CHECK(regf::parse_log_entry(log, at[0], 5, &all[1]).sequence == 5u);
}
