#include <catch2/catch.hpp>

#include "regf/reader.hpp"
#include "regf/value_key.hpp"
#include "regf/value_list.hpp"
#include "support/cell_image.hpp"

using namespace hivelint;
using Catch::Matchers::Contains;

namespace {

// A root key with the given values; returns the hive and the root's offset.
struct ValueHive {
  test::CellImage image;
  regf::CellOffset root;
  std::vector<regf::CellOffset> values;
  ValueHive() {
    root = image.add(test::nk("ROOT", regf::kNoCell, regf::kKeyCompName | regf::kKeyHiveEntry));
  }
  std::vector<std::uint8_t> bytes() {
    test::Record list;
    for (std::size_t i = 0; i < values.size(); ++i) list.u32(4 * i, values[i].value);
    const auto list_cell = image.add(list);
    auto out = image.bytes();
    test::poke_u32(out, test::CellImage::data_at(root) + regf::kNkNumberOfValues.offset,
                   static_cast<std::uint32_t>(values.size()));
    test::poke_u32(out, test::CellImage::data_at(root) + regf::kNkValuesList.offset,
                   list_cell.value);
    return out;
  }
};

}  // namespace

TEST_CASE("vk fields and resident data", "[unit][regf]") {
  const auto rec = test::vk("ListenBackLog", regf::kRegDword, 0x80000004u, 15);
  const auto v = regf::parse_value_key(util::ByteReader(rec.bytes, 0x2000, "key value (vk)"),
                                       regf::CellOffset{0x100});
  CHECK(v.name == u"ListenBackLog");
  CHECK(v.name_compressed);
  CHECK(v.type == regf::kRegDword);
  CHECK(v.resident);
  CHECK(v.data_size == 4u);
  CHECK(v.stored_size == 0x80000004u);
  ValueHive h;
  const auto bytes = h.bytes();
  const regf::Reader r(bytes);
  CHECK(regf::read_value_data(v, r.cells(), 5).bytes == std::vector<std::uint8_t>{15, 0, 0, 0});
  const auto two = test::vk("W", regf::kRegBinary, 0x80000002u, 0x0000BBAAu);
  CHECK(regf::read_value_data(
            regf::parse_value_key(util::ByteReader(two.bytes, 0, "key value (vk)"), regf::kNoCell),
            r.cells(), 5)
            .bytes == std::vector<std::uint8_t>{0xAA, 0xBB});
}

TEST_CASE("resident data longer than 4 bytes is refused", "[unit][regf]") {
  const auto rec = test::vk("X", regf::kRegBinary, 0x80000005u, 0);
  REQUIRE_THROWS_WITH(
      regf::parse_value_key(util::ByteReader(rec.bytes, 0x2000, "key value (vk)"), regf::kNoCell),
      Contains("key value (vk) at 0x00002000: data size is 0x80000005: resident data (top bit set) "
               "holds at most 4 bytes"));
}

TEST_CASE("values with data cells, default names and data overrunning their cell", "[unit][regf]") {
  ValueHive h;
  const auto data = h.image.add(std::vector<std::uint8_t>{'a', 0, 'b', 0, 0, 0});
  h.values.push_back(h.image.add(test::vk("", regf::kRegSz, 6, data.value)));
  h.values.push_back(
      h.image.add(test::vk("Big", regf::kRegBinary, 200, data.value)));  // cell holds 12 bytes
  const auto bytes = h.bytes();
  const regf::Reader r(bytes);
  const auto root = r.root();
  const auto def = r.value(root, u"");
  REQUIRE(def.has_value());
  CHECK(def->data == std::vector<std::uint8_t>{'a', 0, 'b', 0, 0, 0});
  CHECK_FALSE(def->big_data);
  REQUIRE_THROWS_WITH(r.value(root, u"big"),
                      Contains("value data at " + util::hex_offset(test::CellImage::data_at(data)) +
                               ": value data needs 200 bytes at +0x0, only 12 left"));
  CHECK_FALSE(r.value(root, u"absent").has_value());
  std::vector<regf::Diagnostic> damage;
  const auto tree = r.salvage_tree(damage);
  CHECK(tree.values.size() == 1);
  REQUIRE(damage.size() == 1);
  CHECK(damage[0].structure == "value data");
  CHECK(damage[0].file_offset == test::CellImage::data_at(data));
}

TEST_CASE("a values list shorter than the key's count is refused", "[unit][regf]") {
  test::CellImage image;
  const auto list =
      image.add(test::offsets({regf::CellOffset{0x20}}));  // cell data: 4 bytes (+ padding to 12)
  const auto bytes = image.bytes();
  const regf::Reader r(bytes);
  CHECK(regf::read_value_list(r.cells(), list, 1).size() == 1);
  CHECK(regf::read_value_list(r.cells(), regf::kNoCell, 0)
            .empty());  // no values: the list is not read
  REQUIRE_THROWS_WITH(regf::read_value_list(r.cells(), list, 5),
                      Contains("key values list at ") &&
                          Contains("key value offsets needs 20 bytes at +0x0, only 4 left"));
  REQUIRE_THROWS_WITH(regf::read_value_list(r.cells(), list, 0x7FFFFFFF),
                      Contains("more than the cap"));
}
