#include <catch2/catch.hpp>

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>

#include "hive/libregf_reader.hpp"
#include "hive/tree_walk.hpp"
#include "regf/base_block.hpp"
#include "regf/builder.hpp"
#include "regf/checksum.hpp"
#include "regf/clean_pages.hpp"
#include "regf/dirty_vector.hpp"
#include "regf/format.hpp"
#include "regf/hive_image.hpp"
#include "regf/log_entry.hpp"
#include "regf/log_file.hpp"
#include "regf/reader.hpp"
#include "regf/recovery.hpp"
#include "support/log_builder.hpp"
#include "util/bytes.hpp"

using namespace hivelint;
using Catch::Matchers::Contains;
using test::EntrySpec;

namespace {

constexpr std::uint64_t kTime = 0x01D2962812C636E0ull;

regf::TreeKey tree(int generation) {
  regf::TreeKey root;
  root.name = u"ROOT";
  auto& params = root.ensure_subkey(u"ControlSet001")
                     .ensure_subkey(u"Services")
                     .ensure_subkey(u"InetInfo")
                     .ensure_subkey(u"Parameters");
  params.set_value({u"ListenBackLog", regf::kRegDword, {15, 0, 0, 0}});
  if (generation >= 1)
    params.set_value(
        {u"DispatchEntries", regf::kRegMultiSz, {'L', 0, 'D', 0, 'A', 0, 'P', 0, 0, 0, 0, 0}});
  if (generation >= 2) {
    // Enough keys to need more hive bins: the log must grow the hive.
    auto& many = root.ensure_subkey(u"Many");
    for (int i = 0; i < 300; ++i) {
      std::u16string n = u"Key";
      for (char c : std::to_string(i)) n += static_cast<char16_t>(c);
      many.ensure_subkey(n).set_value(
          {u"V", regf::kRegBinary, std::vector<std::uint8_t>(40, static_cast<std::uint8_t>(i))});
    }
  }
  return root;
}

std::vector<std::uint8_t> build(int generation) {
  regf::BuildOptions o;
  o.timestamp = kTime;
  return regf::build_hive(tree(generation), o).bytes;
}

std::uint32_t bins_size(std::span<const std::uint8_t> hive) {
  return util::ByteReader(hive, 0, "base block").u32(regf::kBbHiveBinsDataSize);
}

// The base file of a dirty hive: `before` with primary sequence `seq` + 1 and secondary `seq`.
std::vector<std::uint8_t> dirty(std::vector<std::uint8_t> before, std::uint32_t seq) {
  test::set_sequences(before, seq + 1, seq);
  return before;
}

// One entry holding every 4096-byte page that differs between `from` and `to`.
EntrySpec entry(std::uint32_t seq, std::span<const std::uint8_t> from,
                std::span<const std::uint8_t> to) {
  return EntrySpec{seq, bins_size(to), test::changed_pages(from, to, 4096), 0};
}

regf::TreeKey read(std::span<const std::uint8_t> hive) { return regf::Reader(hive).read_tree(); }

void require_tree(std::span<const std::uint8_t> hive, int generation) {
  const auto diffs = hive::diff_trees(tree(generation), read(hive));
  INFO((diffs.empty() ? std::string() : diffs.front()));
  REQUIRE(diffs.empty());
  // libregf reads the recovered image from memory just as well.
  const auto libregf = hive::LibregfReader::open_memory(hive, "recovered");
  hive::DiffOptions o;
  o.libregf_quirks = true;
  REQUIRE(hive::diff_trees(tree(generation), hive::read_whole_tree(*libregf), o).empty());
}

void require_clean(std::span<const std::uint8_t> hive, std::uint32_t seq) {
  std::vector<regf::Diagnostic> d;
  const auto bb = regf::parse_base_block(hive, d);
  CHECK(bb.primary_sequence == seq);
  CHECK(bb.secondary_sequence == seq);
  CHECK(bb.checksum_ok());
  CHECK(bb.file_type == regf::kFileTypePrimary);
  CHECK(bb.hive_bins_data_size == hive.size() - regf::kBaseBlockSize);
}

std::vector<regf::LogInput> inputs(
    const std::vector<std::pair<std::string, std::vector<std::uint8_t>>>& logs) {
  std::vector<regf::LogInput> in;
  for (const auto& [label, bytes] : logs) in.push_back(regf::LogInput{label, bytes});
  return in;
}

// `bytes` in a file of its own under the temporary directory (the name ends in the process id).
std::filesystem::path write_file(const std::string& name, const std::vector<std::uint8_t>& bytes) {
  const auto path = std::filesystem::temp_directory_path() / (name + std::to_string(::getpid()));
  std::FILE* f = std::fopen(path.c_str(), "wb");
  REQUIRE(f != nullptr);
  const bool written = std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size();
  std::fclose(f);
  REQUIRE(written);
  return path;
}

}  // namespace

