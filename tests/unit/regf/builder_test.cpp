#include <catch2/catch.hpp>

#include "hive/libregf_reader.hpp"
#include "hive/tree_walk.hpp"
#include "regf/builder.hpp"
#include "regf/checksum.hpp"
#include "regf/reader.hpp"
#include "regf/subkey_list.hpp"
#include "util/bytes.hpp"
#include "util/upcase.hpp"

using namespace hivelint;
using Catch::Matchers::Contains;

namespace {

std::vector<std::uint8_t> block_with_xor(std::uint32_t wanted) {
  // dwords 0..125 hold arbitrary data; dword 126 makes the XOR of all 127 equal `wanted`.
  std::vector<std::uint8_t> b(512, 0);
  std::uint32_t x = 0;
  for (std::size_t i = 0; i < 126; ++i) {
    const std::uint32_t v = static_cast<std::uint32_t>(0x9E3779B9u * (i + 1));
    util::ByteWriter(b).put_u32(4 * i, v);
    x ^= v;
  }
  util::ByteWriter(b).put_u32(4 * 126, x ^ wanted);
  return b;
}

regf::BuildOptions options(std::uint32_t minor = 5) {
  regf::BuildOptions o;
  o.timestamp = 127305216000000000ull;
  o.minor_version = minor;
  return o;
}

regf::TreeKey tree_with(std::vector<regf::TreeKey> subkeys,
                        std::vector<regf::TreeValue> values = {}) {
  regf::TreeKey root;
  root.name = u"ROOT";
  root.subkeys = std::move(subkeys);
  root.values = std::move(values);
  return root;
}

regf::TreeKey key(std::u16string name) {
  regf::TreeKey k;
  k.name = std::move(name);
  return k;
}

}  // namespace

TEST_CASE("base-block checksum: XOR of 127 dwords, 0 stored as 1 and 0xFFFFFFFF as 0xFFFFFFFE",
          "[unit][regf]") {
  CHECK(regf::base_block_checksum(block_with_xor(0)) == 1u);
  CHECK(regf::base_block_checksum(block_with_xor(0xFFFFFFFFu)) == 0xFFFFFFFEu);
  CHECK(regf::base_block_checksum(block_with_xor(0x12345678u)) == 0x12345678u);
  CHECK(regf::base_block_checksum(block_with_xor(1)) == 1u);
  CHECK_THROWS_AS(regf::base_block_checksum(std::vector<std::uint8_t>(100, 0)), FormatError);
}

TEST_CASE("lh hash is over the uppercased UTF-16 name, non-ASCII included", "[unit][regf]") {
  CHECK(regf::lh_hash(u"Services") ==
        578484016u);  // computed by hand: h = 37 h + unit over "SERVICES"
  CHECK(regf::lh_hash(u"services") == regf::lh_hash(u"SERVICES"));
  CHECK(regf::lh_hash(u"Büro") == 3647391u);      // over "BÜRO": ü (U+00FC) folds to Ü (U+00DC)
  CHECK(regf::lh_hash(u"Ωmega") == 1760086291u);  // Ω (U+03A9) stays, the rest folds
  CHECK(regf::lh_hash(u"ωMEGA") == regf::lh_hash(u"Ωmega"));
  CHECK(regf::lh_hash(u"") == 0u);
}

TEST_CASE("the builder writes a consistent base block and hive bins", "[unit][regf]") {
  const auto built = regf::build_hive(tree_with({key(u"A")}), options());
  const auto& b = built.bytes;
  const util::ByteReader r(b, 0, "base block");
  CHECK(r.has_signature("regf"));
  CHECK(r.u32(regf::kBbPrimarySequence) == r.u32(regf::kBbSecondarySequence));
  CHECK(r.u32(regf::kBbMinorVersion) == 5u);
  CHECK(r.u32(regf::kBbHiveBinsDataSize) == b.size() - 4096);
  CHECK(r.u32(regf::kBbChecksum) == regf::base_block_checksum(b));
  CHECK(r.u64(regf::kBbLastWritten) == 127305216000000000ull);
  CHECK(b.size() % 4096 == 0);
  std::vector<regf::Diagnostic> diags;
  const regf::Reader reader(b);
  CHECK(reader.diagnostics().empty());
  for (const auto& bin : reader.cells().bins()) CHECK(bin.size % 4096 == 0);
  CHECK(built.keys == 2);
}

