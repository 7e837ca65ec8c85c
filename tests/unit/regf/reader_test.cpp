#include <catch2/catch.hpp>
#include <algorithm>
#include <chrono>
#include <filesystem>

#include "hive/libregf_reader.hpp"
#include "hive/tree_walk.hpp"
#include "regf/builder.hpp"
#include "regf/hive_image.hpp"
#include "regf/reader.hpp"
#include "util/utf16.hpp"

using namespace hivelint;
using Catch::Matchers::Contains;

namespace {

regf::TreeKey small_tree() {
  regf::TreeKey root;
  root.name = u"ROOT";
  auto& params = root.ensure_subkey(u"ControlSet001").ensure_subkey(u"Services").ensure_subkey(u"InetInfo").ensure_subkey(u"Parameters");
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
  for (int i = 0; i < 4; ++i) b[at + static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(v >> (8 * i));
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
  const std::size_t sk = regf::kBaseBlockSize + before.root().security.value + regf::kCellHeaderSize;
  poke_u32(bytes, sk + regf::kSkDescriptorSize.offset, 5000);
  const regf::Reader r(bytes);
  REQUIRE_THROWS_WITH(r.security(r.root()), Contains("key security (sk) at ") && Contains("security descriptor needs 5000 bytes"));
}

TEST_CASE("an nk name longer than its cell is reported with the field and offset", "[unit][regf]") {
  auto bytes = build(small_tree());
  const std::size_t nk = nk_data_offset(bytes, u"ControlSet001\\Services");
  bytes[nk + regf::kNkKeyNameLength.offset] = 0x00;
  bytes[nk + regf::kNkKeyNameLength.offset + 1] = 0x04;  // 1024 bytes
  const regf::Reader r(bytes);
  REQUIRE_THROWS_WITH(r.read_tree(), Contains("key node (nk) at ") && Contains("key name needs 1024 bytes at +0x4c"));
}

TEST_CASE("a subkey list pointing into the middle of a cell is refused, naming the offset", "[unit][regf]") {
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
  poke_u32(bytes, nk_data_offset(bytes, u"ControlSet001\\Services") + regf::kNkSubkeysList.offset, root.subkeys_list.value);
  (void)services;
  const regf::Reader r(bytes);
  REQUIRE_THROWS_WITH(r.read_tree(), Contains("listed as a subkey twice"));
}

TEST_CASE("hbin damage is reported with its offset, and a broken first hbin is fatal", "[unit][regf]") {
  auto bytes = build(small_tree());
  SECTION("first hbin signature") {
    bytes[regf::kBaseBlockSize] = 'X';
    REQUIRE_THROWS_WITH(regf::Reader(bytes), Contains("hive bin at 0x00001000: signature is \"Xbin\", expected \"hbin\""));
  }
  SECTION("hbin size not a multiple of 4096") {
    poke_u32(bytes, regf::kBaseBlockSize + regf::kHbinSize.offset, 4000);
    REQUIRE_THROWS_WITH(regf::Reader(bytes), Contains("size is 4000, not a non-zero multiple of 4096"));
  }
  SECTION("a cell size that is not a multiple of 8 ends the walk of its bin with a diagnostic") {
    const regf::Reader ok(bytes);
    const std::size_t nk_cell = regf::kBaseBlockSize + ok.open(u"ControlSet001\\Services\\InetInfo")->offset.value;
    poke_u32(bytes, nk_cell, static_cast<std::uint32_t>(-13));
    const regf::Reader r(bytes);
    REQUIRE_FALSE(r.diagnostics().empty());
    CHECK_THAT(r.diagnostics()[0].message, Contains("size is -13"));
    CHECK(r.diagnostics()[0].file_offset == nk_cell);
  }
}

TEST_CASE("every real hive either reads fully or fails with a FormatError", "[unit][regf][real]") {
  const std::filesystem::path dir = std::filesystem::path(HIVELINT_SHARED_DIR) / "hives-real";
  if (!std::filesystem::exists(dir)) {
    WARN("skipped: " << dir << " is absent (the real hives live beside the repository in ../shared)");
    return;
  }
  std::size_t read = 0, refused = 0;
  const auto start = std::chrono::steady_clock::now();
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file() || entry.path().extension() == ".md") continue;
    const auto image = regf::HiveImage::load(entry.path());
    try {
      const regf::Reader r(image.bytes());
      (void)r.read_tree();
      ++read;
    } catch (const hivelint::Error& e) {
      ++refused;  // FormatError (or a cap): a clear message, never a crash
      CHECK_THAT(std::string(e.what()), Contains(" at 0x"));
    }
  }
  INFO("read " << read << ", refused " << refused);
  CHECK(read > 40);
  CHECK(refused > 10);
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(60));
}

namespace {

// libregf 20201007 normalises some data (hive::libregf_reads_as); everything else must match.
bool known_libregf_difference(const regf::TreeValue& libregf, const regf::TreeValue& ours) {
  return hive::libregf_reads_as(ours.type, ours.data, libregf.data);
}

void compare(const regf::TreeKey& libregf, const regf::TreeKey& ours, const std::string& path, std::vector<std::string>& out,
             std::size_t& tolerated) {
  if (libregf.values.size() != ours.values.size() || libregf.subkeys.size() != ours.subkeys.size()) {
    out.push_back(path + ": counts differ");
    return;
  }
  for (std::size_t i = 0; i < ours.values.size(); ++i) {
    const auto& a = libregf.values[i];
    const auto& b = ours.values[i];
    if (a.name != b.name || a.type != b.type) out.push_back(path + ": value " + std::to_string(i) + " name or type differs");
    else if (a.data != b.data && !known_libregf_difference(a, b)) out.push_back(path + "\\" + util::utf16_to_utf8(b.name).text + ": data differs");
    else if (a.data != b.data) ++tolerated;
  }
  for (std::size_t i = 0; i < ours.subkeys.size(); ++i)
    compare(libregf.subkeys[i], ours.subkeys[i], path + "\\" + util::utf16_to_utf8(ours.subkeys[i].name).text, out, tolerated);
}

}  // namespace

TEST_CASE("on healthy real hives our reader and libregf see the same tree", "[unit][regf][real]") {
  const std::filesystem::path dir = std::filesystem::path(HIVELINT_SHARED_DIR) / "hives-real";
  if (!std::filesystem::exists(dir)) {
    WARN("skipped: " << dir << " is absent");
    return;
  }
  for (const char* name : {"bitcurator/SYSTEM", "hivex/minimal", "nt-hive/testhive", "notatin/NTUSER.DAT", "dissect.regf/SYSTEM"}) {
    const auto path = dir / name;
    if (!std::filesystem::exists(path)) continue;
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
