#include "util/atomic_file.hpp"

#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <mutex>
#include <random>
#include <streambuf>
#include <string>

#include "util/error.hpp"

namespace hivelint::util {
namespace {

[[noreturn]] void os_error(const std::filesystem::path& path, const std::string& what, int err) {
  throw InputError(path.string() + ": " + what + ": " + std::strerror(err));
}

// The temporary file as the file system now returns it, mapped read-only from its descriptor (no
// copy into memory: a 500 MB hive would otherwise be held twice), handed to `verify`.
void verify_read_back(int fd, const std::filesystem::path& path, std::size_t expected,
                      const std::function<void(std::span<const std::uint8_t>)>& verify) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) os_error(path, "cannot stat the temporary file", errno);
  if (static_cast<std::uint64_t>(st.st_size) != expected)
    throw InputError(path.string() + ": the temporary file has " + std::to_string(st.st_size) +
                     " bytes after writing " + std::to_string(expected));
  if (expected == 0) {
    verify({});
    return;
  }
  void* m = ::mmap(nullptr, expected, PROT_READ, MAP_SHARED, fd, 0);
  if (m == MAP_FAILED) os_error(path, "cannot map the temporary file to read it back", errno);
  struct Unmap {
    void* p;
    std::size_t n;
    ~Unmap() { ::munmap(p, n); }
  } unmap{m, expected};
  verify(std::span<const std::uint8_t>(static_cast<const std::uint8_t*>(m), expected));
}

// A name nobody can predict: pid plus 64 random bits (the pid alone let two writers of one process,
// or a planted file, collide).
std::string unique_suffix() {
  static std::mutex m;
  static std::mt19937_64 rng{std::random_device{}() ^
                             (static_cast<std::uint64_t>(::getpid()) << 32)};
  const std::lock_guard lock(m);
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(rng()));
  return std::to_string(::getpid()) + "-" + buf;
}

// Temporary files that exist right now, for the signal handler below: plain C strings in fixed
// slots, so that the handler neither allocates nor locks. A slot's path is written before it is
// marked used and unmarked before it is reused. fix keeps its temporary hive on disk while it
// verifies it (seconds on a big hive): an interrupt or a `kill` then must not leave a complete,
// unverified hive behind. SIGKILL cannot be caught; fix_faults.sh covers that case separately.
constexpr std::size_t kSignalSlots = 8;
char g_temp_paths[kSignalSlots][PATH_MAX];
volatile sig_atomic_t g_temp_used[kSignalSlots];
std::mutex g_slots_mutex;

extern "C" void remove_temporaries_and_exit_3(int) {
  for (std::size_t i = 0; i < kSignalSlots; ++i)
    if (g_temp_used[i]) ::unlink(g_temp_paths[i]);
  static const char kMessage[] =
      "hivelint: an input file changed size while it was read (SIGBUS on its mapping); no output "
      "file was written\n";
  (void)!::write(2, kMessage, sizeof kMessage - 1);
  ::_exit(3);
}

extern "C" void remove_temporaries_and_reraise(int sig) {
  for (std::size_t i = 0; i < kSignalSlots; ++i)
    if (g_temp_used[i]) ::unlink(g_temp_paths[i]);
  ::signal(
      sig,
      SIG_DFL);  // then die of the signal as if it had never been caught (exit status 128 + sig)
  ::raise(sig);
}

// Installed on first use, for the signals that end a process by default and can be caught; a signal
// the program already handles or ignores (SIGPIPE set to SIG_IGN, say) is left as it is.
void install_signal_cleanup() {
  static std::once_flag once;
  std::call_once(once, [] {
    for (const int sig : {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE}) {
      struct sigaction old {};
      if (::sigaction(sig, nullptr, &old) != 0 || old.sa_handler != SIG_DFL) continue;
      struct sigaction act {};
      act.sa_handler = remove_temporaries_and_reraise;
      sigemptyset(&act.sa_mask);
      ::sigaction(sig, &act, nullptr);
    }
  });
}

