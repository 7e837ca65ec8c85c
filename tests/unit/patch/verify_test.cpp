// fix's proof (patch::verify_patch) against outputs that differ from the input plus the plan in one
// way each: every one must be refused, by the check named in the message. The cases came from a
// review of the proportional proof (2026-12-03); the whole-tree oracle test in editor_test.cpp
// covers random damage.
#include <catch2/catch.hpp>

#include "patch/apply.hpp"
#include "patch/verify.hpp"
#include "regf/builder.hpp"
#include "regf/checksum.hpp"
#include "regf/format.hpp"
#include "regf/reader.hpp"
#include "support/tree_reader.hpp"
#include "util/bytes.hpp"
#include "util/error.hpp"

using namespace hivelint;
using Catch::Matchers::Contains;

namespace {

constexpr std::uint64_t kBuilt = 127305216000000000ull;
constexpr std::uint64_t kEdited = 133485408000000000ull;
constexpr const char* kParams = "ControlSet001\\Services\\InetInfo\\Parameters";
constexpr const char16_t* kParams16 = u"ControlSet001\\Services\\InetInfo\\Parameters";

std::vector<std::uint8_t> build(const regf::TreeKey& tree) {
  regf::BuildOptions o;
  o.timestamp = kBuilt;
  return regf::build_hive(tree, o).bytes;
}

regf::TreeKey tree_with_other() {
  return test::Tree{}
      .key("Select")
      .dword("Current", 1)
      .key(kParams)
      .raw("Blob", 3, std::vector<std::uint8_t>(40, 0x11))
      .dword("ListenBackLog", 25)
      .key("ControlSet001\\Services\\Other")
      .raw("Blob", 3, std::vector<std::uint8_t>(40, 0x22))
      .build();
}

std::size_t data_of(regf::CellOffset c) {
  return regf::kBaseBlockSize + c.value + regf::kCellHeaderSize;
}

void rechecksum(std::vector<std::uint8_t>& b) {
  util::ByteWriter(b).put_u32(
      regf::kBbChecksum.offset,
      regf::base_block_checksum(std::span<const std::uint8_t>(b).first(regf::kBaseBlockSize)));
}

// After tampering with p.bytes: the differing ranges apply_plan would have computed.
void redo(const std::vector<std::uint8_t>& in, patch::PatchResult& p) {
  p.differing = patch::differing_ranges(in, p.bytes);
}

patch::PatchPlan set_blob() {
  return {hive::Edit{hive::Edit::Kind::kSetValue, hive::KeyPath::parse(kParams), "Blob", 3,
                     std::vector<std::uint8_t>(40, 0x33), std::nullopt}};
}

patch::PatchPlan create_key(const std::string& path) {
  hive::Edit create;
  create.kind = hive::Edit::Kind::kCreateKey;
  create.key = hive::KeyPath::parse(path);
  return {create};
}

}  // namespace

TEST_CASE(
    "verify_patch: a change inside another key's cell is that key's change, whatever offset the "
    "editor reports",
    "[unit][patch]") {
  const auto in = build(tree_with_other());
  const regf::Reader r(in);
  const auto other = r.value(*r.open(u"ControlSet001\\Services\\Other"), u"Blob");
  const auto plan = set_blob();
  auto p = patch::apply_plan(in, plan, patch::ApplyOptions{kEdited});
  REQUIRE_NOTHROW(patch::verify_patch(in, p, plan));
  // An editor that reports a change 8 bytes into a cell (the data offset passed where the cell
  // offset was due) and changes Other\Blob's data there.
  const regf::CellOffset data{other->key.data_offset_field};
  p.cells.push_back(regf::CellChange{regf::CellChange::Kind::kModified, "value data",
                                     regf::kBaseBlockSize + data.value + 8, 16});
  p.bytes[regf::kBaseBlockSize + data.value + 10] ^= 0xFF;
  redo(in, p);
  CHECK_THROWS_WITH(patch::verify_patch(in, p, plan),
                    Contains("reads a changed cell but is not on the path of any edit"));
}

TEST_CASE(
    "verify_patch: the base block keeps every field but sequence numbers, timestamp, bins size and "
    "checksum",
    "[unit][patch]") {
  const auto in = build(tree_with_other());
  const auto plan = set_blob();
  auto p = patch::apply_plan(in, plan, patch::ApplyOptions{kEdited});
  REQUIRE_NOTHROW(patch::verify_patch(in, p, plan));
  SECTION("minor version") { util::ByteWriter(p.bytes).put_u32(regf::kBbMinorVersion.offset, 4); }
  SECTION("file name") { p.bytes[regf::kBbFileName.offset] ^= 0x55; }
  SECTION("boot recover") { util::ByteWriter(p.bytes).put_u32(regf::kBbBootRecover.offset, 1); }
  rechecksum(p.bytes);
  redo(in, p);
  CHECK_THROWS_WITH(patch::verify_patch(in, p, plan), Contains("base block byte"));
}

