// Log replay on real hives (../shared/hives-real): our recovery of yarp's dirty hives against
// Windows' own recoveries of the same files, read through both backends; damaged logs; every real
// hive with logs.
#include <catch2/catch.hpp>
#include <filesystem>

#include "hive/error.hpp"
#include "hive/libregf_reader.hpp"
#include "hive/open.hpp"
#include "hive/regf_reader.hpp"
#include "hive/tree_walk.hpp"
#include "regf/hive_image.hpp"
#include "regf/recovery.hpp"
#include "support/real_hives.hpp"

using namespace hivelint;
using Catch::Matchers::Contains;

namespace {

std::filesystem::path real_dir() { return test::real_hives_dir(); }
using test::have_real_hives;

regf::TreeKey tree_of(const std::filesystem::path& p, const hive::OpenOptions& o) {
  const auto h = hive::open_hive(p, o);
  return hive::read_whole_tree(*h.reader);
}

// Our recovery of `dirty` equals Windows' `recovered` in every key, value and data, through both
// backends; without the logs it does not (so the comparison can tell).
void require_same_as_windows(const std::string& dirty, const std::string& recovered) {
  const auto d = real_dir() / "yarp" / dirty, w = real_dir() / "yarp" / recovered;
  for (const auto backend : {hive::Backend::kLibregf, hive::Backend::kHivelint}) {
    INFO(dirty << (backend == hive::Backend::kLibregf ? " via libregf" : " via hivelint's reader"));
    hive::OpenOptions o;
    o.backend = backend;
    const auto h = hive::open_hive(d, o);
    CHECK(h.recovery.dirty);
    CHECK(h.recovery.recovered);
    CHECK_FALSE(h.base_block.is_dirty());
    const auto ours = hive::read_whole_tree(*h.reader);
    const auto windows = tree_of(w, o);
    const auto diffs = hive::diff_trees(windows, ours);
    INFO((diffs.empty() ? std::string() : diffs.front()));
    CHECK(diffs.empty());
    o.no_logs = true;
    CHECK_FALSE(hive::diff_trees(windows, tree_of(d, o)).empty());
  }
}

}  // namespace

TEST_CASE("real: new-format recovery of yarp NewDirtyHive1 equals Windows 10's",
          "[unit][hive][real]") {
  if (!have_real_hives()) return;
  require_same_as_windows("NewDirtyHive1/NewDirtyHive", "NewDirtyHive1/RecoveredHive_Windows10");
  // Windows 10's file holds exactly the hive bins our replay produces.
  const auto ours = hive::open_hive(real_dir() / "yarp/NewDirtyHive1/NewDirtyHive");
  const auto windows =
      regf::HiveImage::load(real_dir() / "yarp/NewDirtyHive1/RecoveredHive_Windows10");
  const auto a = ours.image->bytes(), b = windows.bytes();
  REQUIRE(a.size() == b.size());
  CHECK(std::equal(a.begin() + 4096, a.end(), b.begin() + 4096));
  CHECK(ours.recovery.entries_applied == 4);
  CHECK(ours.recovery.sequence == 5u);
}

TEST_CASE("real: old-format recovery of yarp OldDirtyHive equals Windows 7's",
          "[unit][hive][real]") {
  if (!have_real_hives()) return;
  require_same_as_windows("OldDirtyHive/OldDirtyHive", "OldDirtyHive/RecoveredHive_Windows7");
  const auto h = hive::open_hive(real_dir() / "yarp/OldDirtyHive/OldDirtyHive");
  CHECK(h.recovery.format == "old");
  CHECK(h.recovery.pages_applied > 0);
}

TEST_CASE(
    "real: NewDirtyHive2 skips the stale LOG1 and BadBaseBlockHive gets its base block from the "
    "log",
    "[unit][hive][real]") {
  if (!have_real_hives()) return;
  const auto h2 = hive::open_hive(real_dir() / "yarp/NewDirtyHive2/NewDirtyHive");
  REQUIRE(h2.recovery.logs.size() == 2);
  CHECK_FALSE(h2.recovery.logs[0].applied);
  CHECK_THAT(h2.recovery.logs[0].reason,
             Contains("older than the hive's secondary sequence number 3"));
  CHECK(h2.recovery.logs[1].applied);
  CHECK(h2.recovery.entries_applied == 3);

  const auto bad = hive::open_hive(real_dir() / "yarp/BadBaseBlockHive/BadBaseBlockHive");
  CHECK_FALSE(bad.recovery.base_block_valid);
  CHECK(bad.recovery.base_block_from_log);
  CHECK(bad.base_block.checksum_ok());
  // The same data as OldDirtyHive recovered (yarp made BadBaseBlockHive from it by breaking the
  // base block).
  const auto old = hive::open_hive(real_dir() / "yarp/OldDirtyHive/OldDirtyHive");
  CHECK(hive::diff_trees(hive::read_whole_tree(*old.reader), hive::read_whole_tree(*bad.reader))
            .empty());
}

