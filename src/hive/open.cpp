#include "hive/open.hpp"

#include <algorithm>
#include <map>
#include <mutex>
#include <optional>
#include <system_error>
#include <thread>

#include "hive/error.hpp"
#include "hive/libregf_reader.hpp"
#include "hive/regf_reader.hpp"
#include "regf/verify.hpp"
#include "util/bytes.hpp"
#include "util/error.hpp"
#include "util/upcase.hpp"
#include "util/utf16.hpp"

namespace hivelint::hive {

namespace {

bool ends_with_log_suffix(std::string_view name) {
  const auto lower = [](char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  };
  for (std::string_view suffix : {".log", ".log1", ".log2"}) {
    if (name.size() <= suffix.size()) continue;
    const std::string_view tail = name.substr(name.size() - suffix.size());
    bool same = true;
    for (std::size_t i = 0; i < tail.size() && same; ++i) same = lower(tail[i]) == suffix[i];
    if (same) return true;
  }
  return false;
}

// Entries of `dir` that look like transaction logs, listed once per directory and modification
// time: a batch checks thousands of hives in one directory, and listing it again for every hive was
// a quarter of a 1,000-hive batch's time (perf; bench/bench.py "batch" row).
std::vector<std::filesystem::path> log_like_entries(const std::filesystem::path& dir,
                                                    std::string* error) {
  struct Listing {
    std::filesystem::file_time_type modified;
    std::vector<std::filesystem::path> logs;
  };
  static std::mutex mutex;
  static std::map<std::filesystem::path, Listing> cache;
  std::error_code ec;
  const auto modified = std::filesystem::last_write_time(dir, ec);
  std::lock_guard lock(mutex);
  if (!ec) {
    const auto it = cache.find(dir);
    if (it != cache.end() && it->second.modified == modified) return it->second.logs;
  }
  Listing listing{modified, {}};
  ec.clear();
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec))
    if (ends_with_log_suffix(entry.path().filename().native()))
      listing.logs.push_back(entry.path());
  if (!ec)
    cache[dir] = listing;
  else if (error)
    *error = ec.message();
  return listing.logs;
}

// The folder a hive's logs are looked for in.
std::filesystem::path folder_of(const std::filesystem::path& hive_path) {
  return hive_path.has_parent_path() ? hive_path.parent_path() : std::filesystem::path(".");
}

}  // namespace

std::vector<std::string> find_sibling_logs(const std::filesystem::path& hive_path,
                                           std::string* listing_error) {
  std::vector<std::string> logs;
  const auto dir = folder_of(hive_path);
  const std::u16string base = util::utf8_to_utf16(hive_path.filename().string());
  // Windows compares names case-insensitively with its own upcase table; the ASCII prefilter above
  // only keeps the comparison below from running on every file of a big directory.
  for (const auto& entry : log_like_entries(dir, listing_error)) {
    const std::u16string name = util::utf8_to_utf16(entry.filename().string());
    for (const char16_t* suffix : {u".LOG", u".LOG1", u".LOG2"}) {
      if (util::names_equal(name, base + suffix)) logs.push_back(entry.string());
    }
  }
  std::sort(logs.begin(), logs.end());
  return logs;
}

std::string old_logs_warning(const OpenedHive& h, const std::filesystem::path& output) {
  if (!h.recovery.dirty && !h.recovery.recovered) return "";
  const std::string name = output.filename().string();
  return output.string() +
         " is written clean (equal sequence numbers): do not place the old transaction logs of " +
         h.label + " next to it (as " + name + ".LOG1/" + name + ".LOG2 or " + name +
         ".LOG); they describe the hive before this write, and a tool or Windows could replay them "
         "over it";
}

Backend parse_backend(std::string_view name) {
  if (name == "libregf") return Backend::kLibregf;
  if (name == "hivelint") return Backend::kHivelint;
  if (name == "both") return Backend::kBoth;
  throw UsageError("--backend \"" + std::string(name) + "\" is not libregf, hivelint or both");
}

std::string backend_label(Backend backend) {
  switch (backend) {
    case Backend::kLibregf:
      return "libregf";
    case Backend::kHivelint:
      return "hivelint";
    case Backend::kBoth:
      return "hivelint+libregf";
  }
  return "libregf";
}

