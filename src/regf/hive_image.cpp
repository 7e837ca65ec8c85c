#include "regf/hive_image.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "util/error.hpp"

namespace hivelint::regf {
namespace {

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

[[noreturn]] void os_error(const std::filesystem::path& path, const char* what, int err) {
  throw InputError(path.string() + ": " + what + ": " + std::strerror(err));
}

}  // namespace

HiveImage HiveImage::load(const std::filesystem::path& path) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) os_error(path, "cannot open", errno);
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) os_error(path, "cannot stat", errno);
  if (S_ISDIR(st.st_mode)) throw InputError(path.string() + ": is a directory, not a hive file");
  HiveImage image;
  image.label_ = path.string();
  const auto size = static_cast<std::size_t>(st.st_size);
  if (S_ISREG(st.st_mode) && size > 0) {
    void* m = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd.get(), 0);
    if (m != MAP_FAILED) {
      image.mapping_ = m;
      image.data_ = static_cast<const std::uint8_t*>(m);
      image.size_ = size;
      return image;
    }
  }
  // Not mappable (a pipe, /dev/stdin, an empty file, a file system without mmap): read it.
  std::vector<std::uint8_t> bytes;
  std::uint8_t buf[1 << 16];
  for (;;) {
    const ssize_t n = ::read(fd.get(), buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      os_error(path, "cannot read", errno);
    }
    if (n == 0) break;
    bytes.insert(bytes.end(), buf, buf + n);
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

HiveImage::HiveImage(HiveImage&& other) noexcept { *this = std::move(other); }

HiveImage& HiveImage::operator=(HiveImage&& other) noexcept {
  if (this == &other) return *this;
  release();
  const bool owned = other.mapping_ == nullptr;
  owned_ = std::move(other.owned_);
  mapping_ = other.mapping_;
  size_ = other.size_;
  data_ = owned ? owned_.data() : other.data_;
  label_ = std::move(other.label_);
  other.mapping_ = nullptr;
  other.data_ = nullptr;
  other.size_ = 0;
  return *this;
}

HiveImage::~HiveImage() { release(); }

void HiveImage::release() noexcept {
  if (mapping_) ::munmap(mapping_, size_);
  mapping_ = nullptr;
  data_ = nullptr;
  size_ = 0;
  owned_.clear();
}

}  // namespace hivelint::regf