TEST_CASE("real: damaged logs (yarp BadLogHive1-3) are not applied and say why",
          "[unit][hive][real]") {
  if (!have_real_hives()) return;
  const struct {
    const char* hive;
    const char* why;
  } cases[] = {{"BadLogHive1/BadLogHive", "checksum is 0x4c564e49"},
               {"BadLogHive2/BadLogHive", "signature is \"INVL\", expected \"DIRT\""},
               {"BadLogHive3/BadLogHive", "checksum is 0x4c564e49"}};
  for (const auto& c : cases) {
    INFO(c.hive);
    const auto h = hive::open_hive(real_dir() / "yarp" / c.hive);
    CHECK(h.recovery.dirty);
    CHECK_FALSE(h.recovery.recovered);
    CHECK(h.recovery.entries_applied + h.recovery.pages_applied == 0);
    REQUIRE_FALSE(h.recovery.logs.empty());
    CHECK_THAT(h.recovery.logs[0].reason, Contains(c.why));
    CHECK_THAT(h.recovery.summary(), Contains("no applicable transaction log"));
    hive::OpenOptions o;
    o.no_logs = true;
    CHECK(
        hive::diff_trees(hive::read_whole_tree(*h.reader), tree_of(real_dir() / "yarp" / c.hive, o))
            .empty());
  }
}

TEST_CASE("real: every hive recovers with its sibling logs or fails with a hivelint error",
          "[unit][hive][real]") {
  if (!have_real_hives()) return;
  std::size_t recovered = 0, clean_with_logs = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(real_dir())) {
    if (!entry.is_regular_file() || entry.path().extension() == ".md") continue;
    const auto logs = hive::find_sibling_logs(entry.path());
    if (logs.empty()) continue;
    INFO(entry.path());
    const auto image = regf::HiveImage::load(entry.path());
    std::vector<regf::HiveImage> log_images;
    std::vector<regf::LogInput> inputs;
    for (const auto& l : logs) log_images.push_back(regf::HiveImage::load(l));
    for (std::size_t i = 0; i < logs.size(); ++i)
      inputs.push_back(regf::LogInput{logs[i], log_images[i].bytes()});
    try {  // only a hivelint::Error may escape (a crash, out_of_range or bad_alloc fails the test)
      const auto r = regf::recover_hive(image.bytes(), inputs);
      if (r.report.recovered) ++recovered;
      if (!r.report.dirty) {
        ++clean_with_logs;
        CHECK_FALSE(r.bytes);  // stale logs beside a clean hive are never replayed
      }
    } catch (const FormatError& e) {
      CHECK_THAT(std::string(e.what()), Contains(" at 0x"));
    }
  }
  CHECK(recovered == 13);  // yarp 4 (NewDirtyHive1/2, OldDirtyHive, BadBaseBlockHive), regipy 3,
                           // DFIRArtifactMuseum 6
  CHECK(clean_with_logs >= 3);
}

TEST_CASE("real: sibling logs are found whatever the case of hive and log names (yarp Discovery)",
          "[unit][hive][real]") {
  if (!have_real_hives()) return;
  const auto d = real_dir() / "yarp/Discovery";
  const auto names = [](const std::vector<std::string>& logs) {
    std::vector<std::string> n;
    for (const auto& l : logs) n.push_back(std::filesystem::path(l).filename().string());
    return n;
  };
  CHECK(names(hive::find_sibling_logs(d / "1/aa")) ==
        std::vector<std::string>{"aa.LOG", "aa.LOG1", "aa.LOG2"});
  CHECK(names(hive::find_sibling_logs(d / "2/AA")) ==
        std::vector<std::string>{"aa.LOG1", "aa.LOG2"});
  CHECK(names(hive::find_sibling_logs(d / "3/AA")) ==
        std::vector<std::string>{"aa.log", "aa.log1"});
  CHECK(names(hive::find_sibling_logs(d / "4/AA")) ==
        std::vector<std::string>{"aa.LOG", "aa.log1", "aa.log2"});
  CHECK(hive::find_sibling_logs(d / "5/aa").empty());
}

