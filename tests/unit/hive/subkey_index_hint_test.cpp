#include <catch2/catch.hpp>

#include <algorithm>
#include <cstring>

#include "hive/libregf_reader.hpp"
#include "hive/subkey_index_hint.hpp"
#include "regf/builder.hpp"
#include "regf/format.hpp"
#include "regf/reader.hpp"
#include "regf/subkey_list.hpp"

using namespace hivelint;

namespace {

std::u16string svc(int i) {
  std::u16string n = u"Svc";
  for (int d : {i / 1000 % 10, i / 100 % 10, i / 10 % 10, i % 10})
    n += static_cast<char16_t>(u'0' + d);
  return n;
}

// A root with "Services" holding `count` subkeys: over 511 the builder splits them under an index
// root.
std::vector<std::uint8_t> services_hive(int count, std::uint32_t minor) {
  regf::TreeKey root;
  root.name = u"ROOT";
  auto& services = root.ensure_subkey(u"Services");
  for (int i = 0; i < count; ++i)
    services.subkeys.push_back(regf::TreeKey{svc(i), std::nullopt, {}, {}});
  regf::BuildOptions o;
  o.minor_version = minor;
  return regf::build_hive(root, o).bytes;
}

std::uint64_t services_nk(const std::vector<std::uint8_t>& bytes) {
  const regf::Reader r(bytes);
  return regf::to_file_offset(r.open(u"Services")->offset).value;
}

std::size_t stored_index(const std::vector<std::uint8_t>& bytes, std::u16string_view name) {
  const regf::Reader r(bytes);
  const auto subs = r.subkeys(*r.open(u"Services"));
  return static_cast<std::size_t>(
      std::find_if(subs.begin(), subs.end(),
                   [&](const regf::KeyNode& k) { return k.name == name; }) -
      subs.begin());
}

using Kind = hive::SubkeyHint::Kind;

}  // namespace

TEST_CASE(
    "subkey index hint: the stored position of a name in lh, lf and ri lists, case-insensitively",
    "[unit][hive]") {
  for (std::uint32_t minor : {3u, 5u}) {
    const auto bytes = services_hive(1200, minor);
    INFO("regf 1." << minor);
    const std::uint64_t nk = services_nk(bytes);
    for (int i : {0, 510, 511, 700, 1199}) {
      const auto hint = hive::subkey_index_hint(bytes, nk, svc(i), 1200);
      REQUIRE(hint.kind == Kind::kFound);
      CHECK(hint.index == stored_index(bytes, svc(i)));
    }
    const auto folded = hive::subkey_index_hint(bytes, nk, u"SVC0700", 1200);
    CHECK(folded.kind == Kind::kFound);
    CHECK(folded.index == stored_index(bytes, u"Svc0700"));
    CHECK(hive::subkey_index_hint(bytes, nk, u"Svc9999", 1200).kind == Kind::kAbsent);
    CHECK(hive::subkey_index_hint(bytes, nk, u"Svc0001", 1199).kind ==
          Kind::kUnknown);  // count disagrees
    CHECK(hive::subkey_index_hint(bytes, nk, u"Svc9999", 1201).kind == Kind::kUnknown);
  }
}

TEST_CASE("subkey index hint: damage gives no hint, never an exception", "[unit][hive]") {
  auto bytes = services_hive(40, 5);
  const std::uint64_t nk = services_nk(bytes);
  CHECK(hive::subkey_index_hint(bytes, 0, u"Svc0001", 40).kind ==
        Kind::kUnknown);  // inside the base block
  CHECK(hive::subkey_index_hint(bytes, bytes.size() - 2, u"Svc0001", 40).kind == Kind::kUnknown);
  CHECK(hive::subkey_index_hint(bytes, nk + 8, u"Svc0001", 40).kind ==
        Kind::kUnknown);  // not a cell start
  // The nk's subkeys list offset (nk data + 28) pointed past the end of the file.
  const std::size_t list_field = static_cast<std::size_t>(nk) + regf::kCellHeaderSize + 28;
  for (std::size_t i = 0; i < 4; ++i) bytes[list_field + i] = 0x7F;
  CHECK(hive::subkey_index_hint(bytes, nk, u"Svc0001", 40).kind == Kind::kUnknown);
}

