#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "util/atomic_file.hpp"
#include "util/error.hpp"

using namespace hivelint;
namespace fs = std::filesystem;

namespace {

fs::path fresh_dir(const char* name) {
  const fs::path dir = fs::temp_directory_path() / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

std::vector<std::uint8_t> pattern(std::size_t size) {
  std::vector<std::uint8_t> out(size);
  for (std::size_t i = 0; i < size; ++i) out[i] = static_cast<std::uint8_t>(i * 13 % 251);
  return out;
}

}  // namespace

TEST_CASE("commit_identical: publishes what reads back equal, part after part", "[unit][util]") {
  const fs::path dir = fresh_dir("hivelint-commit-identical");
  const auto bytes = pattern((std::size_t{40} << 20) + 123);  // three 16 MiB parts, the last short
  {
    util::AtomicFileWrite out(dir / "out.hiv", bytes, util::AtomicWriteOptions{});
    out.commit_identical(bytes, "differs");
  }
  std::ifstream in(dir / "out.hiv", std::ios::binary);
  const std::vector<std::uint8_t> back{std::istreambuf_iterator<char>(in), {}};
  CHECK(back == bytes);
  fs::remove_all(dir);
}

TEST_CASE("commit_identical: a difference in any part refuses, and nothing is published",
          "[unit][util]") {
  const fs::path dir = fresh_dir("hivelint-commit-differs");
  const auto bytes = pattern((std::size_t{33} << 20) + 5);
  for (const std::size_t at : {std::size_t{0}, (std::size_t{16} << 20) + 7, bytes.size() - 1}) {
    auto expected = bytes;
    expected[at] ^= 0x01;
    util::AtomicFileWrite out(dir / "out.hiv", bytes, util::AtomicWriteOptions{});
    CHECK_THROWS_AS(out.commit_identical(expected, "out.hiv: differs"), RefusedError);
    CHECK_FALSE(fs::exists(dir / "out.hiv"));
  }
  util::AtomicFileWrite shorter(dir / "out.hiv", bytes, util::AtomicWriteOptions{});
  CHECK_THROWS_AS(shorter.commit_identical(std::span(bytes).first(bytes.size() - 1), "differs"),
                  RefusedError);
  fs::remove_all(dir);
}