TEST_CASE("real: a damaged entry in Windows-written logs stops replay exactly there",
          "[unit][hive][real]") {
  if (!have_real_hives()) return;
  const auto dir = real_dir() / "yarp/NewDirtyHive1";
  const auto hive = regf::HiveImage::load(dir / "NewDirtyHive");
  const auto log1 = regf::HiveImage::load(dir / "NewDirtyHive.LOG1");
  const auto log2 = regf::HiveImage::load(dir / "NewDirtyHive.LOG2");
  // LOG2 holds entries 3 (at 0x200), 4 (at 0x2000) and 5 (at 0x8000). Damage a page byte of
  // entry 4.
  std::vector<std::uint8_t> damaged(log2.bytes().begin(), log2.bytes().end());
  REQUIRE(damaged.size() > 0x3000);
  damaged[0x3000] ^= 0xFF;
  const auto r = regf::recover_hive(hive.bytes(), {{"LOG1", log1.bytes()}, {"LOG2", damaged}});
  REQUIRE(r.bytes);
  CHECK(r.report.entries_applied == 2);  // 2 from LOG1, 3 from LOG2
  CHECK(r.report.sequence == 3u);
  CHECK_THAT(r.report.logs[1].reason, Contains("log entry (HvLE) at 0x00002000: hash-1") &&
                                          Contains("1 later entry header(s)"));
  // The same bytes as a LOG2 that ends after entry 3, and not those of the full recovery.
  const std::vector<std::uint8_t> cut(log2.bytes().begin(), log2.bytes().begin() + 0x2000);
  const auto expected = regf::recover_hive(hive.bytes(), {{"LOG1", log1.bytes()}, {"LOG2", cut}});
  REQUIRE(expected.bytes);
  CHECK(*r.bytes == *expected.bytes);
  const auto full =
      regf::recover_hive(hive.bytes(), {{"LOG1", log1.bytes()}, {"LOG2", log2.bytes()}});
  CHECK(*r.bytes != *full.bytes);
}

TEST_CASE("real: once logs were applied, damage_detail does not blame the file's sequence numbers",
          "[unit][hive][real]") {
  // USER_TRIALS 1.13: check appended "hivelint verify: base block ...: secondary sequence number is
  // 2, expected 3" right above a Recovery line saying the logs had been replayed. The remark must
  // come from the bytes read.
  if (!have_real_hives()) return;
  const auto path = real_dir() / "yarp" / "NewDirtyHive1" / "NewDirtyHive";
  const auto h = hive::open_hive(path, hive::Backend::kHivelint);
  REQUIRE(h.recovery.recovered);
  const hive::BackendError unplaced("libregf", "cannot read", "");
  CHECK_THAT(hive::damage_detail(path, unplaced), Contains("sequence number"));
  CHECK(hive::damage_detail(h.image->bytes(), unplaced).empty());
}

TEST_CASE("real: SYSTEM_B's replayed image is read through its clean pages as through its bytes",
          "[unit][hive][real]") {
  // 12 MB, so mapped: its two logs are replayed into a private mapping, and both readers' opening
  // walks read the pages no entry wrote in the file's own mapping (regf/clean_pages.hpp).
  if (!have_real_hives()) return;
  hive::OpenOptions o;
  o.backend = hive::Backend::kBoth;
  o.lazy_cells = true;
  o.hash_now = false;
  const auto h = hive::open_hive(real_dir() / "regipy/SYSTEM_B", o);
  REQUIRE(h.recovery.recovered);
  REQUIRE(h.clean_pages);
  REQUIRE(h.confirmer);
  const auto image = h.image->bytes();
  CHECK(h.clean_pages->clean_page_count() > 2000);  // of about 3,000 pages
  std::size_t written = 0;
  for (std::size_t at = 0; at < image.size(); at += 4096) {
    const std::size_t n = std::min<std::size_t>(4096, image.size() - at);
    const auto v = h.clean_pages->view(at, n);
    REQUIRE(std::equal(v.begin(), v.end(), image.begin() + static_cast<std::ptrdiff_t>(at)));
    if (v.data() == image.data() + at) ++written;
  }
  CHECK(written >= 2);  // the base block and the entries' pages
  // Both readers, opened through the clean pages, read what readers over the image alone read.
  const auto plain = hive::read_whole_tree(hive::RegfReader(image));
  const auto diffs = hive::diff_trees(plain, hive::read_whole_tree(*h.reader));
  INFO((diffs.empty() ? std::string() : diffs.front()));
  CHECK(diffs.empty());
  const auto libregf_plain = hive::LibregfReader::open_memory(image, "plain");
  const auto services = hive::KeyPath::parse("ControlSet001\\Services");
  CHECK(libregf_plain->subkey_names(services) == h.confirmer->subkey_names(services));
  REQUIRE(h.confirmer->subkey_names(services).size() > 300);
  // Work that reads much of the hive reads it all in the image: no page mapped twice.
  hive::OpenOptions walking = o;
  walking.let_opening_pages_go = true;
  CHECK_FALSE(hive::open_hive(real_dir() / "regipy/SYSTEM_B", walking).clean_pages);
  for (const auto& name : h.confirmer->subkey_names(services)) {
    const auto key = services / name;
    const auto a = libregf_plain->values(key), b = h.confirmer->values(key);
    REQUIRE(a.size() == b.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
      CHECK(a[i].name == b[i].name);
      CHECK(a[i].type == b[i].type);
      CHECK(a[i].data == b[i].data);
    }
  }
}
