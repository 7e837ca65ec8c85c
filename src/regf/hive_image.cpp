#include "regf/hive_image.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <new>

#include "regf/format.hpp"
#include "util/error.hpp"

namespace hivelint::regf {
namespace {

// Files up to this size are read, not mapped. A batch checks thousands of small hives: mapping
// and unmapping each, then faulting its pages in, cost more than copying it (1,001 hives of 240 KB:
// 1.53 -> 1.46 s with one job, 1.00 -> 0.91 s with two, whose threads also contended for the
// process's memory map). Larger files stay mapped: a lookup touches only the pages it reads.
constexpr std::size_t kReadRatherThanMapUpTo = 4u << 20;
// A transaction log is read whole (its entries hashed and parsed) once per check, and a batch
// rarely has any: past 64 KiB it is mapped, which costs less than copying it into fresh pages (the
// two 3 MB logs of a dirty Windows 10 SYSTEM hive: 24.7 -> 16.0 ms for the whole check, medians of
// 25).
constexpr std::size_t kMapLogsFrom = 64u << 10;

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  int release() {
    const int fd = fd_;
    fd_ = -1;
    return fd;
  }

 private:
  int fd_;
};

[[noreturn]] void os_error(const std::filesystem::path& path, const char* what, int err) {
  throw InputError(path.string() + ": " + what + ": " + std::strerror(err));
}

const char* kind_of(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  if (S_ISFIFO(mode)) return "a FIFO (named pipe)";
  return "not a regular file";
}

}  // namespace

HiveImage HiveImage::load(const std::filesystem::path& path, FileRole role) {
  // O_NONBLOCK: opening a FIFO with no writer would otherwise block before we can look at what the
  // file is.
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK));
  if (fd.get() < 0) os_error(path, "cannot open", errno);
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) os_error(path, "cannot stat", errno);
  const bool regular = S_ISREG(st.st_mode);
  const bool pipe = S_ISFIFO(st.st_mode);
  const char* what = role == FileRole::kHive ? "hive file" : "transaction log";
  if (!regular && !(pipe && role == FileRole::kHive))
    throw InputError(path.string() + ": is " + kind_of(st.st_mode) + ", not a " + what +
                     " (only regular files" + (role == FileRole::kHive ? " and pipes" : "") +
                     " are read)");
  const std::size_t max_bytes = role == FileRole::kHive ? kMaxHiveFileBytes : kMaxLogFileBytes;
  if (regular && static_cast<std::uint64_t>(st.st_size) > max_bytes && role == FileRole::kLog)
    throw InputError(path.string() + ": " + std::to_string(st.st_size) +
                     " bytes, larger than any " + what + " (at most " + std::to_string(max_bytes) +
                     ")");
  // A pipe is read blocking from here on (a writer that is connected is waited for; none means end
  // of file).
  if (pipe && ::fcntl(fd.get(), F_SETFL, ::fcntl(fd.get(), F_GETFL) & ~O_NONBLOCK) != 0)
    os_error(path, "cannot read", errno);
  HiveImage image;
  image.label_ = path.string();
  if (regular)
    image.modified_ = ModifiedTime{static_cast<std::int64_t>(st.st_mtim.tv_sec),
                                   static_cast<std::uint32_t>(st.st_mtim.tv_nsec)};
  const auto size = static_cast<std::size_t>(st.st_size);
  if (S_ISREG(st.st_mode) &&
      size > (role == FileRole::kLog ? kMapLogsFrom : kReadRatherThanMapUpTo)) {
    void* m = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd.get(), 0);
    if (m != MAP_FAILED) {
      image.mapping_ = MappedRegion(m, size);
      image.data_ = image.mapping_.data();
      image.size_ = size;
      image.file_mapping_ = true;
      if (role == FileRole::kHive) image.fd_ = fd.release();  // logs are never replayed into
      return image;
    }
  }
  // Small, or not mappable (a pipe, /dev/stdin, an empty file, a file system without mmap, /proc):
  // read it, at most one byte past the cap, so a stream without end is refused instead of filling
  // memory. A regular file that could not be mapped (address space exhausted, e.g. under a ulimit)
  // is refused by its size before a byte is read, and running out of memory while reading is an
  // input error, not a crash (exit 5).
  if (regular && size > max_bytes)
    throw InputError(path.string() + ": " + std::to_string(size) + " bytes, larger than any " +
                     what + " (at most " + std::to_string(max_bytes) + ")");
  std::vector<std::uint8_t> bytes;
  try {
    if (regular) bytes.reserve(size);
    std::uint8_t buf[1 << 16];
    for (;;) {
      const ssize_t n = ::read(fd.get(), buf, sizeof buf);
      if (n < 0) {
        if (errno == EINTR) continue;
        os_error(path, "cannot read", errno);
      }
      if (n == 0) break;
      bytes.insert(bytes.end(), buf, buf + n);
      if (bytes.size() > max_bytes)
        throw InputError(path.string() + ": more than " + std::to_string(max_bytes) +
                         " bytes read, larger than any " + what);
    }
  } catch (const std::bad_alloc&) {
    throw InputError(path.string() + ": not enough memory to read it (" +
                     std::to_string(bytes.size()) + " bytes read; the file could not be mapped)");
  }
  image.owned_ = std::move(bytes);
  image.data_ = image.owned_.data();
  image.size_ = image.owned_.size();
  return image;
}

