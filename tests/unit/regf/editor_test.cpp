#include <catch2/catch.hpp>

#include "hive/libregf_reader.hpp"
#include "hive/tree_walk.hpp"
#include "patch/apply.hpp"
#include "patch/verify.hpp"
#include "regf/builder.hpp"
#include "regf/checksum.hpp"
#include "regf/editor.hpp"
#include "regf/reader.hpp"
#include "regf/subkey_list.hpp"
#include "regf/verify.hpp"
#include "support/tree_reader.hpp"
#include "util/bytes.hpp"
#include "util/upcase.hpp"
#include "util/utf16.hpp"

using namespace hivelint;
using Catch::Matchers::Contains;

namespace {

constexpr std::uint64_t kBuilt = 127305216000000000ull;   // 2004-06-01
constexpr std::uint64_t kEdited = 133485408000000000ull;  // 2024-01-01

std::vector<std::uint8_t> build(const regf::TreeKey& tree, std::uint32_t minor = 5) {
  regf::BuildOptions o;
  o.timestamp = kBuilt;
  o.minor_version = minor;
  return regf::build_hive(tree, o).bytes;
}

regf::TreeKey sample_tree() {
  return test::Tree{}
      .key("Select")
      .dword("Current", 1)
      .key("ControlSet001\\Services\\InetInfo\\Parameters")
      .multi_sz("DispatchEntries", {"Ldapsvc", "Smtpsvc", "Nntpsvc"})
      .dword("ListenBackLog", 25)
      .key("ControlSet001\\Services\\SMTPSVC")
      .sz("ImagePath", "inetinfo.exe")
      .key("ControlSet001\\Services\\Alpha")
      .key("ControlSet001\\Services\\Zulu")
      .build();
}

regf::Editor editor(const std::vector<std::uint8_t>& hive) {
  return regf::Editor(hive, regf::EditorOptions{kEdited});
}

// The whole output, strictly, through both readers; hashes and hints checked by the salvage walk.
regf::TreeKey read_back(const std::vector<std::uint8_t>& out) {
  const regf::Reader ours(out);
  REQUIRE(ours.diagnostics().empty());
  REQUIRE(ours.base_block().checksum_ok());
  REQUIRE_FALSE(ours.base_block().is_dirty());
  std::vector<regf::Diagnostic> damage;
  (void)ours.salvage_tree(damage);
  for (const auto& d : damage) FAIL(d.structure + ": " + d.message);
  const regf::TreeKey tree = ours.read_tree();
  const regf::VerifyResult structure =
      regf::verify_hive(out);  // lists, hashes, counts, largest-* fields, sk counts
  for (const auto& f : structure.findings)
    if (f.severity == regf::Severity::kError) FAIL("verify: " + f.structure + ": " + f.message);
  const auto libregf = hive::LibregfReader::open_memory(out, "edited");
  hive::DiffOptions quirks;
  quirks.libregf_quirks = true;
  const auto diffs = hive::diff_trees(tree, hive::read_whole_tree(*libregf), quirks);
  for (const auto& d : diffs) FAIL("libregf: " + d);
  return tree;
}

std::vector<std::uint8_t> utf16z(std::u16string_view s) {
  std::string b = util::utf16le_bytes(s);
  b.push_back(0);
  b.push_back(0);
  return {b.begin(), b.end()};
}

}  // namespace