TEST_CASE(
    "verify_patch: an output missing the input's last hive bin, or new bins reported early, is "
    "refused",
    "[unit][patch]") {
  // The input ends in a hive bin holding one free cell of old data, as Windows leaves after
  // deletions.
  auto in = build(tree_with_other());
  const std::size_t end = in.size();
  const auto rel = static_cast<std::uint32_t>(end - regf::kBaseBlockSize);
  in.resize(end + 4096, 0xAB);
  std::copy_n("hbin", 4, in.begin() + static_cast<std::ptrdiff_t>(end));
  util::ByteWriter w(in);
  w.put_u32(end + 4, rel);
  w.put_u32(end + 8, 4096);
  w.put_i32(end + 32, 4096 - 32);
  w.put_u32(regf::kBbHiveBinsDataSize.offset, rel + 4096);
  rechecksum(in);
  const auto plan = set_blob();  // same size: overwritten in place, no new bins
  auto p = patch::apply_plan(in, plan, patch::ApplyOptions{kEdited});
  REQUIRE(p.bytes.size() == in.size());
  REQUIRE_NOTHROW(patch::verify_patch(in, p, plan));
  SECTION("the last bin dropped") {
    p.bytes.resize(end);
    util::ByteWriter(p.bytes).put_u32(regf::kBbHiveBinsDataSize.offset, rel);
    rechecksum(p.bytes);
    redo(in, p);
    CHECK_THROWS_WITH(patch::verify_patch(in, p, plan),
                      Contains("before the end of the input's hive bins"));
  }
  SECTION("the last bin reported as new") {
    p.new_bins_offset = end;
    p.bytes[end + 40] ^= 0xFF;  // old data in the free cell: would pass as "new bins"
    redo(in, p);
    CHECK_THROWS_WITH(patch::verify_patch(in, p, plan),
                      Contains("but the input's hive bins end at"));
  }
}

TEST_CASE(
    "verify_patch: a planned key's node keeps its flags, class and name, and only maintained "
    "fields change",
    "[unit][patch]") {
  auto tree = tree_with_other();
  tree.find_subkey(u"ControlSet001")
      ->find_subkey(u"Services")
      ->find_subkey(u"InetInfo")
      ->find_subkey(u"Parameters")
      ->class_name = u"ClassABCD";
  const auto in = build(tree);
  const auto plan = set_blob();
  auto p = patch::apply_plan(in, plan, patch::ApplyOptions{kEdited});
  REQUIRE_NOTHROW(patch::verify_patch(in, p, plan));
  const regf::Reader r(in);
  const auto k = r.open(kParams16);
  SECTION("flags") {
    util::ByteWriter(p.bytes).put_u16(data_of(k->offset) + regf::kNkFlags.offset,
                                      static_cast<std::uint16_t>(k->flags | 0x18));
    redo(in, p);
    CHECK_THROWS_WITH(patch::verify_patch(in, p, plan),
                      Contains("key node (nk) of \"" + std::string(kParams) + "\""));
  }
  SECTION("class name length") {
    util::ByteWriter(p.bytes).put_u16(data_of(k->offset) + regf::kNkClassNameLength.offset,
                                      8);  // "ClassABCD" -> "Clas"
    redo(in, p);
    CHECK_THROWS_WITH(patch::verify_patch(in, p, plan),
                      Contains("class name \"Clas\", expected \"ClassABCD\""));
  }
  SECTION("security cell offset") {
    util::ByteWriter(p.bytes).put_u32(data_of(k->offset) + regf::kNkKeySecurity.offset,
                                      k->security.value + 8);
    redo(in, p);
    CHECK_THROWS_WITH(patch::verify_patch(in, p, plan),
                      Contains("differs from the input's outside the counts"));
  }
}

TEST_CASE("verify_patch: a planned value's name keeps its exact spelling", "[unit][patch]") {
  const auto in = build(tree_with_other());
  const regf::Reader r(in);
  const auto blob = r.value(*r.open(kParams16), u"Blob");
  const auto plan = set_blob();
  auto p = patch::apply_plan(in, plan, patch::ApplyOptions{kEdited});
  p.bytes[data_of(blob->key.offset) + regf::kVkFixedSize + 1] =
      'L';  // "Blob" -> "BLob": equal under Windows' case rules
  redo(in, p);
  CHECK_THROWS_WITH(patch::verify_patch(in, p, plan), Contains("value name spelled \"BLob\""));
}

