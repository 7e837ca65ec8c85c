#include "util/atomic_file.hpp"

#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <mutex>
#include <string>

#include "util/error.hpp"

namespace hivelint::util {
namespace {

[[noreturn]] void os_error(const std::filesystem::path& path, const std::string& what, int err) {
  throw InputError(path.string() + ": " + what + ": " + std::strerror(err));
}

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

// Temporary files that exist right now, for the signal handler below: plain C strings in fixed slots, so that
// the handler neither allocates nor locks. A slot's path is written before it is marked used and unmarked before
// it is reused. fix keeps its temporary hive on disk while it verifies it (seconds on a big hive): an interrupt
// or a `kill` then must not leave a complete, unverified hive behind. SIGKILL cannot be caught; fix_faults.sh
// covers that case separately.
constexpr std::size_t kSignalSlots = 8;
char g_temp_paths[kSignalSlots][PATH_MAX];
volatile sig_atomic_t g_temp_used[kSignalSlots];
std::mutex g_slots_mutex;

extern "C" void remove_temporaries_and_reraise(int sig) {
  for (std::size_t i = 0; i < kSignalSlots; ++i)
    if (g_temp_used[i]) ::unlink(g_temp_paths[i]);
  ::signal(sig, SIG_DFL);  // then die of the signal as if it had never been caught (exit status 128 + sig)
  ::raise(sig);
}

// Installed on first use, for the signals that end a process by default and can be caught; a signal the
// program already handles or ignores (SIGPIPE set to SIG_IGN, say) is left as it is.
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

// The slot holding `path`, or kSignalSlots when none is free or the path is too long (then a signal leaves the
// file behind, as before).
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

void refuse_overwriting_inputs(const std::filesystem::path& output, const std::vector<std::filesystem::path>& inputs) {
  std::error_code ec;
  for (const auto& in : inputs) {
    if (std::filesystem::weakly_canonical(output, ec) == std::filesystem::weakly_canonical(in, ec) ||
        std::filesystem::equivalent(output, in, ec))
      throw RefusedError(output.string() + ": refusing to write over an input file (" + in.string() + ")");
  }
}

AtomicFileWrite::AtomicFileWrite(const std::filesystem::path& path, std::span<const std::uint8_t> bytes,
                                 const AtomicWriteOptions& options)
    : path_(path), size_(bytes.size()), force_(options.force) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) throw RefusedError(path.string() + ": is a directory");
  if (std::filesystem::exists(path, ec) && !options.force)
    throw RefusedError(path.string() + ": already exists (use --force to replace it)");
  dir_ = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
  const std::filesystem::path tmp = dir_ / ("." + path.filename().string() + ".hivelint-" + std::to_string(::getpid()) + ".tmp");
  // Registered before it exists, so that no moment has the file on disk and unknown to the signal handler.
  signal_slot_ = register_temporary(tmp);
  fd_ = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd_ < 0) {
    const int err = errno;
    unregister_temporary(signal_slot_);  // not ours: O_EXCL found a file there, which the handler must not remove
    os_error(tmp, "cannot create the temporary output file", err);
  }
  tmp_ = tmp;
  std::size_t written = 0;
  while (written < bytes.size()) {
    const ssize_t n = ::write(fd_, bytes.data() + written, bytes.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int err = n < 0 ? errno : ENOSPC;
      ::close(fd_);  // a constructor that throws gets no destructor call: clean up here
      ::unlink(tmp_.c_str());
      unregister_temporary(signal_slot_);
      os_error(tmp_, "cannot write (" + std::to_string(written) + " of " + std::to_string(bytes.size()) + " bytes written)", err);
    }
    written += static_cast<std::size_t>(n);
  }
  // Start writing back now; commit()'s fsync then waits for less. A hint: where it is unsupported, fsync does it all.
  (void)::sync_file_range(fd_, 0, 0, SYNC_FILE_RANGE_WRITE);
}

AtomicFileWrite::~AtomicFileWrite() {
  if (fd_ >= 0) ::close(fd_);
  if (!done_ && !tmp_.empty()) ::unlink(tmp_.c_str());
  unregister_temporary(signal_slot_);
}

void AtomicFileWrite::commit(const std::function<void(std::span<const std::uint8_t>)>& verify) {
  if (::fsync(fd_) != 0) os_error(tmp_, "cannot flush to disk", errno);
  const int fd = fd_;
  fd_ = -1;
  if (::close(fd) != 0) os_error(tmp_, "cannot close", errno);

  verify_read_back(tmp_, size_, verify);

  // Without --force the rename itself refuses an output that appeared meanwhile (RENAME_NOREPLACE), so there is
  // no moment between a check and the rename; a file system without it gets the check just before the rename.
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
    if (!force_ && std::filesystem::exists(path_, ec))
      throw RefusedError(path_.string() + ": appeared while writing (use --force to replace it)");
    if (::rename(tmp_.c_str(), path_.c_str()) != 0) os_error(path_, "cannot rename the temporary file into place", errno);
  }
  done_ = true;
  unregister_temporary(signal_slot_);  // the name is the output's now: a signal must not remove it
  signal_slot_ = static_cast<std::size_t>(-1);
  const int dfd = ::open(dir_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    ::fsync(dfd);  // make the rename durable; a failure here leaves a complete file, so it is not an error
    ::close(dfd);
  }
}

void write_file_atomically(const std::filesystem::path& path, std::span<const std::uint8_t> bytes,
                           const AtomicWriteOptions& options,
                           const std::function<void(std::span<const std::uint8_t>)>& verify) {
  AtomicFileWrite(path, bytes, options).commit(verify);
}

}  // namespace hivelint::util