TEST_CASE("recovery: a clean hive is never changed, whatever its logs hold", "[unit][regf]") {
  const auto v0 = build(0), v1 = build(1);
  const auto log = test::new_log(v0, {entry(1, v0, v1)});
  const auto r = regf::recover_hive(v0, inputs({{"H.LOG1", log}}));
  CHECK_FALSE(r.bytes);
  CHECK_FALSE(r.report.dirty);
  CHECK_FALSE(r.report.recovered);
  REQUIRE(r.report.logs.size() == 1);
  CHECK_FALSE(r.report.logs[0].applied);
  CHECK_THAT(r.report.logs[0].reason, Contains("the hive is clean"));
}

TEST_CASE("recovery: new format, valid entries are applied in order and the result is clean",
          "[unit][regf]") {
  const auto v0 = build(0), v1 = build(1), v2 = build(2);
  REQUIRE(v2.size() > v1.size());  // the second entry grows the hive
  const auto base = dirty(v0, 7);
  const auto log = test::new_log(base, {entry(7, v0, v1), entry(8, v1, v2)});
  const auto r = regf::recover_hive(base, inputs({{"H.LOG1", log}}));
  REQUIRE(r.bytes);
  CHECK(r.report.dirty);
  CHECK(r.report.recovered);
  CHECK(r.report.format == "new");
  CHECK(r.report.entries_applied == 2);
  CHECK(r.report.logs[0].first_sequence == 7u);
  CHECK(r.report.logs[0].last_sequence == 8u);
  CHECK(r.report.skipped.empty());
  REQUIRE(r.bytes->size() == v2.size());
  CHECK(std::equal(r.bytes->begin() + 4096, r.bytes->end(), v2.begin() + 4096));
  require_clean(*r.bytes, 8);
  require_tree(*r.bytes, 2);
  CHECK_THAT(r.report.summary(), Contains("replayed 2 log entries") && Contains("H.LOG1"));
}

TEST_CASE("recovery: new format stops at an entry with a bad hash and keeps the ones before",
          "[unit][regf]") {
  const auto v0 = build(0), v1 = build(1), v2 = build(2);
  const auto base = dirty(v0, 3);
  auto log = test::new_log(base, {entry(3, v0, v1), entry(4, v1, v2)});
  const std::size_t second = 512 + test::log_entry(entry(3, v0, v1)).size();
  SECTION("hash-1 (a flipped byte in a page)") {
    log[second + 600] ^= 0x40;
    const auto r = regf::recover_hive(base, inputs({{"H.LOG1", log}}));
    REQUIRE(r.bytes);
    CHECK(r.report.entries_applied == 1);
    CHECK_THAT(r.report.logs[0].reason,
               Contains("stopped at an invalid entry") && Contains("hash-1"));
    CHECK_THAT(r.report.logs[0].reason, Contains(util::hex_offset(second)));
    require_clean(*r.bytes, 3);
    require_tree(*r.bytes, 1);
  }
  SECTION("hash-2 (a flipped flag in the header)") {
    log[second + regf::kLeFlags.offset] ^= 0x01;
    const auto r = regf::recover_hive(base, inputs({{"H.LOG1", log}}));
    CHECK(r.report.entries_applied == 1);
    CHECK_THAT(r.report.logs[0].reason, Contains("hash-2"));
    require_tree(*r.bytes, 1);
  }
}

