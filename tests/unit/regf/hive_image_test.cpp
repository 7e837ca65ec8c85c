#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>

#include "regf/hive_image.hpp"
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
