// Base block (spec "Base block"): the first 4096 bytes of a primary hive file.
//
// | offset | size | field                       |
// |--------|------|-----------------------------|
// | 0      | 4    | signature "regf"            |
// | 4      | 4    | primary sequence number     |
// | 8      | 4    | secondary sequence number   |
// | 12     | 8    | last written timestamp      |
// | 20     | 4    | major version (1)           |
// | 24     | 4    | minor version (2..6)        |
// | 28     | 4    | file type (0 = primary)     |
// | 32     | 4    | file format (1)             |
// | 36     | 4    | root cell offset            |
// | 40     | 4    | hive bins data size         |
// | 44     | 4    | clustering factor (1)       |
// | 48     | 64   | file name (UTF-16LE)        |
// | 508    | 4    | checksum (XOR of dwords 0..126, 0 -> 1, 0xFFFFFFFF -> 0xFFFFFFFE) |
// | 4088   | 4    | boot type                   |
// | 4092   | 4    | boot recover                |
#pragma once
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "regf/diagnostics.hpp"
#include "regf/format.hpp"

namespace hivelint::regf {

struct BaseBlock {
  std::uint32_t primary_sequence = 0;
  std::uint32_t secondary_sequence = 0;
  std::uint64_t last_written = 0;  // FILETIME
  std::uint32_t major_version = 0;
  std::uint32_t minor_version = 0;
  std::uint32_t file_type = 0;
  std::uint32_t file_format = 0;
  CellOffset root_cell;
  std::uint32_t hive_bins_data_size = 0;
  std::uint32_t clustering_factor = 0;
  std::u16string file_name;  // up to the first NUL
  std::uint32_t flags = 0;
  std::uint32_t boot_type = 0;
  std::uint32_t boot_recover = 0;
  std::uint32_t stored_checksum = 0;
  std::uint32_t computed_checksum = 0;

  /// Primary and secondary sequence numbers differ: a write was not completed (spec "Dirty state").
  bool is_dirty() const noexcept { return primary_sequence != secondary_sequence; }
  bool checksum_ok() const noexcept { return stored_checksum == computed_checksum; }
};

/// Parses the base block at the start of `file`. Throws FormatError when the file is shorter than a
/// base block, lacks the "regf" signature or has a major version other than 1. Everything else that
/// is off (checksum, minor version, file type, root cell or hive bins size not fitting the file) is
/// appended to `diagnostics`.
BaseBlock parse_base_block(std::span<const std::uint8_t> file,
                           std::vector<Diagnostic>& diagnostics);

}  // namespace hivelint::regf
