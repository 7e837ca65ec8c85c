#include <catch2/catch.hpp>

#include <filesystem>
#include <functional>
#include <set>

#include "regf/hive_image.hpp"
#include "regf/key_node.hpp"
#include "regf/reader.hpp"
#include "regf/subkey_list.hpp"
#include "support/cell_image.hpp"
#include "support/real_hives.hpp"
#include "util/utf16.hpp"

using namespace hivelint;
using Catch::Matchers::Contains;

TEST_CASE("lh hash of ASCII names: h = 37 h + unit over the uppercased name", "[unit][regf]") {
  // Expected values computed independently (Python: for c in NAME.upper(): h = (h*37 + ord(c)) &
  // 0xffffffff).
  CHECK(regf::lh_hash(u"Services") == 578484016u);
  CHECK(regf::lh_hash(u"SERVICES") == 578484016u);
  CHECK(regf::lh_hash(u"ControlSet001") == 2403051938u);
  CHECK(regf::lh_hash(u"a") == 65u);
  CHECK(regf::lh_hash(u"") == 0u);
}

TEST_CASE("lh hash of non-ASCII names uses UTF-16 units and Windows' upcase table",
          "[unit][regf]") {
  CHECK(regf::lh_hash(u"B\u00FCro") == 3647391u);  // over "BÜRO" (U+00DC), not UTF-8 bytes
  CHECK(regf::lh_hash(u"\u03B1\u03B2\u03B3\u03B4") == 47532226u);  // αβγδ -> ΑΒΓΔ
  CHECK(regf::lh_hash(u"\u043F\u0440\u0438\u0432\u0435\u0442") == 2177095184u);  // привет -> ПРИВЕТ
  CHECK(regf::lh_hash(u"Stra\u00DFe") == 1622261510u);  // ß stays ß (no one-unit uppercase)
  CHECK(regf::lh_hash(u"\u0131x") == 11373u);           // ı stays ı on Windows
  CHECK(regf::lh_hash(u"\u01C6") == 452u);              // dž -> DŽ
  CHECK(regf::lh_hash(u"\u01C5") == 453u);              // Dž stays
  CHECK(regf::lh_hash(u"\U0001F600") ==
        (0xD83Du * 37u + 0xDE00u));  // surrogates hashed as units, unchanged
}

TEST_CASE("lf hint: the first four units as bytes, zero-padded, not uppercased", "[unit][regf]") {
  CHECK(regf::lf_hint(u"Services") == std::array<std::uint8_t, 4>{'S', 'e', 'r', 'v'});
  CHECK(regf::lf_hint(u"ab") == std::array<std::uint8_t, 4>{'a', 'b', 0, 0});
  CHECK(regf::lf_hint(u"") == std::array<std::uint8_t, 4>{0, 0, 0, 0});
  CHECK(regf::lf_hint(u"\u00FCber") == std::array<std::uint8_t, 4>{0xFC, 'b', 'e', 'r'});
  CHECK(regf::lf_hint(u"\u03A9mega") == std::array<std::uint8_t, 4>{0, 'm', 'e', 'g'});
}