TEST_CASE(
    "editor: a longer value gets a new data cell, the old one is freed, and nothing else changes",
    "[unit][regf][editor]") {
  const auto in = build(sample_tree());
  regf::TreeKey expected = regf::Reader(in).read_tree();
  const auto data =
      hive::encode_multi_string({"Ldapsvc", "Smtpsvc", "Nntpsvc", "Imap4svc", "Pop3svc", "Resvc"});
  auto e = editor(in);
  e.set_value(u"ControlSet001\\Services\\InetInfo\\Parameters", u"dispatchentries", 7, data);
  const auto& changes = e.changes();
  const auto out = e.commit();

  expected.find_subkey(u"ControlSet001")
      ->find_subkey(u"Services")
      ->find_subkey(u"InetInfo")
      ->find_subkey(u"Parameters")
      ->find_value(u"DispatchEntries")
      ->data = data;
  CHECK(hive::diff_trees(expected, read_back(out)).empty());
  // The name keeps its stored spelling; the key's last-written time and largest-data field follow
  // the edit.
  const regf::Reader r(out);
  const auto key = r.open(u"ControlSet001\\Services\\InetInfo\\Parameters");
  REQUIRE(key);
  CHECK(key->last_written == kEdited);
  CHECK(key->largest_value_data == data.size());
  CHECK(r.value(*key, u"DispatchEntries")->key.name == u"DispatchEntries");
  CHECK(r.open(u"ControlSet001\\Services\\SMTPSVC")->last_written == kBuilt);
  // Commit: sequence numbers both old + 1, size, timestamp, checksum.
  CHECK(r.base_block().primary_sequence == 2);
  CHECK(r.base_block().secondary_sequence == 2);
  CHECK(r.base_block().last_written == kEdited);
  CHECK(r.base_block().hive_bins_data_size == out.size() - 4096);
  CHECK(out.size() == in.size() + 4096);  // one new hive bin
  std::size_t freed = 0, allocated = 0;
  for (const auto& c : changes) {
    if (c.kind == regf::CellChange::Kind::kFreed) ++freed;
    if (c.kind == regf::CellChange::Kind::kAllocated) {
      ++allocated;
      CHECK(c.file_offset >= in.size());  // new cells only in new hive bins
    }
  }
  CHECK(freed == 1);
  CHECK(allocated == 1);
  // Every differing byte is in the base block, in a touched cell, or in the new bin.
  for (const auto& range : patch::differing_ranges(in, out)) {
    if (range.offset < 4096 || range.offset >= in.size()) continue;
    const bool inside = std::any_of(changes.begin(), changes.end(), [&](const regf::CellChange& c) {
      return range.offset >= c.file_offset && range.offset + range.length <= c.file_offset + c.size;
    });
    CHECK(inside);
  }
}

TEST_CASE("editor: same-size data is overwritten in place, and resident data and type changes work",
          "[unit][regf][editor]") {
  const auto in = build(sample_tree());
  auto e = editor(in);
  const auto same = hive::encode_multi_string({"LDAPSVC", "SMTPSVC", "NNTPSVC"});
  e.set_value(u"ControlSet001\\Services\\InetInfo\\Parameters", u"DispatchEntries", 7, same);
  e.set_value(u"ControlSet001\\Services\\InetInfo\\Parameters", u"ListenBackLog", 3,
              std::vector<std::uint8_t>{1, 2, 3});
  e.set_value(u"ControlSet001\\Services\\SMTPSVC", u"ImagePath", 4,
              std::vector<std::uint8_t>{9, 0, 0, 0});
  for (const auto& c : e.changes()) CHECK(c.kind != regf::CellChange::Kind::kAllocated);
  const auto out = e.commit();
  CHECK(out.size() == in.size());
  read_back(out);
  const regf::Reader r(out);
  const auto params = r.open(u"ControlSet001\\Services\\InetInfo\\Parameters");
  CHECK(r.value(*params, u"DispatchEntries")->data == same);
  const auto backlog = r.value(*params, u"ListenBackLog");
  CHECK(backlog->key.type == 3);
  CHECK(backlog->key.resident);
  CHECK(backlog->data == std::vector<std::uint8_t>{1, 2, 3});
  const auto image = r.value(*r.open(u"ControlSet001\\Services\\SMTPSVC"), u"ImagePath");
  CHECK(image->key.type == 4);
  CHECK(image->data == std::vector<std::uint8_t>{9, 0, 0, 0});
}

