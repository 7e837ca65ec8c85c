#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "hive/error.hpp"
#include "hive/libregf_reader.hpp"
#include "hive/open.hpp"
#include "hive/regf_reader.hpp"
#include "regf/builder.hpp"
#include "regf/hive_image.hpp"

using namespace hivelint;
using Catch::Matchers::Contains;

namespace {
const std::filesystem::path kSample =
    std::filesystem::path(HIVELINT_SOURCE_DIR) / "samples" / "hives" / "controlset002-broken.hiv";
const hive::KeyPath kPrinter = hive::KeyPath::parse("ControlSet001\\Control\\Print\\Printers");
}  // namespace

TEST_CASE("libregf opens the same hive from a file and from memory", "[unit][hive]") {
  const auto from_file = hive::LibregfReader::open_file(kSample);
  const auto image = regf::HiveImage::load(kSample);
  const auto from_memory = hive::LibregfReader::open_memory(image.bytes(), "memory");
  const auto path = hive::KeyPath::parse("ControlSet002\\Services\\InetInfo\\Parameters");
  const auto a = from_file->value(path, "DispatchEntries");
  const auto b = from_memory->value(path, "DispatchEntries");
  REQUIRE(a.has_value());
  REQUIRE(b.has_value());
  CHECK(a->data == b->data);
  CHECK(hive::decode_multi_string(a->data).entries ==
        std::vector<std::string>{"Ldapsvc", "Smtpsvc", "Nntpsvc"});
  CHECK(from_file->key(path)->cell_file_offset == from_memory->key(path)->cell_file_offset);
}

TEST_CASE("both backends find keys and values case-insensitively, beyond ASCII", "[unit][hive]") {
  const auto image = regf::HiveImage::load(kSample);
  const auto libregf = hive::LibregfReader::open_memory(image.bytes(), "memory");
  const hive::RegfReader ours(image.bytes());
  for (const hive::HiveReader* reader : {static_cast<const hive::HiveReader*>(libregf.get()),
                                         static_cast<const hive::HiveReader*>(&ours)}) {
    INFO(reader->backend_name());
    // Stored as "Kopierer Büro – 2. OG": ü/Ü and the en dash need Windows' folding, not ASCII's.
    const auto printer = reader->key(kPrinter / "KOPIERER BÜRO – 2. og");
    REQUIRE(printer.has_value());
    CHECK(printer->name == "Kopierer Büro – 2. OG");
    CHECK(printer->path.str() == "ControlSet001\\Control\\Print\\Printers\\Kopierer Büro – 2. OG");
    CHECK(reader
              ->value(hive::KeyPath::parse("controlset002\\services\\INETINFO\\parameters"),
                      "dispatchentries")
              .has_value());
    CHECK_FALSE(reader->key(hive::KeyPath::parse("ControlSet003")).has_value());
    CHECK_FALSE(reader
                    ->value(hive::KeyPath::parse("ControlSet002\\Services\\InetInfo\\Parameters"),
                            "NoSuchValue")
                    .has_value());
    CHECK(reader->subkey_names(hive::KeyPath::parse("NoSuchKey")).empty());
  }
}

TEST_CASE("libregf's refusal names the file problem and what hivelint's reader finds",
          "[unit][hive]") {
  const auto image = regf::HiveImage::load(kSample);
  std::vector<std::uint8_t> damaged(image.bytes().begin(), image.bytes().end());
  damaged[4096] = 'X';  // first hbin signature
  const auto path = std::filesystem::temp_directory_path() / "hivelint-damaged-hbin.hiv";
  {
    FILE* f = std::fopen(path.c_str(), "wb");
    REQUIRE(f != nullptr);
    std::fwrite(damaged.data(), 1, damaged.size(), f);
    std::fclose(f);
  }
  REQUIRE_THROWS_WITH(hive::open_hive(path),
                      Contains("hive bin at 0x00001000: signature is \"Xbin\""));
  REQUIRE_THROWS_WITH(hive::open_hive(path, hive::Backend::kHivelint),
                      Contains("hive bin at 0x00001000"));
  std::filesystem::remove(path);
}

