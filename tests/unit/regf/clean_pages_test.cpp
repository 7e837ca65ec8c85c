#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <vector>

#include "regf/clean_pages.hpp"
#include "regf/writable_image.hpp"

using namespace hivelint;

namespace {

constexpr std::size_t kPage = regf::CleanPages::kPageSize;

// Every window of `lengths` bytes at every offset step: the view holds the image's bytes, and comes
// from the file exactly when `from_file(offset, length)` says so.
template <typename FromFile>
void require_views(const regf::CleanPages& clean, std::span<const std::uint8_t> image,
                   std::span<const std::uint8_t> file, FromFile from_file) {
  for (const std::size_t length : {std::size_t{1}, std::size_t{32}, kPage, 3 * kPage + 5}) {
    for (std::size_t offset = 0; offset + length <= image.size(); offset += 509) {
      const auto v = clean.view(offset, length);
      INFO("offset " << offset << ", length " << length);
      REQUIRE(v.size() == length);
      REQUIRE(std::equal(v.begin(), v.end(), image.begin() + static_cast<std::ptrdiff_t>(offset)));
      CHECK(v.data() == (from_file(offset, length) ? file.data() : image.data()) + offset);
    }
  }
}

std::vector<std::uint8_t> pattern(std::size_t size) {
  std::vector<std::uint8_t> b(size);
  for (std::size_t i = 0; i < size; ++i) b[i] = static_cast<std::uint8_t>(i * 131 + i / 4096);
  return b;
}

}  // namespace

TEST_CASE("clean pages: a page is read in the file only when nothing wrote it", "[unit][regf]") {
  // A file of 12 pages and a half; the image rewrote the base block and two runs (one inside page
  // 3, one across pages 6-7), and grew past the file's end.
  const auto file = pattern(12 * kPage + kPage / 2);
  auto image = file;
  image.resize(14 * kPage, 0);
  const auto write = [&](std::size_t at, std::size_t n) {
    for (std::size_t i = at; i < at + n; ++i) image[i] ^= 0xFF;
  };
  write(0, 200);  // the base block
  // Runs are relative to the hive bins (file offset 4096).
  const std::vector<regf::PageRun> runs{{static_cast<std::uint32_t>(2 * kPage + 100), 8, 0, 1},
                                        {static_cast<std::uint32_t>(5 * kPage + 4000), 300, 0, 2}};
  write(3 * kPage + 100, 8);
  write(6 * kPage + 4000, 300);
  const regf::CleanPages clean(image, file, runs, file.size());
  const auto written = [](std::size_t page) {
    return page == 0 || page == 3 || page == 6 || page == 7;
  };
  // Read in the file: no page of the range written, and every one below `limit` (the pages the
  // file holds whole, and that no shrink cut into).
  const auto in_file_below = [&written](std::size_t limit) {
    return [&written, limit](std::size_t offset, std::size_t length) {
      for (std::size_t p = offset / kPage; p <= (offset + length - 1) / kPage; ++p)
        if (written(p) || p >= limit) return false;
      return true;
    };
  };
  CHECK(clean.clean_page_count() == 12 - 4);
  require_views(clean, image, file, in_file_below(12));

  SECTION("a shrink means every page from the smallest size on is the image's") {
    // Shrunk to 9.5 pages and grown back with zeros: pages 9 on differ without a run.
    std::fill(image.begin() + static_cast<std::ptrdiff_t>(9 * kPage + kPage / 2), image.end(), 0);
    const regf::CleanPages shrunk(image, file, runs, 9 * kPage + kPage / 2);
    CHECK(shrunk.clean_page_count() == 9 - 4);
    require_views(shrunk, image, file, in_file_below(9));
  }
  SECTION("an image shorter than the file") {
    image.resize(8 * kPage + 10);
    const regf::CleanPages shorter(image, file, runs, image.size());
    CHECK(shorter.clean_page_count() == 8 - 4);
    require_views(shorter, image, file, in_file_below(8));
  }
  SECTION("a run past the image's end marks nothing and reads nothing past it") {
    const std::vector<regf::PageRun> far{{static_cast<std::uint32_t>(40 * kPage), 4096, 0, 1}};
    const regf::CleanPages c(file, file, far, file.size());
    CHECK(c.clean_page_count() == 12 - 1);
  }
}

TEST_CASE("writable image: the smallest size it has had", "[unit][regf]") {
  auto image = regf::WritableImage::copy_of(pattern(5 * kPage));
  CHECK(image.smallest_size() == 5 * kPage);
  image.resize(7 * kPage);
  CHECK(image.smallest_size() == 5 * kPage);
  image.resize(2 * kPage);
  image.resize(6 * kPage);
  CHECK(image.smallest_size() == 2 * kPage);
  const regf::WritableImage moved = std::move(image);
  CHECK(moved.smallest_size() == 2 * kPage);
}