TEST_CASE("verify_patch: a touched security cell changes only its reference count",
          "[unit][patch]") {
  const auto in = build(tree_with_other());
  const auto plan = create_key(std::string(kParams) + "\\New");
  auto p = patch::apply_plan(in, plan, patch::ApplyOptions{kEdited});
  REQUIRE_NOTHROW(patch::verify_patch(in, p, plan));
  const regf::Reader r(in);
  const auto sk = r.security(*r.open(kParams16));
  bool touched = false;
  for (const auto& c : p.cells)
    touched = touched || c.file_offset == regf::kBaseBlockSize + sk.offset.value;
  REQUIRE(touched);  // the new key shares it: one more reference
  p.bytes[data_of(sk.offset) + regf::kSkFixedSize + sk.descriptor.size() - 1] ^=
      0x01;  // a SID's last byte
  redo(in, p);
  CHECK_THROWS_WITH(patch::verify_patch(in, p, plan),
                    Contains("only its reference count may change"));
}

TEST_CASE("verify_patch: a new key is a plain child of its parent", "[unit][patch]") {
  const auto in = build(tree_with_other());
  const auto plan = create_key(std::string(kParams) + "\\New");
  auto p = patch::apply_plan(in, plan, patch::ApplyOptions{kEdited});
  REQUIRE_NOTHROW(patch::verify_patch(in, p, plan));
  const regf::Reader out(p.bytes);
  const auto added = out.open(std::u16string(kParams16) + u"\\New");
  REQUIRE(added);
  SECTION("flags") {
    util::ByteWriter(p.bytes).put_u16(
        data_of(added->offset) + regf::kNkFlags.offset,
        static_cast<std::uint16_t>(added->flags | 0x0008));  // KEY_NO_DELETE
    redo(in, p);
    CHECK_THROWS_WITH(patch::verify_patch(in, p, plan),
                      Contains("expected none but compressed name"));
  }
  SECTION("parent field") {
    util::ByteWriter(p.bytes).put_u32(data_of(added->offset) + regf::kNkParent.offset,
                                      out.open(u"Select")->offset.value);
    redo(in, p);
    CHECK_THROWS_WITH(patch::verify_patch(in, p, plan),
                      Contains("its parent field does not name its parent's key node"));
  }
}

TEST_CASE("verify_patch: damage to the new subkey list or the parent's fields is refused",
          "[unit][patch]") {
  const auto in = build(tree_with_other());
  const auto plan = create_key("ControlSet001\\Services\\New");
  const auto good = patch::apply_plan(in, plan, patch::ApplyOptions{kEdited});
  REQUIRE_NOTHROW(patch::verify_patch(in, good, plan));
  const regf::Reader out(good.bytes);
  const auto services = out.open(u"ControlSet001\\Services");
  const auto other = out.open(u"ControlSet001\\Services\\Other");
  const auto params = out.open(kParams16);
  const std::size_t list = data_of(services->subkeys_list);  // the parent's new lh list
  auto p = good;
  std::string refusal;  // the named check's own words: another check refusing for another reason
                        // must not pass
  SECTION("an entry of the new list names another existing key") {
    util::ByteWriter(p.bytes).put_u32(list + 4, other->offset.value);
    refusal = "\\InetInfo: key missing";
  }
  SECTION("a hash in the new list is wrong") {
    p.bytes[list + 8] ^= 1;
    refusal = "name hash of \"InetInfo\" is 0x4514a801";
  }
  SECTION("the parent's values list is another key's") {
    util::ByteWriter(p.bytes).put_u32(data_of(services->offset) + regf::kNkValuesList.offset,
                                      params->values_list.value);
    util::ByteWriter(p.bytes).put_u32(data_of(services->offset) + regf::kNkNumberOfValues.offset,
                                      params->value_count);
    refusal = "\\ListenBackLog: unexpected value";
  }
  SECTION("the parent's subkey count is one short") {
    util::ByteWriter(p.bytes).put_u32(data_of(services->offset) + regf::kNkNumberOfSubkeys.offset,
                                      services->subkey_count - 1);
    refusal = "number of subkeys is 2 but its subkeys list holds 3";
  }
  redo(in, p);
  CHECK_THROWS_WITH(patch::verify_patch(in, p, plan), Contains(refusal));
}
