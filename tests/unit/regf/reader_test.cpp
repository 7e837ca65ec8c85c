#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>

#include "hive/libregf_reader.hpp"
#include "hive/tree_walk.hpp"
#include "regf/builder.hpp"
#include "regf/checksum.hpp"
#include "regf/hive_image.hpp"
#include "regf/reader.hpp"
#include "regf/subkey_list.hpp"
#include "support/cell_image.hpp"
#include "support/real_hives.hpp"
#include "util/utf16.hpp"

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
  return root;
}

std::vector<std::uint8_t> build(const regf::TreeKey& t) {
  regf::BuildOptions o;
  o.timestamp = 127305216000000000ull;
  return regf::build_hive(t, o).bytes;
}

// File offset of the nk cell data of `path` in `bytes` (found through our reader).
std::size_t nk_data_offset(const std::vector<std::uint8_t>& bytes, std::u16string_view path) {
  const regf::Reader r(bytes);
  return regf::kBaseBlockSize + r.open(path)->offset.value + regf::kCellHeaderSize;
}

void poke_u32(std::vector<std::uint8_t>& b, std::size_t at, std::uint32_t v) {
  for (int i = 0; i < 4; ++i)
    b[at + static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(v >> (8 * i));
}

}  // namespace

TEST_CASE("the reader reads back exactly what the builder wrote", "[unit][regf]") {
  const auto tree = small_tree();
  const auto bytes = build(tree);
  const regf::Reader r(bytes);
  CHECK(r.diagnostics().empty());
  CHECK(hive::diff_trees(tree, r.read_tree()).empty());
  const auto params = r.open(u"controlset001\\SERVICES\\inetinfo\\parameters");
  REQUIRE(params.has_value());
  CHECK(params->name == u"Parameters");
  CHECK(r.value(*params, u"listenbacklog")->data == std::vector<std::uint8_t>{15, 0, 0, 0});
  CHECK_FALSE(r.open(u"ControlSet002").has_value());
}

TEST_CASE("built keys share one security cell whose count and links are right", "[unit][regf]") {
  const auto bytes = build(small_tree());
  const regf::Reader r(bytes);
  const auto root_sk = r.security(r.root());
  const auto params = *r.open(u"ControlSet001\\Services\\InetInfo\\Parameters");
  CHECK(params.security == r.root().security);
  CHECK(root_sk.reference_count == 5);  // ROOT, ControlSet001, Services, InetInfo, Parameters
  CHECK(root_sk.flink == root_sk.offset);
  CHECK(root_sk.blink == root_sk.offset);
  CHECK(root_sk.descriptor == regf::default_security_descriptor());
}

TEST_CASE("a security descriptor that overruns its cell is refused", "[unit][regf]") {
  auto bytes = build(small_tree());
  const regf::Reader before(bytes);
  const std::size_t sk =
      regf::kBaseBlockSize + before.root().security.value + regf::kCellHeaderSize;
  poke_u32(bytes, sk + regf::kSkDescriptorSize.offset, 5000);
  const regf::Reader r(bytes);
  REQUIRE_THROWS_WITH(r.security(r.root()), Contains("key security (sk) at ") &&
                                                Contains("security descriptor needs 5000 bytes"));
}

TEST_CASE("an nk name longer than its cell is reported with the field and offset", "[unit][regf]") {
  auto bytes = build(small_tree());
  const std::size_t nk = nk_data_offset(bytes, u"ControlSet001\\Services");
  bytes[nk + regf::kNkKeyNameLength.offset] = 0x00;
  bytes[nk + regf::kNkKeyNameLength.offset + 1] = 0x04;  // 1024 bytes
  const regf::Reader r(bytes);
  REQUIRE_THROWS_WITH(r.read_tree(), Contains("key node (nk) at ") &&
                                         Contains("key name needs 1024 bytes at +0x4c"));
}