// The slot holding `path`, or kSignalSlots when none is free or the path is too long (then a signal
// leaves the file behind, as before).
std::size_t register_temporary(const std::filesystem::path& path) {
  install_signal_cleanup();
  const std::string& text = path.native();
  if (text.size() >= PATH_MAX) return kSignalSlots;
  const std::lock_guard lock(g_slots_mutex);
  for (std::size_t i = 0; i < kSignalSlots; ++i) {
    if (g_temp_used[i]) continue;
    std::memcpy(g_temp_paths[i], text.c_str(), text.size() + 1);
    std::atomic_signal_fence(std::memory_order_seq_cst);
    g_temp_used[i] = 1;
    return i;
  }
  return kSignalSlots;
}

void unregister_temporary(std::size_t slot) {
  if (slot >= kSignalSlots) return;
  const std::lock_guard lock(g_slots_mutex);
  g_temp_used[slot] = 0;
  std::atomic_signal_fence(std::memory_order_seq_cst);
}

}  // namespace

void refuse_overwriting_inputs(const std::filesystem::path& output,
                               const std::vector<std::filesystem::path>& inputs) {
  std::error_code ec;
  for (const auto& in : inputs) {
    if (std::filesystem::weakly_canonical(output, ec) ==
            std::filesystem::weakly_canonical(in, ec) ||
        std::filesystem::equivalent(output, in, ec))
      throw RefusedError(output.string() + ": refusing to write over an input file (" +
                         in.string() + ")");
  }
}

void refuse_non_regular_output(const std::filesystem::path& path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0)
    return;  // absent (or unreachable: creating the temporary file says why)
  if (S_ISLNK(st.st_mode) && ::stat(path.c_str(), &st) != 0)
    return;  // a dangling link is replaced like a file
  if (S_ISREG(st.st_mode)) return;
  if (S_ISDIR(st.st_mode)) throw RefusedError(path.string() + ": is a directory");
  const char* what = S_ISCHR(st.st_mode)    ? "a character device"
                     : S_ISBLK(st.st_mode)  ? "a block device"
                     : S_ISFIFO(st.st_mode) ? "a FIFO"
                     : S_ISSOCK(st.st_mode) ? "a socket"
                                            : "not a regular file";
  throw RefusedError(path.string() + ": is " + what +
                     "; an output only ever replaces a regular file (not even with --force)");
}

void install_sigbus_handler() {
  struct sigaction act {};
  act.sa_handler = remove_temporaries_and_exit_3;
  sigemptyset(&act.sa_mask);
  ::sigaction(SIGBUS, &act, nullptr);
}

// Buffered writes into the temporary file for streaming writers; the first error is kept for
// commit().
class AtomicFileWrite::Buffer : public std::streambuf {
 public:
  explicit Buffer(AtomicFileWrite& owner) : owner_(owner), buf_(1 << 16) {
    setp(buf_.data(), buf_.data() + buf_.size());
  }
  int_type overflow(int_type c) override {
    if (!drain()) return traits_type::eof();
    if (!traits_type::eq_int_type(c, traits_type::eof())) {
      *pptr() = traits_type::to_char_type(c);
      pbump(1);
    }
    return traits_type::not_eof(c);
  }
  int sync() override { return drain() ? 0 : -1; }
  bool drain() {
    const auto n = static_cast<std::size_t>(pptr() - pbase());
    setp(buf_.data(), buf_.data() + buf_.size());
    if (n == 0 || failed_) return !failed_;
    try {
      owner_.write(
          std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(buf_.data()), n));
    } catch (const InputError& e) {
      failed_ = true;
      message_ = e.what();
    }
    return !failed_;
  }
  bool failed_ = false;
  std::string message_;

 private:
  AtomicFileWrite& owner_;
  std::vector<char> buf_;
};

AtomicFileWrite::AtomicFileWrite(const std::filesystem::path& path,
                                 const AtomicWriteOptions& options)
    : path_(path), force_(options.force) {
  create();
}

