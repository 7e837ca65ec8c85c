#include "events/evtx_chunks.hpp"

#include <algorithm>
#include <array>
#include <fstream>

#include "events/error.hpp"

namespace hivelint::events {
namespace {

constexpr std::array<std::uint32_t, 256> make_crc_table() {
  std::array<std::uint32_t, 256> table{};
  for (std::uint32_t i = 0; i < 256; ++i) {
    std::uint32_t c = i;
    for (int k = 0; k < 8; ++k) c = (c & 1u) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    table[i] = c;
  }
  return table;
}
constexpr auto kCrcTable = make_crc_table();

std::string hex32(std::uint32_t v) { return util::hex_offset(v); }

}  // namespace

std::uint32_t crc32(std::span<const std::uint8_t> bytes, std::uint32_t crc) {
  crc = ~crc;
  for (const std::uint8_t b : bytes) crc = kCrcTable[(crc ^ b) & 0xFFu] ^ (crc >> 8);
  return ~crc;
}

std::string chunk_problem(std::span<const std::uint8_t> chunk, std::uint64_t file_offset,
                          bool& checksum_only) {
  checksum_only = false;
  if (std::all_of(chunk.begin(), chunk.end(), [](std::uint8_t b) { return b == 0; })) return "";
  const std::string where = "EVTX chunk at " + util::hex_offset(file_offset) + ": ";
  static constexpr std::array<std::uint8_t, 8> kSignature{'E', 'l', 'f', 'C', 'h', 'n', 'k', 0};
  if (chunk.size() < kEvtxChunkHeaderSize)
    return where + "truncated to " + std::to_string(chunk.size()) + " bytes";
  if (!std::equal(kSignature.begin(), kSignature.end(), chunk.begin()))
    return where + "signature is not \"ElfChnk\"";
  const util::ByteReader header{chunk.first(kEvtxChunkHeaderSize), file_offset,
                                "EVTX chunk header"};
  const std::uint32_t stored = header.u32(kChunkHeaderChecksum);
  const std::uint32_t computed =
      crc32(chunk.subspan(128, kEvtxChunkHeaderSize - 128), crc32(chunk.first(120)));
  const std::uint32_t free_space = header.u32(kChunkFreeSpaceOffset);
  if (free_space < kEvtxChunkHeaderSize || free_space > chunk.size())
    return where + "free space offset " + hex32(free_space) +
           " at +0x30 is outside the chunk's records (0x200.." + util::hex_offset(chunk.size()) +
           ")";
  checksum_only = true;  // from here on the structure holds: only a CRC-32 can differ
  if (stored != computed)
    return where + "header checksum " + hex32(stored) + " at +0x7c, computed " + hex32(computed);
  const std::uint32_t records_stored = header.u32(kChunkRecordsChecksum);
  const std::uint32_t records_computed =
      crc32(chunk.subspan(kEvtxChunkHeaderSize, free_space - kEvtxChunkHeaderSize));
  if (records_stored != records_computed)
    return where + "event records checksum " + hex32(records_stored) + " at +0x34, computed " +
           hex32(records_computed);
  return "";
}

void locate_chunk_records(std::span<const std::uint8_t> chunk, std::uint64_t file_offset,
                          std::vector<RecordLocation>& out) {
  static constexpr std::array<std::uint8_t, 4> kRecordSignature{'*', '*', 0, 0};
  const util::ByteReader header{chunk.first(kEvtxChunkHeaderSize), file_offset,
                                "EVTX chunk header"};
  const std::size_t end = std::min<std::size_t>(header.u32(kChunkFreeSpaceOffset), chunk.size());
  std::size_t at = kEvtxChunkHeaderSize;
  while (at + kEvtxRecordHeaderSize <= end) {
    const auto bytes = chunk.subspan(at, end - at);
    if (!std::equal(kRecordSignature.begin(), kRecordSignature.end(), bytes.begin())) return;
    const util::ByteReader record{bytes.first(kEvtxRecordHeaderSize), file_offset + at,
                                  "EVTX event record"};
    const std::uint32_t size = record.u32(kRecordSize);
    if (size < kEvtxRecordHeaderSize || size > bytes.size()) return;
    out.push_back({record.u64(kRecordIdentifier), record.u64(kRecordWritten), file_offset + at});
    at += size;
  }
}

std::uint64_t record_file_offset(const ChunkScan& scan, std::uint64_t identifier,
                                 std::uint64_t written) {
  const RecordLocation key{identifier, written, 0};
  const auto it = std::lower_bound(scan.records.begin(), scan.records.end(), key);
  if (it == scan.records.end() || it->identifier != identifier || it->written != written) return 0;
  return it->file_offset;
}

ChunkScan scan_evtx_chunks(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw EventLogError(path.string() + ": cannot be opened");
  ChunkScan scan;
  std::vector<std::uint8_t> buf(kEvtxChunkSize);
  in.seekg(static_cast<std::streamoff>(kEvtxFileHeaderBlockSize));
  for (std::uint64_t offset = kEvtxFileHeaderBlockSize; in; offset += kEvtxChunkSize) {
    in.read(reinterpret_cast<char*>(buf.data()), static_cast<std::streamsize>(buf.size()));
    const auto got = static_cast<std::size_t>(in.gcount());
    if (got == 0) break;
    const std::span<const std::uint8_t> chunk{buf.data(), got};
    if (std::all_of(chunk.begin(), chunk.end(), [](std::uint8_t b) { return b == 0; })) continue;
    ++scan.chunks;
    bool checksum_only = false;
    auto problem = chunk_problem(chunk, offset, checksum_only);
    if (problem.empty()) {
      locate_chunk_records(chunk, offset, scan.records);
      continue;
    }
    ++scan.bad;
    scan.problems.push_back(
        path.string() + ": " + std::move(problem) +
        (checksum_only ? "; its records are used unverified (libevtx reads them)" : "; skipped"));
  }
  std::sort(scan.records.begin(), scan.records.end());
  return scan;
}

}  // namespace hivelint::events