TEST_CASE("recovery: new format stops at a sequence gap", "[unit][regf]") {
  const auto v0 = build(0), v1 = build(1), v2 = build(2);
  const auto base = dirty(v0, 3);
  const auto log = test::new_log(base, {entry(3, v0, v1), entry(5, v1, v2)});
  const auto r = regf::recover_hive(base, inputs({{"H.LOG1", log}}));
  CHECK(r.report.entries_applied == 1);
  CHECK_THAT(r.report.logs[0].reason, Contains("sequence number is 5, expected 4"));
  require_clean(*r.bytes, 3);
  require_tree(*r.bytes, 1);
}

TEST_CASE("recovery: a truncated new-format log applies its complete entries only",
          "[unit][regf]") {
  const auto v0 = build(0), v1 = build(1), v2 = build(2);
  const auto base = dirty(v0, 3);
  auto log = test::new_log(base, {entry(3, v0, v1), entry(4, v1, v2)});
  log.resize(log.size() - 512);
  const auto r = regf::recover_hive(base, inputs({{"H.LOG1", log}}));
  CHECK(r.report.entries_applied == 1);
  CHECK_THAT(r.report.logs[0].reason, Contains("truncated log"));
  require_tree(*r.bytes, 1);

  SECTION("cut inside the base block: not a log at all") {
    const std::vector<std::uint8_t> stub(log.begin(), log.begin() + 100);
    const auto r2 = regf::recover_hive(base, inputs({{"H.LOG1", stub}}));
    CHECK_FALSE(r2.bytes);
    CHECK(r2.report.dirty);
    CHECK_THAT(r2.report.logs[0].reason, Contains("not a transaction log") && Contains("only 100"));
  }
}

TEST_CASE("recovery: a log newer than the hive is applied, one older than it is not",
          "[unit][regf]") {
  const auto v0 = build(0), v1 = build(1);
  const auto base = dirty(v0, 3);  // 4/3
  SECTION(
      "newer: Windows flushes the hive lazily, so a log may start far past it (real hives do)") {
    const auto log = test::new_log(base, {entry(40, v0, v1)});
    const auto r = regf::recover_hive(base, inputs({{"H.LOG1", log}}));
    REQUIRE(r.bytes);
    require_clean(*r.bytes, 40);
    require_tree(*r.bytes, 1);
  }
  SECTION("older than the hive's secondary sequence number: already in the hive") {
    const auto log = test::new_log(base, {entry(2, v0, v1)});
    const auto r = regf::recover_hive(base, inputs({{"H.LOG1", log}}));
    CHECK_FALSE(r.bytes);
    CHECK_THAT(r.report.logs[0].reason,
               Contains("older than the hive's secondary sequence number 3"));
  }
}

TEST_CASE(
    "recovery: two valid logs are applied oldest first, the second only if it continues the first",
    "[unit][regf]") {
  const auto v0 = build(0), v1 = build(1), v2 = build(2);
  const auto base = dirty(v0, 10);
  const auto first = test::new_log(base, {entry(10, v0, v1)});
  SECTION("continuing: both applied, whatever order they are given in") {
    const auto second = test::new_log(base, {entry(11, v1, v2)});
    const auto r = regf::recover_hive(base, inputs({{"H.LOG1", second}, {"H.LOG2", first}}));
    REQUIRE(r.bytes);
    CHECK(r.report.entries_applied == 2);
    CHECK(r.report.logs[0].applied);
    CHECK(r.report.logs[1].applied);
    require_clean(*r.bytes, 11);
    require_tree(*r.bytes, 2);
  }
  SECTION("not continuing: only the first") {
    const auto second = test::new_log(base, {entry(13, v1, v2)});
    const auto r = regf::recover_hive(base, inputs({{"H.LOG1", first}, {"H.LOG2", second}}));
    CHECK(r.report.entries_applied == 1);
    CHECK_FALSE(r.report.logs[1].applied);
    CHECK_THAT(r.report.logs[1].reason, Contains("does not continue the last applied entry (10)"));
    require_tree(*r.bytes, 1);
  }
  SECTION("the older one is stale: only the newer") {
    const auto stale = test::new_log(base, {entry(5, v0, v1)});
    const auto newer = test::new_log(base, {entry(10, v0, v1), entry(11, v1, v2)});
    const auto r = regf::recover_hive(base, inputs({{"H.LOG1", stale}, {"H.LOG2", newer}}));
    CHECK_FALSE(r.report.logs[0].applied);
    CHECK(r.report.logs[1].applied);
    require_tree(*r.bytes, 2);
  }
}