AtomicFileWrite::AtomicFileWrite(const std::filesystem::path& path,
                                 std::span<const std::uint8_t> bytes,
                                 const AtomicWriteOptions& options)
    : path_(path), force_(options.force) {
  create();
  try {
    write(bytes);
  } catch (const Error&) {
    ::close(fd_);  // a constructor that throws gets no destructor call: clean up here
    fd_ = -1;
    if (!tmp_.empty()) ::unlink(tmp_.c_str());
    unregister_temporary(signal_slot_);
    throw;
  }
  // Start writing back now; commit()'s fsync then waits for less. A hint: where it is unsupported,
  // fsync does it all.
  (void)::sync_file_range(fd_, 0, 0, SYNC_FILE_RANGE_WRITE);
}

void AtomicFileWrite::create() {
  std::error_code ec;
  refuse_non_regular_output(path_);
  if (std::filesystem::exists(std::filesystem::symlink_status(path_, ec)) && !force_)
    throw RefusedError(path_.string() + ": already exists (use --force to replace it)");
  dir_ = path_.has_parent_path() ? path_.parent_path() : std::filesystem::path(".");
  // A file without a name: it never collides, is never reached through a planted symlink and
  // vanishes with the process whatever kills it. File systems without O_TMPFILE get a new unique
  // name instead.
  fd_ = ::open(dir_.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0644);
  if (fd_ >= 0) return;
  if (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL && errno != ENOENT)
    os_error(dir_, "cannot create the temporary output file", errno);
  for (int attempt = 0; attempt < 16; ++attempt) {
    const std::filesystem::path tmp =
        dir_ / ("." + path_.filename().string() + ".hivelint-" + unique_suffix() + ".tmp");
    // Registered before it exists, so that no moment has the file on disk and unknown to the signal
    // handler.
    signal_slot_ = register_temporary(tmp);
    fd_ = ::open(tmp.c_str(), O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd_ >= 0) {
      tmp_ = tmp;
      return;
    }
    const int err = errno;
    unregister_temporary(
        signal_slot_);  // not ours: O_EXCL found a file there, which the handler must not remove
    signal_slot_ = static_cast<std::size_t>(-1);
    if (err != EEXIST) os_error(tmp, "cannot create the temporary output file", err);
  }
  throw InputError(dir_.string() +
                   ": cannot create the temporary output file: 16 unique names were taken");
}

void AtomicFileWrite::write(std::span<const std::uint8_t> bytes) {
  const std::filesystem::path& shown = tmp_.empty() ? path_ : tmp_;
  std::size_t written = 0;
  while (written < bytes.size()) {
    const ssize_t n = ::write(fd_, bytes.data() + written, bytes.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int err = n < 0 ? errno : ENOSPC;
      os_error(shown,
               "cannot write (" + std::to_string(size_ + written) + " of " +
                   std::to_string(size_ + bytes.size()) + " bytes written)",
               err);
    }
    written += static_cast<std::size_t>(n);
  }
  size_ += bytes.size();
}

std::ostream& AtomicFileWrite::stream() {
  if (!stream_) {
    buffer_ = std::make_unique<Buffer>(*this);
    stream_ = std::make_unique<std::ostream>(buffer_.get());
  }
  return *stream_;
}

AtomicFileWrite::~AtomicFileWrite() {
  stream_.reset();
  if (fd_ >= 0) ::close(fd_);
  if (!done_ && !tmp_.empty()) ::unlink(tmp_.c_str());
  unregister_temporary(signal_slot_);
}

void AtomicFileWrite::commit(const std::function<void(std::span<const std::uint8_t>)>& verify) {
  if (stream_) {
    stream_->flush();
    if (buffer_->failed_) throw InputError(buffer_->message_);
    if (!*stream_) throw InputError(path_.string() + ": cannot write the temporary output file");
  }
  const std::filesystem::path& shown = tmp_.empty() ? path_ : tmp_;
  if (::fsync(fd_) != 0) os_error(shown, "cannot flush to disk", errno);
  verify_read_back(fd_, shown, size_, verify);
  publish();
  const int fd = fd_;
  fd_ = -1;
  ::close(fd);
  const int dfd = ::open(dir_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    ::fsync(dfd);  // make the rename durable; a failure here leaves a complete file, so it is not
                   // an error
    ::close(dfd);
  }
}