TEST_CASE("libregf from memory never reads past the buffer of a truncated hive", "[unit][hive]") {
  // Fuzz regression (tests/fuzz/regressions/libregf_rules/): the first hive bin says 4096 bytes but
  // the buffer ends inside it. libbfio's memory range copied past the end (ASan:
  // heap-buffer-overflow); our bounded handle cuts the read short, so libregf fails the way it does
  // on a truncated file, whatever it decides after that.
  const auto image = regf::HiveImage::load(kSample);
  // A buffer of its own, exactly this long, so that ASan sees a read past it.
  const std::vector<std::uint8_t> truncated(image.bytes().begin(), image.bytes().begin() + 5000);
  bool refused = false;
  try {
    const auto lib = hive::LibregfReader::open_memory(truncated, "truncated");
    (void)lib->subkey_names(hive::KeyPath{});
  } catch (const hive::BackendError& e) {
    refused = true;
    CHECK_THAT(std::string(e.what()), Contains("libregf"));
  }
  const auto from_file_fails = [&] {
    const auto dir = std::filesystem::temp_directory_path() / "hivelint-truncated-test";
    std::filesystem::create_directories(dir);
    const auto path = dir / "truncated.hiv";
    {
      std::ofstream out(path, std::ios::binary);
      out.write(reinterpret_cast<const char*>(truncated.data()),
                static_cast<std::streamsize>(truncated.size()));
    }
    try {
      const auto lib = hive::LibregfReader::open_file(path);
      (void)lib->subkey_names(hive::KeyPath{});
      return false;
    } catch (const hive::BackendError&) {
      return true;
    }
  };
  CHECK(refused == from_file_fails());  // memory and file opens agree
}

TEST_CASE(
    "a value whose stored name is DispatchEntries plus a NUL is not DispatchEntries, with either "
    "backend",
    "[unit][hive]") {
  // Review D6: libregf cuts names at a NUL and found this value as DispatchEntries: a wrong PASS.
  const auto image = regf::HiveImage::load(std::filesystem::path(HIVELINT_SOURCE_DIR) / "samples" /
                                           "hives" / "exchange2000-healthy.hiv");
  std::vector<std::uint8_t> bytes(image.bytes().begin(), image.bytes().end());
  const std::string name = "DispatchEntries";
  int patched = 0;
  for (auto it = std::search(bytes.begin(), bytes.end(), name.begin(), name.end());
       it != bytes.end(); it = std::search(it + 1, bytes.end(), name.begin(), name.end())) {
    const auto at = static_cast<std::size_t>(it - bytes.begin());
    if (at >= 20 && bytes[at - 20] == 'v' && bytes[at - 19] == 'k') {
      bytes[at - 18] = 16;  // name length 15 -> 16: the cell's padding byte after the name is 0
      ++patched;
    }
  }
  REQUIRE(patched > 0);
  const auto libregf = hive::LibregfReader::open_memory(bytes, "memory");
  const hive::RegfReader ours(bytes);
  const auto params = hive::KeyPath::parse("ControlSet001\\Services\\InetInfo\\Parameters");
  for (const hive::HiveReader* reader : {static_cast<const hive::HiveReader*>(libregf.get()),
                                         static_cast<const hive::HiveReader*>(&ours)}) {
    INFO(reader->backend_name());
    CHECK_FALSE(reader->value(params, "DispatchEntries").has_value());
    bool listed = false;
    for (const auto& v : reader->values(params))
      listed = listed || v.name == std::string("DispatchEntries\0", 16);
    CHECK(listed);
  }
}

