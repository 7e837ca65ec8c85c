#include <catch2/catch.hpp>

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "regf/base_block.hpp"
#include "regf/carver.hpp"
#include "regf/free_cells.hpp"
#include "regf/hive_image.hpp"
#include "support/cell_image.hpp"
#include "support/resident.hpp"

using namespace hivelint;
using Catch::Matchers::Contains;

namespace {

std::int32_t size_at(const std::vector<std::uint8_t>& b, regf::CellOffset c) {
  const std::size_t at = regf::kBaseBlockSize + c.value;
  const std::uint32_t raw = std::uint32_t{b[at]} | std::uint32_t{b[at + 1]} << 8 |
                            std::uint32_t{b[at + 2]} << 16 | std::uint32_t{b[at + 3]} << 24;
  return static_cast<std::int32_t>(raw);
}

// Marks the allocated cell at `c` free (its size positive), as Windows, hivex and hivelint's editor
// do.
void free_cell(std::vector<std::uint8_t>& b, regf::CellOffset c) {
  test::poke_u32(b, regf::kBaseBlockSize + c.value, static_cast<std::uint32_t>(-size_at(b, c)));
}

// Merges the cells at `first` and the one after it into one free cell, the second's size field left
// as it was.
void free_merged(std::vector<std::uint8_t>& b, regf::CellOffset first, regf::CellOffset second) {
  test::poke_u32(b, regf::kBaseBlockSize + first.value,
                 static_cast<std::uint32_t>(-size_at(b, first) - size_at(b, second)));
}

regf::CarveResult carve(const std::vector<std::uint8_t>& bytes,
                        const regf::CarveLimits& limits = {}) {
  std::vector<regf::Diagnostic> diagnostics;
  const regf::BaseBlock base = regf::parse_base_block(bytes, diagnostics);
  const regf::CellMap cells = regf::scan_hbins(bytes, base, diagnostics);
  // carve_hive takes its free cells from scan_hbins' own walk: the same list as scan_free_cells'
  // second walk.
  std::vector<regf::Diagnostic> again;
  std::vector<regf::FreeCell> walked;
  (void)regf::scan_hbins(bytes, base, again, &walked);
  const auto listed = regf::scan_free_cells(bytes, cells);
  REQUIRE(walked.size() == listed.size());
  for (std::size_t i = 0; i < walked.size(); ++i) {
    CHECK(walked[i].offset.value == listed[i].offset.value);
    CHECK(walked[i].size == listed[i].size);
  }
  return regf::carve_free_cells(bytes, cells, base.minor_version, limits);
}

std::vector<std::uint8_t> multi_sz(std::initializer_list<std::u16string_view> entries) {
  std::vector<std::uint8_t> out;
  for (auto e : entries) {
    for (char16_t u : e) {
      out.push_back(static_cast<std::uint8_t>(u));
      out.push_back(static_cast<std::uint8_t>(u >> 8));
    }
    out.insert(out.end(), {0, 0});
  }
  out.insert(out.end(), {0, 0});
  return out;
}

}  // namespace

TEST_CASE("a freed vk and its freed data cell are carved with the old data", "[unit][regf]") {
  test::CellImage image;
  const auto root =
      image.add(test::nk("ROOT", regf::kNoCell, regf::kKeyCompName | regf::kKeyHiveEntry));
  const auto data = multi_sz({u"LDAP", u"SMTP"});
  const auto data_cell = image.add(data);
  const auto vk = image.add(
      test::vk("DispatchEntries", 7, static_cast<std::uint32_t>(data.size()), data_cell.value));
  (void)root;
  auto bytes = image.bytes();
  const auto before = carve(bytes);
  CHECK(before.values.empty());  // nothing is free yet: live records are never carved
  free_cell(bytes, vk);
  free_cell(bytes, data_cell);
  const auto r = carve(bytes);
  REQUIRE(r.values.size() == 1);
  const auto& v = r.values[0];
  CHECK(v.name == u"DispatchEntries");
  CHECK(v.offset == vk);
  CHECK(v.type == 7u);
  CHECK(v.data_cell == data_cell);
  CHECK(v.data_state == regf::CarvedDataState::kFreeCell);
  CHECK(v.data == data);
  CHECK(regf::carved_values_named(r, u"dispatchentries").size() == 1);
  CHECK(regf::carved_values_named(r, u"Other").empty());
}