TEST_CASE("recovery: a log with a bad base block or unequal sequence numbers is not used",
          "[unit][regf]") {
  const auto v0 = build(0), v1 = build(1);
  const auto base = dirty(v0, 3);
  auto log = test::new_log(base, {entry(3, v0, v1)});
  SECTION("checksum") { log[regf::kBbChecksum.offset] ^= 1; }
  SECTION("sequence numbers") {
    util::ByteWriter(log).put_u32(regf::kBbSecondarySequence, 0, 2);
    util::ByteWriter(log).put_u32(regf::kBbChecksum, 0, regf::base_block_checksum(log));
  }
  const auto r = regf::recover_hive(base, inputs({{"H.LOG1", log}}));
  CHECK_FALSE(r.bytes);
  CHECK_THAT(r.report.logs[0].reason, Contains("unusable"));
  CHECK_THAT(r.report.summary(), Contains("no applicable transaction log"));
}

TEST_CASE("recovery: a bad primary base block is rebuilt from the newest log's copy",
          "[unit][regf]") {
  const auto v0 = build(0), v1 = build(1);
  auto base = dirty(v0, 3);
  util::ByteWriter(base).put_u32(regf::kBbRootCell, 0, 0x12345678);  // checksum now wrong
  const auto older = test::new_log(v0, {entry(2, v0, v0)});
  const auto newest = test::new_log(v0, {entry(3, v0, v1)});
  const auto r = regf::recover_hive(base, inputs({{"H.LOG1", older}, {"H.LOG2", newest}}));
  REQUIRE(r.bytes);
  CHECK_FALSE(r.report.base_block_valid);
  CHECK(r.report.base_block_from_log);
  CHECK_FALSE(r.report.logs[0].applied);
  CHECK_THAT(r.report.logs[0].reason, Contains("only the newest log"));
  require_clean(*r.bytes, 3);
  require_tree(*r.bytes, 1);
}

TEST_CASE("recovery: old format applies the pages its dirty vector marks", "[unit][regf]") {
  const auto v0 = build(0), v1 = build(1);
  const auto base = dirty(v0, 5);
  const auto pages = test::changed_pages(v0, v1, 512);
  REQUIRE_FALSE(pages.empty());
  auto log = test::old_log(base, 6, bins_size(v1), pages);
  SECTION("valid") {
    const auto r = regf::recover_hive(base, inputs({{"H.LOG", log}}));
    REQUIRE(r.bytes);
    CHECK(r.report.format == "old");
    CHECK(r.report.pages_applied == pages.size());
    CHECK(r.report.logs[0].pages_applied == pages.size());
    require_clean(*r.bytes, 6);
    require_tree(*r.bytes, 1);
  }
  SECTION("truncated: a marked page is missing, so the log is not used") {
    log.resize(log.size() - 512);
    const auto r = regf::recover_hive(base, inputs({{"H.LOG", log}}));
    CHECK_FALSE(r.bytes);
    CHECK_THAT(r.report.logs[0].reason, Contains("truncated log"));
  }
  SECTION("older timestamp than the hive: from an earlier write") {
    util::ByteWriter(log).put_u64(regf::kBbLastWritten, 0, kTime - 1);
    util::ByteWriter(log).put_u32(regf::kBbChecksum, 0, regf::base_block_checksum(log));
    const auto r = regf::recover_hive(base, inputs({{"H.LOG", log}}));
    CHECK_FALSE(r.bytes);
    CHECK_THAT(r.report.logs[0].reason, Contains("older than the hive's"));
  }
  SECTION("a dirty page that breaks a hive bin header makes Windows drop the log") {
    auto bad_pages = pages;
    bad_pages.insert(bad_pages.begin(), test::Page{0, std::vector<std::uint8_t>(512, 0xEE)});
    if (bad_pages.size() > 1 && bad_pages[1].offset == 0) bad_pages.erase(bad_pages.begin() + 1);
    const auto bad = test::old_log(base, 6, bins_size(v1), bad_pages);
    const auto r = regf::recover_hive(base, inputs({{"H.LOG", bad}}));
    CHECK_FALSE(r.bytes);
    CHECK_THAT(r.report.logs[0].reason, Contains("dirty hive bin"));
  }
}

