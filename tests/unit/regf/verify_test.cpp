#include <algorithm>
#include <catch2/catch.hpp>
#include <string>

#include "regf/builder.hpp"
#include "regf/checksum.hpp"
#include "regf/reader.hpp"
#include "regf/verify.hpp"

using namespace hivelint;
using Catch::Matchers::Contains;

namespace {

regf::TreeKey small_tree() {
  regf::TreeKey root;
  root.name = u"ROOT";
  auto& params = root.ensure_subkey(u"ControlSet001")
                     .ensure_subkey(u"Services")
                     .ensure_subkey(u"InetInfo")
                     .ensure_subkey(u"Parameters");
  params.set_value({u"DispatchEntries", 7, {'L', 0, 0, 0, 0, 0}});
  params.set_value({u"ListenBackLog", 4, {15, 0, 0, 0}});
  root.ensure_subkey(u"Alpha");
  root.ensure_subkey(u"Beta");
  return root;
}

std::vector<std::uint8_t> build(const regf::TreeKey& t) {
  regf::BuildOptions o;
  o.timestamp = 127305216000000000ull;
  return regf::build_hive(t, o).bytes;
}

regf::KeyNode key(const std::vector<std::uint8_t>& bytes, std::u16string_view path) {
  return *regf::Reader(bytes).open(path);
}

// File offset of the data of the cell at `cell`.
std::size_t data_at(regf::CellOffset cell) {
  return regf::kBaseBlockSize + cell.value + regf::kCellHeaderSize;
}

void poke_u32(std::vector<std::uint8_t>& b, std::size_t at, std::uint32_t v) {
  for (int i = 0; i < 4; ++i)
    b[at + static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(v >> (8 * i));
}
void poke_u16(std::vector<std::uint8_t>& b, std::size_t at, std::uint16_t v) {
  b[at] = static_cast<std::uint8_t>(v);
  b[at + 1] = static_cast<std::uint8_t>(v >> 8);
}
void fix_checksum(std::vector<std::uint8_t>& b) {
  poke_u32(b, regf::kBbChecksum.offset,
           regf::base_block_checksum(std::span<const std::uint8_t>(b).first(512)));
}

// All error findings as "structure at 0x...: message" lines, for matching and for failure output.
std::string errors(const regf::VerifyResult& r) {
  std::string out;
  for (const auto& f : r.findings)
    if (f.severity == regf::Severity::kError)
      out += f.structure + " at " + util::hex_offset(f.file_offset) + ": " + f.message + "\n";
  return out;
}

}  // namespace

TEST_CASE("verify: a hive written by the builder is clean and counted", "[unit][regf][verify]") {
  const auto bytes = build(small_tree());
  const auto r = regf::verify_hive(bytes);
  INFO(errors(r));
  CHECK(r.clean());
  CHECK(r.error_count == 0);
  CHECK(r.info_count == 0);
  CHECK(r.stats.keys == 7);
  CHECK(r.stats.values == 2);
  CHECK(r.stats.security_cells == 1);
  CHECK(r.stats.unreferenced_cells == 0);
}

TEST_CASE("verify: a wrong nk parent names the key, expected and actual", "[unit][regf][verify]") {
  auto bytes = build(small_tree());
  const auto k = key(bytes, u"ControlSet001\\Services");
  poke_u32(bytes, data_at(k.offset) + regf::kNkParent.offset, 0x20);
  const auto r = regf::verify_hive(bytes);
  CHECK(r.error_count == 1);
  CHECK_THAT(errors(r),
             Contains("key node (nk) at " + util::hex_offset(regf::to_file_offset(k.offset).value) +
                      ": parent is 0x00000020, expected " + util::hex_offset(k.parent.value)));
}

TEST_CASE("verify: subkey count against the list, lh hash, order and duplicates",
          "[unit][regf][verify]") {
  auto bytes = build(small_tree());
  const auto root = key(bytes, u"");
  SECTION("count") {
    poke_u32(bytes, data_at(root.offset) + regf::kNkNumberOfSubkeys.offset, root.subkey_count + 1);
    CHECK_THAT(errors(regf::verify_hive(bytes)),
               Contains("number of subkeys is 4, but its subkeys list holds 3"));
  }
  SECTION("hash") {
    poke_u32(bytes, data_at(root.subkeys_list) + 4 + 4, 0x12345678);  // first element's hash
    CHECK_THAT(errors(regf::verify_hive(bytes)),
               Contains("name hash of \"Alpha\" is 0x12345678, expected"));
  }
  SECTION("order and duplicates") {
    // Rename "Beta" (second in the list) to "Alph"/"ALPHA": out of order, then a case-insensitive
    // duplicate.
    const auto beta = key(bytes, u"Beta");
    const std::size_t name = data_at(beta.offset) + regf::kNkKeyName.offset;
    bytes[name] = 'A';
    bytes[name + 1] = 'a';
    bytes[name + 2] = 'a';
    bytes[name + 3] = 'a';
    CHECK_THAT(errors(regf::verify_hive(bytes)),
               Contains("lists \"Aaaa\" after \"Alpha\", expected upcased-name order"));
    poke_u16(bytes, data_at(beta.offset) + regf::kNkKeyNameLength.offset, 5);
    bytes[name + 1] = 'L';
    bytes[name + 2] = 'P';
    bytes[name + 3] = 'H';
    bytes[name + 4] = 'A';
    CHECK_THAT(errors(regf::verify_hive(bytes)), Contains("lists a second subkey named \"ALPHA\""));
  }
}

TEST_CASE("verify: a subkey listed under its own descendant is a cycle, walked once",
          "[unit][regf][verify]") {
  auto bytes = build(small_tree());
  const auto inetinfo = key(bytes, u"ControlSet001\\Services\\InetInfo");
  const auto services = key(bytes, u"ControlSet001\\Services");
  poke_u32(bytes, data_at(inetinfo.subkeys_list) + 4, services.offset.value);
  const auto r = regf::verify_hive(bytes);
  CHECK_THAT(errors(r), Contains("key node (nk) at " +
                                 util::hex_offset(regf::to_file_offset(services.offset).value) +
                                 ": listed as a subkey again"));
}

TEST_CASE("verify: references must land on allocated cells of their own", "[unit][regf][verify]") {
  auto bytes = build(small_tree());
  const auto params = key(bytes, u"ControlSet001\\Services\\InetInfo\\Parameters");
  SECTION("value list shared with a key node") {
    poke_u32(bytes, data_at(params.offset) + regf::kNkValuesList.offset, params.offset.value);
    CHECK_THAT(errors(regf::verify_hive(bytes)),
               Contains("key values list offset is " + util::hex_offset(params.offset.value) +
                        ", a cell already used as a key node (nk)"));
  }
  SECTION("value data into the middle of a cell") {
    const auto vk_list = regf::Reader(bytes).cells().get(params.values_list, "list");
    const regf::CellOffset vk{vk_list.u32_at(0, "vk")};  // DispatchEntries: 6 bytes, in a data cell
    poke_u32(bytes, data_at(vk) + regf::kVkDataOffset.offset, params.offset.value + 8);
    CHECK_THAT(errors(regf::verify_hive(bytes)),
               Contains("data offset is " + util::hex_offset(params.offset.value + 8) +
                        ", expected the start of an allocated cell "
                        "(value data); it is inside the allocated cell at " +
                        util::hex_offset(regf::to_file_offset(params.offset).value)));
  }
  SECTION("largest value data too small; 0 is only a note") {
    poke_u32(bytes, data_at(params.offset) + regf::kNkLargestValueDataSize.offset, 1);
    CHECK_THAT(errors(regf::verify_hive(bytes)),
               Contains("largest value data size is 1, expected at least 6"));
    poke_u32(bytes, data_at(params.offset) + regf::kNkLargestValueDataSize.offset, 0);
    const auto r = regf::verify_hive(bytes);
    CHECK(r.clean());
    CHECK(r.info_count == 1);
  }
}

TEST_CASE("verify: security cell ring and reference counts", "[unit][regf][verify]") {
  auto bytes = build(small_tree());
  const auto root = key(bytes, u"");
  SECTION("count below the keys using it") {
    poke_u32(bytes, data_at(root.security) + regf::kSkReferenceCount.offset, 2);
    CHECK_THAT(errors(regf::verify_hive(bytes)),
               Contains("reference count is 2, expected at least 7"));
  }
  SECTION("count above them is a note") {
    poke_u32(bytes, data_at(root.security) + regf::kSkReferenceCount.offset, 9);
    const auto r = regf::verify_hive(bytes);
    CHECK(r.clean());
    CHECK(r.info_count == 1);
  }
  SECTION("flink off the ring") {
    poke_u32(bytes, data_at(root.security) + regf::kSkFlink.offset, root.offset.value);
    CHECK_THAT(errors(regf::verify_hive(bytes)),
               Contains("flink is " + util::hex_offset(root.offset.value) +
                        ", expected the offset of a key security cell"));
  }
}

TEST_CASE("verify: base block checksum and sequence numbers", "[unit][regf][verify]") {
  auto bytes = build(small_tree());
  poke_u32(bytes, regf::kBbSecondarySequence.offset, 7);
  CHECK_THAT(errors(regf::verify_hive(bytes)), Contains("checksum is"));
  fix_checksum(bytes);
  const auto r = regf::verify_hive(bytes);
  CHECK(r.error_count == 1);
  CHECK_THAT(errors(r),
             Contains("base block at 0x00000008: secondary sequence number is 7, expected 1"));
}

TEST_CASE("verify: big data segment count", "[unit][regf][verify]") {
  regf::TreeKey t = small_tree();
  t.ensure_subkey(u"Big").set_value({u"blob", 3, std::vector<std::uint8_t>(40000, 0xAB)});
  auto bytes = build(t);
  REQUIRE(regf::verify_hive(bytes).clean());
  const regf::Reader reader(bytes);
  const auto big = *reader.open(u"Big");
  const auto vk = reader.values(big).at(0).key;
  poke_u16(bytes,
           data_at(regf::CellOffset{vk.data_offset_field}) + regf::kDbNumberOfSegments.offset, 2);
  CHECK_THAT(errors(regf::verify_hive(bytes)),
             Contains("number of segments is 2, expected 3 for 40000 bytes"));
}

TEST_CASE("verify: unreadable hives throw FormatError naming the defect", "[unit][regf][verify]") {
  auto bytes = build(small_tree());
  SECTION("root cell not allocated") {
    poke_u32(bytes, regf::kBbRootCell.offset, 0x10);
    fix_checksum(bytes);
    CHECK_THROWS_WITH(
        regf::verify_hive(bytes),
        Contains("root cell offset is 0x00000010, not the start of an allocated cell"));
  }
  SECTION("truncated base block") {
    bytes.resize(100);
    CHECK_THROWS_AS(regf::verify_hive(bytes), FormatError);
  }
  SECTION("transaction log") {
    poke_u32(bytes, regf::kBbFileType.offset, 6);
    bytes[4096] = 'X';
    fix_checksum(bytes);
    CHECK_THROWS_WITH(regf::verify_hive(bytes), Contains("file type is 6, a transaction log"));
  }
}

TEST_CASE("verify: a truncated hive is a finding, not an exception, once the first bin is intact",
          "[unit][regf][verify]") {
  regf::TreeKey t = small_tree();
  for (int i = 0; i < 300; ++i)
    t.ensure_subkey(u"Many").ensure_subkey(u"K" +
                                           std::u16string(1, static_cast<char16_t>(u'A' + i % 26)) +
                                           std::u16string(1, static_cast<char16_t>(u'a' + i / 26)));
  auto bytes = build(t);
  REQUIRE(bytes.size() > 3 * 4096);
  bytes.resize(4096 + 4096 + 100);
  const auto r = regf::verify_hive(bytes);
  CHECK_FALSE(r.clean());
  CHECK_THAT(errors(r), Contains("hive bins data size is"));
}

TEST_CASE("verify: keys deeper than kMaxDepth are reported, not walked", "[unit][regf][verify]") {
  // The builder refuses trees deeper than 512 levels, so: a chain "a" exactly 512 deep, and its
  // deepest key pointed at the subkeys list of "b" (whose child then sits at level 513).
  regf::TreeKey t;
  t.name = u"ROOT";
  regf::TreeKey* k = &t.ensure_subkey(u"a");
  std::u16string deepest = u"a";
  for (std::size_t i = 1; i < regf::kMaxDepth; ++i) {
    k = &k->ensure_subkey(u"d");
    deepest += u"\\d";
  }
  t.ensure_subkey(u"b").ensure_subkey(u"child");
  auto bytes = build(t);
  REQUIRE(regf::verify_hive(bytes).clean());
  const auto last = key(bytes, deepest);
  const auto b = key(bytes, u"b");
  poke_u32(bytes, data_at(last.offset) + regf::kNkNumberOfSubkeys.offset, 1);
  poke_u32(bytes, data_at(last.offset) + regf::kNkSubkeysList.offset, b.subkeys_list.value);
  const auto r = regf::verify_hive(bytes);
  CHECK_THAT(errors(r), Contains("deeper than 512 levels; not walked further"));
}

TEST_CASE("verify: an unpaired surrogate in a key name is a note, not an inconsistency",
          "[unit][regf][verify]") {
  regf::TreeKey t = small_tree();
  t.ensure_subkey(u"bad\xD800");
  const auto r = regf::verify_hive(build(t));
  CHECK(r.clean());
  REQUIRE(r.info_count == 1);
  CHECK_THAT(r.findings.at(0).message,
             Contains("key name is not valid UTF-16 (an unpaired surrogate)"));
}
