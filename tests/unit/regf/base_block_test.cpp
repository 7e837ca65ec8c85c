#include <catch2/catch.hpp>

#include "regf/base_block.hpp"
#include "regf/checksum.hpp"
#include "regf/reader.hpp"
#include "support/cell_image.hpp"

using namespace hivelint;
using Catch::Matchers::Contains;

namespace {

std::vector<std::uint8_t> hive() {
  test::CellImage image;
  image.set_root(image.add(test::nk("ROOT")));
  return image.bytes();
}

void rechecksum(std::vector<std::uint8_t>& b) {
  test::poke_u32(b, regf::kBbChecksum.offset, regf::base_block_checksum(b));
}

}  // namespace

TEST_CASE("base block fields, checksum and file name", "[unit][regf]") {
  auto b = hive();
  for (std::size_t i = 0; i < 5; ++i)
    test::poke_u16(b, regf::kBbFileName.offset + 2 * i, u"S\u00DCS\0x"[i]);
  rechecksum(b);
  std::vector<regf::Diagnostic> d;
  const auto bb = regf::parse_base_block(b, d);
  CHECK(d.empty());
  CHECK(bb.major_version == 1u);
  CHECK(bb.minor_version == 5u);
  CHECK(bb.root_cell.value == 32u);
  CHECK(bb.hive_bins_data_size == 4096u);
  CHECK(bb.file_name == u"S\u00DCS");  // up to the first NUL
  CHECK(bb.checksum_ok());
  CHECK_FALSE(bb.is_dirty());
}

TEST_CASE("base block: dirty and bad-checksum hives are read, with the oddity recorded",
          "[unit][regf]") {
  auto b = hive();
  test::poke_u32(b, regf::kBbPrimarySequence.offset, 7);
  std::vector<regf::Diagnostic> d;
  const auto bb = regf::parse_base_block(b, d);  // checksum now stale
  CHECK(bb.is_dirty());
  CHECK_FALSE(bb.checksum_ok());
  REQUIRE(d.size() == 1);
  CHECK(d[0].file_offset == regf::kBbChecksum.offset);
  CHECK_THAT(d[0].message, Contains("checksum is 0x"));
  CHECK(bb.computed_checksum == regf::base_block_checksum(b));
}

TEST_CASE("base block: fatal problems throw, the rest are diagnostics", "[unit][regf]") {
  auto b = hive();
  SECTION("signature") {
    b[0] = 'R';
    REQUIRE_THROWS_WITH(
        regf::Reader(b),
        Contains("base block at 0x00000000: signature is \"Regf\", expected \"regf\""));
  }
  SECTION("too short") {
    b.resize(1000);
    std::vector<regf::Diagnostic> d;
    REQUIRE_THROWS_WITH(regf::parse_base_block(b, d),
                        Contains("needs 4096 bytes, the file has only 1000"));
  }
  SECTION("major version") {
    test::poke_u32(b, regf::kBbMajorVersion.offset, 2);
    std::vector<regf::Diagnostic> d;
    REQUIRE_THROWS_WITH(regf::parse_base_block(b, d), Contains("major version is 2, expected 1"));
  }
  SECTION("a transaction log's file type, an odd minor version and a root outside the bins") {
    test::poke_u32(b, regf::kBbFileType.offset, 6);
    test::poke_u32(b, regf::kBbMinorVersion.offset, 9);
    test::poke_u32(b, regf::kBbRootCell.offset, 0x10000);
    rechecksum(b);
    std::vector<regf::Diagnostic> d;
    regf::parse_base_block(b, d);
    REQUIRE(d.size() == 3);
    CHECK_THAT(d[0].message, Contains("minor version is 9"));
    CHECK_THAT(d[1].message, Contains("file type is 6"));
    CHECK_THAT(d[2].message,
               Contains("root cell offset is 0x00010000, outside the hive bins data"));
  }
}