namespace {

// When libregf refuses a hive its message rarely says where; our reader usually can.
std::unique_ptr<HiveReader> open_libregf(std::span<const std::uint8_t> bytes,
                                         const std::string& label,
                                         std::shared_ptr<const regf::CleanPages> clean = nullptr) {
  try {
    auto reader = LibregfReader::open_memory(bytes, label, std::move(clean));
    reader->key(KeyPath{});  // libregf opens lazily: make it read the root now
    return reader;
  } catch (const BackendError& e) {
    try {
      const regf::Reader ours(bytes);
      (void)ours.root();
      if (!ours.diagnostics().empty()) {
        const auto& d = ours.diagnostics().front();
        throw e.with_detail("hivelint's reader: " + d.structure + " at " +
                                util::hex_offset(d.file_offset) + ": " + d.message,
                            true);
      }
    } catch (const FormatError& ours_error) {
      throw e.with_detail(std::string("hivelint's reader: ") + ours_error.what(),
                          ours_error.names_location());
    }
    throw;
  }
}

}  // namespace

std::string damage_detail(const std::filesystem::path& path, const Error& error) {
  if (error.names_location()) return "";
  try {
    const regf::HiveImage image = regf::HiveImage::load(path);
    return damage_detail(image.bytes(), error);
  } catch (const Error&) {  // unreadable for verify too: the backend's own message is all there is
                            // to say
  }
  return "";
}

std::string damage_detail(std::span<const std::uint8_t> image, const Error& error) {
  if (error.names_location()) return "";
  try {
    const auto findings = regf::verify_hive(image).findings;
    const auto describe = [](const regf::Diagnostic& f) {
      return "; hivelint verify: " + f.structure + " at " + util::hex_offset(f.file_offset) + ": " +
             f.message;
    };
    for (const auto& f : findings)
      if (f.severity == regf::Severity::kError) return describe(f);
    // No inconsistency: a name other readers cannot decode is the likely reason they stopped.
    for (const auto& f : findings)
      if (f.message.find("not valid UTF-16") != std::string::npos) return describe(f);
  } catch (const Error&) {  // unreadable for verify too: the backend's own message is all there is
                            // to say
  }
  return "";
}

OpenedHive open_hive(const std::filesystem::path& path, Backend backend) {
  OpenOptions options;
  options.backend = backend;
  return open_hive(path, options);
}

namespace {

std::string joined(const std::vector<std::string>& items) {
  std::string s;
  for (const auto& i : items) s += (s.empty() ? "" : ", ") + i;
  return s;
}

// Reads the logs to consider. An explicit --log that cannot be read is the user's error
// (InputError); a sibling that cannot be read is reported like any other unusable log.
struct LoadedLogs {
  std::vector<regf::HiveImage> images;
  std::vector<regf::LogInput> inputs;
};

LoadedLogs load_logs(const std::vector<std::string>& paths, bool explicit_logs,
                     std::vector<std::string>& unreadable) {
  LoadedLogs l;
  l.images.reserve(paths.size());
  for (const auto& p : paths) {
    try {
      l.images.push_back(regf::HiveImage::load(p, regf::FileRole::kLog));
    } catch (const InputError& e) {
      if (explicit_logs) throw InputError(std::string("--log ") + e.what());
      unreadable.push_back(p + ": not read: " + e.what());
      continue;
    }
    l.inputs.push_back(regf::LogInput{p, l.images.back().bytes()});
  }
  return l;
}

// The pages of `image` (recovered from `file` by writing `runs`) that are still the file's, with
// both images kept alive as long as the result is.
std::shared_ptr<const regf::CleanPages> clean_pages_of(std::shared_ptr<const regf::HiveImage> file,
                                                       std::shared_ptr<const regf::HiveImage> image,
                                                       const std::vector<regf::PageRun>& runs,
                                                       std::size_t smallest_size) {
  struct Held {
    std::shared_ptr<const regf::HiveImage> file, image;
    regf::CleanPages pages;
  };
  const auto held = std::make_shared<Held>(
      Held{file, image, regf::CleanPages(image->bytes(), file->bytes(), runs, smallest_size)});
  return std::shared_ptr<const regf::CleanPages>(held, &held->pages);
}

}  // namespace

