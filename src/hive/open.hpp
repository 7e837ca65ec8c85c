// Opening a hive file for analysis: the whole file in memory (regf::HiveImage, read-only), its base
// block parsed by our own regf layer, and a libregf reader over the same bytes. A dirty hive is
// first recovered in memory from its transaction logs (regf/recovery.hpp); every reader then reads
// the recovered bytes.
#pragma once
#include <cstdint>
#include <exception>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "hive/file_facts.hpp"
#include "hive/hive_reader.hpp"
#include "regf/base_block.hpp"
#include "regf/clean_pages.hpp"
#include "regf/hive_image.hpp"
#include "regf/recovery.hpp"

namespace hivelint::hive {

struct OpenedHive {
  std::string label;  // the path as given
  std::shared_ptr<regf::HiveImage>
      image;  // owns the bytes the reader reads: the recovered hive when logs were applied
  // A recovered hive's untouched pages, readable in the file's own mapping (regf/clean_pages.hpp),
  // which it keeps alive; null unless logs were replayed into a mapped file and the work that
  // follows reads few pages (OpenOptions::let_opening_pages_go false).
  std::shared_ptr<const regf::CleanPages> clean_pages;
  regf::BaseBlock base_block;  // of `image` (after recovery: clean)
  std::vector<std::string>
      sibling_logs;               // HIVE.LOG, HIVE.LOG1, HIVE.LOG2 (any case) beside the file
  regf::RecoveryReport recovery;  // dirty?, logs used or not and why, entries/pages applied
  std::vector<regf::PageRun>
      page_runs;      // which log entry wrote which bytes of `image` (empty: the file's)
  InputFiles inputs;  // size, mtime and SHA-256 of the hive file and of every log read
  std::vector<regf::Diagnostic> diagnostics;  // from the base block and the backend
  std::vector<std::string> warnings;          // one-line warnings for stderr (dirty hive ...)
  std::unique_ptr<HiveReader> reader;
  std::unique_ptr<HiveReader>
      confirmer;  // Backend::kBoth: libregf, re-reading what results show (rules/confirm.hpp)

