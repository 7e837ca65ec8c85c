#include "regf/big_data.hpp"

#include <algorithm>
#include <unordered_set>

#include "util/bytes.hpp"

namespace hivelint::regf {

BigData parse_big_data(const util::ByteReader& cell, CellOffset offset) {
  cell.require_signature("db");
  BigData db;
  db.offset = offset;
  db.segment_count = cell.u16(kDbNumberOfSegments);
  db.segments_list = CellOffset{cell.u32(kDbSegmentsList)};
  return db;
}

CellOffset write_big_data(CellAllocator& cells, std::span<const std::uint8_t> data) {
  const std::size_t segments = (data.size() + kDbSegmentSize - 1) / kDbSegmentSize;
  const CellOffset db = cells.allocate(8, kDbStructure);
  std::vector<std::uint32_t> offsets;
  offsets.reserve(segments);
  for (std::size_t i = 0; i < segments; ++i) {
    const CellOffset segment = cells.allocate(kDbSegmentSize, kDbSegmentStructure);
    const std::size_t from = i * kDbSegmentSize;
    util::ByteWriter(cells.bytes())
        .put_bytes(cell_data_at(segment),
                   data.subspan(from, std::min(kDbSegmentSize, data.size() - from)));
    offsets.push_back(segment.value);
  }
  const CellOffset list = cells.allocate(4 * segments, kDbSegmentsListStructure);
  util::ByteWriter w(cells.bytes());
  for (std::size_t i = 0; i < segments; ++i) w.put_u32(cell_data_at(list) + 4 * i, offsets[i]);
  const std::size_t d = cell_data_at(db);
  w.put_bytes(d, std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>("db"), 2));
  w.put_u16(kDbNumberOfSegments, d, static_cast<std::uint16_t>(segments));
  w.put_u32(kDbSegmentsList, d, list.value);
  return db;
}

std::vector<std::uint8_t> read_big_data(const CellMap& cells, CellOffset offset,
                                        std::uint32_t size) {
  const util::ByteReader cell = cells.get(offset, kDbStructure);
  const BigData db = parse_big_data(cell, offset);
  const std::size_t needed = (std::size_t{size} + kDbSegmentSize - 1) / kDbSegmentSize;
  if (db.segment_count < needed)
    cell.fail(std::string(kDbNumberOfSegments.name) + " is " + std::to_string(db.segment_count) +
              ", but " + std::to_string(size) + " bytes need " + std::to_string(needed));
  const util::ByteReader list = cells.get(db.segments_list, kDbSegmentsListStructure);
  list.take(0, 4 * needed, "data segment offsets");
  std::vector<std::uint8_t> out;
  out.reserve(size);
  // Each segment is its own cell. A list naming one cell many times lets a 40 KB file describe 64
  // MiB values (review D7: 8 such values drove `export` past 6 GB); with distinct cells, a value's
  // data is bounded by the file's size.
  std::unordered_set<std::uint32_t> seen;
  for (std::size_t i = 0; i < needed; ++i) {
    const std::uint32_t at = list.u32_at(4 * i, "data segment offset");
    if (!seen.insert(at).second)
      list.fail("data segment offset " + std::to_string(i) + " names the cell at " +
                util::hex_offset(to_file_offset(CellOffset{at}).value) +
                " again (each segment of a value is a cell of its own)");
    const util::ByteReader segment = cells.get(CellOffset{at}, kDbSegmentStructure);
    const std::size_t take = std::min<std::size_t>(kDbSegmentSize, size - out.size());
    const auto bytes = segment.take(0, take, "segment data");
    out.insert(out.end(), bytes.begin(), bytes.end());
  }
  return out;
}

}  // namespace hivelint::regf
