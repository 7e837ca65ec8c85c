// A whole hive file in memory, read-only: mapped with mmap(PROT_READ) when possible, else read into a buffer.
// The file is opened O_RDONLY and never written (forensic safety); images recovered or built in memory use
// from_bytes() and are read through the same code.
#pragma once
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

namespace hivelint::regf {

class HiveImage {
 public:
  /// Maps (or reads) the file. Throws InputError naming the path and the OS error.
  static HiveImage load(const std::filesystem::path& path);
  /// Takes ownership of bytes already in memory.
  static HiveImage from_bytes(std::vector<std::uint8_t> bytes, std::string label = "(memory)");

  HiveImage(HiveImage&& other) noexcept;
  HiveImage& operator=(HiveImage&& other) noexcept;
  HiveImage(const HiveImage&) = delete;
  HiveImage& operator=(const HiveImage&) = delete;
  ~HiveImage();

  std::span<const std::uint8_t> bytes() const noexcept { return {data_, size_}; }
  const std::string& label() const noexcept { return label_; }

 private:
  HiveImage() = default;
  void release() noexcept;

  std::vector<std::uint8_t> owned_;
  const std::uint8_t* data_ = nullptr;
  std::size_t size_ = 0;
  void* mapping_ = nullptr;  // non-null when mmap'ed
  std::string label_;
};

}  // namespace hivelint::regf
