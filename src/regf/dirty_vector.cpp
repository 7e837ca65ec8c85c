#include "regf/dirty_vector.hpp"

#include "util/bytes.hpp"

namespace hivelint::regf {

DirtyVector parse_dirty_vector(std::span<const std::uint8_t> log,
                               std::uint32_t hive_bins_data_size) {
  const std::size_t start = log.size() < kDirtyVectorOffset ? log.size() : kDirtyVectorOffset;
  const util::ByteReader r(log.subspan(start), start, "dirty vector (DIRT)");
  r.require_signature("DIRT");
  DirtyVector v;
  v.hive_bins_data_size = hive_bins_data_size;
  const std::size_t bitmap_bytes =
      hive_bins_data_size / kHbinSizeAlignment;  // = bits / 8, bits = size / 512
  const auto bitmap = r.bytes(kDirtBitmap, bitmap_bytes);
  const std::size_t end_of_vector = kDirtyVectorOffset + kDirtBitmap.offset + bitmap_bytes;
  v.pages_offset = (end_of_vector + kOldLogSectorSize - 1) / kOldLogSectorSize * kOldLogSectorSize;
  const util::ByteReader whole(log, 0, "old-format log");
  std::uint64_t at = v.pages_offset;
  for (std::size_t bit = 0; bit < bitmap_bytes * 8; ++bit) {
    if (((static_cast<unsigned>(bitmap[bit / 8]) >> (bit % 8)) & 1u) == 0) continue;
    OldDirtyPage p;
    p.offset = static_cast<std::uint32_t>(bit * kOldLogPageSize);
    if (at > log.size() || log.size() - at < kOldLogPageSize)
      whole.fail("dirty page " + std::to_string(v.pages.size()) + " (hive bins offset " +
                 util::hex_offset(p.offset) + ") needs 512 bytes at " + util::hex_offset(at) +
                 ", the log has " + std::to_string(log.size()) + " bytes (truncated log)");
    p.data = log.subspan(static_cast<std::size_t>(at), kOldLogPageSize);
    at += kOldLogPageSize;
    v.pages.push_back(p);
  }
  return v;
}

}  // namespace hivelint::regf