TEST_CASE(
    "both backends say where a value's data is stored, and the stored bytes where libregf alters "
    "them",
    "[unit][hive]") {
  // Issue 17 §2 (evidence): resident, in a data cell, in a big-data record, or none; the data
  // cell's offset from hivelint's reader and, for libregf (which has no call for it), from the vk
  // at libregf's own offset.
  regf::TreeKey root;
  root.name = u"ROOT";
  auto& k = root.ensure_subkey(u"K");
  k.set_value({u"Dword", regf::kRegDword, {1, 2, 3, 4}});
  k.set_value({u"Empty", regf::kRegBinary, {}});
  k.set_value({u"Multi", regf::kRegMultiSz, {'A', 0, 0, 0, 0, 0}});
  // A REG_SZ with bytes after its NUL: libregf 20201007 returns it cut at the NUL
  // (regf_reader.hpp).
  k.set_value({u"Sz", regf::kRegSz, {'A', 0, 0, 0, 'B', 0, 'C', 0}});
  k.set_value({u"Big", regf::kRegBinary, std::vector<std::uint8_t>(40000, 0x5A)});
  regf::BuildOptions o;
  o.timestamp = 0x01D2962812C636E0ull;
  const auto bytes = regf::build_hive(root, o).bytes;
  const auto libregf = hive::LibregfReader::open_memory(bytes, "memory");
  const hive::RegfReader ours(bytes);
  const auto key = hive::KeyPath::parse("K");
  using hive::DataStorage;
  const std::vector<std::pair<std::string, DataStorage>> expected{{"Dword", DataStorage::kResident},
                                                                  {"Empty", DataStorage::kNone},
                                                                  {"Multi", DataStorage::kCell},
                                                                  {"Sz", DataStorage::kCell},
                                                                  {"Big", DataStorage::kBigData}};
  for (const auto& [name, storage] : expected) {
    INFO(name);
    const auto a = libregf->value(key, name), b = ours.value(key, name);
    REQUIRE(a);
    REQUIRE(b);
    CHECK(a->data_storage == storage);
    CHECK(b->data_storage == storage);
    CHECK(a->data_cell_file_offset == b->data_cell_file_offset);
    CHECK(a->data_cell_file_offset.has_value() ==
          (storage == DataStorage::kCell || storage == DataStorage::kBigData));
    CHECK_FALSE(b->stored_data);  // hivelint's reader returns the stored bytes as they are
    CHECK((a->stored_data ? *a->stored_data : a->data) == b->data);
  }
  // The data cell really holds the data: its size field, then the bytes.
  const auto multi = ours.value(key, "Multi");
  const std::size_t at = static_cast<std::size_t>(*multi->data_cell_file_offset) + 4;
  CHECK(std::equal(multi->data.begin(), multi->data.end(),
                   bytes.begin() + static_cast<std::ptrdiff_t>(at)));
  CHECK(libregf->value(key, "Sz")->stored_data.has_value());
}

namespace {

// A hive of `services` keys under Services, each with a Start value and, to make the file big, a
// `filler`-byte value.
std::vector<std::uint8_t> many_services_hive(int services, std::size_t filler) {
  regf::TreeKey root;
  root.name = u"ROOT";
  auto& s = root.ensure_subkey(u"Services");
  for (int i = 0; i < services; ++i) {
    std::u16string name = u"Svc";
    for (const char c : std::to_string(i)) name += static_cast<char16_t>(c);
    auto& k = s.ensure_subkey(name);
    const auto n = static_cast<std::uint8_t>(i);
    k.set_value({u"Start", regf::kRegDword, {n, static_cast<std::uint8_t>(i >> 8), 0, 0}});
    if (filler > 0)
      k.set_value({u"Filler", regf::kRegBinary, std::vector<std::uint8_t>(filler, n)});
  }
  return regf::build_hive(root, regf::BuildOptions{}).bytes;
}

hive::KeyPath service(int i) { return hive::KeyPath::parse("Services\\Svc" + std::to_string(i)); }

}  // namespace

TEST_CASE("libregf's reader keeps a bounded number of small keys open, and reads closed ones again",
          "[unit][hive]") {
  // A rule that walks every service opens thousands of keys through libregf (about 18 KB each).
  const auto bytes = many_services_hive(3000, 0);
  const auto libregf = hive::LibregfReader::open_memory(bytes, "memory");
  std::vector<hive::KeyInfo> first;
  for (int i = 0; i < 3000; ++i) {
    const auto k = libregf->key(service(i));
    REQUIRE(k);
    first.push_back(*k);
    CHECK(libregf->open_keys() <= 1100);  // 2 x 512 small ones, plus the root and Services
  }
  CHECK(libregf->open_keys() >= 512);
  for (int i = 2999; i >= 0; --i) {  // the first ones were closed: read again, the same
    const auto k = libregf->key(service(i));
    REQUIRE(k);
    CHECK(k->cell_file_offset == first[static_cast<std::size_t>(i)].cell_file_offset);
    CHECK(k->path.str() == first[static_cast<std::size_t>(i)].path.str());
    const auto start = libregf->value(service(i), "Start");
    REQUIRE(start);
    CHECK(start->data[0] == static_cast<std::uint8_t>(i));
  }
}

