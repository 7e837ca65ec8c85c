#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>

#include "regf/hive_image.hpp"
#include "support/resident.hpp"
#include "util/error.hpp"

using namespace hivelint;
using Catch::Matchers::Contains;

namespace {

std::filesystem::path temp_file(const std::vector<std::uint8_t>& bytes) {
  const auto path = std::filesystem::temp_directory_path() /
                    ("hivelint_image_test_" + std::to_string(::getpid()));
  std::FILE* f = std::fopen(path.c_str(), "wb");
  REQUIRE(f != nullptr);
  if (!bytes.empty()) CHECK(std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size());
  std::fclose(f);
  return path;
}

// 5 MiB + `extra` bytes (so the file is mapped), byte i being i * `step` + 1.
std::vector<std::uint8_t> past_4_mib(std::size_t extra, unsigned step) {
  std::vector<std::uint8_t> bytes((5u << 20) + extra);
  for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<std::uint8_t>(i * step + 1);
  return bytes;
}

// Removed (made writable first) when the test case ends, even when a REQUIRE stops it.
struct RemoveAtEnd {
  std::filesystem::path path;
  ~RemoveAtEnd() {
    ::chmod(path.c_str(), 0644);
    std::error_code ec;
    std::filesystem::remove(path, ec);
  }
};

}  // namespace

TEST_CASE("HiveImage::load maps a read-only file and leaves it untouched", "[unit][regf]") {
  const std::vector<std::uint8_t> bytes{'r', 'e', 'g', 'f', 1, 2, 3};
  const auto path = temp_file(bytes);
  std::filesystem::permissions(
      path, std::filesystem::perms::owner_read);  // opening for writing would fail
  const auto before = std::filesystem::last_write_time(path);
  {
    auto image = regf::HiveImage::load(path);
    CHECK(std::vector<std::uint8_t>(image.bytes().begin(), image.bytes().end()) == bytes);
    CHECK(image.label() == path.string());
    regf::HiveImage moved = std::move(image);
    CHECK(moved.bytes().size() == bytes.size());
    CHECK(moved.bytes()[0] == 'r');
  }
  CHECK(std::filesystem::last_write_time(path) == before);
  std::filesystem::permissions(path, std::filesystem::perms::owner_all);
  std::filesystem::remove(path);
}

TEST_CASE("HiveImage::load of an empty file, a missing file and a directory", "[unit][regf]") {
  const auto empty = temp_file({});
  CHECK(regf::HiveImage::load(empty).bytes().empty());
  std::filesystem::remove(empty);
  REQUIRE_THROWS_AS(regf::HiveImage::load("/nonexistent/hive"), InputError);
  REQUIRE_THROWS_WITH(regf::HiveImage::load("/nonexistent/hive"),
                      Contains("/nonexistent/hive: cannot open"));
  REQUIRE_THROWS_WITH(regf::HiveImage::load(std::filesystem::temp_directory_path()),
                      Contains("is a directory"));
}

TEST_CASE("HiveImage::from_bytes owns its bytes, also across moves", "[unit][regf]") {
  auto image = regf::HiveImage::from_bytes({1, 2, 3}, "built");
  CHECK(image.label() == "built");
  regf::HiveImage other = std::move(image);
  REQUIRE(other.bytes().size() == 3);
  CHECK(other.bytes()[2] == 3);
  CHECK(image.bytes().empty());  // NOLINT(bugprone-use-after-move): the moved-from image is empty,
                                 // not dangling
}

TEST_CASE("HiveImage::load refuses devices before reading them", "[unit][regf]") {
  // Review D9: /dev/zero was read until std::bad_alloc, as a hive and as a clean hive's sibling
  // log.
  REQUIRE_THROWS_AS(regf::HiveImage::load("/dev/zero"), InputError);
  REQUIRE_THROWS_WITH(regf::HiveImage::load("/dev/zero"),
                      Contains("is a character device, not a hive file"));
  REQUIRE_THROWS_WITH(regf::HiveImage::load("/dev/zero", regf::FileRole::kLog),
                      Contains("is a character device, not a transaction log"));
  REQUIRE_THROWS_WITH(regf::HiveImage::load(std::filesystem::temp_directory_path()),
                      Contains("is a directory"));
}