TEST_CASE("editor: adding a value re-allocates the value list and updates the key's fields",
          "[unit][regf][editor]") {
  const auto in = build(sample_tree());
  auto e = editor(in);
  const auto data = utf16z(u"Ünïcode dätä");
  e.set_value(u"ControlSet001\\Services\\Alpha", u"Näme", 1, data);  // key without values
  e.set_value(u"ControlSet001\\Services\\InetInfo\\Parameters", u"Extra\u4E2D", 3,
              std::vector<std::uint8_t>(20, 7));
  e.set_value(u"ControlSet001\\Services\\SMTPSVC", u"", 1,
              utf16z(u"default"));  // the default value
  const auto out = e.commit();
  const auto tree = read_back(out);
  const regf::Reader r(out);
  const auto alpha = r.open(u"ControlSet001\\Services\\Alpha");
  CHECK(alpha->value_count == 1);
  CHECK(alpha->largest_value_name == 8);
  CHECK(r.value(*alpha, u"NÄME")->data == data);
  CHECK(r.value(*alpha, u"Näme")->key.name_compressed);  // Latin-1 fits
  const auto params = r.open(u"ControlSet001\\Services\\InetInfo\\Parameters");
  CHECK(params->value_count == 3);
  const auto extra = r.value(*params, u"Extra\u4E2D");
  REQUIRE(extra);
  CHECK_FALSE(extra->key.name_compressed);
  CHECK(r.value(*r.open(u"ControlSet001\\Services\\SMTPSVC"), u"")->data == utf16z(u"default"));
}

TEST_CASE("editor: deleting a value re-allocates the value list without it and frees its cells",
          "[unit][regf][editor]") {
  const auto in = build(sample_tree());
  auto e = editor(in);
  e.delete_value(u"ControlSet001\\Services\\InetInfo\\Parameters",
                 u"dispatchentries");                                 // one of two; any case
  e.delete_value(u"ControlSet001\\Services\\SMTPSVC", u"ImagePath");  // the only value
  CHECK_THROWS_WITH(e.delete_value(u"ControlSet001\\Services\\SMTPSVC", u"ImagePath"),
                    Contains("has no value \"ImagePath\""));
  CHECK_THROWS_WITH(e.delete_value(u"ControlSet001\\Services\\Nope", u"X"), Contains("Nope"));
  std::size_t freed = 0;
  for (const auto& c : e.changes()) freed += c.kind == regf::CellChange::Kind::kFreed;
  CHECK(freed >= 5);  // both vks, the DispatchEntries data cell, both old value lists
  const auto out = e.commit();
  const auto tree = read_back(out);
  const regf::Reader r(out);
  const auto params = r.open(u"ControlSet001\\Services\\InetInfo\\Parameters");
  CHECK(params->value_count == 1);
  CHECK_FALSE(r.value(*params, u"DispatchEntries"));
  CHECK(r.value(*params, u"ListenBackLog"));
  const auto smtp = r.open(u"ControlSet001\\Services\\SMTPSVC");
  CHECK(smtp->value_count == 0);
  CHECK(smtp->values_list.is_none());
  CHECK(smtp->last_written == kEdited);
}

TEST_CASE("apply_plan and verify_patch prove a value deletion, and refuse one that did not happen",
          "[unit][patch]") {
  const auto in = build(sample_tree());
  hive::Edit del;
  del.kind = hive::Edit::Kind::kDeleteValue;
  del.key = hive::KeyPath::parse("ControlSet001\\Services\\InetInfo\\Parameters");
  del.value_name = "DispatchEntries";
  const patch::PatchPlan plan{del};
  const auto patched = patch::apply_plan(in, plan, patch::ApplyOptions{kEdited});
  const auto report = patch::verify_patch(in, patched, plan);
  CHECK_FALSE(report.checks.empty());
  // The same bytes claimed as a plan that deletes nothing: the whole-key comparison sees the value
  // gone.
  hive::Edit other = del;
  other.value_name = "ListenBackLog";
  CHECK_THROWS_AS(patch::verify_patch(in, patched, patch::PatchPlan{other}), RefusedError);
}