void AtomicFileWrite::commit_identical(std::span<const std::uint8_t> expected,
                                       const std::string& differs) {
  commit([&](std::span<const std::uint8_t> back) {
    if (back.size() != expected.size()) throw RefusedError(differs);
    // `back` is verify_read_back's read-only shared mapping of the temporary file: dropping its
    // pages once compared only forgets them (the file and the page cache keep the bytes).
    constexpr std::size_t kPart = std::size_t{16} << 20;  // a multiple of every page size
    for (std::size_t at = 0; at < back.size(); at += kPart) {
      const std::size_t n = std::min(kPart, back.size() - at);
      if (std::memcmp(back.data() + at, expected.data() + at, n) != 0) throw RefusedError(differs);
      ::madvise(const_cast<std::uint8_t*>(back.data() + at), n, MADV_DONTNEED);
    }
  });
}

// Gives the verified temporary file the output's name.
void AtomicFileWrite::publish() {
  const std::string proc = "/proc/self/fd/" + std::to_string(fd_);
  // Links the unnamed file at `name`; false with errno set when that fails.
  const auto link_at = [&](const std::filesystem::path& name) {
    if (::linkat(AT_FDCWD, proc.c_str(), AT_FDCWD, name.c_str(), AT_SYMLINK_FOLLOW) == 0)
      return true;
    if (errno != ENOENT)
      return false;  // ENOENT: no /proc; AT_EMPTY_PATH needs CAP_DAC_READ_SEARCH but try it
    return ::linkat(fd_, "", AT_FDCWD, name.c_str(), AT_EMPTY_PATH) == 0;
  };
  if (tmp_.empty() && !force_) {
    // linkat never replaces: an output that appeared meanwhile is refused with no moment between
    // check and link.
    if (!link_at(path_)) {
      if (errno == EEXIST)
        throw RefusedError(path_.string() + ": appeared while writing (use --force to replace it)");
      os_error(path_, "cannot link the temporary file into place", errno);
    }
    done_ = true;
    return;
  }
  if (tmp_.empty()) {
    // --force: a unique name first, then rename() over the output (atomic: readers see the old or
    // the new file).
    for (int attempt = 0; tmp_.empty(); ++attempt) {
      const std::filesystem::path tmp =
          dir_ / ("." + path_.filename().string() + ".hivelint-" + unique_suffix() + ".tmp");
      signal_slot_ = register_temporary(tmp);
      if (link_at(tmp)) {
        tmp_ = tmp;
        break;
      }
      const int err = errno;
      unregister_temporary(signal_slot_);
      signal_slot_ = static_cast<std::size_t>(-1);
      if (err != EEXIST || attempt == 15) os_error(tmp, "cannot link the temporary file", err);
    }
  }
  // Without --force the rename itself refuses an output that appeared meanwhile (RENAME_NOREPLACE),
  // so there is no moment between a check and the rename; a file system without it gets the check
  // just before the rename.
  bool renamed = false;
  if (!force_) {
    if (::renameat2(AT_FDCWD, tmp_.c_str(), AT_FDCWD, path_.c_str(), RENAME_NOREPLACE) == 0) {
      renamed = true;
    } else if (errno == EEXIST) {
      throw RefusedError(path_.string() + ": appeared while writing (use --force to replace it)");
    } else if (errno != EINVAL && errno != ENOSYS) {
      os_error(path_, "cannot rename the temporary file into place", errno);
    }
  }
  if (!renamed) {
    std::error_code ec;
    if (!force_ && std::filesystem::exists(std::filesystem::symlink_status(path_, ec)))
      throw RefusedError(path_.string() + ": appeared while writing (use --force to replace it)");
    refuse_non_regular_output(path_);  // a device or FIFO put there while we wrote
    if (::rename(tmp_.c_str(), path_.c_str()) != 0)
      os_error(path_, "cannot rename the temporary file into place", errno);
  }
  done_ = true;
  unregister_temporary(signal_slot_);  // the name is the output's now: a signal must not remove it
  signal_slot_ = static_cast<std::size_t>(-1);
}

void write_file_atomically(const std::filesystem::path& path, std::span<const std::uint8_t> bytes,
                           const AtomicWriteOptions& options,
                           const std::function<void(std::span<const std::uint8_t>)>& verify) {
  AtomicFileWrite(path, bytes, options).commit(verify);
}

}  // namespace hivelint::util
