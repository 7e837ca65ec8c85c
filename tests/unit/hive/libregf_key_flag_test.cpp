#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "hive/libregf_key_flag.hpp"
#include "hive/libregf_reader.hpp"
#include "regf/builder.hpp"
#include "regf/format.hpp"
#include "regf/reader.hpp"

using namespace hivelint;

namespace {

// ROOT
//   Empty      no values, subkeys A and B   (libregf 20201007 flags it: its values list offset is
//   "none")
//     A, B     no values, no subkeys        (flagged too)
//   Valued     one REG_DWORD value, no subkeys (not flagged)
std::vector<std::uint8_t> sample_hive() {
  regf::TreeKey root;
  root.name = u"ROOT";
  auto& empty = root.ensure_subkey(u"Empty");
  empty.ensure_subkey(u"A");
  empty.ensure_subkey(u"B");
  root.ensure_subkey(u"Valued").set_value(regf::TreeValue{u"V", 4, {1, 0, 0, 0}});
  return regf::build_hive(root, regf::BuildOptions{}).bytes;
}

regf::KeyNode node(const std::vector<std::uint8_t>& bytes, std::u16string_view path) {
  return *regf::Reader(bytes).open(path);
}
std::uint64_t cell_at(const regf::KeyNode& k) { return regf::to_file_offset(k.offset).value; }
std::size_t data_at(regf::CellOffset cell) {
  return regf::kBaseBlockSize + cell.value + regf::kCellHeaderSize;
}
void poke_u32(std::vector<std::uint8_t>& b, std::size_t at, std::uint32_t v) {
  for (int i = 0; i < 4; ++i)
    b[at + static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(v >> (8 * i));
}

// libregf's warnings for `path` after opening it, one per line.
std::string libregf_warnings(const std::vector<std::uint8_t>& bytes, const char* path) {
  const auto reader = hive::LibregfReader::open_memory(bytes, "memory");
  REQUIRE(reader->key(hive::KeyPath::parse(path)).has_value());
  std::string out;
  for (const auto& d : reader->diagnostics()) out += d.message + "\n";
  return out;
}

}  // namespace

TEST_CASE("libregf's flag on keys without values is recognised as its own quirk", "[unit][hive]") {
  const auto bytes = sample_hive();
  CHECK(hive::libregf_flag_is_empty_values_quirk(bytes, cell_at(node(bytes, u"Empty"))));
  CHECK(hive::libregf_flag_is_empty_values_quirk(bytes, cell_at(node(bytes, u"Empty\\A"))));
  CHECK_FALSE(hive::libregf_flag_is_empty_values_quirk(bytes, cell_at(node(bytes, u"Valued"))));
  // So a sound hive gets no "corrupted" warning for them (libregf 20201007 gave one for Empty, A
  // and the root).
  CHECK(libregf_warnings(bytes, "Empty\\A").empty());
  CHECK(libregf_warnings(bytes, "Valued").empty());
}

TEST_CASE("libregf's flag stays when a key without values has a subkey outside the hive bins",
          "[unit][hive]") {
  auto bytes = sample_hive();
  const regf::KeyNode empty = node(bytes, u"Empty");
  const std::uint32_t bins_size = regf::Reader(bytes).base_block().hive_bins_data_size;
  // The first element of Empty's (leaf) subkeys list: 4 bytes after the list's signature and count.
  poke_u32(bytes, data_at(empty.subkeys_list) + 4, bins_size + 0x1000);
  CHECK_FALSE(hive::libregf_flag_is_empty_values_quirk(bytes, cell_at(empty)));
  CHECK(libregf_warnings(bytes, "Empty") == "libregf marks key \"Empty\" as corrupted\n");
}

TEST_CASE("libregf's flag stays when a key counts values but its values list is none",
          "[unit][hive]") {
  auto bytes = sample_hive();
  const regf::KeyNode a = node(bytes, u"Empty\\A");
  poke_u32(bytes, data_at(a.offset) + regf::kNkNumberOfValues.offset, 1);
  CHECK_FALSE(hive::libregf_flag_is_empty_values_quirk(bytes, cell_at(a)));
  CHECK(libregf_warnings(bytes, "Empty\\A") == "libregf marks key \"Empty\\A\" as corrupted\n");
}

TEST_CASE(
    "the quirk check answers false, never throws, on anything that is not a readable key node",
    "[unit][hive]") {
  auto bytes = sample_hive();
  const regf::KeyNode empty = node(bytes, u"Empty");
  CHECK_FALSE(hive::libregf_flag_is_empty_values_quirk(bytes, 0));
  CHECK_FALSE(hive::libregf_flag_is_empty_values_quirk(bytes, bytes.size()));
  CHECK_FALSE(
      hive::libregf_flag_is_empty_values_quirk(bytes, cell_at(empty) + 8));  // inside the cell
  CHECK_FALSE(hive::libregf_flag_is_empty_values_quirk(
      std::span<const std::uint8_t>(bytes).first(100), cell_at(empty)));
  // The subkeys list replaced by the key node itself: not a list (FormatError inside, false
  // outside).
  poke_u32(bytes, data_at(empty.offset) + regf::kNkSubkeysList.offset, empty.offset.value);
  CHECK_FALSE(hive::libregf_flag_is_empty_values_quirk(bytes, cell_at(empty)));
}
