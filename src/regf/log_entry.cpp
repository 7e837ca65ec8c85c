#include "regf/log_entry.hpp"

#include "regf/marvin32.hpp"
#include "util/bytes.hpp"
#include "util/error.hpp"

namespace hivelint::regf {

bool has_log_entry_signature(std::span<const std::uint8_t> log, std::size_t offset) noexcept {
  if (offset > log.size()) return false;
  return util::ByteReader(log.subspan(offset), offset, "log entry (HvLE)").has_signature("HvLE");
}

namespace {

// An entry whose header passed every check made before hash-1 (signature, size, hive bins data
// size, dirty pages count, hash-2): the reader over the whole entry, the fields read so far and the
// page count.
struct CheckedHeader {
  util::ByteReader r;
  LogEntry e;
  std::uint32_t count = 0;
};

// Throws FormatError naming the entry's offset and the first check that fails.
CheckedHeader check_header(std::span<const std::uint8_t> log, std::size_t offset) {
  if (offset > log.size()) offset = log.size();
  const util::ByteReader rest(log.subspan(offset), offset, "log entry (HvLE)");
  rest.require_signature("HvLE");
  LogEntry e;
  e.file_offset = offset;
  e.size = rest.u32(kLeSize);
  if (e.size < kLeAlignment || e.size % kLeAlignment != 0)
    rest.fail(std::string(kLeSize.name) + " is " + std::to_string(e.size) +
              ", not a positive multiple of 512");
  if (e.size > rest.size())
    rest.fail(std::string(kLeSize.name) + " is " + std::to_string(e.size) + " but only " +
              std::to_string(rest.size()) + " bytes are left in the log (truncated log)");
  const util::ByteReader r = rest.sub(0, e.size, "log entry (HvLE)");
  e.flags = r.u32(kLeFlags);
  e.sequence = r.u32(kLeSequence);
  e.hive_bins_data_size = r.u32(kLeHiveBinsDataSize);
  const std::uint32_t count = r.u32(kLeDirtyPagesCount);
  if (e.hive_bins_data_size < kHbinSizeAlignment || e.hive_bins_data_size % kHbinSizeAlignment != 0)
    r.fail(std::string(kLeHiveBinsDataSize.name) + " is " + std::to_string(e.hive_bins_data_size) +
           ", not a positive multiple of 4096");
  if (e.hive_bins_data_size > kMaxRecoveredHiveBinsSize)
    r.fail(std::string(kLeHiveBinsDataSize.name) + " is " + std::to_string(e.hive_bins_data_size) +
           ", over hivelint's cap of " + std::to_string(kMaxRecoveredHiveBinsSize));
  if (count == 0) r.fail(std::string(kLeDirtyPagesCount.name) + " is 0");
  if (count > (e.size - kLeHeaderSize) / kDirtyPageReferenceSize)
    r.fail(std::string(kLeDirtyPagesCount.name) + " is " + std::to_string(count) + ": " +
           std::to_string(count) + " references do not fit in an entry of " +
           std::to_string(e.size) + " bytes");

  const std::uint64_t hash2 =
      marvin32(r.take(0, kLeHash2Bytes, "hashed header"), kLogEntryMarvinSeed);
  if (hash2 != r.u64(kLeHash2))
    r.fail(std::string(kLeHash2.name) + " is " + util::hex_short(r.u64(kLeHash2)) + ", computed " +
           util::hex_short(hash2));
  return CheckedHeader{r, std::move(e), count};
}

}  // namespace

std::vector<KnownHash> prehash_log_entries(std::span<const std::uint8_t> log, std::size_t offset,
                                           std::uint32_t expected_sequence, std::size_t count,
                                           std::size_t max_bytes) {
  std::vector<std::span<const std::uint8_t>> hashed;
  std::size_t pos = offset, bytes = 0;
  std::uint32_t sequence = expected_sequence;
  while (hashed.size() < count && bytes < max_bytes && pos < log.size() &&
         has_log_entry_signature(log, pos)) {
    std::uint32_t size = 0;
    try {
      const CheckedHeader h = check_header(log, pos);
      if (h.e.sequence != sequence) break;
      size = h.e.size;
    } catch (const FormatError&) {
      break;  // parse_log_entry reports it when the entry is reached
    }
    hashed.push_back(log.subspan(pos + kLeHeaderSize, size - kLeHeaderSize));
    bytes += size;
    pos += size;
    ++sequence;
  }
  std::vector<std::uint64_t> hashes(hashed.size());
  marvin32_many(hashed, kLogEntryMarvinSeed, hashes);
  std::vector<KnownHash> out;
  out.reserve(hashed.size());
  for (std::size_t i = 0; i < hashed.size(); ++i)
    out.push_back(KnownHash{hashed[i].data(), hashed[i].size(), hashes[i]});
  return out;
}

LogEntry parse_log_entry(std::span<const std::uint8_t> log, std::size_t offset,
                         std::uint32_t expected_sequence) {
  return parse_log_entry(log, offset, expected_sequence, nullptr);
}

LogEntry parse_log_entry(std::span<const std::uint8_t> log, std::size_t offset,
                         std::uint32_t expected_sequence, const KnownHash* known) {
  CheckedHeader h = check_header(log, offset);
  const util::ByteReader& r = h.r;
  LogEntry& e = h.e;
  const std::uint32_t count = h.count;
  const auto hashed = r.take(kLeHeaderSize, e.size - kLeHeaderSize, "hashed pages");
  const std::uint64_t hash1 = known && known->data == hashed.data() && known->size == hashed.size()
                                  ? known->hash
                                  : marvin32(hashed, kLogEntryMarvinSeed);
  if (hash1 != r.u64(kLeHash1))
    r.fail(std::string(kLeHash1.name) + " is " + util::hex_short(r.u64(kLeHash1)) + ", computed " +
           util::hex_short(hash1));
  if (e.sequence != expected_sequence)
    r.fail(std::string(kLeSequence.name) + " is " + std::to_string(e.sequence) + ", expected " +
           std::to_string(expected_sequence) +
           (e.sequence > expected_sequence ? " (entries are missing before it)"
                                           : " (an older entry left from an earlier cycle)"));

  std::size_t data_at = kLeHeaderSize + std::size_t{count} * kDirtyPageReferenceSize;
  e.pages.reserve(count);
  for (std::uint32_t i = 0; i < count; ++i) {
    const util::ByteReader ref = r.sub(kLeHeaderSize + std::size_t{i} * kDirtyPageReferenceSize,
                                       kDirtyPageReferenceSize, "dirty page reference");
    LogDirtyPage p;
    p.offset = ref.u32(kDprOffset);
    const std::uint32_t size = ref.u32(kDprSize);
    if (size > e.hive_bins_data_size || p.offset > e.hive_bins_data_size - size)
      ref.fail("page " + std::to_string(i) + " at hive bins offset " + util::hex_offset(p.offset) +
               " with " + std::to_string(size) +
               " bytes ends past the entry's hive bins data size " +
               std::to_string(e.hive_bins_data_size));
    p.data = r.take(data_at, size, "dirty page");
    data_at += size;
    e.pages.push_back(p);
  }
  return std::move(e);
}

}  // namespace hivelint::regf
