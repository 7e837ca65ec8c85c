#include <catch2/catch.hpp>

#include <limits>

#include "util/bytes.hpp"

using namespace hivelint;
using Catch::Matchers::Contains;
using Catch::Matchers::Equals;

namespace {
constexpr util::Field kF16{2, 2, "flags"};
constexpr util::Field kF32{4, 4, "number of subkeys"};
constexpr util::Field kF64{8, 8, "last written timestamp"};
const std::vector<std::uint8_t> kBytes{'n', 'k', 0x34, 0x12, 0x78, 0x56, 0x34, 0x12,
                                       1,   2,   3,    4,    5,    6,    7,    0x88};
}  // namespace

TEST_CASE("ByteReader reads little-endian fields", "[unit][util]") {
  const util::ByteReader r(kBytes, 0x1020, "key node (nk)");
  CHECK(r.u16(kF16) == 0x1234);
  CHECK(r.u32(kF32) == 0x12345678u);
  CHECK(r.u64(kF64) == 0x8807060504030201ull);
  CHECK(r.i32(util::Field{12, 4, "x"}) == static_cast<std::int32_t>(0x88070605u));
  CHECK(r.u8(util::Field{0, 1, "x"}) == 'n');
  CHECK(r.u32_at(4, "element") == 0x12345678u);
  CHECK(r.size() == kBytes.size());
  CHECK(r.file_offset() == 0x1020);
}

TEST_CASE("ByteReader failures name structure, file offset, field and what was left",
          "[unit][util]") {
  const util::ByteReader r(kBytes, 0x21f48, "key node (nk)");
  REQUIRE_THROWS_AS(r.u32(util::Field{14, 4, "key name length"}), FormatError);
  REQUIRE_THROWS_WITH(
      r.u32(util::Field{14, 4, "key name length"}),
      Equals("key node (nk) at 0x00021f48: key name length needs 4 bytes at +0xe, only 2 left"));
  REQUIRE_THROWS_WITH(
      r.take(100, 1, "key name"),
      Equals("key node (nk) at 0x00021f48: key name needs 1 bytes at +0x64, only 0 left"));
  // offset + length would overflow size_t: still a clean FormatError.
  REQUIRE_THROWS_WITH(r.take(4, std::numeric_limits<std::size_t>::max(), "key name"),
                      Contains("only 12 left"));
  REQUIRE_THROWS_AS(r.take(std::numeric_limits<std::size_t>::max(), 2, "key name"), FormatError);
  CHECK(r.take(16, 0, "nothing").empty());  // a zero-length read at the very end is fine
}

TEST_CASE("ByteReader signatures and sub-readers", "[unit][util]") {
  const util::ByteReader r(kBytes, 0x2000, "key node (nk)");
  CHECK(r.has_signature("nk"));
  CHECK_FALSE(r.has_signature("vk"));
  CHECK_NOTHROW(r.require_signature("nk"));
  REQUIRE_THROWS_WITH(r.require_signature("vk"),
                      Equals("key node (nk) at 0x00002000: signature is \"nk\", expected \"vk\""));
  const std::vector<std::uint8_t> odd{0x01, 0xff};
  REQUIRE_THROWS_WITH(util::ByteReader(odd, 0, "cell").require_signature("nk"),
                      Contains("signature is \"\\x01\\xff\""));
  const util::ByteReader sub = r.sub(8, 4, "name");
  CHECK(sub.file_offset() == 0x2008);
  CHECK(sub.size() == 4);
  REQUIRE_THROWS_WITH(r.sub(8, 9, "name"), Contains("name needs 9 bytes at +0x8, only 8 left"));
  CHECK_THAT(r.describe("flags are odd"), Equals("key node (nk) at 0x00002000: flags are odd"));
}

TEST_CASE("hex renderings", "[unit][util]") {
  CHECK(util::hex_offset(0x1f48) == "0x00001f48");
  CHECK(util::hex_offset(0x123456789ull) == "0x123456789");
  CHECK(util::hex_short(0x4c) == "0x4c");
  CHECK(util::hex_short(0) == "0x0");
}

TEST_CASE("ByteWriter writes little-endian and refuses writes past the end", "[unit][util]") {
  std::vector<std::uint8_t> out;
  util::ByteWriter w(out);
  CHECK(w.grow(8) == 0);
  w.put_u32(0, 0x12345678u);
  w.put_u16(4, 0xABCD);
  w.put_u8(6, 0xEF);
  CHECK(out == std::vector<std::uint8_t>{0x78, 0x56, 0x34, 0x12, 0xCD, 0xAB, 0xEF, 0});
  CHECK_THROWS_AS(w.put_u32(6, 1), Error);
  CHECK_THROWS_AS(w.put_u64(std::numeric_limits<std::size_t>::max() - 2, 1), Error);
  CHECK(util::le_u32(out) == 0x12345678u);
  CHECK_THROWS_AS(util::le_u64(out, 4), FormatError);
}

TEST_CASE("A FormatError carries structure, offset, field, expected and actual as fields",
          "[unit][util]") {
  const util::ByteReader r(kBytes, 0x21f48, "key node (nk)");
  try {
    (void)r.u32(util::Field{14, 4, "key name length"});
    FAIL("no error");
  } catch (const FormatError& e) {
    REQUIRE(e.location());
    CHECK(e.location()->structure == "key node (nk)");
    CHECK(e.location()->file_offset == 0x21f48);
    CHECK(e.location()->field == "key name length");
    CHECK(e.location()->expected == "4 bytes");
    CHECK(e.location()->actual == "2 bytes");
    CHECK(e.detail() == "key name length needs 4 bytes at +0xe, only 2 left");
    CHECK(e.names_location());
  }
  const util::ByteReader vk(kBytes, 0x400, "key value (vk)");
  try {
    vk.require_signature("vk");
    FAIL("no error");
  } catch (const FormatError& e) {
    REQUIRE(e.location());
    CHECK(e.location()->field == "signature");
    CHECK(e.location()->expected == "\"vk\"");
    CHECK(e.location()->actual == "\"nk\"");
    CHECK(std::string(e.what()) ==
          "key value (vk) at 0x00000400: signature is \"nk\", expected \"vk\"");
  }
  // About a whole file: no location, and the message is the detail.
  const FormatError whole("not a hive: 12 bytes");
  CHECK_FALSE(whole.location());
  CHECK_FALSE(whole.names_location());
  CHECK(whole.detail() == "not a hive: 12 bytes");
}
