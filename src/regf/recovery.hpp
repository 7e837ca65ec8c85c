// Replaying transaction logs into a dirty hive, in memory, the way Windows does when it loads the
// hive (spec "Dirty state of a hive", "Multiple transaction log files", and the notes under "Old
// format" and "Log entries"). The input bytes are never modified; the result is a new image with a
// clean base block.
//
// Pipeline (one fixed order, as notatin and yarp do it):
//  1. The primary base block decides: dirty when its checksum is wrong or its sequence numbers
//  differ.
//     A clean hive is returned unchanged, whatever logs lie beside it.
//  2. Each log is parsed (log_file.hpp); unusable ones are reported with the reason and left out.
//  3. New format first (preferred, as Windows 8.1+ writes it): usable logs sorted by their sequence
//  number
//     (serial-number order, so a wrap-around counts as newer). With a valid primary base block the
//     first log whose sequence number is not older than the hive's secondary sequence number is
//     applied, then each next log whose sequence number continues the last applied entry. With a
//     bad primary base block only the newest log is applied, and its base block replaces the
//     primary's. Inside a log, entries are applied from offset 512 while each is valid and carries
//     the next sequence number; the first invalid entry ends that log (and the logs after it).
//  4. Otherwise old format: among the usable logs whose last written timestamp is not older than
//  the hive's
//     (the first hive bin's timestamp when the primary base block is bad), the newest is applied:
//     its dirty pages are written, the dirty hive bins are checked (signature, offset), and a log
//     failing that check is dropped for the next candidate.
//  5. The result gets a clean base block: both sequence numbers = the last applied sequence number,
//  hive bins
//     data size, root cell, version, timestamp and flags from the log, file type primary, checksum
//     recomputed.
#pragma once
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "regf/hive_image.hpp"
#include "regf/writable_image.hpp"

namespace hivelint::regf {

/// One candidate transaction log: its bytes (not owned) and a label (its path) for the report.
struct LogInput {
  std::string label;
  std::span<const std::uint8_t> bytes;
};

/// What happened to one log.
struct LogOutcome {
  std::string label;
  std::string format;    // "new", "old", or "" when the file is not a transaction log
  bool applied = false;  // at least its base block or one entry/page was used
  std::string reason;    // why it was not applied, or why applying it stopped; "" otherwise
  std::uint32_t entries_applied = 0;  // new format
  std::uint32_t pages_applied = 0;    // dirty pages written from this log (both formats)
  std::optional<std::uint32_t> first_sequence,
      last_sequence;  // of the entries applied (new format)
};

struct RecoveryReport {
  bool dirty = false;            // the file as found needs recovery
  bool base_block_valid = true;  // the file's base-block checksum is right
  std::uint32_t primary_sequence = 0, secondary_sequence = 0;  // of the file as found
  bool recovered = false;  // the image differs from the file (entries, pages or base block applied)
  bool base_block_from_log = false;  // the base block was rebuilt from a log's copy
  std::string format;                // "new" or "old" when a log was applied
  std::vector<LogOutcome> logs;      // every log considered, in the order given
  std::uint32_t entries_applied = 0;
  std::uint32_t pages_applied = 0;
  std::vector<std::string>
      skipped;  // each thing not applied, with the reason (also in logs[].reason)
  std::vector<std::string>
      not_used;  // logs present but deliberately not read (--no-logs), set by the caller
  std::optional<std::uint32_t> sequence;             // both sequence numbers of the recovered image
  std::optional<std::uint32_t> hive_bins_data_size;  // of the recovered image

  /// One line for stderr and text reports, e.g. "dirty (3/2); applied 4 entries (13 pages) from
  /// X.LOG1, X.LOG2".
  std::string summary() const;
};

/// A run of bytes of the recovered image written from a log: the pages of one log entry (new
/// format; adjacent pages merged) or one dirty page (old format). Evidence names the source of the
/// page holding a cell (issue 17).
struct PageRun {
  std::uint32_t offset = 0;  // relative to the hive bins
  std::uint32_t length = 0;
  std::uint32_t log = 0;       // index into RecoveryReport::logs
  std::uint32_t sequence = 0;  // the entry's sequence number (new format) or the log's (old format)
};

struct RecoveryResult {
  RecoveryReport report;
  // The recovered image; empty when nothing was applied. A private mapping of the file when
  // recover_hive() was given the mapped file, so only the pages written are copies.
  std::optional<WritableImage> bytes;
  // In the order written, at most one per page applied (pages_applied), so bounded by the logs'
  // size.
  std::vector<PageRun> page_runs;
  // The smallest size `bytes` had while logs were replayed (WritableImage::smallest_size): bytes
  // past it may differ from the file's without a page run (zeros after a shrink). Together with
  // the base block and page_runs, everything of `bytes` that may differ (clean_pages.hpp).
  std::size_t smallest_size = 0;
};

/// The run that last wrote the byte at `file_offset` of a recovered image; nullptr when that byte
/// is the primary file's (or in the base block, which recovery rewrites).
const PageRun* page_source(const std::vector<PageRun>& runs, std::uint64_t file_offset);

/// Recovers `primary` (a whole hive file) with `logs`. Throws FormatError only when `primary` is
/// not a hive at all (shorter than a base block, no "regf"); every problem with a log or an entry
/// is reported instead. `file`, when given, is the image `primary` is the bytes of: a mapped one
/// lends its file for a private copy-on-write mapping instead of a copy of every byte.
RecoveryResult recover_hive(std::span<const std::uint8_t> primary,
                            const std::vector<LogInput>& logs, const HiveImage* file = nullptr);

/// Rewrites the base block of `image` as a clean primary: both sequence numbers = `sequence`, file
/// type 0, checksum recomputed. Throws FormatError when `image` is shorter than a base block.
void write_clean_base_block(std::span<std::uint8_t> image, std::uint32_t sequence);

}  // namespace hivelint::regf
