#include "events/event_log.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "events/error.hpp"
#include "events/evtx_chunks.hpp"
#include "events/scm_failure.hpp"
#include "support/real_events.hpp"

using namespace hivelint;
using namespace hivelint::events;
using Catch::Matchers::Contains;

namespace {

std::filesystem::path write_temp(const std::string& name, const std::vector<std::uint8_t>& bytes) {
  const auto path = std::filesystem::temp_directory_path() / ("hivelint_event_log_test_" + name);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(bytes.data()),
            static_cast<std::streamsize>(bytes.size()));
  return path;
}

std::vector<std::uint8_t> read_all(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::size_t count_id(const EventLog& log, std::uint32_t id) {
  std::size_t n = 0;
  for (const auto& r : log.kept)
    if (r.event_id == id) ++n;
  return n;
}

const RecordFilter kKeepNothing{};

}  // namespace

TEST_CASE("a file that is neither EVT nor EVTX is refused naming the log and offset 0",
          "[unit][events]") {
  const auto path = write_temp("notalog", {'r', 'e', 'g', 'f', 0, 0, 0, 0, 1, 2, 3});
  REQUIRE_THROWS_AS(read_event_log(path, kKeepNothing), EventLogError);
  REQUIRE_THROWS_WITH(read_event_log(path, kKeepNothing),
                      Contains("event log file header at 0x00000000 of " + path.string()) &&
                          Contains("neither EVTX \"ElfFile\""));
  const auto empty = write_temp("empty", {});
  REQUIRE_THROWS_WITH(read_event_log(empty, kKeepNothing), Contains("0 bytes read"));
}

TEST_CASE("an EVT signature with a header libevt refuses is an error naming the format and offset",
          "[unit][events]") {
  std::vector<std::uint8_t> bytes(0x18, 0);  // a header cut short: libevt needs 0x30 bytes
  bytes[0] = 0x30;
  bytes[4] = 'L';
  bytes[5] = 'f';
  bytes[6] = 'L';
  bytes[7] = 'e';
  const auto path = write_temp("bad_evt_header", bytes);
  REQUIRE(detect_format(path) == LogFormat::kEvt);
  REQUIRE_THROWS_WITH(
      read_event_log(path, kKeepNothing),
      Contains("EVT file header at 0x00000000 of " + path.string()) && Contains("libevt"));
}

TEST_CASE("the real XP SysEvent.Evt reads completely, recovered records included",
          "[unit][events][real]") {
  if (!test::have_real_events()) return;
  const auto log = read_event_log(test::real_event_log("plaso-SysEvent.Evt"), scm_failure_filter());
  CHECK(log.format == LogFormat::kEvt);
  // evtexport -m items / -m recovered (libevt 20200926) list 6063 and 438 records.
  CHECK(log.records == 6063);
  CHECK(log.recovered == 438);
  CHECK(log.dirty);
  CHECK(log.warnings.empty());
  CHECK(count_id(log, 7000) == 109);
  CHECK(count_id(log, 7009) == 7);
  CHECK(count_id(log, 7022) == 3);
  CHECK(count_id(log, 7031) == 7);
  std::size_t err2 = 0, err1053 = 0, recovered = 0;
  for (const auto& r : log.kept) {
    CHECK(r.source == "Service Control Manager");
    CHECK(r.written > 0);
    if (r.recovered) ++recovered;
    if (r.event_id != 7000) continue;
    REQUIRE(r.strings.size() == 2);
    if (r.strings[1] == "%%2") ++err2;
    if (r.strings[1] == "%%1053") ++err1053;
  }
  CHECK(err2 == 106);
  CHECK(err1053 == 3);
  CHECK(recovered == 0);  // all 109 Event 7000 are current records
}