TEST_CASE("editor: big data uses db segments in 1.5, is refused in 1.4 and is one cell in 1.3",
          "[unit][regf][editor]") {
  std::vector<std::uint8_t> big(40000);
  for (std::size_t i = 0; i < big.size(); ++i) big[i] = static_cast<std::uint8_t>(i * 7);
  {
    auto e = editor(build(sample_tree(), 5));
    e.set_value(u"ControlSet001\\Services\\Alpha", u"Blob", 3, big);
    const auto out = e.commit();
    read_back(out);
    const regf::Reader r(out);
    const auto v = r.value(*r.open(u"ControlSet001\\Services\\Alpha"), u"Blob");
    CHECK(v->big_data);
    CHECK(v->data == big);
    // Replacing big data frees the db, its segment list and each segment.
    auto e2 = editor(out);
    e2.set_value(u"ControlSet001\\Services\\Alpha", u"Blob", 3,
                 std::vector<std::uint8_t>{1, 2, 3, 4, 5});
    std::size_t freed = 0;
    for (const auto& c : e2.changes()) freed += c.kind == regf::CellChange::Kind::kFreed;
    CHECK(freed == 5);  // 3 segments, the list, the db
    read_back(e2.commit());
  }
  {
    auto e = editor(build(sample_tree(), 4));
    CHECK_THROWS_WITH(e.set_value(u"ControlSet001\\Services\\Alpha", u"Blob", 3, big),
                      Contains("regf 1.4"));
  }
  {
    auto e = editor(build(sample_tree(), 3));
    e.set_value(u"ControlSet001\\Services\\Alpha", u"Blob", 3, big);
    const auto out = e.commit();
    const regf::Reader r(out);
    const auto v = r.value(*r.open(u"ControlSet001\\Services\\Alpha"), u"Blob");
    CHECK_FALSE(v->big_data);
    CHECK(v->data == big);
  }
}

TEST_CASE(
    "editor: new keys go into the parent's list in Windows' order with correct hashes, sharing its "
    "sk",
    "[unit][regf][editor]") {
  for (std::uint32_t minor : {3u, 5u}) {
    const auto in = build(sample_tree(), minor);
    const regf::Reader before(in);
    const auto sk_before =
        before.security(*before.open(u"ControlSet001\\Services")).reference_count;
    auto e = editor(in);
    CHECK(e.create_key(u"ControlSet001\\Services\\InetInfo\\Parameters") == 0);  // exists
    CHECK(e.create_key(u"ControlSet001\\Services\\Mike\\Sub\\Deeper") == 3);
    CHECK(e.create_key(u"ControlSet001\\Services\\\u00C4rger") == 1);  // sorts after 'Z' (U+00C4)
    CHECK(e.create_key(u"controlset001\\services\\BRAVO") == 1);
    CHECK(e.create_key(u"ControlSet001\\Services\\\u0436\u0443\u043A") ==
          1);  // UTF-16 name (upcased for the hash)
    const auto out = e.commit();
    read_back(out);  // the salvage walk fails on a wrong hash, hint or count
    const regf::Reader r(out);
    const auto services = r.open(u"ControlSet001\\Services");
    std::vector<std::u16string> names;
    for (const auto& k : r.subkeys(*services)) names.push_back(k.name);
    CHECK(names == std::vector<std::u16string>{u"Alpha", u"BRAVO", u"InetInfo", u"Mike", u"SMTPSVC",
                                               u"Zulu", u"\u00C4rger", u"\u0436\u0443\u043A"});
    const auto list = regf::parse_subkey_list(r.cells().get(services->subkeys_list, "list"));
    CHECK(list.kind == (minor >= 5 ? regf::ListKind::kHashLeaf : regf::ListKind::kFastLeaf));
    CHECK(services->largest_subkey_name == 16);  // "InetInfo" stays the longest: 8 units
    const auto deeper = r.open(u"ControlSet001\\Services\\Mike\\Sub\\Deeper");
    REQUIRE(deeper);
    CHECK(deeper->last_written == kEdited);
    CHECK(deeper->security == services->security);
    CHECK(r.open(u"ControlSet001\\Services\\\u0416\u0423\u041A"));  // found case-insensitively
    CHECK(r.security(*services).reference_count == sk_before + 6);
    CHECK(r.open(u"ControlSet001\\Services\\Zulu")->last_written == kBuilt);
  }
}

