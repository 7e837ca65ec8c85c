// hivelint's own look at the chunks of an EVTX file, beside libevtx: libevtx skips a damaged chunk without
// saying so (its records may come back among the recovered ones), and a reviewer should know how many there were.
//
// libyal "Windows XML Event Log (EVTX) format", file header (at 0, 4096 bytes) and chunk header (each chunk is
// 65536 bytes from offset 4096):
//   offset size field
//   0      8    signature            "ElfFile\0" (file) / "ElfChnk\0" (chunk)
//   48     4    free space offset    chunk: end of the event records, relative to the chunk
//   52     4    event records checksum  chunk: CRC-32 of bytes 512 .. free space offset
//   124    4    header checksum      chunk: CRC-32 of bytes 0..120 and 128..512
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

struct ChunkScan {
  std::uint64_t chunks = 0;               // chunk slots in use (not all zero bytes)
  std::uint64_t bad = 0;                  // of those, the damaged ones
  std::vector<std::string> problems;      // one line per damaged chunk: offset and what is wrong
};

/// CRC-32 (IEEE 802.3, as zlib's crc32) of `bytes`, continuing from `crc`.
std::uint32_t crc32(std::span<const std::uint8_t> bytes, std::uint32_t crc = 0);

/// What is wrong with the chunk whose 65536 bytes (fewer at the end of a truncated file) start at file
/// offset `file_offset`, or "" when it is sound. A chunk of zero bytes is unused and sound.
std::string chunk_problem(std::span<const std::uint8_t> chunk, std::uint64_t file_offset);

/// Reads every chunk slot of the EVTX file at `path`. Throws EventLogError when the file cannot be read.
ChunkScan scan_evtx_chunks(const std::filesystem::path& path);

}  // namespace hivelint::events
