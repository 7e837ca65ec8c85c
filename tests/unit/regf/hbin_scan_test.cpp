#include <catch2/catch.hpp>

#include "regf/base_block.hpp"
#include "regf/hbin_scan.hpp"
#include "regf/reader.hpp"
#include "support/cell_image.hpp"

using namespace hivelint;
using Catch::Matchers::Contains;

namespace {

regf::CellMap scan(const std::vector<std::uint8_t>& bytes,
                   std::vector<regf::Diagnostic>& diagnostics) {
  const regf::BaseBlock base = regf::parse_base_block(bytes, diagnostics);
  return regf::scan_hbins(bytes, base, diagnostics);
}

// Two hive bins: A and a free cell in the first, B in the second.
struct TwoBins {
  test::CellImage image;
  regf::CellOffset a, gap, b;
  TwoBins() {
    a = image.add(test::nk("A"));
    gap = image.add_free(16);
    image.new_bin();
    b = image.add(test::nk("B"));
    image.set_root(a);
  }
};

}  // namespace

TEST_CASE(
    "the scan maps allocated cells and CellMap::get returns their data at the right file offset",
    "[unit][regf]") {
  TwoBins t;
  const auto bytes = t.image.bytes();
  std::vector<regf::Diagnostic> d;
  const auto cells = scan(bytes, d);
  CHECK(d.empty());
  REQUIRE(cells.bins().size() == 2);
  CHECK(cells.bins()[0].file_offset == 4096u);
  CHECK(cells.bins()[0].size == 4096u);
  CHECK(cells.bins()[1].file_offset == 8192u);
  CHECK(t.b.value == 4096u + 32u);
  CHECK(cells.allocated_count() == 2);
  CHECK(cells.is_allocated(t.a));
  CHECK_FALSE(cells.is_allocated(t.gap));
  const auto r = cells.get(t.b, "key node (nk)");
  CHECK(r.file_offset() == 4096u + t.b.value + 4u);
  CHECK(r.size() ==
        84u);  // nk of 76 + 1 name byte, in a cell of 88 (8-aligned, with the 4-byte size field)
  CHECK(r.has_signature("nk"));
}

TEST_CASE("a lazy map (hive bin headers only) answers every offset as the full map does",
          "[unit][regf]") {
  // scan_hbin_headers' map scans a bin's cells the first time an offset lands in it and keeps a
  // bitmap of their starts: every 4-byte offset of both bins and past them, in the middle of
  // cells, in free space, in headers, unaligned, damaged bins.
  for (const bool damaged : {false, true}) {
    // A, a free gap and D in the first bin; B and C in the second.
    test::CellImage image;
    const regf::CellOffset a = image.add(test::nk("A"));
    const regf::CellOffset gap = image.add_free(16);
    image.add(test::nk("D"));  // unreachable once the gap's size is damaged
    image.new_bin();
    image.add(test::nk("B"));
    image.add(test::nk("C"));
    image.set_root(a);
    auto bytes = image.bytes();
    if (damaged) test::poke_u32(bytes, 4096 + gap.value, 13);  // ends the first bin's walk there
    std::vector<regf::Diagnostic> full_d, lazy_d;
    const regf::BaseBlock base = regf::parse_base_block(bytes, lazy_d);
    const auto full = regf::scan_hbins(bytes, base, full_d);
    const auto lazy = regf::scan_hbin_headers(bytes, base, lazy_d);
    std::size_t allocated = 0;
    for (std::uint32_t off = 0; off < bytes.size() + 64; ++off) {
      INFO("damaged " << damaged << ", offset " << off);
      REQUIRE(lazy.is_allocated(regf::CellOffset{off}) == full.is_allocated(regf::CellOffset{off}));
      if (full.is_allocated(regf::CellOffset{off})) ++allocated;
    }
    CHECK(allocated == (damaged ? 3u : 4u));  // A, D (unless past the damage), B and C
    CHECK(lazy.lazy_diagnostics().size() == full_d.size());
  }
}

TEST_CASE("CellMap::get refuses offsets that are not starts of allocated cells", "[unit][regf]") {
  TwoBins t;
  const auto bytes = t.image.bytes();
  std::vector<regf::Diagnostic> d;
  const auto cells = scan(bytes, d);
  const auto refused = [&](regf::CellOffset o) {
    REQUIRE_THROWS_WITH(
        cells.get(o, "subkeys list"),
        Contains("subkeys list at " + util::hex_offset(4096u + o.value) + ": cell offset " +
                 util::hex_offset(o.value) + " is not the start of an allocated cell"));
  };
  refused(regf::CellOffset{t.a.value + 8});  // inside a cell
  refused(t.gap);                            // a free cell
  refused(regf::CellOffset{0});              // the hbin header
  refused(regf::CellOffset{0x7FFFFFF0});     // far past the end
  REQUIRE_THROWS_AS(cells.get(regf::kNoCell, "subkeys list"), FormatError);
}