TEST_CASE("recovery: new-format logs are preferred over an old-format one", "[unit][regf]") {
  const auto v0 = build(0), v1 = build(1), v2 = build(2);
  const auto base = dirty(v0, 5);
  const auto old = test::old_log(base, 6, bins_size(v1), test::changed_pages(v0, v1, 512));
  const auto log = test::new_log(base, {entry(5, v0, v2)});
  const auto r = regf::recover_hive(base, inputs({{"H.LOG", old}, {"H.LOG1", log}}));
  CHECK(r.report.format == "new");
  CHECK_FALSE(r.report.logs[0].applied);
  require_tree(*r.bytes, 2);
}

TEST_CASE("recovery: a valid older entry after the last one is the log's remnant, not damage",
          "[unit][regf]") {
  const auto v0 = build(0), v1 = build(1), v2 = build(2);
  const auto base = dirty(v0, 30);
  // A log reused from its start: entry 30, then an entry of an earlier cycle (sequence 12) left
  // behind it.
  const auto log = test::new_log(base, {entry(30, v0, v1), entry(12, v1, v2)});
  const auto r = regf::recover_hive(base, inputs({{"H.LOG1", log}}));
  REQUIRE(r.bytes);
  CHECK(r.report.entries_applied == 1);
  CHECK(r.report.logs[0].reason.empty());
  CHECK(r.report.skipped.empty());
  require_tree(*r.bytes, 1);
}

TEST_CASE("recovery: an entry may not grow the hive past what its pages fill", "[unit][regf]") {
  const auto v0 = build(0), v1 = build(1);
  const auto base = dirty(v0, 3);
  auto grow = entry(4, v1, v1);  // no page changes...
  grow.pages = {test::Page{0, std::vector<std::uint8_t>(v1.begin() + 4096, v1.begin() + 8192)}};
  grow.hive_bins_data_size = 64u << 20;  // ...but claims 64 MiB of hive bins
  const auto log = test::new_log(base, {entry(3, v0, v1), grow});
  const auto r = regf::recover_hive(base, inputs({{"H.LOG1", log}}));
  REQUIRE(r.bytes);
  CHECK(r.report.entries_applied == 1);
  CHECK_THAT(r.report.logs[0].reason,
             Contains("grows the hive by") && Contains("its pages hold only 4096"));
  CHECK(r.bytes->size() == v1.size());
  require_tree(*r.bytes, 1);
}

TEST_CASE("recovery: damaged logs never crash, hang or throw anything but FormatError",
          "[unit][regf]") {
  const auto v0 = build(0), v1 = build(1), v2 = build(2);
  const auto base = dirty(v0, 3);
  const auto good_new = test::new_log(base, {entry(3, v0, v1), entry(4, v1, v2)});
  const auto good_old = test::old_log(base, 4, bins_size(v1), test::changed_pages(v0, v1, 512));
  std::uint64_t state =
      0x9E3779B97F4A7C15ull;  // deterministic xorshift: the same mutations every run
  const auto next = [&] {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
  };
  std::size_t recovered = 0;
  for (int round = 0; round < 400; ++round) {
    auto log = (round % 2 == 0) ? good_new : good_old;
    // Damage a few bytes, mostly in the headers (base block, entry headers, dirty vector) where
    // parsing decides.
    const int hits = 1 + static_cast<int>(next() % 4);
    for (int h = 0; h < hits; ++h) {
      const std::size_t span =
          (next() % 3 == 0) ? log.size() : std::min<std::size_t>(log.size(), 1200);
      log[next() % span] = static_cast<std::uint8_t>(next());
    }
    if (next() % 5 == 0) log.resize(next() % log.size());
    auto primary = base;
    if (next() % 7 == 0) primary[next() % 512] ^= 0xFF;  // sometimes a bad primary base block too
    try {
      const auto r = regf::recover_hive(primary, inputs({{"H.LOG1", log}}));
      if (r.bytes) {
        ++recovered;
        CHECK(r.bytes->size() <= v2.size() + (64u << 10));
      }
    } catch (const FormatError&) {
      // only the primary's own base block may make recovery impossible
    }
  }
  CHECK(recovered > 50);
}