TEST_CASE(
    "a big hive is opened by both readers at once, with the readings and refusals of one "
    "after the other",
    "[unit][hive]") {
  const auto bytes = many_services_hive(1200, 8000);
  const auto dir = std::filesystem::temp_directory_path() / "hivelint-concurrent-open";
  std::filesystem::create_directories(dir);
  const auto write = [&](const std::vector<std::uint8_t>& b, const std::string& name) {
    const auto path = dir / name;
    std::ofstream out(path, std::ios::binary);
    out.write(reinterpret_cast<const char*>(b.data()), static_cast<std::streamsize>(b.size()));
    return path;
  };
  const auto good = write(bytes, "good.hiv");
  hive::OpenOptions both;
  both.backend = hive::Backend::kBoth;
  REQUIRE(bytes.size() < both.open_both_at_once_from);
  both.open_both_at_once_from = bytes.size();  // at once from this size: this hive
  int read_ahead = 0;
  both.confirmer_read_ahead = [&](const hive::HiveReader& libregf) {
    ++read_ahead;
    CHECK(libregf.backend_name() == "libregf");
    (void)libregf.key(service(7));
  };
  {
    const auto h = hive::open_hive(good, both);
    REQUIRE(h.reader);
    REQUIRE(h.confirmer);
    CHECK(read_ahead == 1);
    CHECK(h.confirmer->backend_name() == "libregf");
    for (const int i : {0, 7, 1199}) {
      const auto a = h.reader->value(service(i), "Filler"),
                 b = h.confirmer->value(service(i), "Filler");
      REQUIRE(a);
      REQUIRE(b);
      CHECK(a->data == b->data);
      CHECK(a->cell_file_offset == b->cell_file_offset);
    }
  }
  // A hive bin in the middle with a bad signature: libregf's refusal, word for word, as with
  // --backend libregf (libregf is asked first, whichever thread reads it).
  std::vector<std::uint8_t> damaged = bytes;
  std::size_t at = damaged.size() / 2 & ~std::size_t{0xFFF};
  while (at < damaged.size() &&
         !std::equal(damaged.begin() + static_cast<std::ptrdiff_t>(at),
                     damaged.begin() + static_cast<std::ptrdiff_t>(at) + 4, "hbin"))
    at += 0x1000;
  REQUIRE(at < damaged.size());
  damaged[at] = 'X';
  const auto bad = write(damaged, "bad.hiv");
  std::string alone, at_once;
  try {
    (void)hive::open_hive(bad, hive::Backend::kLibregf);
  } catch (const Error& e) {
    alone = e.what();
  }
  read_ahead = 0;
  try {
    (void)hive::open_hive(bad, both);
  } catch (const Error& e) {
    at_once = e.what();
  }
  CHECK_FALSE(alone.empty());
  CHECK(at_once == alone);
  CHECK(read_ahead == 0);

  // Deferred (check): open_hive returns with libregf still opening; finish_opening waits for it,
  // and a refusal is thrown there, word for word.
  both.defer_confirmer = true;
  {
    auto h = hive::open_hive(good, both);
    REQUIRE(h.reader);
    CHECK(h.reader->backend_name() == "hivelint");
    CHECK(h.pending);
    CHECK_FALSE(h.confirmer);
    (void)h.reader->value(service(3), "Filler");  // hivelint's reader, while libregf opens
    hive::finish_opening(h);
    CHECK_FALSE(h.pending);
    REQUIRE(h.confirmer);
    CHECK(read_ahead == 1);
    const auto a = h.reader->value(service(1199), "Filler"),
               b = h.confirmer->value(service(1199), "Filler");
    REQUIRE(a);
    REQUIRE(b);
    CHECK(a->data == b->data);
    hive::finish_opening(h);  // nothing left to wait for
    CHECK(h.confirmer);
  }
  {
    auto h = hive::open_hive(bad, both);
    CHECK(h.pending);
    std::string deferred;
    try {
      hive::finish_opening(h);
    } catch (const Error& e) {
      deferred = e.what();
    }
    CHECK(deferred == alone);
    CHECK_FALSE(h.confirmer);
  }
  {
    // Let go unfinished: the thread is joined, nothing leaks or crashes (ASan, TSan).
    const auto h = hive::open_hive(good, both);
    CHECK(h.pending);
  }
  std::filesystem::remove_all(dir);
}