TEST_CASE("the real System.evtx files read completely and give the service key from Binary",
          "[unit][events][real]") {
  if (!test::have_real_events()) return;
  struct Expect {
    const char* name;
    std::uint64_t records, recovered;
  };
  // evtxexport -m items / -m recovered (libevtx 20181227).
  // omerbenamram: libevtx lists 79 recovered records it cannot read; evtxexport passes over them,
  // so does hivelint.
  for (const auto& e :
       {Expect{"plaso-System.evtx", 5009, 0}, Expect{"omerbenamram-system.evtx", 1881, 0},
        Expect{"hayabusa-mitre-7000-7009-7045.evtx", 733, 37}}) {
    INFO(e.name);
    const auto log = read_event_log(test::real_event_log(e.name), scm_failure_filter());
    CHECK(log.format == LogFormat::kEvtx);
    CHECK(log.records == e.records);
    CHECK(log.recovered == e.recovered);
    CHECK(log.bad_chunks == 0);
    CHECK(log.chunks > 0);
  }
  const auto log =
      read_event_log(test::real_event_log("omerbenamram-system.evtx"), scm_failure_filter());
  REQUIRE(count_id(log, 7000) == 3);
  for (const auto& r : log.kept) {
    if (r.event_id != 7000) continue;
    const auto failures = scm_failures(r);
    REQUIRE(failures.size() == 1);
    CHECK(failures[0].display_name == "CldFlt");
    CHECK(failures[0].key_name == std::optional<std::string>("CldFlt"));
    CHECK(failures[0].error == std::optional<std::uint32_t>(50));
  }
  CHECK(count_id(log, 7023) == 12);
  CHECK(count_id(log, 7026) == 3);
  CHECK(log.unreadable == 79);
  REQUIRE(log.warnings.size() == 1);
  CHECK_THAT(log.warnings[0],
             Contains("79 of 79 recovered records listed by libevtx cannot be read"));
}

TEST_CASE("a damaged EVTX chunk is skipped and counted, its records read as recovered",
          "[unit][events][real]") {
  if (!test::have_real_events()) return;
  auto bytes = read_all(test::real_event_log("plaso-System.evtx"));
  const std::size_t chunk2 = 4096 + 2 * 65536;
  bytes[chunk2] = 'X';  // "ElfChnk" -> "XlfChnk"
  const auto path = write_temp("bad_chunk.evtx", bytes);
  const auto log = read_event_log(path, scm_failure_filter());
  CHECK(log.bad_chunks == 1);
  REQUIRE(!log.warnings.empty());
  CHECK_THAT(log.warnings.front(), Contains(path.string()) &&
                                       Contains("EVTX chunk at 0x00021000") &&
                                       Contains("signature") && Contains("skipped"));
  // libevtx keeps the other chunks' records and finds the damaged chunk's among the recovered ones.
  CHECK(log.records + log.recovered == 5009);
  CHECK(log.records < 5009);
}

TEST_CASE("truncated and overwritten real logs never crash the reader", "[unit][events][real]") {
  if (!test::have_real_events()) return;
  for (const char* name : {"plaso-SysEvent.Evt", "omerbenamram-system.evtx"}) {
    const auto original = read_all(test::real_event_log(name));
    for (const std::size_t cut : {std::size_t{8}, std::size_t{0x30}, std::size_t{4096},
                                  std::size_t{70000}, original.size() / 2}) {
      INFO(name << " cut at " << cut);
      std::vector<std::uint8_t> bytes(original.begin(),
                                      original.begin() + static_cast<std::ptrdiff_t>(cut));
      const auto path = write_temp("cut", bytes);
      try {
        const auto log = read_event_log(path, scm_failure_filter());
        CHECK(log.records + log.recovered <= 6501);
      } catch (const EventLogError& e) {
        CHECK_THAT(e.what(), Contains(path.string()));
      }
    }
    for (std::size_t step = 0; step < 6; ++step) {
      std::vector<std::uint8_t> bytes = original;
      const std::size_t at = (step * 7919 * 131) % bytes.size();
      for (std::size_t i = at; i < std::min(bytes.size(), at + 512); ++i)
        bytes[i] = static_cast<std::uint8_t>(i * 37 + step);
      const auto path = write_temp("garbled", bytes);
      INFO(name << " garbled at " << at);
      try {
        (void)read_event_log(path, scm_failure_filter());
      } catch (const EventLogError& e) {
        CHECK_THAT(e.what(), Contains(path.string()));
      }
    }
  }
}

