// Log entry of a new-format transaction log (spec "Log entries"), Windows 8.1 and later.
//
// | offset | size | field                                                                  |
// |--------|------|------------------------------------------------------------------------|
// | 0      | 4    | signature "HvLE"                                                       |
// | 4      | 4    | size of the whole entry (multiple of 512)                              |
// | 8      | 4    | flags (bit 0 is copied to the base block's flags)                      |
// | 12     | 4    | sequence number (written to both base-block sequence numbers)          |
// | 16     | 4    | hive bins data size when the entry was written (can grow the hive)    |
// | 20     | 4    | dirty pages count                                                      |
// | 24     | 8    | hash-1: Marvin32 of bytes 40 .. size                                   |
// | 32     | 8    | hash-2: Marvin32 of bytes 0 .. 32 (covers hash-1)                      |
// | 40     | 8*n  | dirty page references: offset (relative to the hive bins), size        |
// | ...    |      | the dirty pages, back to back in reference order                        |
#pragma once
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "regf/format.hpp"

namespace hivelint::regf {

struct LogDirtyPage {
  std::uint32_t offset = 0;            // relative to the start of the hive bins data
  std::span<const std::uint8_t> data;  // inside the log file
};

struct LogEntry {
  std::uint64_t file_offset = 0;  // in the log file
  std::uint32_t size = 0;
  std::uint32_t flags = 0;
  std::uint32_t sequence = 0;
  std::uint32_t hive_bins_data_size = 0;
  std::vector<LogDirtyPage> pages;
};

/// Parses and validates the entry at `offset` of `log` as Windows does before applying it:
/// signature, size (multiple of 512, inside the file), hive bins data size (positive multiple of
/// 4096, under the cap), dirty pages count (at least one, references and pages inside the entry,
/// each page inside the hive bins data size), hash-2, hash-1, and finally the sequence number
/// against `expected_sequence`. Throws FormatError naming the entry's offset and the first check
/// that fails.
LogEntry parse_log_entry(std::span<const std::uint8_t> log, std::size_t offset,
                         std::uint32_t expected_sequence);

/// An entry's hash-1 computed ahead (prehash_log_entries): the bytes it covers and the hash.
struct KnownHash {
  const std::uint8_t* data = nullptr;
  std::size_t size = 0;
  std::uint64_t hash = 0;
};

/// The same; hash-1 is taken from `known` when it was computed over exactly the bytes this entry's
/// hash-1 covers (same address, same size), else computed. Every other check is made as above.
LogEntry parse_log_entry(std::span<const std::uint8_t> log, std::size_t offset,
                         std::uint32_t expected_sequence, const KnownHash* known);

/// Hash-1 of each entry in the chain that starts at `offset` of `log` with sequence number
/// `expected_sequence`, computed four at a time (marvin32_many): most of a replay's time was these
/// hashes, one waiting for the next. An entry joins the chain only when its header passes the cheap
/// checks parse_log_entry makes first (signature, size inside the file, hive bins data size, dirty
/// pages count, hash-2) and its sequence number follows the one before, so a torn or stale tail is
/// not hashed; at most `count` entries, and no more once they hold `max_bytes`. Whatever is
/// computed here, parse_log_entry still checks each entry before it is applied. Never throws.
std::vector<KnownHash> prehash_log_entries(std::span<const std::uint8_t> log, std::size_t offset,
                                           std::uint32_t expected_sequence, std::size_t count,
                                           std::size_t max_bytes);

/// True when the 4 bytes at `offset` read "HvLE" (a log entry, valid or not, rather than unused
/// space).
bool has_log_entry_signature(std::span<const std::uint8_t> log, std::size_t offset) noexcept;

}  // namespace hivelint::regf
