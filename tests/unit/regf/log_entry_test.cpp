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