HiveImage HiveImage::from_bytes(std::vector<std::uint8_t> bytes, std::string label) {
  HiveImage image;
  image.owned_ = std::move(bytes);
  image.data_ = image.owned_.data();
  image.size_ = image.owned_.size();
  image.label_ = std::move(label);
  return image;
}

HiveImage HiveImage::from_writable(WritableImage bytes, std::string label) {
  HiveImage image;
  image.label_ = std::move(label);
  const std::size_t size = bytes.size();
  if (auto mapping = bytes.release_mapping()) {
    image.mapping_ = std::move(*mapping);
    image.data_ = image.mapping_.data();
    image.size_ = size;
    return image;
  }
  image.owned_ = bytes.release_owned();
  image.data_ = image.owned_.data();
  image.size_ = image.owned_.size();
  return image;
}

void HiveImage::release_pages(std::size_t from, std::size_t to) const noexcept {
  if (!mapping_ || !file_mapping_) return;
  const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
  const std::size_t first = (from + page - 1) / page * page;  // whole pages inside the range only
  const std::size_t end = std::min(to, size_) / page * page;
  if (first < end) ::madvise(mapping_.data() + first, end - first, MADV_DONTNEED);
}

void HiveImage::drop_file() noexcept {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

std::optional<WritableImage> HiveImage::private_copy() const {
  if (!mapping_ || fd_ < 0) return std::nullopt;
  return WritableImage::map_private(fd_, size_);
}

HiveImage::HiveImage(HiveImage&& other) noexcept { *this = std::move(other); }

HiveImage& HiveImage::operator=(HiveImage&& other) noexcept {
  if (this == &other) return *this;
  release();
  const bool owned = !other.mapping_;
  owned_ = std::move(other.owned_);
  mapping_ = std::move(other.mapping_);
  fd_ = other.fd_;
  file_mapping_ = other.file_mapping_;
  size_ = other.size_;
  data_ = owned ? owned_.data() : other.data_;
  label_ = std::move(other.label_);
  modified_ = other.modified_;
  other.fd_ = -1;
  other.file_mapping_ = false;
  other.data_ = nullptr;
  other.size_ = 0;
  return *this;
}

HiveImage::~HiveImage() { release(); }

void HiveImage::release() noexcept {
  mapping_.reset();
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  file_mapping_ = false;
  data_ = nullptr;
  size_ = 0;
  owned_.clear();
}

}  // namespace hivelint::regf
