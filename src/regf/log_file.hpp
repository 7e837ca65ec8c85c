// Transaction log files (spec "Format of transaction log files"): what both formats share, the
// partial copy of the primary base block in their first sector, and the format detection.
//
// Log base block (first 512 bytes; the fields of the primary base block below offset 512):
// | offset | size | field                                                            |
// |--------|------|------------------------------------------------------------------|
// | 0      | 4    | signature "regf"                                                 |
// | 4      | 4    | primary sequence number (incremented before the log is written)  |
// | 8      | 4    | secondary sequence number (incremented after); equal when valid  |
// | 12     | 8    | last written timestamp (old format: must match the primary's)    |
// | 24     | 4    | minor version                                                    |
// | 28     | 4    | file type: 1 or 2 = old format (DIRT), 6 = new format (HvLE)     |
// | 36     | 4    | root cell offset                                                 |
// | 40     | 4    | hive bins data size                                              |
// | 144    | 4    | flags                                                            |
// | 508    | 4    | checksum (recomputed over the modified copy)                     |
// Then: old format, the dirty vector at 512 (dirty_vector.hpp); new format, log entries from 512
// (log_entry.hpp).
#pragma once
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "regf/format.hpp"

namespace hivelint::regf {

enum class LogFormat { kOld, kNew };

/// "old" / "new".
const char* log_format_name(LogFormat f) noexcept;

struct LogBaseBlock {
  std::uint32_t primary_sequence = 0;
  std::uint32_t secondary_sequence = 0;
  std::uint64_t last_written = 0;
  std::uint32_t major_version = 0;
  std::uint32_t minor_version = 0;
  std::uint32_t file_type = 0;
  std::uint32_t root_cell = 0;
  std::uint32_t hive_bins_data_size = 0;
  std::uint32_t flags = 0;
  std::uint32_t stored_checksum = 0;
  std::uint32_t computed_checksum = 0;
};

struct LogFile {
  std::string label;                    // path or name, for messages
  std::span<const std::uint8_t> bytes;  // the whole log file (not owned)
  LogFormat format = LogFormat::kNew;
  LogBaseBlock base;
  std::vector<std::string> problems;  // why Windows would not use this log; empty = usable
  bool usable() const noexcept { return problems.empty(); }
};

/// Parses the log base block and detects the format from its file type. Throws FormatError when
/// `bytes` is not a transaction log at all: shorter than a log base block, no "regf" signature, or
/// a file type other than 1, 2 or 6 (a primary hive given as a log is refused here). What makes a
/// log unusable although it is one (bad checksum, unequal sequence numbers, major version, no room
/// for a single entry or page) goes to `problems`, as Windows ignores such a log rather than
/// failing.
LogFile parse_log_file(std::span<const std::uint8_t> bytes, std::string label);

}  // namespace hivelint::regf
