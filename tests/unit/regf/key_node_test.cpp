#include <catch2/catch.hpp>

#include "regf/key_node.hpp"
#include "regf/reader.hpp"
#include "support/cell_image.hpp"

using namespace hivelint;
using Catch::Matchers::Contains;
using Catch::Matchers::Equals;

TEST_CASE("nk fields are read from their spec offsets", "[unit][regf]") {
  auto rec = test::nk("Services", regf::CellOffset{0x20}, regf::kKeyCompName | regf::kKeyNoDelete);
  test::with_subkeys(rec, 3, regf::CellOffset{0x400});
  test::with_values(rec, 2, regf::CellOffset{0x500});
  rec.u64(regf::kNkLastWritten.offset, 0x01D0000000000001ull)
      .u32(regf::kNkKeySecurity.offset, 0x600);
  rec.u32(regf::kNkLargestSubkeyNameLength.offset, 24)
      .u32(regf::kNkLargestValueDataSize.offset, 4096);
  const auto k = regf::parse_key_node(util::ByteReader(rec.bytes, 0x1234, "key node (nk)"),
                                      regf::CellOffset{0x230});
  CHECK(k.name == u"Services");
  CHECK(k.name_compressed);
  CHECK(k.flags == (regf::kKeyCompName | regf::kKeyNoDelete));
  CHECK(k.parent.value == 0x20u);
  CHECK(k.subkey_count == 3u);
  CHECK(k.subkeys_list.value == 0x400u);
  CHECK(k.value_count == 2u);
  CHECK(k.values_list.value == 0x500u);
  CHECK(k.security.value == 0x600u);
  CHECK(k.class_name.is_none());
  CHECK(k.last_written == 0x01D0000000000001ull);
  CHECK(k.largest_subkey_name == 24u);
  CHECK(k.largest_value_data == 4096u);
  CHECK(k.offset.value == 0x230u);
}

TEST_CASE("nk names: Latin-1 when compressed, else UTF-16LE", "[unit][regf]") {
  auto latin1 = test::nk(
      "Stra\xDF"
      "e");  // Latin-1 ß
  CHECK(regf::parse_key_node(util::ByteReader(latin1.bytes, 0, "key node (nk)"), regf::kNoCell)
            .name == u"Stra\u00DFe");
  const auto wide = test::nk_utf16(u"\u03A9mega \U0001F600");
  const auto k =
      regf::parse_key_node(util::ByteReader(wide.bytes, 0, "key node (nk)"), regf::kNoCell);
  CHECK_FALSE(k.name_compressed);
  CHECK(k.name == u"\u03A9mega \U0001F600");
}

TEST_CASE("a truncated nk name is refused with the field, its offset and what is left",
          "[unit][regf]") {
  auto rec = test::nk("Services");
  rec.u16(regf::kNkKeyNameLength.offset, 412);
  REQUIRE_THROWS_WITH(
      regf::parse_key_node(util::ByteReader(rec.bytes, 0x21f48, "key node (nk)"), regf::kNoCell),
      Equals("key node (nk) at 0x00021f48: key name needs 412 bytes at +0x4c, only 8 left"));
}

TEST_CASE("a truncated nk name inside a hive names the cell's file offset", "[unit][regf]") {
  test::CellImage image;
  const auto root =
      image.add(test::nk("ROOT", regf::kNoCell, regf::kKeyCompName | regf::kKeyHiveEntry));
  const auto sub = image.add(test::nk("Sub", root));
  const auto list = image.add(test::offsets_list("li", {sub}));
  image.set_root(root);
  auto bytes = image.bytes();
  test::poke_u32(bytes, test::CellImage::data_at(root) + regf::kNkNumberOfSubkeys.offset, 1);
  test::poke_u32(bytes, test::CellImage::data_at(root) + regf::kNkSubkeysList.offset, list.value);
  test::poke_u16(bytes, test::CellImage::data_at(sub) + regf::kNkKeyNameLength.offset, 96);
  const regf::Reader r(bytes);
  REQUIRE_THROWS_WITH(r.open(u"Sub"),
                      Equals("key node (nk) at " + util::hex_offset(test::CellImage::data_at(sub)) +
                             ": key name needs 96 bytes at +0x4c, only 8 left"));
}

TEST_CASE("an nk with a wrong signature, a short fixed part or counts past the caps is refused",
          "[unit][regf]") {
  auto rec = test::nk("A");
  rec.ascii(0, "vk");
  REQUIRE_THROWS_WITH(
      regf::parse_key_node(util::ByteReader(rec.bytes, 0, "key node (nk)"), regf::kNoCell),
      Contains("signature is \"vk\", expected \"nk\""));
  const std::vector<std::uint8_t> short_cell{'n', 'k', 0x20, 0};
  REQUIRE_THROWS_WITH(
      regf::parse_key_node(util::ByteReader(short_cell, 0, "key node (nk)"), regf::kNoCell),
      Contains("needs 8 bytes at +0x4, only 0 left"));
  auto many = test::nk("A");
  many.u32(regf::kNkNumberOfSubkeys.offset, 0x7FFFFFFF);
  REQUIRE_THROWS_WITH(
      regf::parse_key_node(util::ByteReader(many.bytes, 0, "key node (nk)"), regf::kNoCell),
      Contains("number of subkeys is 2147483647, more than the cap"));
}