TEST_CASE("a data cell allocated again is reported as overwritten, its bytes not taken",
          "[unit][regf]") {
  test::CellImage image;
  image.add(test::nk("ROOT", regf::kNoCell, regf::kKeyCompName | regf::kKeyHiveEntry));
  const auto data_cell = image.add(multi_sz({u"NNTP"}));
  const auto vk = image.add(test::vk("DispatchEntries", 7, 12, data_cell.value));
  auto bytes = image.bytes();
  free_cell(bytes, vk);
  const auto r = carve(bytes);
  REQUIRE(r.values.size() == 1);
  CHECK(r.values[0].data_state == regf::CarvedDataState::kOverwritten);
  CHECK(r.values[0].data.empty());
  CHECK_THAT(r.values[0].note, Contains("is allocated again"));
}

TEST_CASE("resident data and several old records in one merged free cell", "[unit][regf]") {
  test::CellImage image;
  const auto root =
      image.add(test::nk("ROOT", regf::kNoCell, regf::kKeyCompName | regf::kKeyHiveEntry));
  auto old_key = test::nk("Parameters", root);
  old_key.u64(regf::kNkLastWritten.offset, 127305216000000000ull);
  const auto nk = image.add(old_key);
  const auto vk = image.add(test::vk("Start", 4, 0x80000004u, 3));
  auto bytes = image.bytes();
  free_merged(bytes, nk, vk);  // the vk's size field stays negative inside the merged free cell
  const auto r = carve(bytes);
  REQUIRE(r.keys.size() == 1);
  CHECK(r.keys[0].name == u"Parameters");
  CHECK(r.keys[0].offset == nk);
  CHECK(r.keys[0].last_written == 127305216000000000ull);
  CHECK(r.keys[0].parent == root);
  CHECK(r.keys[0].parent_live);
  REQUIRE(r.keys[0].parent_name);
  CHECK(*r.keys[0].parent_name == u"ROOT");
  REQUIRE(r.values.size() == 1);
  CHECK(r.values[0].offset == vk);
  CHECK(r.values[0].data_state == regf::CarvedDataState::kResident);
  CHECK(r.values[0].data == std::vector<std::uint8_t>{3, 0, 0, 0});
  CHECK(r.free_cells >= 2);  // the merged cell and the bin's padding
}

TEST_CASE(
    "hostile free cells: overlong names and data sizes are reported, never read past the free cell",
    "[unit][regf]") {
  test::CellImage image;
  image.add(test::nk("ROOT", regf::kNoCell, regf::kKeyCompName | regf::kKeyHiveEntry));
  auto long_name = test::vk("X", 1, 8, 0);
  long_name.u16(regf::kVkNameLength.offset, 0xFFFF);
  const auto a = image.add(long_name);
  const auto b = image.add(test::vk("Y", 1, 0x7FFFFFF0u, 0x40));  // data size over the cap
  const auto c = image.add(test::vk("Z", 1, 64, 0x7FFFFFF8u));    // data offset past the hive bins
  auto d_rec = test::vk("W", 1, 4000, 0);  // data cell: the vk's own free cell, too small
  const auto d = image.add(d_rec);
  auto bytes = image.bytes();
  for (auto cell : {a, b, c, d}) free_cell(bytes, cell);
  test::poke_u32(bytes, test::CellImage::data_at(d) + regf::kVkDataOffset.offset, d.value);
  const auto r = carve(bytes);
  REQUIRE(r.unrecovered.size() == 2);
  CHECK(r.unrecovered[0].offset == a);
  CHECK_THAT(r.unrecovered[0].reason, Contains("value name needs 65535 bytes"));
  CHECK(r.unrecovered[1].offset == b);
  CHECK_THAT(r.unrecovered[1].reason, Contains("more than the cap"));
  REQUIRE(r.values.size() == 2);
  CHECK(r.values[0].name == u"Z");
  CHECK(r.values[0].data_state == regf::CarvedDataState::kUnrecoverable);
  CHECK_THAT(r.values[0].note, Contains("outside the hive bins"));
  CHECK(r.values[1].name == u"W");
  CHECK(r.values[1].data_state == regf::CarvedDataState::kUnrecoverable);
  CHECK_THAT(r.values[1].note, Contains("the value needs 4000"));
}

TEST_CASE("the carve stops at its record cap and says so", "[unit][regf]") {
  test::CellImage image;
  image.add(test::nk("ROOT", regf::kNoCell, regf::kKeyCompName | regf::kKeyHiveEntry));
  std::vector<regf::CellOffset> cells;
  for (int i = 0; i < 5; ++i)
    cells.push_back(image.add(test::vk("V" + std::to_string(i), 4, 0x80000004u, 1)));
  auto bytes = image.bytes();
  for (auto cell : cells) free_cell(bytes, cell);
  regf::CarveLimits limits;
  limits.max_records = 3;
  const auto r = carve(bytes, limits);
  CHECK(r.values.size() == 3);
  REQUIRE(r.stopped);
  CHECK_THAT(*r.stopped, Contains("3 carved records"));
}