TEST_CASE("editor: under an index root only the receiving leaf and the ri are re-allocated",
          "[unit][regf][editor]") {
  test::Tree t;
  for (int i = 0; i < 1200; ++i) {
    char name[16];
    std::snprintf(name, sizeof name, "Svc%04d", i * 2);
    t.key(std::string("Many\\") + name);
  }
  const auto in = build(t.build());
  const regf::Reader before(in);
  const auto many_before = before.open(u"Many");
  REQUIRE(regf::parse_subkey_list(before.cells().get(many_before->subkeys_list, "list")).kind ==
          regf::ListKind::kIndexRoot);
  auto e = editor(in);
  e.create_key(u"Many\\Svc0601");  // inside the first leaf (Svc0000 .. Svc1020)
  e.create_key(u"Many\\Svc9999");  // after the last name: the last leaf
  e.create_key(u"Many\\Abc");      // before the first
  std::size_t lists_freed = 0;
  for (const auto& c : e.changes())
    lists_freed += c.kind == regf::CellChange::Kind::kFreed && c.structure == "subkey list";
  CHECK(lists_freed == 6);  // each time: one leaf and the ri
  const auto out = e.commit();
  read_back(out);
  const regf::Reader r(out);
  const auto many = r.open(u"Many");
  CHECK(many->subkey_count == 1203);
  const auto subs = r.subkeys(*many);
  for (std::size_t i = 1; i < subs.size(); ++i)
    CHECK(util::compare_names(subs[i - 1].name, subs[i].name) < 0);
}

TEST_CASE("editor: refuses dirty, badly checksummed and damaged hives, and absent keys",
          "[unit][regf][editor]") {
  const auto good = build(sample_tree());
  auto dirty = good;
  util::ByteWriter(dirty).put_u32(4, 7);
  util::ByteWriter(dirty).put_u32(508, regf::base_block_checksum(dirty));
  CHECK_THROWS_WITH(editor(dirty), Contains("dirty"));
  auto bad_sum = good;
  util::ByteWriter(bad_sum).put_u32(508, 0x1234);
  CHECK_THROWS_WITH(editor(bad_sum), Contains("checksum"));
  auto bad_bin = good;  // one more 4096 bytes of hive bins data that are not a hive bin
  bad_bin.insert(bad_bin.end(), 4096, 0x5A);
  util::ByteWriter(bad_bin).put_u32(40, static_cast<std::uint32_t>(bad_bin.size() - 4096));
  util::ByteWriter(bad_bin).put_u32(508, regf::base_block_checksum(bad_bin));
  CHECK_THROWS_WITH(editor(bad_bin),
                    Contains("hive bin at") && Contains("does not edit a damaged hive"));
  auto e = editor(good);
  CHECK_THROWS_WITH(
      e.set_value(u"ControlSet001\\Nope", u"X", 4, std::vector<std::uint8_t>{1, 0, 0, 0}),
      Contains("does not exist"));
  CHECK_THROWS_AS(e.create_key(u"ControlSet001\\" + std::u16string(256, u'k')), RefusedError);
}

TEST_CASE(
    "editor: high bits of the largest-subkey-name field are kept and bytes past the hive bins are "
    "dropped",
    "[unit][regf][editor]") {
  auto in = build(sample_tree());
  const regf::Reader before(in);
  const auto services = before.open(u"ControlSet001\\Services");
  const std::size_t field = 4096 + services->offset.value + 4 + 52;
  util::ByteWriter(in).put_u32(field, 0x00A10010);  // flags in the high half, length 16
  in.insert(in.end(), 100, 0xEE);                   // trailing bytes, not part of the hive
  auto e = editor(in);
  e.create_key(u"ControlSet001\\Services\\AVeryLongServiceName");
  CHECK(e.dropped_trailing_bytes() == 100);
  const auto out = e.commit();
  CHECK(util::le_u32(out, field) == 0x00A10028);  // 20 units = 40 bytes, flags kept
  CHECK(out.size() % 4096 == 0);
}

