#include "regf/base_block.hpp"

#include "regf/checksum.hpp"
#include "util/utf16.hpp"

namespace hivelint::regf {

BaseBlock parse_base_block(std::span<const std::uint8_t> file,
                           std::vector<Diagnostic>& diagnostics) {
  const util::ByteReader whole(file, 0, kBaseBlockStructure);
  if (file.size() < kBaseBlockSize)
    whole.fail("needs " + std::to_string(kBaseBlockSize) + " bytes, the file has only " +
               std::to_string(file.size()));
  const util::ByteReader r = whole.sub(0, kBaseBlockSize, kBaseBlockStructure);
  r.require_signature("regf");

  BaseBlock b;
  b.primary_sequence = r.u32(kBbPrimarySequence);
  b.secondary_sequence = r.u32(kBbSecondarySequence);
  b.last_written = r.u64(kBbLastWritten);
  b.major_version = r.u32(kBbMajorVersion);
  b.minor_version = r.u32(kBbMinorVersion);
  b.file_type = r.u32(kBbFileType);
  b.file_format = r.u32(kBbFileFormat);
  b.root_cell = CellOffset{r.u32(kBbRootCell)};
  b.hive_bins_data_size = r.u32(kBbHiveBinsDataSize);
  b.clustering_factor = r.u32(kBbClusteringFactor);
  const std::u16string name = util::utf16le_units(r.bytes(kBbFileName, kBbFileName.size));
  b.file_name = name.substr(0, name.find(u'\0'));
  b.flags = r.u32(kBbFlags);
  b.boot_type = r.u32(kBbBootType);
  b.boot_recover = r.u32(kBbBootRecover);
  b.stored_checksum = r.u32(kBbChecksum);
  b.computed_checksum = base_block_checksum(r.data());

  if (b.major_version != kMajorVersion)
    r.fail(std::string(kBbMajorVersion.name) + " is " + std::to_string(b.major_version) +
           ", expected 1");

  const auto note = [&](const Field& f, const std::string& message) {
    diagnostics.push_back(Diagnostic{Severity::kWarning, kBaseBlockStructure, f.offset,
                                     std::string(f.name) + " " + message});
  };
  if (!b.checksum_ok())
    note(kBbChecksum, "is " + util::hex_offset(b.stored_checksum) + ", computed " +
                          util::hex_offset(b.computed_checksum));
  if (b.minor_version < kMinMinorVersion || b.minor_version > kMaxMinorVersion)
    note(kBbMinorVersion, "is " + std::to_string(b.minor_version) + ", expected 2 to 6");
  if (b.file_type != kFileTypePrimary)
    note(kBbFileType, "is " + std::to_string(b.file_type) +
                          ", expected 0 (a primary file; 1, 2 and 6 are transaction logs)");
  if (b.file_format != kFileFormatDirectMemoryLoad)
    note(kBbFileFormat, "is " + std::to_string(b.file_format) + ", expected 1");
  const std::uint64_t bins_available = file.size() - kBaseBlockSize;
  if (b.hive_bins_data_size % kHbinSizeAlignment != 0)
    note(kBbHiveBinsDataSize,
         "is " + std::to_string(b.hive_bins_data_size) + ", not a multiple of 4096");
  if (b.hive_bins_data_size > bins_available)
    note(kBbHiveBinsDataSize, "is " + std::to_string(b.hive_bins_data_size) + " but only " +
                                  std::to_string(bins_available) +
                                  " bytes follow the base block (truncated file?)");
  if (b.root_cell.value >= b.hive_bins_data_size)
    note(kBbRootCell, "is " + util::hex_offset(b.root_cell.value) +
                          ", outside the hive bins data (" + std::to_string(b.hive_bins_data_size) +
                          " bytes)");
  return b;
}

}  // namespace hivelint::regf