TEST_CASE("a subkey list pointing into the middle of a cell is refused, naming the offset",
          "[unit][regf]") {
  auto bytes = build(small_tree());
  const std::size_t nk = nk_data_offset(bytes, u"ControlSet001");
  const regf::Reader before(bytes);
  const std::uint32_t list = before.open(u"ControlSet001")->subkeys_list.value;
  poke_u32(bytes, nk + regf::kNkSubkeysList.offset, list + 8);
  const regf::Reader r(bytes);
  REQUIRE_THROWS_WITH(r.read_tree(), Contains("is not the start of an allocated cell"));
}

TEST_CASE("a subkey list that loops back to an ancestor is a cycle, not a hang", "[unit][regf]") {
  auto bytes = build(small_tree());
  const regf::Reader before(bytes);
  const auto services = *before.open(u"ControlSet001\\Services");
  const auto root = before.root();
  // Point Services' subkeys list at the root's list, which holds ControlSet001 again.
  poke_u32(bytes, nk_data_offset(bytes, u"ControlSet001\\Services") + regf::kNkSubkeysList.offset,
           root.subkeys_list.value);
  (void)services;
  const regf::Reader r(bytes);
  REQUIRE_THROWS_WITH(r.read_tree(), Contains("listed as a subkey twice"));
}

TEST_CASE("hbin damage is reported with its offset, and a broken first hbin is fatal",
          "[unit][regf]") {
  auto bytes = build(small_tree());
  SECTION("first hbin signature") {
    bytes[regf::kBaseBlockSize] = 'X';
    REQUIRE_THROWS_WITH(
        regf::Reader(bytes),
        Contains("hive bin at 0x00001000: signature is \"Xbin\", expected \"hbin\""));
  }
  SECTION("hbin size not a multiple of 4096") {
    poke_u32(bytes, regf::kBaseBlockSize + regf::kHbinSize.offset, 4000);
    REQUIRE_THROWS_WITH(regf::Reader(bytes),
                        Contains("size is 4000, not a non-zero multiple of 4096"));
  }
  SECTION("a cell size that is not a multiple of 8 ends the walk of its bin with a diagnostic") {
    const regf::Reader ok(bytes);
    const std::size_t nk_cell =
        regf::kBaseBlockSize + ok.open(u"ControlSet001\\Services\\InetInfo")->offset.value;
    poke_u32(bytes, nk_cell, static_cast<std::uint32_t>(-13));
    const regf::Reader r(bytes);
    REQUIRE_FALSE(r.diagnostics().empty());
    CHECK_THAT(r.diagnostics()[0].message, Contains("size is -13"));
    CHECK(r.diagnostics()[0].file_offset == nk_cell);
  }
}

TEST_CASE("every real hive either reads fully or fails with a FormatError", "[unit][regf][real]") {
  if (!test::have_real_hives()) return;
  const std::filesystem::path dir = test::real_hives_dir();
  std::size_t read = 0, refused = 0, salvaged_with_damage = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file() || entry.path().extension() == ".md") continue;
    INFO(entry.path());
    const auto image = regf::HiveImage::load(entry.path());
    // Only FormatError may escape the reader: anything else (out_of_range, bad_alloc, a crash)
    // fails this test.
    try {
      const regf::Reader r(image.bytes());
      try {
        (void)r.read_tree();
        ++read;
      } catch (const FormatError& e) {
        ++refused;
        CHECK_THAT(std::string(e.what()), Contains(" at 0x"));
        std::vector<regf::Diagnostic> damage;
        (void)r.salvage_tree(
            damage);  // strict read failed below the root: salvaging must get past it
        CHECK_FALSE(damage.empty());
        ++salvaged_with_damage;
      }
    } catch (const FormatError& e) {
      ++refused;  // not a hive, or the base block / first hbin / root key is unusable: a clear
                  // message
      CHECK_THAT(std::string(e.what()), Contains(" at 0x"));
    }
  }
  INFO("read " << read << ", refused " << refused << ", salvaged " << salvaged_with_damage);
  CHECK(read > 40);
  CHECK(refused > 10);
}