TEST_CASE("hbin size not a multiple of 4096: fatal in the first bin, a diagnostic later",
          "[unit][regf]") {
  TwoBins t;
  auto bytes = t.image.bytes();
  SECTION("first bin") {
    test::poke_u32(bytes, 4096 + regf::kHbinSize.offset, 4000);
    REQUIRE_THROWS_WITH(
        regf::Reader(bytes),
        Contains("hive bin at 0x00001000: size is 4000, not a non-zero multiple of 4096"));
  }
  SECTION("second bin") {
    test::poke_u32(bytes, 8192 + regf::kHbinSize.offset, 5000);
    std::vector<regf::Diagnostic> d;
    const auto cells = scan(bytes, d);
    REQUIRE(d.size() == 1);
    CHECK(d[0].file_offset == 8192u);
    CHECK_THAT(d[0].message,
               Contains("size is 5000, not a non-zero multiple of 4096; the walk stops here"));
    CHECK(cells.bins().size() == 1);
    CHECK_FALSE(cells.is_allocated(t.b));  // cells past the damage are unreachable, not misread
  }
  SECTION("a bin reaching past the hive bins data") {
    test::poke_u32(bytes, 8192 + regf::kHbinSize.offset, 8192);
    std::vector<regf::Diagnostic> d;
    scan(bytes, d);
    REQUIRE(d.size() == 1);
    CHECK_THAT(d[0].message, Contains("size is 8192, past the end of the hive bins data"));
  }
}

TEST_CASE("hbin signature and offset damage", "[unit][regf]") {
  TwoBins t;
  auto bytes = t.image.bytes();
  SECTION("second bin signature ends the walk with a diagnostic") {
    bytes[8192] = 'X';
    std::vector<regf::Diagnostic> d;
    const auto cells = scan(bytes, d);
    REQUIRE(d.size() == 1);
    CHECK(d[0].structure == "hive bin");
    CHECK_THAT(d[0].message, Contains("signature is not \"hbin\""));
    CHECK(cells.bins().size() == 1);
  }
  SECTION("an offset field that does not match the bin's position is reported, the walk goes on") {
    test::poke_u32(bytes, 8192 + regf::kHbinOffset.offset, 0x3000);
    std::vector<regf::Diagnostic> d;
    const auto cells = scan(bytes, d);
    REQUIRE(d.size() == 1);
    CHECK_THAT(d[0].message, Contains("offset is 0x00003000, expected 0x00001000"));
    CHECK(cells.is_allocated(t.b));
  }
}

TEST_CASE("cell sizes that would not advance the walk end the bin's walk", "[unit][regf]") {
  for (const std::uint32_t size : {0u, 4u, 13u, 0xFFFFFFF4u /* -12 */, 0x80000000u, 0x7FFFFFF8u}) {
    TwoBins t;
    auto bytes = t.image.bytes();
    test::poke_u32(bytes, 4096 + t.gap.value, size);
    std::vector<regf::Diagnostic> d;
    const auto cells = scan(bytes, d);
    INFO("cell size " << size);
    REQUIRE(d.size() == 1);
    CHECK(d[0].structure == "cell");
    CHECK(d[0].file_offset == 4096u + t.gap.value);
    CHECK(cells.is_allocated(t.a));
    CHECK(cells.is_allocated(t.b));  // the next bin is scanned again
  }
}

TEST_CASE(
    "hive bins data size larger than the file: a diagnostic, and the scan stays inside the file",
    "[unit][regf]") {
  TwoBins t;
  auto bytes = t.image.bytes();
  test::poke_u32(bytes, regf::kBbHiveBinsDataSize.offset, 1u << 30);
  std::vector<regf::Diagnostic> d;
  const auto cells = scan(bytes, d);
  CHECK(cells.bins().size() == 2);
  bool reported = false;
  for (const auto& x : d) reported |= x.message.find("truncated file?") != std::string::npos;
  CHECK(reported);
}

TEST_CASE("a file without any hive bin is refused", "[unit][regf]") {
  TwoBins t;
  auto bytes = t.image.bytes();
  bytes.resize(4096);
  REQUIRE_THROWS_WITH(regf::Reader(bytes), Contains("no hive bin"));
}

TEST_CASE("scan_hbins tells how far it has read: every 8 MiB or so, and the end of the hive bins",
          "[unit][regf]") {
  // 2,100 hive bins of 4 KiB (8.2 MiB): one call past the first 8 MiB, one at the end.
  test::CellImage image;
  image.set_root(image.add(test::nk("A")));
  for (int i = 0; i < 2099; ++i) {
    image.new_bin();
    image.add_free(64);
  }
  const auto bytes = image.bytes();
  std::vector<regf::Diagnostic> d;
  const regf::BaseBlock base = regf::parse_base_block(bytes, d);
  std::vector<std::uint64_t> calls;
  const regf::CellMap cells =
      regf::scan_hbins(bytes, base, d, nullptr, [&](std::uint64_t at) { calls.push_back(at); });
  CHECK(d.empty());
  CHECK(cells.bins().size() == 2100);
  REQUIRE(calls.size() == 2);
  CHECK(calls[0] == regf::kReadProgressStep);  // the first bin end at or past 8 MiB
  CHECK(calls[1] == bytes.size());             // the end of the last bin
  // Nobody asking changes nothing.
  std::vector<regf::Diagnostic> d2;
  CHECK(regf::scan_hbins(bytes, base, d2).allocated() == cells.allocated());
}
