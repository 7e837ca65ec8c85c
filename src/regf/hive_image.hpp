// A whole hive file in memory, read-only: a regular hive file past 4 MiB (a log past 64 KiB) mapped
// with mmap(PROT_READ) when possible, anything else read into a buffer. The file is opened O_RDONLY
// and never written (forensic safety); images recovered or built in memory use from_bytes() or
// from_writable() and are read through the same code.
#pragma once
#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "regf/mapped_region.hpp"
#include "regf/read_progress.hpp"
#include "regf/writable_image.hpp"

namespace hivelint::regf {

/// What a file is loaded as; decides which kinds of file are accepted and how much of a stream is
/// read.
enum class FileRole {
  kHive,  ///< regular files (mapped past 4 MiB), and pipes such as /dev/stdin (read, at most
          ///< kMaxHiveFileBytes)
  kLog,  ///< regular files only, at most kMaxLogFileBytes: a FIFO named like a log must not block a
         ///< check
};

/// A file's last modification time as fstat reported it for the descriptor that was read.
struct ModifiedTime {
  std::int64_t seconds = 0;  // since 1970-01-01T00:00:00Z
  std::uint32_t nanoseconds = 0;
};

class HiveImage {
 public:
  /// Maps (or reads) the file. The file kind is checked with fstat on a descriptor opened
  /// O_NONBLOCK, before any byte is read: directories, devices (/dev/zero) and sockets are refused,
  /// and for a log FIFOs too, so no input can make a load block forever or read without end. Throws
  /// InputError naming the path and the OS error or the file kind.
  static HiveImage load(const std::filesystem::path& path, FileRole role = FileRole::kHive);
  /// Takes ownership of bytes already in memory.
  static HiveImage from_bytes(std::vector<std::uint8_t> bytes, std::string label = "(memory)");
  /// Takes ownership of a recovered image (its mapping or its memory).
  static HiveImage from_writable(WritableImage image, std::string label);

  /// Lets the pages of [from, to) of a loaded, read-only mapped file go (madvise MADV_DONTNEED):
  /// they stay the file's, and the next read maps them again (other threads reading meanwhile just
  /// map them again). Used behind walks over the whole file (the free-cell carve, opening before
  /// rules that walk every service: regf/read_progress.hpp) and by the hash of a hive that a log
  /// replay copied (that copy maps the same file, and a page mapped twice counts twice in the
  /// resident set). A no-op for an image in memory and for a recovered image (from_writable), whose
  /// written pages exist nowhere else.
  void release_pages(std::size_t from, std::size_t to) const noexcept;
  /// A ReadProgress (read_progress.hpp) for a walk over these bytes that lets every page before
  /// where the walk has got to go (release_pages from 0: pages other readers mapped again behind
  /// it go too). The image must outlive the walk.
  ReadProgress releasing_behind() const {
    return [this](std::uint64_t passed) { release_pages(0, static_cast<std::size_t>(passed)); };
  }
  /// Closes the file a mapped hive was loaded from, kept open for private_copy() (a batch must not
  /// keep one descriptor per hive until its report is written). private_copy() offers nothing
  /// afterwards; the mapping stays.
  void drop_file() noexcept;

  /// A writable copy of these bytes for log replay: a private copy-on-write mapping of the same
  /// open file when the image is mapped (no byte is copied until written), else nothing.
  std::optional<WritableImage> private_copy() const;

  HiveImage(HiveImage&& other) noexcept;
  HiveImage& operator=(HiveImage&& other) noexcept;
  HiveImage(const HiveImage&) = delete;
  HiveImage& operator=(const HiveImage&) = delete;
  ~HiveImage();

  std::span<const std::uint8_t> bytes() const noexcept { return {data_, size_}; }
  const std::string& label() const noexcept { return label_; }
  /// The modification time of the regular file loaded (absent for a pipe and for from_bytes()).
  const std::optional<ModifiedTime>& modified() const noexcept { return modified_; }

 private:
  HiveImage() = default;
  void release() noexcept;

  std::vector<std::uint8_t> owned_;
  const std::uint8_t* data_ = nullptr;
  std::size_t size_ = 0;
  MappedRegion mapping_;  // set when mmap'ed
  int fd_ = -1;           // the file a mapping came from, kept open (read-only) for private_copy()
  bool file_mapping_ = false;  // mapping_ is load()'s read-only mapping of a file
  std::string label_;
  std::optional<ModifiedTime> modified_;
};

}  // namespace hivelint::regf
