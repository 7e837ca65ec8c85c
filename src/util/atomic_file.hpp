// Writing an output file the forensic-safe way: never over an existing file without permission,
// never partially. The bytes go to a temporary file in the same directory, are flushed to disk,
// read back and verified by the caller, and only then renamed over the final name.
#pragma once
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <ostream>
#include <span>
#include <vector>

namespace hivelint::util {

struct AtomicWriteOptions {
  bool force = false;  // replace an existing output (a regular file; never a device, FIFO, socket
                       // or directory)
};

/// The one way hivelint writes an output file (fix -o, fix --reg, export -o, build, recover). The
/// bytes go to a temporary file in the output's directory that has no name at all where the file
/// system supports it (O_TMPFILE: nothing is left behind even by SIGKILL), else a new unique name
/// created with O_EXCL|O_NOFOLLOW (never an existing file, never through a symbolic link). commit()
/// flushes it to disk, hands the bytes read back from it to `verify`, and only then gives it the
/// output's name: linkat() without --force (refuses an output that appeared meanwhile), a unique
/// name + rename() with it, so that concurrent writers each publish one whole file. An output that
/// exists and is not a regular file is refused even with --force. Destroyed without a commit (an
/// exception, a refused verification), nothing remains; a named temporary is also removed on
/// SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE or SIGBUS (the process then dies of that signal, or
/// exits 3 for SIGBUS, see install_sigbus_handler).
class AtomicFileWrite {
 public:
  /// Creates the temporary file (throws RefusedError for an existing output without force or a
  /// non-regular one, InputError for OS errors); write() or stream() then fill it.
  AtomicFileWrite(const std::filesystem::path& path, const AtomicWriteOptions& options);
  /// The same, then writes `bytes` and starts their writeback (fix verifies its hive meanwhile).
  AtomicFileWrite(const std::filesystem::path& path, std::span<const std::uint8_t> bytes,
                  const AtomicWriteOptions& options);
  ~AtomicFileWrite();
  AtomicFileWrite(const AtomicFileWrite&) = delete;
  AtomicFileWrite& operator=(const AtomicFileWrite&) = delete;
  /// Appends bytes; throws InputError on a write error (disk full, file size limit).
  void write(std::span<const std::uint8_t> bytes);
  /// A buffered stream into the temporary file, for writers that stream (export). Its errors
  /// surface in commit().
  std::ostream& stream();
  void commit(const std::function<void(std::span<const std::uint8_t>)>& verify);
  /// commit() for an output that must read back as exactly `expected`: compared 16 MiB at a time,
  /// each part of the read-back mapping released once compared, so that verifying a 500 MB hive
  /// does not hold it in memory a third time (beside the input and the patched copy). Throws
  /// RefusedError(`differs`) on the first difference.
  void commit_identical(std::span<const std::uint8_t> expected, const std::string& differs);

 private:
  class Buffer;
  void create();
  void publish();
  std::filesystem::path path_, tmp_, dir_;
  std::size_t size_ = 0;
  bool force_ = false;
  int fd_ = -1;
  bool done_ = false;
  std::size_t signal_slot_ =
      static_cast<std::size_t>(-1);  // a named temporary's slot for the signal handler
  std::unique_ptr<Buffer> buffer_;
  std::unique_ptr<std::ostream> stream_;
};

/// Throws RefusedError when `path` exists and is not a regular file (or a symbolic link to one): a
/// device node, FIFO, socket or directory is never replaced by an output, whatever --force says.
void refuse_non_regular_output(const std::filesystem::path& path);

/// Makes SIGBUS (a mapped input file that shrank while it was read) an error instead of a crash:
/// named temporary files are removed, "input file changed while it was read" goes to stderr, and
/// the process exits 3.
void install_sigbus_handler();

/// Writes `bytes` to `path`. `verify` gets the bytes read back from the temporary file and throws
/// to reject them. Throws RefusedError (output exists, output is an input) or InputError (OS
/// errors, with the reason); on any failure the temporary file is removed and `path` is untouched.
void write_file_atomically(const std::filesystem::path& path, std::span<const std::uint8_t> bytes,
                           const AtomicWriteOptions& options,
                           const std::function<void(std::span<const std::uint8_t>)>& verify);

/// Throws RefusedError when `output` is the same file as any of `inputs` (by path or by inode).
void refuse_overwriting_inputs(const std::filesystem::path& output,
                               const std::vector<std::filesystem::path>& inputs);

}  // namespace hivelint::util