TEST_CASE("recovery: log order is well defined even for sequence numbers 2^31 apart",
          "[unit][regf]") {
  const auto v0 = build(0), v1 = build(1);
  const auto base = dirty(v0, 0x10);
  // Three logs whose pairwise serial order is a cycle; the one starting at the hive's sequence is
  // applied.
  const auto a = test::new_log(base, {entry(0x10, v0, v1)});
  const auto b = test::new_log(base, {entry(0x60000010, v0, v1)});
  const auto c = test::new_log(base, {entry(0xC0000010, v0, v1)});
  const auto r = regf::recover_hive(base, inputs({{"A", c}, {"B", b}, {"C", a}}));
  REQUIRE(r.bytes);
  CHECK(r.report.logs[2].applied);        // sequence 0x10, the oldest not older than the hive
  CHECK_FALSE(r.report.logs[0].applied);  // 0xC0000010 is "older" than 0x10 in serial order
  require_tree(*r.bytes, 1);
}

TEST_CASE(
    "recovery: the page-source map names the log and entry that wrote each page, the file "
    "otherwise",
    "[unit][regf]") {
  const auto v0 = build(0), v1 = build(1), v2 = build(2);
  const auto base = dirty(v0, 10);
  const auto p1 = test::changed_pages(v0, v1, 4096), p2 = test::changed_pages(v1, v2, 4096);
  REQUIRE_FALSE(p1.empty());
  REQUIRE_FALSE(p2.empty());
  const auto first = test::new_log(base, {entry(10, v0, v1)});
  const auto second = test::new_log(base, {entry(11, v1, v2)});
  const auto r = regf::recover_hive(base, inputs({{"H.LOG1", first}, {"H.LOG2", second}}));
  REQUIRE(r.bytes);
  // Bounded: one run per page at most (adjacent pages of one entry merge).
  CHECK(r.page_runs.size() <= r.report.pages_applied);
  const auto at = [](const test::Page& p) { return std::uint64_t{4096} + p.offset; };
  // A page both entries wrote comes from the later one; one only the first wrote, from the first.
  for (const auto& p : p2) {
    const regf::PageRun* run = regf::page_source(r.page_runs, at(p) + 100);
    REQUIRE(run);
    CHECK(r.report.logs[run->log].label == "H.LOG2");
    CHECK(run->sequence == 11u);
  }
  for (const auto& p : p1) {
    const bool rewritten = std::any_of(p2.begin(), p2.end(),
                                       [&](const test::Page& q) { return q.offset == p.offset; });
    const regf::PageRun* run = regf::page_source(r.page_runs, at(p));
    REQUIRE(run);
    CHECK(run->sequence == (rewritten ? 11u : 10u));
  }
  // The base block and a page no entry wrote are the file's.
  CHECK(regf::page_source(r.page_runs, 0) == nullptr);
  std::uint32_t untouched = 0;
  while (
      std::any_of(p1.begin(), p1.end(),
                  [&](const test::Page& p) { return p.offset == untouched; }) ||
      std::any_of(p2.begin(), p2.end(), [&](const test::Page& p) { return p.offset == untouched; }))
    untouched += 4096;
  if (untouched + 4096u < v0.size())
    CHECK(regf::page_source(r.page_runs, 4096u + untouched) == nullptr);

  SECTION("old format: the log's sequence number") {
    const auto pages = test::changed_pages(v0, v1, 512);
    const auto old = test::old_log(base, 11, bins_size(v1), pages);
    const auto o = regf::recover_hive(base, inputs({{"H.LOG", old}}));
    REQUIRE(o.bytes);
    const regf::PageRun* run = regf::page_source(o.page_runs, 4096u + pages.front().offset);
    REQUIRE(run);
    CHECK(run->sequence == 11u);
    CHECK(o.report.logs[run->log].label == "H.LOG");
  }
}