namespace {

// libregf 20201007 normalises some data (hive::libregf_reads_as); everything else must match.
bool known_libregf_difference(const regf::TreeValue& libregf, const regf::TreeValue& ours) {
  return hive::libregf_reads_as(ours.type, ours.data, libregf.data);
}

void compare(const regf::TreeKey& libregf, const regf::TreeKey& ours, const std::string& path,
             std::vector<std::string>& out, std::size_t& tolerated) {
  if (libregf.values.size() != ours.values.size() ||
      libregf.subkeys.size() != ours.subkeys.size()) {
    out.push_back(path + ": counts differ");
    return;
  }
  for (std::size_t i = 0; i < ours.values.size(); ++i) {
    const auto& a = libregf.values[i];
    const auto& b = ours.values[i];
    if (a.name != b.name || a.type != b.type)
      out.push_back(path + ": value " + std::to_string(i) + " name or type differs");
    else if (a.data != b.data && !known_libregf_difference(a, b))
      out.push_back(path + "\\" + util::utf16_to_utf8(b.name).text + ": data differs");
    else if (a.data != b.data)
      ++tolerated;
  }
  for (std::size_t i = 0; i < ours.subkeys.size(); ++i)
    compare(libregf.subkeys[i], ours.subkeys[i],
            path + "\\" + util::utf16_to_utf8(ours.subkeys[i].name).text, out, tolerated);
}

}  // namespace

TEST_CASE("on healthy real hives our reader and libregf see the same tree", "[unit][regf][real]") {
  if (!test::have_real_hives()) return;
  const std::filesystem::path dir = test::real_hives_dir();
  for (const char* name : {"bitcurator/SYSTEM", "hivex/minimal", "nt-hive/testhive",
                           "notatin/NTUSER.DAT", "dissect.regf/SYSTEM"}) {
    const auto path =
        test::real_hive(name);  // each of the five must be there: none is skipped quietly
    INFO(name);
    const auto image = regf::HiveImage::load(path);
    const regf::Reader ours(image.bytes());
    const auto libregf = hive::LibregfReader::open_memory(image.bytes(), path.string());
    std::vector<std::string> diffs;
    std::size_t tolerated = 0;
    compare(libregf->read_tree(), ours.read_tree(), "", diffs, tolerated);
    for (std::size_t i = 0; i < diffs.size() && i < 20; ++i) UNSCOPED_INFO(diffs[i]);
    CHECK(diffs.empty());
  }
}

namespace {

void count(const regf::TreeKey& k, std::size_t& keys, std::size_t& values) {
  ++keys;
  values += k.values.size();
  for (const auto& s : k.subkeys) count(s, keys, values);
}

std::string utf8(const std::vector<std::uint8_t>& utf16le) {
  auto text = util::utf16le_to_utf8(utf16le).text;
  while (!text.empty() && text.back() == '\0') text.pop_back();
  return text;
}

}  // namespace