TEST_CASE("differing_ranges: runs of changed bytes and appended bytes", "[unit][patch]") {
  const std::vector<std::uint8_t> a{1, 2, 3, 4, 5, 6};
  const std::vector<std::uint8_t> b{1, 9, 9, 4, 5, 7, 8, 8};
  const auto r = patch::differing_ranges(a, b);
  REQUIRE(r.size() == 2);
  CHECK(r[0].offset == 1);
  CHECK(r[0].length == 2);
  CHECK(r[1].offset == 5);
  CHECK(r[1].length == 3);
  CHECK(patch::differing_ranges(a, a).empty());
}

TEST_CASE(
    "verify_patch accepts new bins written over the input's slack and cells spanning runs, and "
    "refuses a stray change",
    "[unit][patch]") {
  auto in = build(sample_tree());
  in.insert(in.end(), 4096, 0xEE);  // slack past the hive bins data: the new bins go there
  hive::Edit create;
  create.kind = hive::Edit::Kind::kCreateKey;
  create.key = hive::KeyPath::parse("ControlSet001\\Services\\InetInfo\\Parameters\\New");
  hive::Edit set{hive::Edit::Kind::kSetValue,      create.key,  std::string(1, 'V'), 3,
                 std::vector<std::uint8_t>(40, 1), std::nullopt};
  const patch::PatchPlan plan{create, set};
  patch::PatchResult patched = patch::apply_plan(in, plan, patch::ApplyOptions{kEdited});
  CHECK(patched.new_bins_offset == in.size() - 4096);
  const auto report = patch::verify_patch(in, patched, plan);
  CHECK_THAT(report.checks.front(), Contains("every other byte is unchanged"));
  // One byte changed in an untouched cell (a value's name in Select) is caught by the confinement
  // check.
  const regf::Reader r(in);
  const auto select = r.open(u"Select");
  const std::size_t stray = 4096 + select->offset.value + 4 + 76;  // the key name "Select"
  patched.bytes[stray] ^= 0x20;
  patched.differing = patch::differing_ranges(in, patched.bytes);
  CHECK_THROWS_WITH(
      patch::verify_patch(in, patched, plan),
      Contains("changed outside the base block, the touched cells and the new hive bins"));
}

TEST_CASE(
    "verify_patch refuses a change that reaches a key off the plan's paths, or a planned key that "
    "reads wrong",
    "[unit][patch]") {
  const auto tree = test::Tree{}
                        .key("Select")
                        .dword("Current", 1)
                        .key("ControlSet001\\Services\\InetInfo\\Parameters")
                        .raw("Blob", 3, std::vector<std::uint8_t>(40, 0x11))
                        .key("ControlSet001\\Services\\Other")
                        .raw("Blob", 3, std::vector<std::uint8_t>(40, 0x22))
                        .build();
  auto in = build(tree);
  const regf::Reader r(in);
  const auto params = r.open(u"ControlSet001\\Services\\InetInfo\\Parameters");
  const auto other = r.open(u"ControlSet001\\Services\\Other");
  const auto params_blob = r.value(*params, u"Blob");
  const auto other_blob = r.value(*other, u"Blob");
  REQUIRE(params_blob);
  REQUIRE(other_blob);
  hive::Edit set{hive::Edit::Kind::kSetValue,
                 hive::KeyPath::parse("ControlSet001\\Services\\InetInfo\\Parameters"),
                 "Blob",
                 3,
                 std::vector<std::uint8_t>(40, 0x33),
                 std::nullopt};
  const patch::PatchPlan plan{set};

  SECTION(
      "a data cell shared with a key the plan does not name: the same-size overwrite in place "
      "reaches it too") {
    // Other's vk points at Parameters' data cell (a hostile hive: one cell used twice).
    const std::size_t field = 4096 + other_blob->key.offset.value + 4 + 8;  // vk data offset
    util::ByteWriter(in).put_u32(field,
                                 util::le_u32(in, 4096 + params_blob->key.offset.value + 4 + 8));
    const auto patched = patch::apply_plan(in, plan, patch::ApplyOptions{kEdited});
    CHECK_THROWS_WITH(patch::verify_patch(in, patched, plan),
                      Contains("reads a changed cell but is not on the path of any edit"));
  }
  SECTION("a planned value tampered with inside its own (touched) cell") {
    auto patched = patch::apply_plan(in, plan, patch::ApplyOptions{kEdited});
    CHECK_NOTHROW(patch::verify_patch(in, patched, plan));
    const std::size_t data =
        4096 + params_blob->key.data_offset_field + 4;  // overwritten in place: same size
    REQUIRE(patched.bytes[data] == 0x33);
    patched.bytes[data] = 0x34;
    patched.differing = patch::differing_ranges(in, patched.bytes);
    CHECK_THROWS_WITH(
        patch::verify_patch(in, patched, plan),
        Contains("reads key \"ControlSet001\\Services\\InetInfo\\Parameters\" differently"));
  }
}

