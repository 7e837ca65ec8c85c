// hivelint's own look at the chunks of an EVTX file, beside libevtx: libevtx skips a damaged chunk
// without saying so (its records may come back among the recovered ones), and a reviewer should
// know how many there were.
//
// libyal "Windows XML Event Log (EVTX) format", file header (at 0, 4096 bytes) and chunk header
// (each chunk is 65536 bytes from offset 4096):
//   offset size field
//   0      8    signature            "ElfFile\0" (file) / "ElfChnk\0" (chunk)
//   48     4    free space offset    chunk: end of the event records, relative to the chunk
//   52     4    event records checksum  chunk: CRC-32 of bytes 512 .. free space offset
//   124    4    header checksum      chunk: CRC-32 of bytes 0..120 and 128..512
// and event records from chunk offset 512, one after the other up to the free space offset:
//   0      4    signature            "**\0\0"
//   4      4    size                 of the whole record (the size is repeated in its last 4 bytes)
//   8      8    event record identifier
//   16     8    written time         FILETIME
#pragma once
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "util/bytes.hpp"

namespace hivelint::events {

inline constexpr std::size_t kEvtxFileHeaderBlockSize = 4096;
inline constexpr std::size_t kEvtxChunkSize = 65536;
inline constexpr std::size_t kEvtxChunkHeaderSize = 512;
inline constexpr util::Field kChunkFreeSpaceOffset{48, 4, "free space offset"};
inline constexpr util::Field kChunkRecordsChecksum{52, 4, "event records checksum"};
inline constexpr util::Field kChunkHeaderChecksum{124, 4, "header checksum"};
inline constexpr std::size_t kEvtxRecordHeaderSize = 24;
inline constexpr util::Field kRecordSize{4, 4, "size"};
inline constexpr util::Field kRecordIdentifier{8, 8, "event record identifier"};
inline constexpr util::Field kRecordWritten{16, 8, "written time"};

/// Where an event record starts in the file (libevtx does not say: its record offset is 0).
struct RecordLocation {
  std::uint64_t identifier = 0;
  std::uint64_t written = 0;  // FILETIME
  std::uint64_t file_offset = 0;
  friend bool operator<(const RecordLocation& a, const RecordLocation& b) {
    return a.identifier != b.identifier ? a.identifier < b.identifier : a.written < b.written;
  }
};

struct ChunkScan {
  std::uint64_t chunks = 0;           // chunk slots in use (not all zero bytes)
  std::uint64_t bad = 0;              // of those, the damaged ones
  std::vector<std::string> problems;  // one line per damaged chunk: offset and what is wrong
  std::vector<RecordLocation>
      records;  // the records of the sound chunks, sorted by identifier and time
};

/// The records of one sound chunk at `file_offset`, walked from offset 512 to its free space
/// offset; the walk stops at the first record whose signature or size does not hold.
void locate_chunk_records(std::span<const std::uint8_t> chunk, std::uint64_t file_offset,
                          std::vector<RecordLocation>& out);

/// The file offset of the record with this identifier and written time, or 0 when no sound chunk
/// holds it.
std::uint64_t record_file_offset(const ChunkScan& scan, std::uint64_t identifier,
                                 std::uint64_t written);

/// CRC-32 (IEEE 802.3, as zlib's crc32) of `bytes`, continuing from `crc`.
std::uint32_t crc32(std::span<const std::uint8_t> bytes, std::uint32_t crc = 0);

/// What is wrong with the chunk whose 65536 bytes (fewer at the end of a truncated file) start at
/// file offset `file_offset`, or "" when it is sound. A chunk of zero bytes is unused and sound.
/// `checksum_only` is set when the structure holds and only a CRC-32 differs: libevtx then reads
/// the chunk's records as if it were sound (they are used, unverified); it passes over a chunk with
/// any other fault.
std::string chunk_problem(std::span<const std::uint8_t> chunk, std::uint64_t file_offset,
                          bool& checksum_only);

/// Reads every chunk slot of the EVTX file at `path`. Throws EventLogError when the file cannot be
/// read.
ChunkScan scan_evtx_chunks(const std::filesystem::path& path);

}  // namespace hivelint::events