OpenedHive load_hive(const std::filesystem::path& path, const OpenOptions& options) {
  OpenedHive h;
  h.label = path.string();
  h.image = std::make_shared<regf::HiveImage>(regf::HiveImage::load(path));
  std::vector<regf::Diagnostic> file_diagnostics;
  const regf::BaseBlock file_base = regf::parse_base_block(h.image->bytes(), file_diagnostics);
  // A transaction log has a base block too; analysing one as a hive would give nonsense (spec
  // "Format of transaction log files": file type 1 or 2 for the old format, 6 for the new one).
  const std::uint32_t type = file_base.file_type;
  if (type == 1 || type == 2 || type == 6)
    throw FormatError(
        {regf::kBaseBlockStructure, 0, "file type", "0 (primary)", std::to_string(type)},
        "file type is " + std::to_string(type) + ": this is a transaction log (" +
            (type == 6 ? "new format, Windows 8.1 and later" : "old format") +
            "), not a primary hive file; give the hive it belongs to");
  // Only a dirty hive is replayed into, through a private mapping of its file: a clean one lets its
  // descriptor go now, before the logs are looked for.
  const bool dirty = !file_base.checksum_ok() || file_base.is_dirty();
  if (!dirty) h.image->drop_file();
  std::string listing_error;
  h.sibling_logs = find_sibling_logs(path, &listing_error);
  h.inputs.hive = file_facts_async(
      h.image, options.hash_now);  // the file as read, even when the logs replace `image` below

  std::vector<std::string> log_paths;
  if (!options.no_logs) {
    if (!options.logs.empty()) {
      for (const auto& p : options.logs) log_paths.push_back(p.string());
    } else {
      log_paths = h.sibling_logs;
    }
  }
  // The same file twice (given with --log and found beside the hive, or through another path) is
  // read once.
  std::vector<std::string> unique_paths;
  for (const auto& p : log_paths) {
    const bool seen =
        std::any_of(unique_paths.begin(), unique_paths.end(), [&](const std::string& q) {
          std::error_code ec;
          return q == p || std::filesystem::equivalent(q, p, ec);
        });
    if (!seen) unique_paths.push_back(p);
  }
  std::vector<std::string> unreadable;
  // A dirty hive whose folder could not be listed (no read permission on it, no descriptor left)
  // may have logs nobody saw: say so, instead of "no transaction log found".
  if (dirty && !listing_error.empty() && options.logs.empty() && !options.no_logs) {
    unreadable.push_back((folder_of(path) / (path.filename().string() + ".LOG*")).string() +
                         ": not read: the folder could not be listed to find them (" +
                         listing_error + ")");
  }
  const LoadedLogs logs = load_logs(unique_paths, !options.logs.empty(), unreadable);
  regf::RecoveryResult recovered = regf::recover_hive(h.image->bytes(), logs.inputs, h.image.get());
  // Replay was the only use of the open file (a private mapping of it): a batch must not keep a
  // descriptor per hive until its report is written (the hash's thread holds the image that long).
  h.image->drop_file();
  h.recovery = std::move(recovered.report);
  h.page_runs = std::move(recovered.page_runs);
  for (const auto& image : logs.images) {
    LogFileFacts facts{file_facts(image, options.hash_now), false};
    for (const auto& outcome : h.recovery.logs)
      if (outcome.label == image.label() && outcome.applied) facts.applied = true;
    h.inputs.logs.push_back(std::move(facts));
  }
  for (auto& u : unreadable) {
    regf::LogOutcome out;
    out.label = u.substr(0, u.find(": not read: "));
    out.reason = u.substr(out.label.size() + 2);
    h.recovery.logs.push_back(std::move(out));
    h.recovery.skipped.push_back(std::move(u));
  }

  if (recovered.bytes) {
    const bool mapped = recovered.bytes->mapped();
    std::shared_ptr<const regf::HiveImage> file = std::move(h.image);
    h.image = std::make_shared<regf::HiveImage>(
        regf::HiveImage::from_writable(std::move(*recovered.bytes), h.label));
    h.base_block = regf::parse_base_block(h.image->bytes(), h.diagnostics);
    // Only for work that reads few pages: work that reads much of the hive (let_opening_pages_go)
    // would map most pages twice, once in each mapping (every rule on the `dirty` shape: 405 ms
    // without, 582 ms with, when the page cache holds the file in 4 KiB pages).
    if (mapped && !options.let_opening_pages_go)
      h.clean_pages = clean_pages_of(file, h.image, h.page_runs, recovered.smallest_size);
  } else {
    h.base_block = file_base;
    h.diagnostics = std::move(file_diagnostics);
  }

  if (options.no_logs) h.recovery.not_used = h.sibling_logs;
  if (h.recovery.dirty) {
    std::string w = h.label + ": " + h.recovery.summary();
    if (options.no_logs) {
      w = h.label + ": the hive is dirty (sequence " + std::to_string(file_base.primary_sequence) +
          "/" + std::to_string(file_base.secondary_sequence) +
          (file_base.checksum_ok() ? "" : ", bad base-block checksum") +
          ") and --no-logs was given: analysing the base file as it is; its latest writes may "
          "exist only in its logs" +
          (h.sibling_logs.empty() ? "" : " (" + joined(h.sibling_logs) + ")");
    }
    h.warnings.push_back(std::move(w));
    for (const auto& s : h.recovery.skipped)
      h.warnings.push_back(h.label + ": transaction log " + s);
  }
  return h;
}

