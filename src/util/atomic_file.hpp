// Writing an output file the forensic-safe way: never over an existing file without permission, never
// partially. The bytes go to a temporary file in the same directory, are flushed to disk, read back and
// verified by the caller, and only then renamed over the final name.
#pragma once
#include <cstdint>
#include <filesystem>
#include <functional>
#include <span>
#include <vector>

namespace hivelint::util {

struct AtomicWriteOptions {
  bool force = false;  // replace an existing output
};

/// write_file_atomically in two halves, for a caller with work to do while the kernel writes the bytes back to
/// disk (fix verifies its output meanwhile): the constructor refuses an existing output (without force), writes
/// the bytes to the temporary file and starts their writeback; commit() waits for it (fsync), hands the bytes
/// read back from the file to `verify`, and renames. Destroyed without a commit (an exception, a refused
/// verification), it removes the temporary file; so does SIGINT, SIGTERM, SIGHUP, SIGQUIT or SIGPIPE meanwhile (the
/// process then dies of that signal). `bytes` must stay alive and unchanged until commit().
class AtomicFileWrite {
 public:
  AtomicFileWrite(const std::filesystem::path& path, std::span<const std::uint8_t> bytes, const AtomicWriteOptions& options);
  ~AtomicFileWrite();
  AtomicFileWrite(const AtomicFileWrite&) = delete;
  AtomicFileWrite& operator=(const AtomicFileWrite&) = delete;
  void commit(const std::function<void(std::span<const std::uint8_t>)>& verify);

 private:
  std::filesystem::path path_, tmp_, dir_;
  std::size_t size_ = 0;
  bool force_ = false;
  int fd_ = -1;
  bool done_ = false;
  std::size_t signal_slot_ = static_cast<std::size_t>(-1);  // the temporary's slot for the signal handler
};

/// Writes `bytes` to `path`. `verify` gets the bytes read back from the temporary file and throws to reject
/// them. Throws RefusedError (output exists, output is an input) or InputError (OS errors, with the reason);
/// on any failure the temporary file is removed and `path` is untouched.
void write_file_atomically(const std::filesystem::path& path, std::span<const std::uint8_t> bytes,
                           const AtomicWriteOptions& options,
                           const std::function<void(std::span<const std::uint8_t>)>& verify);

/// Throws RefusedError when `output` is the same file as any of `inputs` (by path or by inode).
void refuse_overwriting_inputs(const std::filesystem::path& output, const std::vector<std::filesystem::path>& inputs);

}  // namespace hivelint::util