TEST_CASE("a carve for named values keeps only those (check's previous_values)", "[unit][regf]") {
  test::CellImage image;
  const auto root =
      image.add(test::nk("ROOT", regf::kNoCell, regf::kKeyCompName | regf::kKeyHiveEntry));
  const auto key = image.add(test::nk("Old", root));
  const auto a = image.add(test::vk("Start", 4, 0x80000004u, 2));
  const auto b = image.add(test::vk("DispatchEntries", 7, 0x80000000u, 0));
  auto bytes = image.bytes();
  for (auto cell : {key, a, b}) free_cell(bytes, cell);
  regf::CarveLimits limits;
  limits.only_values_named = {u"DISPATCHENTRIES"};
  const auto r = carve(bytes, limits);
  CHECK(r.keys.empty());
  REQUIRE(r.values.size() == 1);
  CHECK(r.values[0].offset == b);
  CHECK(carve(bytes).values.size() == 2);
}

namespace {

// A freed value in the first bin and one in the last of 2,100 bins of 4 KiB (8.2 MiB: mapped, not
// read, when loaded from a file).
std::vector<std::uint8_t> big_hive_with_two_freed_values() {
  test::CellImage image;
  image.set_root(
      image.add(test::nk("ROOT", regf::kNoCell, regf::kKeyCompName | regf::kKeyHiveEntry)));
  std::vector<regf::CellOffset> freed;
  const auto add_value = [&](std::u16string_view entry) {
    const auto data = multi_sz({entry});
    const auto data_cell = image.add(data);
    freed.push_back(data_cell);
    freed.push_back(image.add(
        test::vk("DispatchEntries", 7, static_cast<std::uint32_t>(data.size()), data_cell.value)));
  };
  add_value(u"first");
  for (int i = 0; i < 2098; ++i) {
    image.new_bin();
    image.add_free(64);
  }
  image.new_bin();
  add_value(u"last");
  auto bytes = image.bytes();
  for (const auto c : freed) free_cell(bytes, c);
  return bytes;
}

void same_values(const regf::CarveResult& a, const regf::CarveResult& b) {
  REQUIRE(a.values.size() == b.values.size());
  for (std::size_t i = 0; i < a.values.size(); ++i) {
    CHECK(a.values[i].offset == b.values[i].offset);
    CHECK(a.values[i].data == b.values[i].data);
  }
  CHECK(a.free_cells == b.free_cells);
}

}  // namespace

TEST_CASE("carve_hive tells how far each of its walks has read and finds the same with or without",
          "[unit][regf]") {
  const auto bytes = big_hive_with_two_freed_values();
  std::vector<regf::Diagnostic> d;
  std::vector<std::uint64_t> calls;
  const auto told = regf::carve_hive(bytes, d, {}, [&](std::uint64_t at) { calls.push_back(at); });
  std::vector<regf::Diagnostic> d2;
  const auto silent = regf::carve_hive(bytes, d2);
  REQUIRE(told.values.size() == 2);
  same_values(told, silent);
  // The hive bins' walk (past 8 MiB, the end of its last bin), then the free cells' (past 8 MiB,
  // the file's end).
  REQUIRE(calls.size() == 4);
  CHECK(calls[0] >= regf::kReadProgressStep);
  CHECK(calls[1] == bytes.size());
  CHECK(calls[2] >= regf::kReadProgressStep);
  CHECK(calls[2] < bytes.size());
  CHECK(calls[3] == bytes.size());
}

TEST_CASE(
    "a carve of a mapped hive that lets its pages go as it reads finds the same and leaves "
    "none of the file resident",
    "[unit][regf]") {
  const auto bytes = big_hive_with_two_freed_values();
  const auto path = std::filesystem::temp_directory_path() /
                    ("hivelint_carver_test_" + std::to_string(::getpid()) + ".hiv");
  {
    std::ofstream out(path, std::ios::binary);
    out.write(reinterpret_cast<const char*>(bytes.data()),
              static_cast<std::streamsize>(bytes.size()));
  }
  {
    const auto image = regf::HiveImage::load(path);
    REQUIRE(image.private_copy());  // mapped
    std::vector<regf::Diagnostic> d;
    const auto carved = regf::carve_hive(image.bytes(), d, {}, image.releasing_behind());
    std::vector<regf::Diagnostic> d2;
    same_values(carved, regf::carve_hive(bytes, d2));
    // Its last call let everything go; reading the bytes again maps them again, unchanged.
    CHECK(test::resident_bytes_at(image.bytes().data()) < 64 * 1024);
    CHECK(std::equal(image.bytes().begin(), image.bytes().end(), bytes.begin(), bytes.end()));
  }
  std::filesystem::remove(path);
}
