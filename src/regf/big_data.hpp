// Big data "db" (spec "Big data", hives of version 1.4 and later): a value's data over 16344 bytes,
// split into segments, each in its own cell.
//
// db record                                  list of segments
// | offset | size | field                    | offset | size | field
// |--------|------|--------------------------|--------|------|---------------------
// | 0      | 2    | signature "db"           | 0      | 4    | data segment offset (repeated)
// | 2      | 2    | number of segments       |
// | 4      | 4    | offset of a list of segments |
//
// Every segment but the last holds 16344 data bytes (the cells Windows writes are 16352 bytes, or
// 16344 + 8); the last holds the rest, its cell may be larger.
#pragma once
#include <cstdint>
#include <span>
#include <vector>

#include "regf/cell_allocator.hpp"
#include "regf/hbin_scan.hpp"

namespace hivelint::regf {

struct BigData {
  CellOffset offset;
  std::uint16_t segment_count = 0;
  CellOffset segments_list;
};

/// Parses the db record in `cell`. Throws FormatError when the signature is wrong or the cell is
/// too short.
BigData parse_big_data(const util::ByteReader& cell, CellOffset offset);

/// The `size` data bytes of the big data record at `db`: ceil(size / 16344) segments, concatenated.
/// Throws FormatError when the record has too few segments or a segment list or segment is missing
/// or short.
std::vector<std::uint8_t> read_big_data(const CellMap& cells, CellOffset db, std::uint32_t size);

/// read_big_data's inverse: the db record ("big data (db)"), then its segments ("big data segment",
/// each a full 16344-byte cell, the last zero-padded, as Windows writes them: seen in every db cell
/// of the real hives in hives-real/, and libregf reads a segment as its whole cell), then their
/// list ("big data segments list"). Returns the db record's offset. `data` needs at most 0xFFFF
/// segments (the caller refuses more).
CellOffset write_big_data(CellAllocator& cells, std::span<const std::uint8_t> data);

}  // namespace hivelint::regf
