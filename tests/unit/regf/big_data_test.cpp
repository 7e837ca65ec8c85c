#include <catch2/catch.hpp>

#include "regf/big_data.hpp"
#include "regf/reader.hpp"
#include "support/cell_image.hpp"

using namespace hivelint;
using Catch::Matchers::Contains;

namespace {

// A value of `size` bytes (byte i = i mod 251) in a db record with 16344-byte segments; returns the
// file.
struct BigValue {
  test::CellImage image;
  regf::CellOffset root, db, list, vk;
  std::vector<std::uint8_t> data;
  explicit BigValue(std::uint32_t size, std::uint32_t minor = 5) {
    image.set_minor_version(minor);
    root = image.add(test::nk("ROOT", regf::kNoCell, regf::kKeyCompName | regf::kKeyHiveEntry));
    for (std::uint32_t i = 0; i < size; ++i) data.push_back(static_cast<std::uint8_t>(i % 251));
    std::vector<regf::CellOffset> segments;
    for (std::size_t at = 0; at < data.size(); at += regf::kDbSegmentSize) {
      const std::size_t n = std::min<std::size_t>(regf::kDbSegmentSize, data.size() - at);
      segments.push_back(
          image.add(std::vector<std::uint8_t>(data.begin() + static_cast<std::ptrdiff_t>(at),
                                              data.begin() + static_cast<std::ptrdiff_t>(at + n))));
    }
    test::Record l;
    for (std::size_t i = 0; i < segments.size(); ++i) l.u32(4 * i, segments[i].value);
    list = image.add(l);
    db = image.add(test::Record(8)
                       .ascii(0, "db")
                       .u16(2, static_cast<std::uint16_t>(segments.size()))
                       .u32(4, list.value));
    vk = image.add(test::vk("Blob", regf::kRegBinary, size, db.value));
    values_list = image.add(test::offsets({vk}));
  }
  regf::CellOffset values_list;
  std::vector<std::uint8_t> bytes() const {
    auto out = image.bytes();
    test::poke_u32(out, test::CellImage::data_at(root) + regf::kNkNumberOfValues.offset, 1);
    test::poke_u32(out, test::CellImage::data_at(root) + regf::kNkValuesList.offset,
                   values_list.value);
    return out;
  }
};

}  // namespace

TEST_CASE("big data: segments of 16344 bytes are concatenated", "[unit][regf]") {
  const BigValue v(40000);  // 16344 + 16344 + 7312
  const auto bytes = v.bytes();
  const regf::Reader r(bytes);
  const auto db = regf::parse_big_data(r.cells().get(v.db, "big data (db)"), v.db);
  CHECK(db.segment_count == 3);
  CHECK(db.segments_list == v.list);
  const auto value = r.value(r.root(), u"blob");
  REQUIRE(value.has_value());
  CHECK(value->big_data);
  CHECK(value->data == v.data);
  CHECK(regf::read_big_data(r.cells(), v.db, 40000) == v.data);
}

TEST_CASE("big data with too few segments or a short segment is refused", "[unit][regf]") {
  const BigValue v(40000);
  auto bytes = v.bytes();
  SECTION("segment count") {
    test::poke_u16(bytes, test::CellImage::data_at(v.db) + regf::kDbNumberOfSegments.offset, 2);
    const regf::Reader r(bytes);
    REQUIRE_THROWS_WITH(
        r.value(r.root(), u"Blob"),
        Contains("big data (db) at " + util::hex_offset(test::CellImage::data_at(v.db)) +
                 ": number of segments is 2, but 40000 bytes need 3"));
  }
  SECTION("value size beyond the segments") {
    const regf::Reader r(bytes);
    REQUIRE_THROWS_WITH(regf::read_big_data(r.cells(), v.db, 16344 * 3 + 1), Contains("need 4"));
    REQUIRE_THROWS_WITH(regf::read_big_data(r.cells(), v.db, 16344 * 2 + 7320),
                        Contains("segment data needs 7320 bytes"));
  }
}

TEST_CASE(
    "before regf 1.4 there is no big data: the db cell is read as plain data, and is too short",
    "[unit][regf]") {
  const BigValue v(20000, 3);
  const auto bytes = v.bytes();
  const regf::Reader r(bytes);
  REQUIRE_THROWS_WITH(r.value(r.root(), u"Blob"), Contains("value data needs 20000 bytes"));
}