TEST_CASE(
    "verify_patch never accepts an output whose whole tree differs from the input's plus the plan",
    "[unit][patch]") {
  // The proportional proof against the whole-tree oracle it replaced: random bytes changed in the
  // touched cells and the new bins of a patched hive (where the confinement check lets changes
  // through) must either be refused, or leave the whole tree exactly the input's plus the plan
  // (slack bytes no reader looks at).
  const auto in = build(sample_tree());
  hive::Edit create;
  create.kind = hive::Edit::Kind::kCreateKey;
  create.key = hive::KeyPath::parse("ControlSet001\\Services\\InetInfo\\Parameters\\New");
  hive::Edit set{hive::Edit::Kind::kSetValue,
                 hive::KeyPath::parse("ControlSet001\\Services\\InetInfo\\Parameters"),
                 "DispatchEntries",
                 7,
                 utf16z(u"Ldapsvc\0Smtpsvc\0Nntpsvc\0Imap4svc\0Pop3svc\0Resvc\0"),
                 std::nullopt};
  hive::Edit add{hive::Edit::Kind::kSetValue,      create.key,  "V", 3,
                 std::vector<std::uint8_t>(40, 1), std::nullopt};
  const patch::PatchPlan plan{create, set, add};
  const patch::PatchResult good = patch::apply_plan(in, plan, patch::ApplyOptions{kEdited});
  REQUIRE_NOTHROW(patch::verify_patch(in, good, plan));
  regf::TreeKey expected = regf::Reader(in).read_tree();
  patch::apply_to_tree(expected, plan);

  std::vector<std::pair<std::size_t, std::size_t>>
      places;  // [begin, end) of bytes a stray change may hit
  for (const auto& c : good.cells) places.emplace_back(c.file_offset, c.file_offset + c.size);
  places.emplace_back(good.new_bins_offset, good.bytes.size());
  std::uint64_t seed = 0x9E3779B97F4A7C15ull;
  const auto next = [&] {
    seed ^= seed << 13;
    seed ^= seed >> 7;
    seed ^= seed << 17;
    return seed;
  };
  std::size_t refused = 0, accepted = 0;
  for (int round = 0; round < 600; ++round) {
    patch::PatchResult bad = good;
    const int flips = 1 + static_cast<int>(next() % 3);
    for (int f = 0; f < flips; ++f) {
      const auto& [begin, end] = places[next() % places.size()];
      const std::size_t at = begin + next() % (end - begin);
      bad.bytes[at] = static_cast<std::uint8_t>(next());
    }
    bad.differing = patch::differing_ranges(in, bad.bytes);
    bool ok = true;
    try {
      (void)patch::verify_patch(in, bad, plan);
    } catch (const Error&) {
      ok = false;
    }
    if (!ok) {
      ++refused;
      continue;
    }
    ++accepted;
    INFO("round " << round);
    const regf::Reader r(bad.bytes);
    REQUIRE(r.diagnostics().empty());
    const auto diffs = hive::diff_trees(expected, r.read_tree());
    for (const auto& d : diffs) FAIL("accepted, but the whole tree differs: " + d);
  }
  INFO("refused " << refused << ", accepted " << accepted);
  CHECK(refused > 100);
}