// Every number and value below was checked by hand with independent tools: key and value counts
// with both `reglookup -H [-t KEY] HIVE | wc -l` and `hivexregedit --export HIVE '\'`, values with
// `hivexget`, names and sizes with python3-hivex.
TEST_CASE("real hives: counts and values agree with reglookup, hivexregedit and hivexget",
          "[unit][regf][real]") {
  if (!test::have_real_hives()) return;
  const std::filesystem::path dir = test::real_hives_dir();
  struct Expected {
    const char* file;
    std::size_t keys, values;
  };
  for (const Expected& e :
       {Expected{"bitcurator/SYSTEM", 9629, 26819},
        Expected{"regipy/SYSTEM_WIN_10_1709", 43211, 90307}, Expected{"nt-hive/testhive", 528, 12},
        Expected{"hivex/minimal", 1, 0}}) {
    INFO(e.file);
    const auto image = regf::HiveImage::load(dir / e.file);
    const regf::Reader r(image.bytes());
    std::size_t keys = 0, values = 0;
    count(r.read_tree(), keys, values);
    CHECK(keys == e.keys);
    CHECK(values == e.values);
    std::vector<regf::Diagnostic> damage;
    (void)r.salvage_tree(damage);
    CHECK(damage.empty());
  }
  {
    const auto image = regf::HiveImage::load(dir / "bitcurator/SYSTEM");  // Windows XP SP3
    const regf::Reader r(image.bytes());
    const auto name = r.open(u"ControlSet001\\Control\\ComputerName\\ComputerName");
    REQUIRE(name.has_value());
    CHECK(utf8(r.value(*name, u"ComputerName")->data) == "M57-PAT");
    const auto select = r.open(u"select");
    REQUIRE(select.has_value());
    CHECK(r.value(*select, u"LastKnownGood")->data == std::vector<std::uint8_t>{2, 0, 0, 0});
    CHECK(r.value(*select, u"Current")->data == std::vector<std::uint8_t>{1, 0, 0, 0});
  }
  {
    const auto image = regf::HiveImage::load(dir / "regipy/SYSTEM_WIN_10_1709");
    const regf::Reader r(image.bytes());
    const auto name = r.open(u"\\ControlSet001\\Control\\ComputerName\\ComputerName");
    REQUIRE(name.has_value());
    CHECK(utf8(r.value(*name, u"computername")->data) == "DESKTOP-2KGM189");
  }
  {
    const auto image = regf::HiveImage::load(dir / "nt-hive/testhive");  // written by offreg.dll
    const regf::Reader r(image.bytes());
    const auto data = r.open(u"data-test");
    REQUIRE(data.has_value());
    CHECK(r.value(*data, u"dword")->data == std::vector<std::uint8_t>{0x2a, 0, 0, 0});
    // Raw bytes as stored (python3-hivex value_value): offreg wrote 2a 00 00 00; hivexget's
    // "dword:2a000000" is its big-endian reading of those bytes.
    CHECK(r.value(*data, u"dword-big-endian")->data == std::vector<std::uint8_t>{0x2a, 0, 0, 0});
    CHECK(r.value(*data, u"binary")->data == std::vector<std::uint8_t>{1, 2, 3, 4, 5});
    CHECK(r.value(*data, u"qword")->data == std::vector<std::uint8_t>(8, 0xff));
    CHECK(utf8(r.value(*data, u"reg-sz")->data) == "sz-test");
    const auto big = r.open(u"big-data-test");
    REQUIRE(big.has_value());
    const auto a = r.value(*big, u"A"), b = r.value(*big, u"B"), c = r.value(*big, u"C");
    CHECK(a->data == std::vector<std::uint8_t>(16343, 'A'));
    CHECK_FALSE(a->big_data);
    CHECK(b->data == std::vector<std::uint8_t>(16344, 'B'));
    CHECK_FALSE(b->big_data);
    CHECK(c->data ==
          std::vector<std::uint8_t>(16345, 'C'));  // one byte over: a db record with two segments
    CHECK(c->big_data);
    // Sibling keys U+10410 (Deseret capital) and U+10438 (its small letter) coexist: Windows folds
    // names unit by unit and leaves surrogates alone, so they are different names. Fullwidth a
    // folds to fullwidth A.
    const auto enc = r.open(u"character-encoding-test");
    REQUIRE(enc.has_value());
    CHECK(r.subkeys(*enc).size() == 4);
    CHECK(r.open(u"character-encoding-test\\\U00010438")->name == u"\U00010438");
    CHECK(r.open(u"character-encoding-test\\\U00010410")->name == u"\U00010410");
    CHECK(r.open(u"character-encoding-test\\\uFF41")->name == u"\uFF21");
    CHECK(r.open(u"CHARACTER-ENCODING-TEST\\\u00C4\u00D6\u00DC")->name == u"\u00E4\u00F6\u00FC");
  }
}