TEST_CASE("recovery: replayed into a private mapping of the file, the same bytes as into a copy",
          "[unit][regf]") {
  // A dirty hive padded past 4 MiB is mapped, so replay writes into a private copy-on-write
  // mapping of it: the result must be byte for byte the in-memory replay's, the file untouched,
  // on each path that starts an image (new format, a base block rebuilt from the log, old format).
  const auto v0 = build(0), v1 = build(1), v2 = build(2);
  std::vector<std::uint8_t> base;
  std::vector<std::pair<std::string, std::vector<std::uint8_t>>> logs;
  int generation = 0;
  SECTION("new format, growing the hive") {
    base = dirty(v0, 7);
    logs = {{"H.LOG1", test::new_log(base, {entry(7, v0, v1), entry(8, v1, v2)})}};
    generation = 2;
  }
  SECTION("a bad primary base block, rebuilt from the log") {
    base = dirty(v0, 3);
    util::ByteWriter(base).put_u32(regf::kBbRootCell, 0, 0x12345678);  // checksum now wrong
    logs = {{"H.LOG1", test::new_log(v0, {entry(3, v0, v1)})}};
    generation = 1;
  }
  SECTION("old format") {
    base = dirty(v0, 5);
    logs = {{"H.LOG", test::old_log(base, 6, bins_size(v1), test::changed_pages(v0, v1, 512))}};
    generation = 1;
  }
  base.resize(5u << 20, 0);
  const auto path = write_file("hivelint_recovery_test_", base);
  {
    const auto file = regf::HiveImage::load(path);
    const auto mapped = regf::recover_hive(file.bytes(), inputs(logs), &file);
    const auto copied = regf::recover_hive(file.bytes(), inputs(logs));
    REQUIRE(mapped.bytes);
    REQUIRE(copied.bytes);
    CHECK(mapped.bytes->mapped());
    CHECK_FALSE(copied.bytes->mapped());
    CHECK(*mapped.bytes == *copied.bytes);
    CHECK(mapped.report.summary() == copied.report.summary());
    CHECK(std::equal(file.bytes().begin(), file.bytes().end(), base.begin(), base.end()));
    require_tree(*mapped.bytes, generation);
  }
  const auto reread = regf::HiveImage::load(path);
  CHECK(std::equal(reread.bytes().begin(), reread.bytes().end(), base.begin(), base.end()));
  std::filesystem::remove(path);
}