TEST_CASE("parse_subkey_list reads each list kind", "[unit][regf]") {
  SECTION("li") {
    const auto rec = test::offsets_list("li", {regf::CellOffset{0x20}, regf::CellOffset{0x80}});
    const auto list = regf::parse_subkey_list(util::ByteReader(rec.bytes, 0x1024, "subkeys list"));
    CHECK(list.kind == regf::ListKind::kIndexLeaf);
    REQUIRE(list.elements.size() == 2);
    CHECK(list.elements[1].offset.value == 0x80u);
    CHECK(list.elements[1].check == 0u);
  }
  SECTION("lh and lf keep the stored hash or hint") {
    const auto rec = test::pairs_list("lh", {{regf::CellOffset{0x20}, 578484016u}});
    const auto list = regf::parse_subkey_list(util::ByteReader(rec.bytes, 0x1024, "subkeys list"));
    CHECK(list.kind == regf::ListKind::kHashLeaf);
    CHECK(list.elements.at(0).check == 578484016u);
    const auto lf = test::pairs_list("lf", {{regf::CellOffset{0x20}, 0x76726553u}});
    CHECK(regf::parse_subkey_list(util::ByteReader(lf.bytes, 0, "subkeys list")).kind ==
          regf::ListKind::kFastLeaf);
  }
  SECTION("ri") {
    const auto rec = test::offsets_list("ri", {regf::CellOffset{0x20}});
    CHECK(regf::parse_subkey_list(util::ByteReader(rec.bytes, 0, "subkeys list")).kind ==
          regf::ListKind::kIndexRoot);
  }
  SECTION("an unknown signature is named, non-printable bytes escaped") {
    auto rec = test::offsets_list("nk", {});
    REQUIRE_THROWS_WITH(
        regf::parse_subkey_list(util::ByteReader(rec.bytes, 0x1024, "subkeys list")),
        Contains("subkeys list at 0x00001024: signature is \"nk\", expected \"li\", \"lf\", \"lh\" "
                 "or \"ri\""));
    rec.bytes[0] = 0xC3;
    REQUIRE_THROWS_WITH(regf::parse_subkey_list(util::ByteReader(rec.bytes, 0, "subkeys list")),
                        Contains("\"\\xc3k\""));
  }
  SECTION("a count larger than the cell is refused") {
    auto rec = test::pairs_list("lh", {{regf::CellOffset{0x20}, 1u}});
    rec.u16(2, 3);  // claims 3 elements, holds 1
    REQUIRE_THROWS_WITH(
        regf::parse_subkey_list(util::ByteReader(rec.bytes, 0x2000, "subkeys list")),
        Contains("subkeys list at 0x00002000: list elements needs 24 bytes at +0x4, only 8 left"));
  }
}

namespace {

// A hive with a root whose subkeys sit in two leaves under an index root: A, B (li) and C (lh).
struct RiHive {
  test::CellImage image;
  regf::CellOffset root, a, b, c, leaf1, leaf2, ri;
  RiHive() {
    root = image.add(test::nk("ROOT", regf::kNoCell, regf::kKeyCompName | regf::kKeyHiveEntry));
    a = image.add(test::nk("A", root));
    b = image.add(test::nk("B", root));
    c = image.add(test::nk("C", root));
    leaf1 = image.add(test::offsets_list("li", {a, b}));
    leaf2 = image.add(test::pairs_list("lh", {{c, regf::lh_hash(u"C")}}));
    ri = image.add(test::offsets_list("ri", {leaf1, leaf2}));
    image.set_root(root);
  }
};

}  // namespace

TEST_CASE("read_subkey_list follows an index root into its leaves", "[unit][regf]") {
  RiHive h;
  auto bytes = h.image.bytes();
  test::poke_u32(bytes, test::CellImage::data_at(h.root) + regf::kNkNumberOfSubkeys.offset, 3);
  test::poke_u32(bytes, test::CellImage::data_at(h.root) + regf::kNkSubkeysList.offset, h.ri.value);
  const regf::Reader r(bytes);
  CHECK(r.diagnostics().empty());
  CHECK(regf::read_subkey_list(r.cells(), h.ri) == std::vector<regf::CellOffset>{h.a, h.b, h.c});
  const auto subkeys = r.subkeys(r.root());
  REQUIRE(subkeys.size() == 3);
  CHECK(subkeys[2].name == u"C");
}

TEST_CASE("an index root inside an index root is refused", "[unit][regf]") {
  RiHive h;
  const auto outer = h.image.add(test::offsets_list("ri", {h.ri}));
  const auto bytes = h.image.bytes();
  const regf::Reader r(bytes);
  REQUIRE_THROWS_WITH(
      regf::read_subkey_list(r.cells(), outer),
      Contains("subkeys list at " + util::hex_offset(regf::to_file_offset(h.ri).value + 4)) &&
          Contains("is an index root (ri) inside the index root at"));
}

TEST_CASE("a list element that is not a cell start is refused when followed", "[unit][regf]") {
  RiHive h;
  const auto bad = h.image.add(test::offsets_list("ri", {regf::CellOffset{h.leaf1.value + 8}}));
  const auto bytes = h.image.bytes();
  const regf::Reader r(bytes);
  REQUIRE_THROWS_WITH(regf::read_subkey_list(r.cells(), bad),
                      Contains("is not the start of an allocated cell"));
}