TEST_CASE("editor: a key added under an li list (as NT 4 wrote them) goes into a new li in order",
          "[unit][regf][editor]") {
  auto in =
      build(sample_tree(), 3);  // lf lists; Services' list is rewritten in place as an li below
  const regf::Reader before(in);
  const auto services = before.open(u"ControlSet001\\Services");
  const auto old = regf::parse_subkey_list(before.cells().get(services->subkeys_list, "list"));
  REQUIRE(old.kind == regf::ListKind::kFastLeaf);
  const std::size_t d = 4096 + services->subkeys_list.value + 4;
  util::ByteWriter w(in);
  in[d] = 'l';
  in[d + 1] = 'i';
  for (std::size_t i = 0; i < old.elements.size(); ++i)
    w.put_u32(d + 4 + 4 * i, old.elements[i].offset.value);
  auto e = editor(in);
  e.create_key(u"ControlSet001\\Services\\Mike");
  e.create_key(u"ControlSet001\\Services\\Aardvark");
  const auto out = e.commit();
  read_back(out);
  const regf::Reader r(out);
  const auto after = r.open(u"ControlSet001\\Services");
  CHECK(regf::parse_subkey_list(r.cells().get(after->subkeys_list, "list")).kind ==
        regf::ListKind::kIndexLeaf);
  std::vector<std::u16string> names;
  for (const auto& k : r.subkeys(*after)) names.push_back(k.name);
  CHECK(names == std::vector<std::u16string>{u"Aardvark", u"Alpha", u"InetInfo", u"Mike",
                                             u"SMTPSVC", u"Zulu"});
}

TEST_CASE(
    "editor and builder store names alike: units 0x80-0x9F as UTF-16, other Latin-1 names "
    "compressed",
    "[unit][regf][editor]") {
  // libregf decodes compressed names as Windows-1252, so a compressed U+0085 would read back as
  // U+2026: the editor compressed every unit up to 0xFF while the builder did not (issue 16). Both
  // now use regf::encode_name.
  const std::u16string c1_key = u"Svc\u0085", latin1_key = u"Caf\u00E9",
                       c1_value = u"Name\u0080\u00E9";
  const std::string c1_key_utf8 = "Svc\xC2\x85", latin1_key_utf8 = "Caf\xC3\xA9",
                    c1_value_utf8 = "Name\xC2\x80\xC3\xA9";
  auto e = editor(build(sample_tree()));
  CHECK(e.create_key(u"ControlSet001\\Services\\" + c1_key) == 1);
  CHECK(e.create_key(u"ControlSet001\\Services\\" + latin1_key) == 1);
  const std::vector<std::uint8_t> one{1, 0, 0, 0};
  e.set_value(u"ControlSet001\\Services\\" + c1_key, c1_value, regf::kRegDword, one);
  const auto edited = e.commit();

  regf::TreeKey tree;
  tree.name = u"ROOT";
  tree.ensure_subkey(c1_key).values.push_back(regf::TreeValue{c1_value, regf::kRegDword, one});
  tree.ensure_subkey(latin1_key);
  const auto built = build(tree);

  for (const auto& [what, bytes, prefix] :
       {std::tuple{"edited", edited, std::string("ControlSet001\\Services\\")},
        std::tuple{"built", built, std::string()}}) {
    INFO(what);
    const regf::Reader r(bytes);
    const std::u16string p16 = util::utf8_to_utf16(prefix);
    const auto c1 = r.open(p16 + c1_key);
    REQUIRE(c1);
    CHECK_FALSE(c1->name_compressed);
    CHECK(r.open(p16 + latin1_key)->name_compressed);
    const auto values = r.values(*c1);
    REQUIRE(values.size() == 1);
    CHECK_FALSE(values[0].key.name_compressed);
    CHECK(values[0].key.name == c1_value);
    // libregf reads every name back as written.
    const auto libregf = hive::LibregfReader::open_memory(bytes, what);
    const auto key = libregf->key(hive::KeyPath::parse(prefix + c1_key_utf8));
    REQUIRE(key);
    CHECK(key->name == c1_key_utf8);
    const auto read = libregf->values(hive::KeyPath::parse(prefix + c1_key_utf8));
    REQUIRE(read.size() == 1);
    CHECK(read[0].name == c1_value_utf8);
    CHECK(libregf->key(hive::KeyPath::parse(prefix + latin1_key_utf8))->name == latin1_key_utf8);
  }
}
