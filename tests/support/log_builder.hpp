// Builds transaction logs of both formats in memory for tests: the new format (HvLE entries with
// correct Marvin32 hashes) and the old format (DIRT vector plus 512-byte pages), from a primary
// hive's base block.
#pragma once
#include <cstdint>
#include <span>
#include <vector>

namespace hivelint::test {

struct Page {
  std::uint32_t offset = 0;  // relative to the hive bins
  std::vector<std::uint8_t> data;
};

struct EntrySpec {
  std::uint32_t sequence = 0;
  std::uint32_t hive_bins_data_size = 0;
  std::vector<Page> pages;
  std::uint32_t flags = 0;
};

/// The pages (of `granularity` bytes) of the hive bins where `after` differs from `before` (a
/// shorter `before` counts as zeros past its end).
std::vector<Page> changed_pages(std::span<const std::uint8_t> before,
                                std::span<const std::uint8_t> after, std::size_t granularity);

/// The 512-byte log base block: a copy of `primary`'s first 512 bytes with both sequence numbers =
/// `sequence`, the file type, the hive bins data size, and the checksum recomputed.
std::vector<std::uint8_t> log_base_block(std::span<const std::uint8_t> primary,
                                         std::uint32_t file_type, std::uint32_t sequence,
                                         std::uint32_t hive_bins_data_size);

/// One HvLE entry with valid hashes, padded to a multiple of 512.
std::vector<std::uint8_t> log_entry(const EntrySpec& e);

/// A whole new-format log: base block (sequence = the first entry's) and the entries back to back.
std::vector<std::uint8_t> new_log(std::span<const std::uint8_t> primary,
                                  const std::vector<EntrySpec>& entries);

/// A whole old-format log for a hive of `hive_bins_data_size` bytes: base block, DIRT bitmap, pages
/// (offsets multiples of 512, data 512 bytes each, given in ascending order).
std::vector<std::uint8_t> old_log(std::span<const std::uint8_t> primary, std::uint32_t sequence,
                                  std::uint32_t hive_bins_data_size,
                                  const std::vector<Page>& pages);

/// Sets both sequence numbers of a hive's base block and recomputes its checksum.
void set_sequences(std::vector<std::uint8_t>& hive, std::uint32_t primary, std::uint32_t secondary);

}  // namespace hivelint::test