  /// libregf still opening on its thread (OpenOptions::defer_confirmer); finish_opening() waits.
  struct PendingConfirmer {
    std::unique_ptr<HiveReader> reader;
    std::exception_ptr error;
    bool let_pages_go = false;  // OpenOptions::let_opening_pages_go, again in finish_opening
  };
  std::shared_ptr<PendingConfirmer> pending;
  // Last, so that it is joined first when the hive is let go unfinished.
  std::jthread pending_thread;
};

/// Waits for a confirmer opened on its thread (OpenOptions::defer_confirmer) and makes it
/// `h.confirmer`; nothing to do when none is pending. Throws what opening it threw (libregf refuses
/// the hive: BackendError, as open_hive would have).
void finish_opening(OpenedHive& h);

/// Which reader answers: libregf; hivelint's own; or hivelint's own with libregf re-reading what
/// every result shows.
enum class Backend { kLibregf, kHivelint, kBoth };

struct OpenOptions {
  Backend backend = Backend::kLibregf;
  std::vector<std::filesystem::path>
      logs;                 // --log FILE (repeatable); when empty, the sibling logs are used
  bool no_logs = false;     // --no-logs: analyse the base file as it is, even when dirty
  bool lazy_cells = false;  // kHivelint: scan a hive bin's cells only when a lookup reaches it
  bool hash_now = true;     // false: the hive's SHA-256 not computed (check --quiet, no -o)
  // kBoth: from this size up, libregf opens the hive on a second thread while hivelint's reader
  // reads it on this one (both walk every hive bin; below it the thread costs more than it saves:
  // 4 ms more on an 11 MB hive, 10-15 % less on a 400 MB one).
  std::uint64_t open_both_at_once_from = 64u << 20;
  // kBoth, at once: run on libregf's reader right after it opened the hive, on its thread. What it
  // reads is what confirmation will ask (rules/confirm.hpp), so that libregf's side of the work
  // runs beside hivelint's. It must only read: its exceptions are swallowed (confirmation meets the
  // same error again and reports it).
  std::function<void(const HiveReader& libregf)> confirmer_read_ahead;
  // kBoth, at once: open_hive returns as soon as hivelint's reader has opened the hive, with
  // libregf still opening (and reading ahead) on its thread, so that the caller's own evaluation
  // runs beside it; the caller must call finish_opening() before it uses `confirmer`, and must hold
  // back what it would print until then (a hive libregf refuses says only libregf's error).
  // Everything confirmer_read_ahead refers to must outlive that call.
  bool defer_confirmer = false;
  // Opening walks every hive bin's header (both readers do), which maps nearly every page of a
  // mapped file: with the page cache's large folios one byte read maps up to 2 MiB. When the work
  // that follows is long and reads much of the hive anyway (rules that walk every service, whose
  // results, libregf's cache and the free-cell carve then take memory of their own), true lets
  // those pages go once the hive is open, from kLetOpeningPagesGoFrom: each read maps again what it
  // needs (on `hivex13`, 384 MiB: peak RSS 500 -> 404 MiB). Not for a few lookups: letting 400 MiB
  // of pages go costs about 5 ms, and they would leave at exit anyway.
  bool let_opening_pages_go = false;
};

/// From this size up, the work of a check that reads only the image or a reader of its own (the
/// input's SHA-256, the free-cell search for previous values, Last Known Good's verdicts) runs on
/// threads of its own beside the readers and libregf's confirmation (below it a thread costs more
/// than it saves, and a batch of many small hives keeps to one thread per job).
inline constexpr std::uint64_t kSideWorkOnThreadsFrom = 8u << 20;
/// From this size, OpenOptions::let_opening_pages_go applies.
inline constexpr std::uint64_t kLetOpeningPagesGoFrom = 64u << 20;

/// Opens `path` read-only, recovers it in memory from its transaction logs when it is dirty
/// (explicit `options.logs`, else the sibling logs; none with `no_logs`) and reads the result
/// through `options.backend`. Throws FormatError (not a hive, truncated base block, a log given as
/// the hive, or hivelint's reader refuses it), InputError (an explicit --log cannot be read) or
/// BackendError (libregf refuses it; the message then adds what hivelint's own reader finds wrong,
/// with structure and offset).
OpenedHive open_hive(const std::filesystem::path& path, const OpenOptions& options);

/// open_hive without a reader (`reader` stays empty): the image, recovered from the logs when the
/// hive is dirty, its base block, the recovery report, the input files and the warnings. For
/// `verify`, which must read hives no reader accepts. Throws FormatError (not a hive, a log given
/// as the hive) or InputError (an explicit --log).
OpenedHive load_hive(const std::filesystem::path& path, const OpenOptions& options);

/// The same with default options (sibling logs replayed) and the given backend.
OpenedHive open_hive(const std::filesystem::path& path, Backend backend = Backend::kLibregf);

/// For a command that writes `output` from `h` (recover, fix -o): when logs were replayed or the
/// hive was dirty, the warning that the old transaction logs must not be placed next to the output
/// (empty otherwise).
std::string old_logs_warning(const OpenedHive& h, const std::filesystem::path& output);
/// For an error a backend raised on `path` without saying where the hive is damaged (libregf's
/// "cannot read subkey 0 of the root key"): "; hivelint verify: <structure> at 0x...: <message>"
/// naming the first structural inconsistency regf::verify_hive finds, or "" when the error already
/// names a structure and its offset (Error::names_location) or verify finds none.
std::string damage_detail(const std::filesystem::path& path, const Error& error);
/// The same for the bytes that were read (`OpenedHive::image`): after log replay these are the
/// recovered image, so a dirty file's sequence numbers are not blamed once its logs were applied
/// (USER_TRIALS 1.13).
std::string damage_detail(std::span<const std::uint8_t> image, const Error& error);

/// "libregf" / "hivelint" / "both" to Backend; throws UsageError otherwise.
Backend parse_backend(std::string_view name);
/// The reader named in reports: "libregf", "hivelint", or "hivelint+libregf" for kBoth.
std::string backend_label(Backend backend);

/// Transaction logs that belong to `hive_path`: same directory, name + ".LOG", ".LOG1" or ".LOG2",
/// any case. When the directory cannot be listed, `listing_error` (if given) gets the reason and
/// the list is empty.
std::vector<std::string> find_sibling_logs(const std::filesystem::path& hive_path,
                                           std::string* listing_error = nullptr);

}  // namespace hivelint::hive
