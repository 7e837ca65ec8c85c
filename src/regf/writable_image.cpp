#include "regf/writable_image.hpp"

#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>

namespace hivelint::regf {

WritableImage WritableImage::copy_of(std::span<const std::uint8_t> bytes) {
  WritableImage image;
  image.owned_.assign(bytes.begin(), bytes.end());
  image.data_ = image.owned_.data();
  image.size_ = image.owned_.size();
  image.smallest_size_ = image.size_;
  return image;
}

std::optional<WritableImage> WritableImage::map_private(int fd, std::size_t size) {
  if (fd < 0 || size == 0) return std::nullopt;
  void* m = ::mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
  if (m == MAP_FAILED) return std::nullopt;
  WritableImage image;
  image.mapping_ = MappedRegion(m, size);
  image.data_ = image.mapping_.data();
  image.size_ = size;
  image.smallest_size_ = size;
  return image;
}

WritableImage::WritableImage(WritableImage&& other) noexcept { *this = std::move(other); }

WritableImage& WritableImage::operator=(WritableImage&& other) noexcept {
  if (this == &other) return *this;
  release();
  const bool mapped = other.mapped();
  owned_ = std::move(other.owned_);
  mapping_ = std::move(other.mapping_);
  size_ = other.size_;
  smallest_size_ = other.smallest_size_;
  data_ = mapped ? other.data_ : owned_.data();
  other.data_ = nullptr;
  other.size_ = 0;
  return *this;
}

WritableImage::~WritableImage() { release(); }

void WritableImage::release() noexcept {
  mapping_.reset();
  data_ = nullptr;
  size_ = 0;
  owned_.clear();
}

bool WritableImage::will_write(std::size_t offset, std::size_t length) noexcept {
#ifdef MADV_POPULATE_WRITE
  if (!mapping_ || offset >= size_ || length == 0) return false;
  const std::size_t end = offset + std::min(length, size_ - offset);
  const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
  if (page == 0 || page == static_cast<std::size_t>(-1)) return false;
  const std::size_t first = offset / page * page;
  // Pages inside the mapping; its last page may be partly past the file's end (the kernel rounds
  // the length up to it, as mmap did).
  const std::size_t last = std::min((end + page - 1) / page * page, mapping_.length());
  return first < last && ::madvise(data_ + first, last - first, MADV_POPULATE_WRITE) == 0;
#else
  (void)offset;
  (void)length;
  return false;
#endif
}

void WritableImage::resize(std::size_t size) {
  smallest_size_ = std::min(smallest_size_, size);
  if (mapping_ && size > mapping_.length()) {
    // Past the file's end a mapping has no pages to give (touching them raises SIGBUS): the image
    // becomes memory of its own. Only a log that grows the hive gets here.
    std::vector<std::uint8_t> own(size, 0);
    std::copy_n(data_, size_, own.begin());
    release();
    owned_ = std::move(own);
    data_ = owned_.data();
    size_ = owned_.size();
    return;
  }
  if (mapping_) {
    // Shrinking, or growing back within the mapping: bytes past the old size read as zero.
    if (size > size_) std::memset(data_ + size_, 0, size - size_);
    size_ = size;
    return;
  }
  owned_.resize(size, 0);
  data_ = owned_.data();
  size_ = owned_.size();
}

std::optional<MappedRegion> WritableImage::release_mapping() noexcept {
  if (!mapping_) return std::nullopt;
  data_ = nullptr;
  size_ = 0;
  return std::move(mapping_);
}

std::vector<std::uint8_t> WritableImage::release_owned() noexcept {
  std::vector<std::uint8_t> out = std::move(owned_);
  owned_.clear();
  if (!mapping_) {
    data_ = nullptr;
    size_ = 0;
  }
  return out;
}

bool operator==(const WritableImage& a, const WritableImage& b) {
  return a.size_ == b.size_ && (a.size_ == 0 || std::memcmp(a.data_, b.data_, a.size_) == 0);
}

}  // namespace hivelint::regf
