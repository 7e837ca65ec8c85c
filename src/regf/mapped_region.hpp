// A region mapped with mmap that this object unmaps: the one owner of the mappings behind HiveImage
// (a file read in place) and WritableImage (a private copy of it that log replay writes into), so
// that handing a mapping from one to the other is a move, not an address and a length passed by
// hand.
#pragma once
#include <sys/mman.h>

#include <cstddef>
#include <cstdint>
#include <utility>

namespace hivelint::regf {

class MappedRegion {
 public:
  MappedRegion() = default;
  /// Takes over what mmap returned (not MAP_FAILED) and its length.
  MappedRegion(void* address, std::size_t length) noexcept : address_(address), length_(length) {}
  MappedRegion(MappedRegion&& other) noexcept
      : address_(std::exchange(other.address_, nullptr)),
        length_(std::exchange(other.length_, 0)) {}
  MappedRegion& operator=(MappedRegion&& other) noexcept {
    if (this != &other) {
      reset();
      address_ = std::exchange(other.address_, nullptr);
      length_ = std::exchange(other.length_, 0);
    }
    return *this;
  }
  MappedRegion(const MappedRegion&) = delete;
  MappedRegion& operator=(const MappedRegion&) = delete;
  ~MappedRegion() { reset(); }

  void reset() noexcept {
    if (address_) ::munmap(address_, length_);
    address_ = nullptr;
    length_ = 0;
  }
  std::uint8_t* data() const noexcept { return static_cast<std::uint8_t*>(address_); }
  std::size_t length() const noexcept { return length_; }
  explicit operator bool() const noexcept { return address_ != nullptr; }

 private:
  void* address_ = nullptr;
  std::size_t length_ = 0;
};

}  // namespace hivelint::regf
