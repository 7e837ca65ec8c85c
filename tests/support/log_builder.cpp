#include "support/log_builder.hpp"

#include "regf/checksum.hpp"
#include "regf/format.hpp"
#include "regf/marvin32.hpp"
#include "util/bytes.hpp"

namespace hivelint::test {

std::vector<Page> changed_pages(std::span<const std::uint8_t> before,
                                std::span<const std::uint8_t> after, std::size_t granularity) {
  std::vector<Page> pages;
  const std::size_t bins = after.size() - regf::kBaseBlockSize;
  for (std::size_t off = 0; off + granularity <= bins; off += granularity) {
    bool differs = false;
    for (std::size_t i = 0; i < granularity && !differs; ++i) {
      const std::size_t at = regf::kBaseBlockSize + off + i;
      const std::uint8_t old = at < before.size() ? before[at] : 0;
      differs = old != after[at];
    }
    if (!differs) continue;
    const auto first = after.begin() + static_cast<std::ptrdiff_t>(regf::kBaseBlockSize + off);
    pages.push_back(
        Page{static_cast<std::uint32_t>(off),
             std::vector<std::uint8_t>(first, first + static_cast<std::ptrdiff_t>(granularity))});
  }
  return pages;
}

std::vector<std::uint8_t> log_base_block(std::span<const std::uint8_t> primary,
                                         std::uint32_t file_type, std::uint32_t sequence,
                                         std::uint32_t hive_bins_data_size) {
  std::vector<std::uint8_t> b(primary.begin(), primary.begin() + regf::kLogBaseBlockSize);
  util::ByteWriter w(b);
  w.put_u32(regf::kBbPrimarySequence, 0, sequence);
  w.put_u32(regf::kBbSecondarySequence, 0, sequence);
  w.put_u32(regf::kBbFileType, 0, file_type);
  w.put_u32(regf::kBbHiveBinsDataSize, 0, hive_bins_data_size);
  w.put_u32(regf::kBbChecksum, 0, regf::base_block_checksum(b));
  return b;
}

std::vector<std::uint8_t> log_entry(const EntrySpec& e) {
  std::size_t size = regf::kLeHeaderSize + e.pages.size() * regf::kDirtyPageReferenceSize;
  for (const auto& p : e.pages) size += p.data.size();
  size = (size + regf::kLeAlignment - 1) / regf::kLeAlignment * regf::kLeAlignment;
  std::vector<std::uint8_t> b(size, 0);
  util::ByteWriter w(b);
  w.put_bytes(0, std::vector<std::uint8_t>{'H', 'v', 'L', 'E'});
  w.put_u32(regf::kLeSize, 0, static_cast<std::uint32_t>(size));
  w.put_u32(regf::kLeFlags, 0, e.flags);
  w.put_u32(regf::kLeSequence, 0, e.sequence);
  w.put_u32(regf::kLeHiveBinsDataSize, 0, e.hive_bins_data_size);
  w.put_u32(regf::kLeDirtyPagesCount, 0, static_cast<std::uint32_t>(e.pages.size()));
  std::size_t ref = regf::kLeHeaderSize,
              data = regf::kLeHeaderSize + e.pages.size() * regf::kDirtyPageReferenceSize;
  for (const auto& p : e.pages) {
    w.put_u32(ref, p.offset);
    w.put_u32(ref + 4, static_cast<std::uint32_t>(p.data.size()));
    w.put_bytes(data, p.data);
    ref += regf::kDirtyPageReferenceSize;
    data += p.data.size();
  }
  w.put_u64(regf::kLeHash1, 0,
            regf::marvin32(std::span(b).subspan(regf::kLeHeaderSize), regf::kLogEntryMarvinSeed));
  w.put_u64(regf::kLeHash2, 0,
            regf::marvin32(std::span(b).first(regf::kLeHash2Bytes), regf::kLogEntryMarvinSeed));
  return b;
}

std::vector<std::uint8_t> new_log(std::span<const std::uint8_t> primary,
                                  const std::vector<EntrySpec>& entries) {
  const std::uint32_t first = entries.empty() ? 1 : entries.front().sequence;
  const std::uint32_t bins = entries.empty() ? 4096 : entries.front().hive_bins_data_size;
  auto log = log_base_block(primary, regf::kFileTypeLogNew, first, bins);
  for (const auto& e : entries) {
    const auto b = log_entry(e);
    log.insert(log.end(), b.begin(), b.end());
  }
  return log;
}

std::vector<std::uint8_t> old_log(std::span<const std::uint8_t> primary, std::uint32_t sequence,
                                  std::uint32_t hive_bins_data_size,
                                  const std::vector<Page>& pages) {
  auto log = log_base_block(primary, regf::kFileTypeLogOld, sequence, hive_bins_data_size);
  std::vector<std::uint8_t> vector{'D', 'I', 'R', 'T'};
  vector.resize(4 + hive_bins_data_size / 4096, 0);
  for (const auto& p : pages) {
    const std::size_t bit = p.offset / 512;
    vector[4 + bit / 8] = static_cast<std::uint8_t>(vector[4 + bit / 8] | (1u << (bit % 8)));
  }
  log.insert(log.end(), vector.begin(), vector.end());
  log.resize((log.size() + 511) / 512 * 512, 0);
  for (const auto& p : pages) log.insert(log.end(), p.data.begin(), p.data.end());
  return log;
}

void set_sequences(std::vector<std::uint8_t>& hive, std::uint32_t primary,
                   std::uint32_t secondary) {
  util::ByteWriter w(hive);
  w.put_u32(regf::kBbPrimarySequence, 0, primary);
  w.put_u32(regf::kBbSecondarySequence, 0, secondary);
  w.put_u32(regf::kBbChecksum, 0, regf::base_block_checksum(hive));
}

}  // namespace hivelint::test
