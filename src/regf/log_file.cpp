#include "regf/log_file.hpp"

#include "regf/checksum.hpp"
#include "util/bytes.hpp"
#include "util/error.hpp"

namespace hivelint::regf {

const char* log_format_name(LogFormat f) noexcept { return f == LogFormat::kOld ? "old" : "new"; }

LogFile parse_log_file(std::span<const std::uint8_t> bytes, std::string label) {
  const util::ByteReader whole(bytes, 0, "log base block");
  if (bytes.size() < kLogBaseBlockSize)
    whole.fail("needs " + std::to_string(kLogBaseBlockSize) + " bytes, the file has only " +
               std::to_string(bytes.size()) + " (an empty or truncated transaction log)");
  const util::ByteReader r = whole.sub(0, kLogBaseBlockSize, "log base block");
  r.require_signature("regf");

  LogFile log;
  log.label = std::move(label);
  log.bytes = bytes;
  LogBaseBlock& b = log.base;
  b.primary_sequence = r.u32(kBbPrimarySequence);
  b.secondary_sequence = r.u32(kBbSecondarySequence);
  b.last_written = r.u64(kBbLastWritten);
  b.major_version = r.u32(kBbMajorVersion);
  b.minor_version = r.u32(kBbMinorVersion);
  b.file_type = r.u32(kBbFileType);
  b.root_cell = r.u32(kBbRootCell);
  b.hive_bins_data_size = r.u32(kBbHiveBinsDataSize);
  b.flags = r.u32(kBbFlags);
  b.stored_checksum = r.u32(kBbChecksum);
  b.computed_checksum = base_block_checksum(r.data());

  if (b.file_type == kFileTypeLogNew)
    log.format = LogFormat::kNew;
  else if (b.file_type == kFileTypeLogOld || b.file_type == kFileTypeLogVeryOld)
    log.format = LogFormat::kOld;
  else
    r.fail(std::string(kBbFileType.name) + " is " + std::to_string(b.file_type) +
           (b.file_type == kFileTypePrimary
                ? " (a primary hive file, not a transaction log)"
                : ", expected 1 or 2 (old-format log) or 6 (new-format log)"));

  if (b.stored_checksum != b.computed_checksum)
    log.problems.push_back(r.describe(std::string(kBbChecksum.name) + " is " +
                                      util::hex_offset(b.stored_checksum) + ", computed " +
                                      util::hex_offset(b.computed_checksum)));
  if (b.primary_sequence != b.secondary_sequence)
    log.problems.push_back(r.describe(
        "primary sequence number " + std::to_string(b.primary_sequence) + " != secondary " +
        std::to_string(b.secondary_sequence) + ": the log itself was not written completely"));
  if (b.major_version != kMajorVersion)
    log.problems.push_back(r.describe(std::string(kBbMajorVersion.name) + " is " +
                                      std::to_string(b.major_version) + ", expected 1"));
  if (log.format == LogFormat::kNew && bytes.size() < kLogEntriesOffset + kLeAlignment)
    log.problems.push_back(r.describe("the file has " + std::to_string(bytes.size()) +
                                      " bytes, no room for a single log entry"));
  if (log.format == LogFormat::kOld) {
    if (b.hive_bins_data_size == 0 || b.hive_bins_data_size % kHbinSizeAlignment != 0)
      log.problems.push_back(r.describe(std::string(kBbHiveBinsDataSize.name) + " is " +
                                        std::to_string(b.hive_bins_data_size) +
                                        ", not a positive multiple of 4096"));
    else if (b.hive_bins_data_size > kMaxRecoveredHiveBinsSize)
      log.problems.push_back(r.describe(
          std::string(kBbHiveBinsDataSize.name) + " is " + std::to_string(b.hive_bins_data_size) +
          ", over hivelint's cap of " + std::to_string(kMaxRecoveredHiveBinsSize)));
  }
  return log;
}

}  // namespace hivelint::regf