TEST_CASE("HiveImage::load does not block on a FIFO: refused as a log, read to its end as a hive",
          "[unit][regf]") {
  // Review D11: a FIFO named SYSTEM.LOG2 beside a clean hive blocked `check` forever in
  // open(O_RDONLY).
  const auto path = std::filesystem::temp_directory_path() /
                    ("hivelint_image_fifo_" + std::to_string(::getpid()));
  std::filesystem::remove(path);
  REQUIRE(::mkfifo(path.c_str(), 0600) == 0);
  CHECK_THROWS_WITH(regf::HiveImage::load(path, regf::FileRole::kLog),
                    Contains("is a FIFO (named pipe), not a transaction log"));
  CHECK(regf::HiveImage::load(path).bytes().empty());  // no writer: end of file at once
  std::filesystem::remove(path);
}

TEST_CASE("HiveImage::private_copy of a mapped file: written pages are private, the file untouched",
          "[unit][regf]") {
  // Past 4 MiB, so the file is mapped (smaller files are read, and have no private copy).
  const auto bytes = past_4_mib(123, 7);
  const auto path = temp_file(bytes);
  const RemoveAtEnd cleanup{path};
  ::chmod(path.c_str(), 0444);
  {
    const auto image = regf::HiveImage::load(path);
    auto copy = image.private_copy();
    REQUIRE(copy);
    CHECK(copy->mapped());
    REQUIRE(copy->size() == bytes.size());
    CHECK(std::equal(copy->begin(), copy->end(), bytes.begin()));
    copy->data()[0] = 'X';
    copy->data()[bytes.size() - 1] = 'Y';
    CHECK(image.bytes()[0] == bytes[0]);  // the image read from the file does not see the writes
    CHECK(image.bytes()[bytes.size() - 1] == bytes.back());

    // Growing past the file's end makes it memory of its own, with what was written kept.
    copy->resize(bytes.size() + 4096);
    CHECK_FALSE(copy->mapped());
    REQUIRE(copy->size() == bytes.size() + 4096);
    CHECK(copy->data()[0] == 'X');
    CHECK(copy->data()[bytes.size() - 1] == 'Y');
    CHECK(std::all_of(copy->begin() + static_cast<std::ptrdiff_t>(bytes.size()), copy->end(),
                      [](std::uint8_t b) { return b == 0; }));

    // Handed to a HiveImage, a private mapping is owned by it (and unmapped with it).
    auto again = image.private_copy();
    REQUIRE(again);
    again->data()[1] = 'Z';
    const auto recovered = regf::HiveImage::from_writable(std::move(*again), "recovered");
    CHECK(recovered.bytes().size() == bytes.size());
    CHECK(recovered.bytes()[1] == 'Z');
    CHECK_FALSE(recovered.private_copy());  // an image in memory has no file to map again
    // Its written pages exist nowhere else: letting pages go must not drop them.
    recovered.release_pages(0, bytes.size());
    CHECK(recovered.bytes()[1] == 'Z');
  }
  {
    auto image = regf::HiveImage::load(path);
    REQUIRE(image.private_copy());
    image.drop_file();  // closes the file: no more private copies, the mapping stays readable
    CHECK_FALSE(image.private_copy());
    CHECK(std::equal(image.bytes().begin(), image.bytes().end(), bytes.begin(), bytes.end()));
  }
  // Not a byte of the file changed.
  const auto reread = regf::HiveImage::load(path);
  CHECK(std::equal(reread.bytes().begin(), reread.bytes().end(), bytes.begin(), bytes.end()));
  std::filesystem::remove(path);
}

