#include "cli/batch_inputs.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "regf/format.hpp"
#include "util/bytes.hpp"

namespace hivelint::cli {
namespace {

namespace fs = std::filesystem;
using report::SkippedInput;

enum class Sniff { kHive, kLog, kNotHive, kNotRegular, kUnreadable };

struct SniffResult {
  Sniff kind = Sniff::kNotHive;
  std::uint32_t file_type = 0;
};

// The first 32 bytes of the base block: signature at 0, file type at 28 (spec "Base block"). Opened
// non-blocking and checked with fstat, so a FIFO or device that appeared after listing is never
// read.
SniffResult sniff(const std::string& path) {
  SniffResult r;
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) {
    r.kind = Sniff::kUnreadable;
    return r;
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    r.kind = Sniff::kNotRegular;
    return r;
  }
  std::array<std::uint8_t, 32> head{};
  std::size_t got = 0;
  while (got < head.size()) {
    const ssize_t n = ::read(fd, head.data() + got, head.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      ::close(fd);
      r.kind = Sniff::kUnreadable;
      return r;
    }
    if (n == 0) break;
    got += static_cast<std::size_t>(n);
  }
  ::close(fd);
  if (got < 4 || std::memcmp(head.data(), "regf", 4) != 0) return r;  // kNotHive
  if (got < head.size()) {
    r.kind = Sniff::kHive;  // too short for a base block: checking it reports the truncation
    return r;
  }
  const util::ByteReader bb{std::span<const std::uint8_t>(head.data(), got), 0,
                            regf::kBaseBlockStructure};
  r.file_type = bb.u32(regf::kBbFileType);
  const bool log = r.file_type == regf::kFileTypeLogOld ||
                   r.file_type == regf::kFileTypeLogVeryOld || r.file_type == regf::kFileTypeLogNew;
  r.kind = log ? Sniff::kLog : Sniff::kHive;
  return r;
}

void scan_directory(const fs::path& dir, BatchInputs& out, std::vector<HiveInput>& found) {
  std::error_code ec;
  fs::directory_iterator it(dir, ec);
  if (ec) {
    found.push_back({dir.string(), "cannot list the directory: " + ec.message()});
    return;
  }
  std::vector<fs::directory_entry> entries;
  for (; it != fs::directory_iterator(); it.increment(ec)) entries.push_back(*it);
  if (ec) found.push_back({dir.string(), "cannot list the directory: " + ec.message()});
  for (const auto& e : entries) {
    const std::string path = e.path().string();
    std::error_code type_ec;
    const bool symlink = e.is_symlink(type_ec);
    if (e.is_directory(type_ec)) {
      // Not followed, as before (a link to a parent would loop); said, not dropped.
      if (symlink)
        out.skipped.push_back({path, SkippedInput::Reason::kNotRegularFile,
                               "symbolic link to a directory (not followed)"});
      else
        scan_directory(e.path(), out, found);
      continue;
    }
    if (!e.is_regular_file(type_ec)) {
      out.skipped.push_back(
          {path, SkippedInput::Reason::kNotRegularFile,
           symlink ? "dangling symbolic link" : "not a regular file (FIFO, device or socket)"});
      continue;
    }
    const SniffResult s = sniff(path);
    switch (s.kind) {
      case Sniff::kHive:
      case Sniff::kUnreadable:  // opening it again reports why (e.g. Permission denied) as its
                                // error line
        found.push_back({path, std::nullopt});
        break;
      case Sniff::kLog:
        out.skipped.push_back({path, SkippedInput::Reason::kTransactionLog,
                               "file type " + std::to_string(s.file_type)});
        break;
      case Sniff::kNotHive:
        out.skipped.push_back({path, SkippedInput::Reason::kNoRegfSignature, "no regf signature"});
        break;
      case Sniff::kNotRegular:
        out.skipped.push_back({path, SkippedInput::Reason::kNotRegularFile, "not a regular file"});
        break;
    }
  }
}

}  // namespace

BatchInputs expand_inputs(const std::vector<std::string>& args) {
  BatchInputs out;
  for (const auto& a : args) {
    std::error_code ec;
    if (!fs::is_directory(a, ec)) {
      out.hives.push_back({a, std::nullopt});
      continue;
    }
    out.had_directory = true;
    std::vector<HiveInput> found;
    const std::size_t skipped_before = out.skipped.size();
    scan_directory(a, out, found);
    std::sort(found.begin(), found.end(),
              [](const HiveInput& x, const HiveInput& y) { return x.path < y.path; });
    std::sort(out.skipped.begin() + static_cast<std::ptrdiff_t>(skipped_before), out.skipped.end(),
              [](const SkippedInput& x, const SkippedInput& y) { return x.path < y.path; });
    out.hives.insert(out.hives.end(), found.begin(), found.end());
  }
  return out;
}

}  // namespace hivelint::cli
