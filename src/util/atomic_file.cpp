#include "util/atomic_file.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "util/error.hpp"

namespace hivelint::util {
namespace {

[[noreturn]] void os_error(const std::filesystem::path& path, const std::string& what, int err) {
  throw InputError(path.string() + ": " + what + ": " + std::strerror(err));
}

// Removes the temporary file unless disarmed (after the rename).
class TempGuard {
 public:
  explicit TempGuard(std::filesystem::path p) : path_(std::move(p)) {}
  ~TempGuard() {
    if (armed_) ::unlink(path_.c_str());
  }
  TempGuard(const TempGuard&) = delete;
  TempGuard& operator=(const TempGuard&) = delete;
  void disarm() { armed_ = false; }

 private:
  std::filesystem::path path_;
  bool armed_ = true;
};

// The temporary file as the file system now returns it, mapped read-only (no copy into memory: a 500 MB
// hive would otherwise be held twice), handed to `verify`.
void verify_read_back(const std::filesystem::path& path, std::size_t expected,
                      const std::function<void(std::span<const std::uint8_t>)>& verify) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) os_error(path, "cannot reopen the temporary file", errno);
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    const int err = errno;
    ::close(fd);
    os_error(path, "cannot stat the temporary file", err);
  }
  if (static_cast<std::uint64_t>(st.st_size) != expected) {
    ::close(fd);
    throw InputError(path.string() + ": the temporary file has " + std::to_string(st.st_size) + " bytes after writing " +
                     std::to_string(expected));
  }
  if (expected == 0) {
    ::close(fd);
    verify({});
    return;
  }
  void* m = ::mmap(nullptr, expected, PROT_READ, MAP_PRIVATE, fd, 0);
  const int err = errno;
  ::close(fd);
  if (m == MAP_FAILED) os_error(path, "cannot map the temporary file to read it back", err);
  struct Unmap {
    void* p;
    std::size_t n;
    ~Unmap() { ::munmap(p, n); }
  } unmap{m, expected};
  verify(std::span<const std::uint8_t>(static_cast<const std::uint8_t*>(m), expected));
}

}  // namespace

void refuse_overwriting_inputs(const std::filesystem::path& output, const std::vector<std::filesystem::path>& inputs) {
  std::error_code ec;
  for (const auto& in : inputs) {
    if (std::filesystem::weakly_canonical(output, ec) == std::filesystem::weakly_canonical(in, ec) ||
        std::filesystem::equivalent(output, in, ec))
      throw RefusedError(output.string() + ": refusing to write over an input file (" + in.string() + ")");
  }
}

void write_file_atomically(const std::filesystem::path& path, std::span<const std::uint8_t> bytes,
                           const AtomicWriteOptions& options,
                           const std::function<void(std::span<const std::uint8_t>)>& verify) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) throw RefusedError(path.string() + ": is a directory");
  if (std::filesystem::exists(path, ec) && !options.force)
    throw RefusedError(path.string() + ": already exists (use --force to replace it)");
  const std::filesystem::path dir = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
  const std::filesystem::path tmp = dir / ("." + path.filename().string() + ".hivelint-" + std::to_string(::getpid()) + ".tmp");

  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) os_error(tmp, "cannot create the temporary output file", errno);
  TempGuard guard(tmp);
  std::size_t written = 0;
  while (written < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int err = n < 0 ? errno : ENOSPC;
      ::close(fd);
      os_error(tmp, "cannot write (" + std::to_string(written) + " of " + std::to_string(bytes.size()) + " bytes written)", err);
    }
    written += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0) {
    const int err = errno;
    ::close(fd);
    os_error(tmp, "cannot flush to disk", err);
  }
  if (::close(fd) != 0) os_error(tmp, "cannot close", errno);

  verify_read_back(tmp, bytes.size(), verify);

  if (!options.force && std::filesystem::exists(path, ec))
    throw RefusedError(path.string() + ": appeared while writing (use --force to replace it)");
  if (::rename(tmp.c_str(), path.c_str()) != 0) os_error(path, "cannot rename the temporary file into place", errno);
  guard.disarm();
  const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    ::fsync(dfd);  // make the rename durable; a failure here leaves a complete file, so it is not an error
    ::close(dfd);
  }
}

}  // namespace hivelint::util