TEST_CASE("WritableImage::will_write breaks a range's copy-on-write at once, not a byte changed",
          "[unit][regf]") {
  const auto bytes = past_4_mib(4000, 11);  // not a whole number of pages: the last one is clipped
  const auto path = temp_file(bytes);
  const RemoveAtEnd cleanup{path};
  const auto image = regf::HiveImage::load(path);
  auto copy = image.private_copy();
  REQUIRE(copy);
  auto expected = bytes;
  copy->data()[8192 + 200] = 'W';  // written before: must survive (a later entry rewrites pages)
  expected[8192 + 200] = 'W';
  const std::size_t before = test::anonymous_bytes_at(copy->data());
  const bool done = copy->will_write(8192 + 100, 64 * 4096);  // 65 pages: not page-aligned
  if (done) {  // the kernel has MADV_POPULATE_WRITE (Linux 5.14 and later)
    const std::size_t after = test::anonymous_bytes_at(copy->data());
    CHECK(after >= before + 64 * 4096);  // the written page was private already
    CHECK(after <= before + 65 * 4096);  // and no page outside the range
  } else {
    WARN("MADV_POPULATE_WRITE refused by this kernel: only the bytes are checked");
  }
  CHECK(copy->will_write(bytes.size() - 10, 1u << 20) == done);  // clipped to the image's end
  CHECK_FALSE(copy->will_write(bytes.size(), 4096));             // past it: nothing
  CHECK_FALSE(copy->will_write(0, 0));
  CHECK(std::equal(copy->begin(), copy->end(), expected.begin(), expected.end()));
  CHECK(std::equal(image.bytes().begin(), image.bytes().end(), bytes.begin(), bytes.end()));
  copy->resize(4096);  // shrunk within the mapping: past the new size is not the image's
  CHECK_FALSE(copy->will_write(4096, 4096));
  CHECK(copy->will_write(0, 1u << 20) == done);
  auto owned = regf::WritableImage::copy_of(bytes);
  CHECK_FALSE(owned.will_write(0, 4096));  // memory of its own: nothing to break
}

TEST_CASE("HiveImage::private_copy: a file read into memory has none", "[unit][regf]") {
  const auto path = temp_file(std::vector<std::uint8_t>(4096, 1));
  CHECK_FALSE(regf::HiveImage::load(path).private_copy());
  std::filesystem::remove(path);
}

TEST_CASE("WritableImage: a copy in memory grows with zeros and compares by its bytes",
          "[unit][regf]") {
  const std::vector<std::uint8_t> bytes{1, 2, 3};
  auto a = regf::WritableImage::copy_of(bytes);
  CHECK_FALSE(a.mapped());
  a.resize(5);
  CHECK(std::vector<std::uint8_t>(a.begin(), a.end()) == std::vector<std::uint8_t>{1, 2, 3, 0, 0});
  auto b = regf::WritableImage::copy_of(std::vector<std::uint8_t>{1, 2, 3, 0, 0});
  CHECK(a == b);
  b.data()[4] = 9;
  CHECK(a != b);
  regf::WritableImage moved = std::move(b);
  CHECK(moved.size() == 5);
  CHECK(moved.data()[4] == 9);
  CHECK(b.empty());  // NOLINT(bugprone-use-after-move): moved-from is empty by contract
}

TEST_CASE("HiveImage::release_pages lets mapped pages go and reads the same bytes after",
          "[unit][regf]") {
  const auto bytes = past_4_mib(777, 13);
  const auto path = temp_file(bytes);
  const RemoveAtEnd cleanup{path};
  {
    const auto image = regf::HiveImage::load(path);
    REQUIRE(image.private_copy());  // mapped
    CHECK(std::equal(image.bytes().begin(), image.bytes().end(), bytes.begin(), bytes.end()));
    const std::size_t all = test::resident_bytes_at(image.bytes().data());
    CHECK(all >= bytes.size() / 4096 * 4096);  // every page was just read
    image.release_pages(0, 4096 * 3 + 100);    // whole pages inside the range only
    // At least those pages go (the kernel may unmap more around them: a large folio mapped whole
    // is unmapped whole when part of it goes; the next read maps it again).
    CHECK(test::resident_bytes_at(image.bytes().data()) <= all - 3 * 4096);
    image.release_pages(5000, bytes.size() + 99999);  // past the end: clipped
    image.release_pages(bytes.size(), 0);             // empty: nothing
    CHECK(test::resident_bytes_at(image.bytes().data()) <=
          2 * 4096);  // the partial pages at the ends
    CHECK(std::equal(image.bytes().begin(), image.bytes().end(), bytes.begin(), bytes.end()));
  }
  {
    auto memory = regf::HiveImage::from_bytes(bytes, "memory");
    memory.release_pages(0, bytes.size());  // an image in memory keeps its bytes
    CHECK(std::equal(memory.bytes().begin(), memory.bytes().end(), bytes.begin(), bytes.end()));
  }
  std::filesystem::remove(path);
}