namespace {

struct HashCheck {
  std::size_t lh_checked = 0, lh_non_ascii = 0, lf_checked = 0, lf_non_ascii = 0;
  std::vector<std::string> mismatches;
};

// Every lh/lf element reachable from the root: stored hash/hint against ours for the key node's
// name.
void check_lists(const regf::Reader& r, const regf::KeyNode& key, std::set<std::uint32_t>& seen,
                 HashCheck& out, const std::string& hive, std::size_t depth) {
  if (depth > regf::kMaxDepth || key.subkey_count == 0 || !seen.insert(key.offset.value).second)
    return;
  std::vector<regf::SubkeyList> leaves;
  const auto top = regf::parse_subkey_list(r.cells().get(key.subkeys_list, "subkeys list"));
  if (top.kind == regf::ListKind::kIndexRoot) {
    for (const auto& e : top.elements)
      leaves.push_back(regf::parse_subkey_list(r.cells().get(e.offset, "subkeys list")));
  } else {
    leaves.push_back(top);
  }
  for (const auto& leaf : leaves) {
    for (const auto& e : leaf.elements) {
      const auto child = regf::parse_key_node(r.cells().get(e.offset, "key node (nk)"), e.offset);
      const bool ascii =
          std::all_of(child.name.begin(), child.name.end(), [](char16_t u) { return u < 0x80; });
      if (leaf.kind == regf::ListKind::kHashLeaf) {
        ++out.lh_checked;
        out.lh_non_ascii += ascii ? 0 : 1;
        if (e.check != regf::lh_hash(child.name))
          out.mismatches.push_back(hive + ": lh hash of \"" + util::utf16_to_utf8(child.name).text +
                                   "\"");
      } else if (leaf.kind == regf::ListKind::kFastLeaf) {
        ++out.lf_checked;
        out.lf_non_ascii += ascii ? 0 : 1;
        const auto hint = regf::lf_hint(child.name);
        if (e.check != util::le_u32(hint))
          out.mismatches.push_back(hive + ": lf hint of \"" + util::utf16_to_utf8(child.name).text +
                                   "\"");
      }
      check_lists(r, child, seen, out, hive, depth + 1);
    }
  }
}

}  // namespace

TEST_CASE("lh hashes and lf hints match those Windows stored in real hives", "[unit][regf][real]") {
  if (!test::have_real_hives()) return;
  const std::filesystem::path dir = test::real_hives_dir();
  // Healthy hives written by Windows (PROVENANCE.md): XP (lf lists), 7, 8.1, 10 and 11 (lh lists).
  HashCheck total;
  for (const char* name :
       {"bitcurator/SYSTEM", "regipy/SYSTEM", "regipy/SYSTEM_2", "regipy/SYSTEM_WIN_10_1709",
        "dissect.regf/SYSTEM", "notatin/NTUSER.DAT", "regipy/amcache.hve", "regipy/NTUSER.DAT",
        "regipy/SAM", "regipy/UsrClass.dat", "nt-hive/testhive"}) {
    const auto path = test::real_hive(name);
    const auto image = regf::HiveImage::load(path);
    const regf::Reader r(image.bytes());
    std::set<std::uint32_t> seen;
    check_lists(r, r.root(), seen, total, name, 0);
  }
  INFO("lh checked " << total.lh_checked << " (" << total.lh_non_ascii << " non-ASCII), lf checked "
                     << total.lf_checked << " (" << total.lf_non_ascii << " non-ASCII)");
  for (std::size_t i = 0; i < total.mismatches.size() && i < 20; ++i)
    UNSCOPED_INFO(total.mismatches[i]);
  CHECK(total.mismatches.empty());
  CHECK(total.lh_checked > 10000);
  CHECK(total.lf_checked > 1000);
  // nt-hive/testhive (written by offreg.dll) holds the non-ASCII ones: "äöü", fullwidth "Ａ"
  // (U+FF21) and the Deseret letters U+10410 and U+10438, stored as surrogate pairs that Windows
  // hashes unit by unit, unchanged.
  CHECK(total.lh_non_ascii >= 4);
}