namespace {

// ROOT with subkeys Good (one value) and Bad (whose values list points into the middle of a cell).
struct DamagedHive {
  test::CellImage image;
  regf::CellOffset root, good, bad, list, value;
  DamagedHive() {
    root = image.add(test::nk("ROOT", regf::kNoCell, regf::kKeyCompName | regf::kKeyHiveEntry));
    auto bad_nk = test::nk("Bad", root);
    test::with_values(bad_nk, 1, regf::CellOffset{root.value + 8});
    bad = image.add(bad_nk);
    value = image.add(test::vk("V", regf::kRegDword, 0x80000004u, 7));
    auto good_nk = test::nk("Good", root);
    test::with_values(good_nk, 1, image.add(test::offsets({value})));
    good = image.add(good_nk);
    list = image.add(
        test::pairs_list("lh", {{bad, regf::lh_hash(u"Bad")}, {good, regf::lh_hash(u"Good")}}));
    image.set_root(root);
  }
  std::vector<std::uint8_t> bytes() const {
    auto out = image.bytes();
    test::poke_u32(out, test::CellImage::data_at(root) + regf::kNkNumberOfSubkeys.offset, 2);
    test::poke_u32(out, test::CellImage::data_at(root) + regf::kNkSubkeysList.offset, list.value);
    return out;
  }
};

}  // namespace

TEST_CASE("salvage_tree reads around a damaged values list and names it", "[unit][regf]") {
  const DamagedHive h;
  const auto bytes = h.bytes();
  const regf::Reader r(bytes);
  REQUIRE_THROWS_WITH(r.read_tree(), Contains("is not the start of an allocated cell"));
  std::vector<regf::Diagnostic> damage;
  const auto tree = r.salvage_tree(damage);
  REQUIRE(tree.subkeys.size() == 2);
  CHECK(tree.subkeys[0].name == u"Bad");
  CHECK(tree.subkeys[0].values.empty());
  CHECK(tree.subkeys[1].values.size() == 1);
  REQUIRE(damage.size() == 1);
  CHECK(damage[0].severity == regf::Severity::kError);
  CHECK(damage[0].structure == "key values list");
  CHECK(damage[0].file_offset == regf::to_file_offset(h.root).value + 8);
  CHECK_THAT(damage[0].message, Contains("is not the start of an allocated cell"));
}

TEST_CASE("salvage_tree reports cycles, count mismatches and wrong lh hashes, and terminates",
          "[unit][regf]") {
  const DamagedHive h;
  auto bytes = h.bytes();
  // Good's subkeys list = the root's list (Bad, Good again): a cycle; and Bad's hash is wrong.
  test::poke_u32(bytes, test::CellImage::data_at(h.good) + regf::kNkNumberOfSubkeys.offset, 3);
  test::poke_u32(bytes, test::CellImage::data_at(h.good) + regf::kNkSubkeysList.offset,
                 h.list.value);
  test::poke_u32(bytes, test::CellImage::data_at(h.list) + 4 + 4, 0x12345678u);
  const regf::Reader r(bytes);
  REQUIRE_THROWS_AS(r.read_tree(), FormatError);
  std::vector<regf::Diagnostic> damage;
  const auto tree = r.salvage_tree(damage);
  CHECK(tree.subkeys.size() == 2);
  std::string all;
  for (const auto& d : damage) all += d.structure + ": " + d.message + "\n";
  INFO(all);
  CHECK_THAT(all, Contains("hash leaf (lh): name hash of \"Bad\" is 0x12345678, computed"));
  CHECK_THAT(all, Contains("number of subkeys is 3 but its subkeys list holds 2"));
  CHECK_THAT(all, Contains("listed as a subkey twice"));
}

TEST_CASE("child() finds a key by its lh hash, and still finds one stored behind a wrong hash",
          "[unit][regf]") {
  const DamagedHive h;
  auto bytes = h.bytes();
  const regf::Reader r(bytes);
  const auto root = r.root();
  CHECK(r.child(root, u"GOOD")->offset.value == h.good.value);
  CHECK_FALSE(r.child(root, u"Missing").has_value());
  test::poke_u32(bytes, test::CellImage::data_at(h.list) + 4 + 4, 0x12345678u);  // Bad's hash
  const regf::Reader wrong(bytes);
  CHECK(wrong.child(wrong.root(), u"bad")->offset.value == h.bad.value);
  CHECK(wrong.open(u"Good").has_value());
}

