#include "regf/clean_pages.hpp"

#include <algorithm>
#include <cassert>

#include "regf/format.hpp"

namespace hivelint::regf {

CleanPages::CleanPages(std::span<const std::uint8_t> image, std::span<const std::uint8_t> file,
                       std::span<const PageRun> runs, std::size_t smallest_size)
    : image_(image), file_(file) {
  const std::size_t pages = (image.size() + kPageSize - 1) / kPageSize;
  // A page past the file's end, or only partly inside it, is the image's (a log grew the hive), and
  // so is one a shrink cut into (it may have been grown back with zeros).
  file_pages_ = std::min({image.size(), file.size(), smallest_size}) / kPageSize;
  written_.assign((pages + 63) / 64, 0);
  const auto mark = [&](std::uint64_t from, std::uint64_t to) {  // file offsets, to > from
    const std::uint64_t last = std::min<std::uint64_t>((to - 1) / kPageSize, pages - 1);
    for (std::uint64_t p = from / kPageSize; p <= last; ++p)
      written_[p / 64] |= std::uint64_t{1} << (p % 64);
  };
  if (pages == 0) return;
  mark(0, kBaseBlockSize);  // recovery rewrites the base block
  for (const PageRun& r : runs)
    if (r.length != 0 && kBaseBlockSize + std::uint64_t{r.offset} < image.size())
      mark(kBaseBlockSize + std::uint64_t{r.offset},
           kBaseBlockSize + std::uint64_t{r.offset} + r.length);
}

std::span<const std::uint8_t> CleanPages::view(std::size_t offset,
                                               std::size_t length) const noexcept {
  assert(offset <= image_.size() && length <= image_.size() - offset);
  if (length == 0) return image_.subspan(offset, 0);
  const std::size_t first = offset / kPageSize, last = (offset + length - 1) / kPageSize;
  if (last >= file_pages_) return image_.subspan(offset, length);
  for (std::size_t p = first; p <= last; ++p)
    if (written(p)) return image_.subspan(offset, length);
  return file_.subspan(offset, length);
}

std::size_t CleanPages::clean_page_count() const noexcept {
  std::size_t dirty = 0;
  for (std::size_t p = 0; p < file_pages_; ++p) dirty += written(p) ? 1u : 0u;
  return file_pages_ - dirty;
}

}  // namespace hivelint::regf