TEST_CASE("subkeys are stored in Windows' order with lh hashes", "[unit][regf]") {
  // Upcased unit order: "A"(41) < "b"->"B"(42) < "Z"(5A) < "_"(5F) < "Ä"(C4) < "Ω"(3A9)
  const auto built = regf::build_hive(
      tree_with({key(u"_"), key(u"Ω"), key(u"Z"), key(u"ä"), key(u"b"), key(u"A")}), options());
  const regf::Reader reader(built.bytes);
  std::vector<std::u16string> names;
  for (const auto& k : reader.subkeys(reader.root())) names.push_back(k.name);
  CHECK(names == std::vector<std::u16string>{u"A", u"b", u"Z", u"_", u"ä", u"Ω"});
  const auto list = reader.cells().get(reader.root().subkeys_list, "list");
  CHECK(list.has_signature("lh"));
  for (std::size_t i = 0; i < names.size(); ++i)
    CHECK(list.u32_at(4 + 8 * i + 4, "hash") == regf::lh_hash(names[i]));
}

TEST_CASE("resident, ordinary and big data values read back exactly", "[unit][regf]") {
  std::vector<std::uint8_t> big(40000);
  for (std::size_t i = 0; i < big.size(); ++i) big[i] = static_cast<std::uint8_t>(i * 7);
  const auto tree = tree_with({}, {{u"", 3, {}},
                                   {u"one", 3, {9}},
                                   {u"four", 4, {1, 2, 3, 4}},
                                   {u"five", 3, {1, 2, 3, 4, 5}},
                                   {u"big", 3, big},
                                   {u"edge", 3, std::vector<std::uint8_t>(16344, 0xAB)},
                                   {u"edge+1", 3, std::vector<std::uint8_t>(16345, 0xCD)}});
  const auto built = regf::build_hive(tree, options());
  const regf::Reader reader(built.bytes);
  const auto values = reader.values(reader.root());
  REQUIRE(values.size() == 7);
  CHECK(values[1].key.resident);
  CHECK(values[2].key.resident);
  CHECK_FALSE(values[3].key.resident);
  CHECK(values[4].big_data);
  CHECK_FALSE(values[5].big_data);
  CHECK(values[6].big_data);
  const auto db = reader.cells().get(regf::CellOffset{values[4].key.data_offset_field}, "db");
  CHECK(db.has_signature("db"));
  CHECK(db.u16(regf::kDbNumberOfSegments) == 3);
  CHECK(hive::diff_trees(tree, reader.read_tree()).empty());
  // libregf 20201007 returns wrong bytes for 1-3 byte resident data (see src/hive/regf_reader.hpp):
  // that one value is its only difference; our reader above matched everything.
  const auto libregf = hive::LibregfReader::open_memory(built.bytes, "built");
  CHECK(hive::diff_trees(tree, libregf->read_tree()) ==
        std::vector<std::string>{"\\one: data differs (1 bytes, expected 1)"});
}

TEST_CASE("more subkeys than one leaf holds get an index root", "[unit][regf]") {
  std::vector<regf::TreeKey> many;
  for (int i = 0; i < 1200; ++i)
    many.push_back(key(u"Key" + std::u16string(1, static_cast<char16_t>(u'A' + i % 26)) +
                       std::u16string(1, static_cast<char16_t>(u'0' + i / 26 % 10)) +
                       std::u16string(1, static_cast<char16_t>(u'a' + i / 260))));
  const auto tree = tree_with(std::move(many));
  const auto built = regf::build_hive(tree, options());
  const regf::Reader reader(built.bytes);
  CHECK(reader.cells().get(reader.root().subkeys_list, "list").has_signature("ri"));
  const auto subkeys = reader.subkeys(reader.root());
  REQUIRE(subkeys.size() == 1200);
  for (std::size_t i = 1; i < subkeys.size(); ++i)
    CHECK(util::compare_names(subkeys[i - 1].name, subkeys[i].name) < 0);
  CHECK(hive::diff_trees(tree, hive::LibregfReader::open_memory(built.bytes, "b")->read_tree())
            .empty());
}