TEST_CASE("child_in remembering the names it compared answers and fails as child_in does",
          "[unit][regf]") {
  const DamagedHive h;
  auto bytes = h.bytes();
  test::poke_u32(bytes, test::CellImage::data_at(h.list) + 4 + 4, 0x12345678u);  // Bad's hash
  const regf::Reader r(bytes);
  const auto listed = r.listed_subkeys(r.root());
  regf::Reader::NameScan scan;
  for (const std::u16string name : {u"Missing", u"bad", u"GOOD", u"good", u"BAD", u"Other"}) {
    INFO(std::string(name.begin(), name.end()));
    const auto remembered = r.child_in(listed, name, scan);
    const auto fresh = r.child_in(listed, name);
    REQUIRE(remembered.has_value() == fresh.has_value());
    if (fresh) CHECK(remembered->offset.value == fresh->offset.value);
  }
  CHECK(scan.read == 2);  // the first miss read both names; nothing was read twice
  CHECK(scan.first_by_name.size() == 2);

  // A list element that is not a key node: a lookup that reaches it fails, and so does the next
  // one, as without the memory; a name found by its hash before it is still found.
  auto broken = h.bytes();
  test::poke_u32(broken, test::CellImage::data_at(h.list) + 4, h.value.value);  // Bad -> a vk
  const regf::Reader b(broken);
  const auto broken_list = b.listed_subkeys(b.root());
  regf::Reader::NameScan broken_scan;
  CHECK_THROWS_AS(b.child_in(broken_list, u"Missing", broken_scan), FormatError);
  CHECK_THROWS_AS(b.child_in(broken_list, u"Missing"), FormatError);
  CHECK(broken_scan.read == 0);
  CHECK_THROWS_AS(b.child_in(broken_list, u"Missing", broken_scan), FormatError);
  CHECK(b.child_in(broken_list, u"Good", broken_scan)->offset.value == h.good.value);
}

TEST_CASE(
    "lazy cell map: cells of a bin are scanned only when a lookup reaches it, with the same "
    "results",
    "[unit][regf]") {
  // A hive whose second (extra) bin holds a broken cell: the full scan reports it, the lazy reader
  // does not until something points into that bin.
  auto bytes = build(small_tree());
  const std::size_t extra = bytes.size();
  bytes.resize(extra + 4096, 0);
  const std::uint32_t rel = static_cast<std::uint32_t>(extra - regf::kBaseBlockSize);
  std::copy_n("hbin", 4, bytes.begin() + static_cast<std::ptrdiff_t>(extra));
  poke_u32(bytes, extra + 4, rel);
  poke_u32(bytes, extra + 8, 4096);
  poke_u32(bytes, extra + 32, 3);  // a cell size that is not a multiple of 8
  poke_u32(bytes, regf::kBbHiveBinsDataSize.offset, rel + 4096);
  poke_u32(
      bytes, regf::kBbChecksum.offset,
      regf::base_block_checksum(std::span<const std::uint8_t>(bytes).first(regf::kBaseBlockSize)));

  const regf::Reader full(bytes);
  REQUIRE(full.diagnostics().size() == 1);
  CHECK_THAT(full.diagnostics()[0].message, Contains("size is 3"));
  const regf::Reader lazy(bytes, true);
  CHECK(lazy.diagnostics().empty());
  const auto params = lazy.open(u"ControlSet001\\Services\\InetInfo\\Parameters");
  REQUIRE(params.has_value());
  CHECK(lazy.value(*params, u"DispatchEntries").has_value());
  CHECK(lazy.lazy_diagnostics().empty());  // the lookup never reached the extra bin
  CHECK(hive::diff_trees(full.read_tree(), lazy.read_tree()).empty());
  CHECK_FALSE(
      lazy.cells().is_allocated(regf::CellOffset{rel + 32}));  // now the extra bin is scanned
  REQUIRE(lazy.lazy_diagnostics().size() == 1);
  CHECK(lazy.lazy_diagnostics()[0].message == full.diagnostics()[0].message);
  CHECK(lazy.lazy_diagnostics()[0].file_offset == full.diagnostics()[0].file_offset);

  // A reader built from lazy's bins (for another thread) starts with no cell scanned, whatever
  // lazy scanned, and finds the same damage when it reaches the same bin.
  const regf::Reader sibling(lazy, regf::Reader::SameBins{});
  CHECK(sibling.lazy_diagnostics().empty());
  CHECK(hive::diff_trees(full.read_tree(), sibling.read_tree()).empty());
  CHECK_FALSE(sibling.cells().is_allocated(regf::CellOffset{rel + 32}));
  REQUIRE(sibling.lazy_diagnostics().size() == 1);
  CHECK(sibling.lazy_diagnostics()[0].message == full.diagnostics()[0].message);
}