TEST_CASE("recovery: what the replay did not write is the file's, on every replay path",
          "[unit][regf]") {
  // CleanPages (clean_pages.hpp) serves a recovered image's untouched pages from the file: every
  // page it sends there must hold the image's bytes, and the pages it keeps must include all the
  // replay changed (the base block, each entry's or dirty vector's pages, growth).
  const auto v0 = build(0), v1 = build(1), v2 = build(2);
  std::vector<std::uint8_t> base;
  std::vector<std::pair<std::string, std::vector<std::uint8_t>>> logs;
  SECTION("new format, two logs, growing the hive") {
    base = dirty(v0, 7);
    logs = {{"H.LOG1", test::new_log(base, {entry(7, v0, v1)})},
            {"H.LOG2", test::new_log(base, {entry(8, v1, v2)})}};
  }
  SECTION("a bad primary base block, rebuilt from the log") {
    base = dirty(v0, 3);
    util::ByteWriter(base).put_u32(regf::kBbRootCell, 0, 0x12345678);
    logs = {{"H.LOG1", test::new_log(v0, {entry(3, v0, v1)})}};
  }
  SECTION("old format") {
    base = dirty(v0, 5);
    logs = {{"H.LOG", test::old_log(base, 6, bins_size(v1), test::changed_pages(v0, v1, 512))}};
  }
  base.resize(5u << 20, 0);
  const auto r = regf::recover_hive(base, inputs(logs));
  INFO(r.report.summary());
  REQUIRE(r.bytes);
  const std::span<const std::uint8_t> image = *r.bytes;
  const regf::CleanPages clean(image, base, r.page_runs, r.smallest_size);
  std::size_t from_file = 0, differing = 0;
  for (std::size_t at = 0; at < image.size(); at += 4096) {
    const std::size_t n = std::min<std::size_t>(4096, image.size() - at);
    const auto v = clean.view(at, n);
    REQUIRE(std::equal(v.begin(), v.end(), image.begin() + static_cast<std::ptrdiff_t>(at)));
    if (v.data() == base.data() + at) ++from_file;
    if (at + n <= base.size() &&
        !std::equal(v.begin(), v.end(), base.begin() + static_cast<std::ptrdiff_t>(at)))
      ++differing;
  }
  CHECK(from_file == clean.clean_page_count());
  CHECK(from_file > 1000);  // the padding and the pages no log wrote
  CHECK(differing > 1);     // the base block and the pages the logs changed are the image's
}

TEST_CASE("recovery: a log that grows a mapped hive past the file's end gives the copy's bytes",
          "[unit][regf]") {
  // Past 4 MiB the hive is mapped; an entry that grows it past the file's end turns the private
  // mapping into memory of its own in the middle of the replay.
  const auto tree_of = [](bool grown) {
    regf::TreeKey root;
    root.name = u"ROOT";
    auto& big = root.ensure_subkey(u"Big");
    big.set_value({u"A", regf::kRegBinary, std::vector<std::uint8_t>(4600u << 10, 0x5a)});
    if (grown) big.set_value({u"B", regf::kRegBinary, std::vector<std::uint8_t>(300u << 10, 0xa5)});
    return root;
  };
  regf::BuildOptions o;
  o.timestamp = kTime;
  const auto v0 = regf::build_hive(tree_of(false), o).bytes;
  const auto v1 = regf::build_hive(tree_of(true), o).bytes;
  REQUIRE(v0.size() > (4u << 20));
  REQUIRE(v1.size() > v0.size());
  // Every page past the old end goes into the entry, zero or not (growth must be logged whole).
  auto spec = entry(7, v0, v1);
  const std::size_t old_bins = v0.size() - regf::kBaseBlockSize;
  std::erase_if(spec.pages, [&](const test::Page& p) { return p.offset >= old_bins; });
  for (std::size_t off = old_bins; off < v1.size() - regf::kBaseBlockSize; off += 4096) {
    const auto first = v1.begin() + static_cast<std::ptrdiff_t>(regf::kBaseBlockSize + off);
    spec.pages.push_back(test::Page{static_cast<std::uint32_t>(off),
                                    std::vector<std::uint8_t>(first, first + 4096)});
  }
  const auto base = dirty(v0, 7);
  const auto log = test::new_log(base, {spec});
  const auto path = write_file("hivelint_recovery_grow_test_", base);
  {
    const auto file = regf::HiveImage::load(path);
    REQUIRE(file.private_copy());  // mapped
    const auto mapped = regf::recover_hive(file.bytes(), inputs({{"H.LOG1", log}}), &file);
    const auto copied = regf::recover_hive(file.bytes(), inputs({{"H.LOG1", log}}));
    INFO(mapped.report.summary());
    REQUIRE(mapped.bytes);
    REQUIRE(copied.bytes);
    CHECK_FALSE(mapped.bytes->mapped());  // grown past the mapping: memory of its own now
    CHECK(*mapped.bytes == *copied.bytes);
    REQUIRE(mapped.bytes->size() == v1.size());
    CHECK(std::equal(mapped.bytes->begin() + 4096, mapped.bytes->end(), v1.begin() + 4096));
    require_clean(*mapped.bytes, 7);
  }
  std::filesystem::remove(path);
}