TEST_CASE("the builder is deterministic and uses lf lists before regf 1.5", "[unit][regf]") {
  const auto tree = tree_with({key(u"Select"), key(u"ControlSet001")}, {{u"v", 1, {'x', 0, 0, 0}}});
  CHECK(regf::build_hive(tree, options()).bytes == regf::build_hive(tree, options()).bytes);
  const auto v4 = regf::build_hive(tree, options(4));
  const regf::Reader reader(v4.bytes);
  CHECK(reader.cells().get(reader.root().subkeys_list, "list").has_signature("lf"));
  CHECK(reader.subkeys(reader.root()).size() == 2);
}

TEST_CASE("the builder refuses trees the format cannot hold", "[unit][regf]") {
  CHECK_THROWS_WITH(regf::build_hive(tree_with({key(u"Dup"), key(u"DUP")}), options()),
                    Contains("two subkeys named"));
  CHECK_THROWS_WITH(regf::build_hive(tree_with({}, {{u"v", 1, {}}, {u"V", 4, {}}}), options()),
                    Contains("two values named"));
  CHECK_THROWS_WITH(
      regf::build_hive(tree_with({}, {{u"big", 3, std::vector<std::uint8_t>(20000)}}), options(3)),
      Contains("needs big-data cells, which regf 1.3 does not have"));
  CHECK_THROWS_WITH(
      regf::build_hive(tree_with({}, {{u"big", 3, std::vector<std::uint8_t>(20000)}}), options(4)),
      Contains("which regf 1.4 has but libregf cannot read"));
  CHECK_THROWS_AS(regf::build_hive(tree_with({}), options(7)), UsageError);
}

TEST_CASE("names with units 0x80-0x9F are stored as UTF-16 so libregf reads them back unchanged",
          "[unit][regf]") {
  // Fuzz regression (tests/fuzz/regressions/builder_roundtrip/c1-control-in-key-name.reg): libregf
  // decodes compressed names as Windows-1252, so a compressed U+0090 came back as something else.
  const std::u16string c1 = u"Se\u0090t\u00fc";  // a C1 control and a Latin-1 letter
  const auto tree = tree_with({key(c1), key(u"Gr\u00fc\u00dfe")}, {{u"v\u0080", 4, {1, 0, 0, 0}}});
  const auto built = regf::build_hive(tree, options());
  const regf::Reader ours(built.bytes);
  const auto c1_key = ours.open(c1);
  REQUIRE(c1_key.has_value());
  CHECK_FALSE(c1_key->name_compressed);
  CHECK(ours.open(u"Gr\u00fc\u00dfe")
            ->name_compressed);  // Latin-1 letters still compress, as Windows does
  CHECK_FALSE(ours.values(ours.root()).at(0).key.name_compressed);
  const auto lib = hive::LibregfReader::open_memory(built.bytes, "built");
  hive::DiffOptions quirks;
  quirks.libregf_quirks = true;
  CHECK(hive::diff_trees(tree, hive::read_whole_tree(*lib), quirks).empty());
}

TEST_CASE("first_invalid_utf16_name finds a key or value named with an unpaired surrogate",
          "[unit][regf]") {
  regf::TreeKey root;
  root.ensure_subkey(u"Select").set_value(regf::TreeValue{u"Current", 4, {1, 0, 0, 0}});
  root.ensure_subkey(u"Pair\xD83D\xDE00");  // a surrogate pair is valid
  CHECK_FALSE(regf::first_invalid_utf16_name(root));
  root.ensure_subkey(u"Select").set_value(regf::TreeValue{u"Odd\xDC22", 4, {1, 0, 0, 0}});
  CHECK(regf::first_invalid_utf16_name(root) == std::string("Select\\Odd\xEF\xBF\xBD"));
  regf::TreeKey keyed;
  keyed.ensure_subkey(u"A").ensure_subkey(u"b\xD800");
  CHECK(regf::first_invalid_utf16_name(keyed) == std::string("A\\b\xEF\xBF\xBD"));
}