namespace {

// libregf first: a hive it refuses fails here with the same message as under --backend libregf. A
// hive only hivelint's reader refuses is read by libregf alone, as the default does, and says so.
// On a big hive both readers' opening walks every hive bin, each paying for what the other does not
// share (libregf builds its list of bins, hivelint's reader maps pages it then reads for free):
// they run at once, libregf on a second thread, which then reads ahead what confirmation will ask.
// With OpenOptions::defer_confirmer that thread is still running when this returns
// (finish_opening).
void open_both(OpenedHive& h, const OpenOptions& options) {
  // What libregf's opening needs, owned by the thread that runs it (OpenedHive moves, and a
  // deferred thread outlives this call).
  auto pending = std::make_shared<OpenedHive::PendingConfirmer>();
  auto open_libregf_into = [pending, image = h.image, label = h.label, clean = h.clean_pages,
                            read_ahead = options.confirmer_read_ahead](bool and_read_ahead) {
    try {
      pending->reader = open_libregf(image->bytes(), label, clean);
    } catch (...) {
      pending->error = std::current_exception();
      return;
    }
    if (!and_read_ahead || !read_ahead) return;
    try {
      read_ahead(*pending->reader);
    } catch (const std::exception&) {
      // Confirmation reads the same again and reports what fails.
    }
  };
  std::jthread libregf_thread;
  if (h.image->bytes().size() >= options.open_both_at_once_from) {
    try {
      libregf_thread = std::jthread(open_libregf_into, true);
    } catch (const std::system_error&) {
      // No thread to be had (a ulimit): one after the other, as below.
    }
  }
  // One after the other, libregf first, for a small hive: the read-ahead would only be done twice.
  if (!libregf_thread.joinable()) {
    open_libregf_into(false);
    if (pending->error) std::rethrow_exception(pending->error);
  }
  std::unique_ptr<HiveReader> ours;
  std::optional<std::string> refused;
  std::exception_ptr ours_error;
  try {
    ours = std::make_unique<RegfReader>(h.image->bytes(), options.lazy_cells,
                                        options.lazy_cells ? h.clean_pages.get() : nullptr);
  } catch (const FormatError& e) {
    refused = e.what();
  } catch (...) {
    ours_error = std::current_exception();
  }
  if (libregf_thread.joinable() && options.defer_confirmer && ours) {
    h.reader = std::move(ours);
    h.pending = std::move(pending);
    h.pending_thread = std::move(libregf_thread);
    return;
  }
  if (libregf_thread.joinable()) libregf_thread.join();
  if (pending->error) std::rethrow_exception(pending->error);
  if (ours_error) std::rethrow_exception(ours_error);
  if (refused) {
    h.warnings.push_back(h.label + ": hivelint's reader refuses this hive (" + *refused +
                         "): read by libregf alone");
    h.reader = std::move(pending->reader);
    return;
  }
  h.reader = std::move(ours);
  h.confirmer = std::move(pending->reader);
}

// The pages opening mapped (OpenOptions::let_opening_pages_go): the file's. A recovered image's own
// pages stay (they exist nowhere else), and it has no clean pages read in the file: those are kept
// only for work that reads few pages, which does not let them go.
void let_pages_go(const OpenedHive& h) {
  h.image->release_pages(0, h.image->bytes().size());  // a no-op for a recovered image
}

}  // namespace

void finish_opening(OpenedHive& h) {
  if (!h.pending) return;
  if (h.pending_thread.joinable()) h.pending_thread.join();
  const auto pending = std::move(h.pending);
  if (pending->error) std::rethrow_exception(pending->error);
  h.confirmer = std::move(pending->reader);
  if (pending->let_pages_go) let_pages_go(h);
}

OpenedHive open_hive(const std::filesystem::path& path, const OpenOptions& options) {
  OpenedHive h = load_hive(path, options);
  switch (options.backend) {
    case Backend::kHivelint:
      h.reader = std::make_unique<RegfReader>(h.image->bytes(), options.lazy_cells,
                                              options.lazy_cells ? h.clean_pages.get() : nullptr);
      break;
    case Backend::kLibregf:
      h.reader = open_libregf(h.image->bytes(), h.label, h.clean_pages);
      break;
    case Backend::kBoth:
      open_both(h, options);
      break;
  }
  if (options.let_opening_pages_go && h.image->bytes().size() >= kLetOpeningPagesGoFrom) {
    // Now, behind hivelint's walk (libregf's, still running, maps again what it reads next), and
    // once more behind libregf's when it is waited for.
    let_pages_go(h);
    if (h.pending) h.pending->let_pages_go = true;
  }
  return h;
}

}  // namespace hivelint::hive
