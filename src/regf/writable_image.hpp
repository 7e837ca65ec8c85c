// The bytes of a hive that recovery writes into: memory of its own, or a private copy-on-write
// mapping of the hive file, where only the pages written (the log's dirty pages and the base block)
// are copied and every other page stays the page cache's. Replaying a log used to copy the whole
// file first: for a 12 MB hive that copy, its page faults and its release were a third of a check.
//
// A private mapping never writes to the file (MAP_PRIVATE; the descriptor is O_RDONLY), so the
// input is still never opened for writing.
#pragma once
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "regf/mapped_region.hpp"

namespace hivelint::regf {

class WritableImage {
 public:
  WritableImage() = default;
  /// Memory of its own, holding a copy of `bytes`.
  static WritableImage copy_of(std::span<const std::uint8_t> bytes);
  /// A private, writable mapping of the first `size` bytes of the regular file `fd` (opened
  /// read-only); nothing when the file cannot be mapped so (the caller copies instead).
  static std::optional<WritableImage> map_private(int fd, std::size_t size);

  WritableImage(WritableImage&& other) noexcept;
  WritableImage& operator=(WritableImage&& other) noexcept;
  WritableImage(const WritableImage&) = delete;
  WritableImage& operator=(const WritableImage&) = delete;
  ~WritableImage();

  std::uint8_t* data() noexcept { return data_; }
  const std::uint8_t* data() const noexcept { return data_; }
  std::size_t size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }
  const std::uint8_t* begin() const noexcept { return data_; }
  const std::uint8_t* end() const noexcept { return data_ + size_; }
  std::span<std::uint8_t> span() noexcept { return {data_, size_}; }
  std::span<const std::uint8_t> bytes() const noexcept { return {data_, size_}; }
  operator std::span<const std::uint8_t>() const noexcept { return bytes(); }  // NOLINT: a view
  bool mapped() const noexcept { return static_cast<bool>(mapping_); }

  /// Advice that bytes [offset, offset + length) are about to be overwritten: a mapping breaks its
  /// copy-on-write pages there in one call (MADV_POPULATE_WRITE, Linux 5.14) instead of one page
  /// fault per page. Best effort: no effect on memory of its own, on older kernels or on error, and
  /// the range is clipped to the image. True when the kernel did it.
  bool will_write(std::size_t offset, std::size_t length) noexcept;

  /// Grows with zero bytes (a mapping grown past the file's end becomes memory of its own first)
  /// or shrinks the view.
  void resize(std::size_t size);
  /// The smallest size the image has had since it was made: bytes past it may no longer be the
  /// ones it was made from (shrunk, then grown back with zeros), whoever wrote them.
  std::size_t smallest_size() const noexcept { return smallest_size_; }

  /// Hands the mapping over (its first size() bytes are the image), or nothing when the image is
  /// memory of its own; the image is empty afterwards when it was mapped.
  std::optional<MappedRegion> release_mapping() noexcept;
  /// The memory of its own (empty when mapped).
  std::vector<std::uint8_t> release_owned() noexcept;

  friend bool operator==(const WritableImage& a, const WritableImage& b);

 private:
  void release() noexcept;

  std::vector<std::uint8_t> owned_;
  std::uint8_t* data_ = nullptr;
  std::size_t size_ = 0;
  std::size_t smallest_size_ = 0;
  MappedRegion mapping_;  // set when mapped
};

}  // namespace hivelint::regf