TEST_CASE("a reader built from another's hive bins: the same bins and header damage, no walk",
          "[unit][regf]") {
  // The hive bins data size claims a bin more than the file holds: the header walk stops and says
  // so, once.
  auto bytes = build(small_tree());
  const std::size_t end = bytes.size();
  poke_u32(bytes, regf::kBbHiveBinsDataSize.offset,
           static_cast<std::uint32_t>(end - regf::kBaseBlockSize + 4096));
  bytes.resize(end + 4096, 0);  // no "hbin" there
  poke_u32(
      bytes, regf::kBbChecksum.offset,
      regf::base_block_checksum(std::span<const std::uint8_t>(bytes).first(regf::kBaseBlockSize)));
  const regf::Reader lazy(bytes, true);
  REQUIRE(lazy.diagnostics().size() == 1);
  CHECK_THAT(lazy.diagnostics()[0].message, Contains("signature is not"));

  const regf::Reader sibling(lazy, regf::Reader::SameBins{});
  REQUIRE(sibling.diagnostics().size() == 1);
  CHECK(sibling.diagnostics()[0].message == lazy.diagnostics()[0].message);
  CHECK(sibling.diagnostics()[0].file_offset == lazy.diagnostics()[0].file_offset);
  REQUIRE(sibling.cells().bins().size() == lazy.cells().bins().size());
  for (std::size_t i = 0; i < lazy.cells().bins().size(); ++i) {
    CHECK(sibling.cells().bins()[i].file_offset == lazy.cells().bins()[i].file_offset);
    CHECK(sibling.cells().bins()[i].size == lazy.cells().bins()[i].size);
  }
  CHECK(sibling.base_block().root_cell.value == lazy.base_block().root_cell.value);
  CHECK(hive::diff_trees(lazy.read_tree(), sibling.read_tree()).empty());
  // Built from a full reader, too: the bins of the full scan, cells scanned lazily.
  const regf::Reader full(bytes);
  const regf::Reader from_full(full, regf::Reader::SameBins{});
  CHECK(from_full.cells().bins().size() == full.cells().bins().size());
  CHECK(from_full.cells().allocated_count() == 0);  // lazy: it has no list of every cell
  CHECK(hive::diff_trees(full.read_tree(), from_full.read_tree()).empty());
}

TEST_CASE("lazy cell map: every real hive reads the same as with the full scan",
          "[unit][regf][real]") {
  if (!test::have_real_hives()) return;
  const std::filesystem::path dir = test::real_hives_dir();
  std::size_t compared = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file() || entry.path().extension() == ".md") continue;
    INFO(entry.path());
    const auto image = regf::HiveImage::load(entry.path());
    regf::TreeKey full_tree;
    try {
      full_tree = regf::Reader(image.bytes()).read_tree();
    } catch (const FormatError&) {
      continue;  // compared below only where the full scan reads the whole tree
    }
    const regf::Reader lazy(image.bytes(), true);
    CHECK(hive::diff_trees(full_tree, lazy.read_tree()).empty());
    CHECK(hive::diff_trees(full_tree, regf::Reader(lazy, regf::Reader::SameBins{}).read_tree())
              .empty());
    ++compared;
  }
  CHECK(compared > 40);
}