TEST_CASE("every kept EVTX record gets the file offset of its own record header",
          "[unit][events][real]") {
  if (!test::have_real_events()) return;
  for (const char* name : {"plaso-System.evtx", "hayabusa-mitre-7000-7009-7045.evtx"}) {
    INFO(name);
    const auto path = test::real_event_log(name);
    const auto bytes = read_all(path);
    const auto log = read_event_log(path, scm_failure_filter());
    REQUIRE(!log.kept.empty());
    for (const auto& r : log.kept) {
      INFO("record " << r.record_number);
      REQUIRE(r.file_offset >= 4096 + 512);
      REQUIRE(r.file_offset + 24 <= bytes.size());
      CHECK(std::equal(bytes.begin() + static_cast<std::ptrdiff_t>(r.file_offset),
                       bytes.begin() + static_cast<std::ptrdiff_t>(r.file_offset) + 4, "**\0\0"));
      std::uint64_t id = 0, written = 0;
      for (int i = 7; i >= 0; --i) {
        id = id << 8 | bytes[r.file_offset + 8 + static_cast<std::size_t>(i)];
        written = written << 8 | bytes[r.file_offset + 16 + static_cast<std::size_t>(i)];
      }
      CHECK(id == r.record_number);
      CHECK(written == r.written);
    }
  }
}

TEST_CASE(
    "the chunk's record walk stops at a bad signature or size and finds records by id and time",
    "[unit][events]") {
  std::vector<std::uint8_t> chunk(65536, 0);
  auto put32 = [&](std::size_t at, std::uint32_t v) {
    for (std::size_t i = 0; i < 4; ++i) chunk[at + i] = static_cast<std::uint8_t>(v >> (8 * i));
  };
  auto put64 = [&](std::size_t at, std::uint64_t v) {
    for (std::size_t i = 0; i < 8; ++i) chunk[at + i] = static_cast<std::uint8_t>(v >> (8 * i));
  };
  auto record = [&](std::size_t at, std::uint32_t size, std::uint64_t id, std::uint64_t written) {
    chunk[at] = '*';
    chunk[at + 1] = '*';
    put32(at + 4, size);
    put64(at + 8, id);
    put64(at + 16, written);
  };
  record(512, 100, 7, 1000);
  record(612, 200, 8, 2000);
  record(812, 0xFFFFFF, 9, 3000);  // size beyond the records: the walk ends here
  put32(48, 812 + 100);            // free space offset
  ChunkScan scan;
  locate_chunk_records(chunk, 0x1000, scan.records);
  std::sort(scan.records.begin(), scan.records.end());
  REQUIRE(scan.records.size() == 2);
  CHECK(record_file_offset(scan, 7, 1000) == 0x1000 + 512);
  CHECK(record_file_offset(scan, 8, 2000) == 0x1000 + 612);
  CHECK(record_file_offset(scan, 8, 2001) == 0);  // same id, another time: not this record
  CHECK(record_file_offset(scan, 9, 3000) == 0);
  chunk[612] = 'X';  // a broken signature ends the walk too
  scan.records.clear();
  locate_chunk_records(chunk, 0x1000, scan.records);
  CHECK(scan.records.size() == 1);
}

TEST_CASE(
    "an EVTX record given 256 copies of one value is counted, not kept, past what kept records may "
    "hold",
    "[unit][events]") {
  // Found by reading libevtx beside the event_logs fuzz target: one template names the record's
  // only value in 256 Data elements, and libevtx gives each as a string
  // (tests/fuzz/make_seed_event_logs.sh writes the file).
  const auto path = std::filesystem::path(HIVELINT_SOURCE_DIR) /
                    "tests/fuzz/regressions/event_logs/strings-amplified.evtx";
  const auto log = read_event_log(path, scm_failure_filter());
  CHECK(log.records == 3);
  REQUIRE(log.kept.size() ==
          1);  // the first; the second does not fit, and the third comes after it
  CHECK(log.kept[0].record_number == 1);
  std::uint64_t kept_bytes = 0;
  for (const auto& r : log.kept) {
    kept_bytes += r.source.size();
    for (const auto& s : r.strings) kept_bytes += s.size();
  }
  CHECK(kept_bytes <= 2 * std::filesystem::file_size(path) + 1024 * 1024);
  REQUIRE(log.warnings.size() == 1);
  CHECK_THAT(log.warnings[0],
             Contains(path.string() +
                      ": record 1 (number 2): its source and 256 strings (1536023 bytes)") &&
                 Contains("twice the log's size plus 1 MiB") &&
                 Contains("it and every later record of the filter's are counted, not kept"));
}