TEST_CASE(
    "subkey index hint: absence is only decided when every element is a key node read by name",
    "[unit][hive]") {
  auto bytes = services_hive(40, 5);
  const regf::Reader r(bytes);
  const std::uint64_t nk = services_nk(bytes);
  REQUIRE(hive::subkey_index_hint(bytes, nk, u"Absent", 40).kind == Kind::kAbsent);
  // One element's key node cell made free (positive size): an absent name can no longer be decided
  // here, so libregf's own lookup answers (and reports the damage its way); a name found by hash
  // still is.
  const std::size_t svc5 =
      static_cast<std::size_t>(regf::to_file_offset(r.open(u"Services\\Svc0005")->offset).value);
  std::int32_t size = 0;
  std::memcpy(&size, &bytes[svc5], 4);
  REQUIRE(size < 0);
  size = -size;
  std::memcpy(&bytes[svc5], &size, 4);
  CHECK(hive::subkey_index_hint(bytes, nk, u"Absent", 40).kind == Kind::kUnknown);
  CHECK(hive::subkey_index_hint(bytes, nk, u"Svc0006", 40).kind == Kind::kFound);
}

TEST_CASE(
    "libregf lookups stay right when an lh hash is wrong: the key is found by name, an absent one "
    "stays absent",
    "[unit][hive]") {
  auto bytes = services_hive(40, 5);
  const regf::Reader r(bytes);
  const auto key = r.open(u"Services\\Svc0017");
  REQUIRE(key.has_value());
  // Find the lh element (key node offset, hash) and spoil the hash.
  const std::uint32_t off = key->offset.value, hash = regf::lh_hash(u"Svc0017");
  std::vector<std::uint8_t> element;
  for (std::uint32_t v : {off, hash})
    for (int b = 0; b < 4; ++b) element.push_back(static_cast<std::uint8_t>(v >> (8 * b)));
  const auto at = std::search(bytes.begin(), bytes.end(), element.begin(), element.end());
  REQUIRE(at != bytes.end());
  *(at + 4) ^= 0xFF;
  // The hash pass misses it, the by-name pass finds it: a wrong hash cannot make a key look absent.
  const auto hint = hive::subkey_index_hint(
      bytes, regf::to_file_offset(r.open(u"Services")->offset).value, u"Svc0017", 40);
  CHECK(hint.kind == Kind::kFound);
  CHECK(hint.index == stored_index(bytes, u"Svc0017"));
  const auto libregf = hive::LibregfReader::open_memory(bytes, "memory");
  const auto found = libregf->key(hive::KeyPath::parse("services\\SVC0017"));
  REQUIRE(found.has_value());
  CHECK(found->name == "Svc0017");
  CHECK(libregf->key(hive::KeyPath::parse("Services\\Svc0018"))->name == "Svc0018");
  CHECK_FALSE(libregf->key(hive::KeyPath::parse("Services\\Svc0099")).has_value());
}

TEST_CASE("subkey hints: one SubkeyHints answers many lookups as subkey_index_hint answers each",
          "[unit][hive]") {
  auto bytes = services_hive(1200, 5);
  const std::uint64_t nk = services_nk(bytes);
  const hive::SubkeyHints hints(bytes);
  // Absent names first (every name read once and kept), then present ones, in both cases, then
  // counts that disagree: the kept list and names must give the one-shot answer each time.
  for (const std::u16string name :
       {u"Svc9999", u"Svc0000", u"SVC1199", u"svc0511", u"Svc9999", u"Svc0700"}) {
    for (std::size_t expected : {1200u, 1199u, 1201u}) {
      INFO("expected " << expected);
      const auto once = hive::subkey_index_hint(bytes, nk, name, expected);
      const auto kept = hints.find(nk, name, expected);
      CHECK(kept.kind == once.kind);
      CHECK(kept.index == once.index);
    }
  }
  // A key node the list names that cannot be read: present names whose hash differs are still
  // found, absence is no longer decided, and the next lookups give the same answers.
  auto damaged = bytes;
  const regf::Reader r(bytes);
  const auto subs = r.subkeys(*r.open(u"Services"));
  const std::size_t nk700 =
      regf::to_file_offset(subs[stored_index(bytes, u"Svc0700")].offset).value;
  damaged[nk700 + regf::kCellHeaderSize] = 'x';  // its "nk" signature
  const hive::SubkeyHints damaged_hints(damaged);
  for (int round = 0; round < 2; ++round) {
    CHECK(damaged_hints.find(nk, u"Svc0001", 1200).kind == Kind::kFound);
    CHECK(damaged_hints.find(nk, u"Svc9999", 1200).kind == Kind::kUnknown);
    CHECK(damaged_hints.find(nk, u"Svc0700", 1200).kind == Kind::kUnknown);
    CHECK(hive::subkey_index_hint(damaged, nk, u"Svc9999", 1200).kind == Kind::kUnknown);
  }
}

TEST_CASE("value_index_hint gives the stored position of a value, and nothing it cannot back",
          "[unit][hive]") {
  regf::TreeKey root;
  root.name = u"ROOT";
  auto& k = root.ensure_subkey(u"Svc");
  for (const char16_t* name :
       {u"DisplayName", u"ImagePath", u"Start", u"Type", u"Ärger", u"DependOnService"})
    k.set_value({name, regf::kRegDword, {1, 0, 0, 0}});
  auto bytes = regf::build_hive(root, regf::BuildOptions{}).bytes;
  const regf::Reader r(bytes);
  const auto key = *r.open(u"Svc");
  const std::uint64_t nk = regf::to_file_offset(key.offset).value;
  const auto stored = r.value_keys(key);
  REQUIRE(stored.size() == 6);
  for (std::size_t i = 0; i < stored.size(); ++i) {
    INFO(i);
    CHECK(hive::value_index_hint(bytes, nk, stored[i].name, 6) == i);
  }
  // Windows' case rules, beyond ASCII.
  const auto umlaut = std::find_if(stored.begin(), stored.end(),
                                   [](const regf::ValueKey& v) { return v.name == u"Ärger"; });
  CHECK(hive::value_index_hint(bytes, nk, u"äRGER", 6) ==
        static_cast<std::size_t>(umlaut - stored.begin()));
  CHECK_FALSE(hive::value_index_hint(bytes, nk, u"NoSuchValue", 6));
  // libregf counts another number of values (it skipped an offset): its indexes are not ours.
  CHECK_FALSE(hive::value_index_hint(bytes, nk, u"Start", 5));
  // Not a key node, or a list that is not an allocated cell: no hint, no exception.
  CHECK_FALSE(hive::value_index_hint(bytes, nk + 8, u"Start", 6));
  const std::uint64_t list = regf::to_file_offset(key.values_list).value;
  bytes[list + 3] ^= 0x80;  // the sign of the list cell's size field: now a free cell
  CHECK_FALSE(hive::value_index_hint(bytes, nk, u"Start", 6));
}

TEST_CASE("libregf's reader finds each value at the hinted position, the same as by its name",
          "[unit][hive]") {
  regf::TreeKey root;
  root.name = u"ROOT";
  auto& k = root.ensure_subkey(u"Svc");
  for (int i = 0; i < 40; ++i) {
    std::u16string name = u"V";
    for (const char c : std::to_string(i)) name += static_cast<char16_t>(c);
    k.set_value({name, regf::kRegDword, {static_cast<std::uint8_t>(i), 0, 0, 0}});
  }
  const auto bytes = regf::build_hive(root, regf::BuildOptions{}).bytes;
  const auto with_image = hive::LibregfReader::open_memory(bytes, "memory");
  const auto path = hive::KeyPath::parse("Svc");
  for (int i = 0; i < 40; ++i) {
    const auto v = with_image->value(path, "v" + std::to_string(i));
    REQUIRE(v);
    CHECK(v->name == "V" + std::to_string(i));
    CHECK(v->data[0] == i);
  }
  CHECK_FALSE(with_image->value(path, "V40"));
}
