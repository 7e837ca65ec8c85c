// Constants and field offsets of the regf format, one Field per row of the specification's tables.
// Source: Maxim Suhanov, "Windows registry file format specification" (msuhanov/regf), sections
// "Base block", "Hive bin", "Cell", "Index leaf/Fast leaf/Hash leaf/Index root", "Key node", "Key
// value", "Key security", "Big data". Offsets are relative to the start of the structure (for
// cells: the start of the cell *data*, i.e. after the 4-byte size field). CellOffset values are
// relative to the first hbin (file offset 4096); 0xFFFFFFFF means "none".
#pragma once
#include <cstddef>
#include <cstdint>

#include "util/bytes.hpp"

namespace hivelint::regf {

using util::Field;

// ---- Offsets ------------------------------------------------------------------------------------
/// Offset of a cell, relative to the start of the hive bins data (spec: "offsets are relative ...
/// 4096").
struct CellOffset {
  std::uint32_t value = 0xFFFFFFFF;
  constexpr bool is_none() const noexcept { return value == 0xFFFFFFFF; }
  constexpr auto operator<=>(const CellOffset&) const = default;
};
inline constexpr CellOffset kNoCell{0xFFFFFFFF};

/// Absolute offset in the hive file.
struct FileOffset {
  std::uint64_t value = 0;
  constexpr auto operator<=>(const FileOffset&) const = default;
};

inline constexpr std::size_t kBaseBlockSize = 4096;  // base block occupies the first 4096 bytes
inline constexpr FileOffset to_file_offset(CellOffset c) noexcept {
  return FileOffset{kBaseBlockSize + c.value};
}

// ---- Base block (spec "Base block", 4096 bytes) -------------------------------------------------
inline constexpr const char* kBaseBlockStructure = "base block";  // as errors and reports name it
inline constexpr Field kBbSignature{0, 4, "signature"};           // "regf"
inline constexpr Field kBbPrimarySequence{4, 4, "primary sequence number"};
inline constexpr Field kBbSecondarySequence{8, 4, "secondary sequence number"};
inline constexpr Field kBbLastWritten{12, 8, "last written timestamp"};  // FILETIME
inline constexpr Field kBbMajorVersion{20, 4, "major version"};          // 1
inline constexpr Field kBbMinorVersion{24, 4, "minor version"};          // 3, 4, 5 or 6
inline constexpr Field kBbFileType{28, 4, "file type"};      // 0 = primary, 1/2/6 = logs
inline constexpr Field kBbFileFormat{32, 4, "file format"};  // 1 = direct memory load
inline constexpr Field kBbRootCell{36, 4, "root cell offset"};
inline constexpr Field kBbHiveBinsDataSize{40, 4, "hive bins data size"};
inline constexpr Field kBbClusteringFactor{44, 4, "clustering factor"};  // 1
inline constexpr Field kBbFileName{48, 64, "file name"};  // UTF-16LE, last 32 chars of the path
inline constexpr Field kBbRmId{112, 16, "RmId"};
inline constexpr Field kBbLogId{128, 16, "LogId"};
inline constexpr Field kBbFlags{144, 4, "flags"};
inline constexpr Field kBbTmId{148, 16, "TmId"};
inline constexpr Field kBbGuidSignature{164, 4, "GUID signature"};  // "OfRg"
inline constexpr Field kBbLastReorganized{168, 8, "last reorganized timestamp"};
inline constexpr Field kBbChecksum{508, 4, "checksum"};  // XOR of dwords 0..126
inline constexpr Field kBbThawTmId{4040, 16, "ThawTmId"};
inline constexpr Field kBbThawRmId{4056, 16, "ThawRmId"};
inline constexpr Field kBbThawLogId{4072, 16, "ThawLogId"};
inline constexpr Field kBbBootType{4088, 4, "boot type"};
inline constexpr Field kBbBootRecover{4092, 4, "boot recover"};
inline constexpr std::size_t kChecksummedBytes = 508;  // 127 dwords

inline constexpr std::uint32_t kMajorVersion = 1;
inline constexpr std::uint32_t kMinMinorVersion = 2;  // NT 3.5 hives are 1.2; we accept 1.2 .. 1.6
inline constexpr std::uint32_t kMaxMinorVersion = 6;
inline constexpr std::uint32_t kFileTypePrimary = 0;
inline constexpr std::uint32_t kFileFormatDirectMemoryLoad = 1;

// ---- Hive bin (spec "Hive bin", 32-byte header) -------------------------------------------------
inline constexpr const char* kHbinStructure = "hive bin";
inline constexpr Field kHbinSignature{0, 4, "signature"};  // "hbin"
inline constexpr Field kHbinOffset{4, 4, "offset"};        // relative to the first hbin
inline constexpr Field kHbinSize{8, 4, "size"};            // multiple of 4096
inline constexpr Field kHbinReserved{12, 8, "reserved"};
inline constexpr Field kHbinTimestamp{20, 8, "timestamp"};  // meaningful in the first hbin only
inline constexpr Field kHbinSpare{28, 4, "spare"};
inline constexpr std::size_t kHbinHeaderSize = 32;
inline constexpr std::size_t kHbinSizeAlignment = 4096;

// ---- Cell (spec "Cell") -------------------------------------------------------------------------
inline constexpr Field kCellSize{0, 4,
                                 "cell size"};  // negative = allocated; includes these 4 bytes
inline constexpr std::size_t kCellHeaderSize = 4;
inline constexpr std::size_t kCellAlignment = 8;

// ---- Key node "nk" (spec "Key node") ------------------------------------------------------------
inline constexpr const char* kNkStructure = "key node (nk)";
inline constexpr const char* kClassNameStructure =
    "class name";  // the cell a key's class name is in
inline constexpr Field kNkSignature{0, 2, "signature"};
inline constexpr Field kNkFlags{2, 2, "flags"};
inline constexpr Field kNkLastWritten{4, 8, "last written timestamp"};
inline constexpr Field kNkAccessBits{12, 4, "access bits"};
inline constexpr Field kNkParent{16, 4, "parent"};
inline constexpr Field kNkNumberOfSubkeys{20, 4, "number of subkeys"};
inline constexpr Field kNkNumberOfVolatileSubkeys{24, 4, "number of volatile subkeys"};
inline constexpr Field kNkSubkeysList{28, 4, "subkeys list offset"};
inline constexpr Field kNkVolatileSubkeysList{32, 4, "volatile subkeys list offset"};
inline constexpr Field kNkNumberOfValues{36, 4, "number of key values"};
inline constexpr Field kNkValuesList{40, 4, "key values list offset"};
inline constexpr Field kNkKeySecurity{44, 4, "key security offset"};
inline constexpr Field kNkClassName{48, 4, "class name offset"};
inline constexpr Field kNkLargestSubkeyNameLength{
    52, 4, "largest subkey name length"};  // low 16 bits, bytes (UTF-16)
inline constexpr Field kNkLargestSubkeyClassLength{56, 4, "largest subkey class name length"};
inline constexpr Field kNkLargestValueNameLength{60, 4,
                                                 "largest value name length"};  // bytes (UTF-16)
inline constexpr Field kNkLargestValueDataSize{64, 4, "largest value data size"};
inline constexpr Field kNkWorkVar{68, 4, "WorkVar"};
inline constexpr Field kNkKeyNameLength{72, 2, "key name length"};
inline constexpr Field kNkClassNameLength{74, 2, "class name length"};
inline constexpr Field kNkKeyName{76, 0, "key name"};
inline constexpr std::size_t kNkFixedSize = 76;

inline constexpr std::uint16_t kKeyVolatile = 0x0001;
inline constexpr std::uint16_t kKeyHiveExit = 0x0002;
inline constexpr std::uint16_t kKeyHiveEntry = 0x0004;  // the root key
inline constexpr std::uint16_t kKeyNoDelete = 0x0008;
inline constexpr std::uint16_t kKeySymLink = 0x0010;
inline constexpr std::uint16_t kKeyCompName = 0x0020;  // name is Latin-1 ("ASCII"), not UTF-16LE
inline constexpr std::uint16_t kKeyPredefHandle = 0x0040;

// ---- Key value "vk" (spec "Key value") ----------------------------------------------------------
inline constexpr const char* kVkStructure = "key value (vk)";
inline constexpr const char* kValueDataStructure = "value data";       // a value's one data cell
inline constexpr const char* kValueListStructure = "key values list";  // spec "Key values list"
inline constexpr Field kVkSignature{0, 2, "signature"};
inline constexpr Field kVkNameLength{2, 2, "name length"};
inline constexpr Field kVkDataSize{4, 4,
                                   "data size"};  // top bit set: data resident in the offset field
inline constexpr Field kVkDataOffset{8, 4, "data offset"};
inline constexpr Field kVkDataType{12, 4, "data type"};
inline constexpr Field kVkFlags{16, 2, "flags"};
inline constexpr Field kVkSpare{18, 2, "spare"};
inline constexpr Field kVkValueName{20, 0, "value name"};
inline constexpr std::size_t kVkFixedSize = 20;
inline constexpr std::uint16_t kValueCompName = 0x0001;  // name is Latin-1
inline constexpr std::uint32_t kVkDataResidentBit = 0x80000000;
inline constexpr std::uint32_t kVkMaxResidentSize = 4;

// ---- Key security "sk" (spec "Key security") ----------------------------------------------------
inline constexpr const char* kSkStructure = "key security (sk)";
inline constexpr Field kSkSignature{0, 2, "signature"};
inline constexpr Field kSkReserved{2, 2, "reserved"};
inline constexpr Field kSkFlink{4, 4, "flink"};
inline constexpr Field kSkBlink{8, 4, "blink"};
inline constexpr Field kSkReferenceCount{12, 4, "reference count"};
inline constexpr Field kSkDescriptorSize{16, 4, "security descriptor size"};
inline constexpr Field kSkDescriptor{20, 0, "security descriptor"};
inline constexpr std::size_t kSkFixedSize = 20;

// ---- Subkey lists (spec "Index leaf", "Fast leaf", "Hash leaf", "Index root") -------------------
inline constexpr const char* kSubkeyListStructure = "subkey list";  // any kind, before it is read
inline constexpr Field kListSignature{0, 2, "signature"};           // "li", "lf", "lh", "ri"
inline constexpr Field kListCount{2, 2, "number of elements"};
inline constexpr std::size_t kListHeaderSize = 4;
inline constexpr std::size_t kLiElementSize = 4;  // li, ri: key node (or leaf) offset
inline constexpr std::size_t kLfElementSize =
    8;  // lf: offset + first 4 name characters; lh: offset + hash

// ---- Big data "db" (spec "Big data", hives 1.4+) ------------------------------------------------
inline constexpr const char* kDbStructure = "big data (db)";
inline constexpr const char* kDbSegmentStructure = "big data segment";
inline constexpr const char* kDbSegmentsListStructure = "big data segments list";
inline constexpr Field kDbSignature{0, 2, "signature"};
inline constexpr Field kDbNumberOfSegments{2, 2, "number of segments"};
inline constexpr Field kDbSegmentsList{4, 4, "offset of a list of segments"};
inline constexpr std::size_t kDbSegmentSize = 16344;          // data bytes per segment
inline constexpr std::size_t kMaxDataWithoutBigData = 16344;  // larger values need db (in 1.4+)
inline constexpr std::uint32_t kMinMinorVersionForBigData = 4;
inline constexpr std::uint32_t kMinMinorVersionForHashLeaf = 5;

// ---- Value types --------------------------------------------------------------------------------
inline constexpr std::uint32_t kRegNone = 0;
inline constexpr std::uint32_t kRegSz = 1;
inline constexpr std::uint32_t kRegExpandSz = 2;
inline constexpr std::uint32_t kRegBinary = 3;
inline constexpr std::uint32_t kRegDword = 4;
inline constexpr std::uint32_t kRegDwordBigEndian = 5;
inline constexpr std::uint32_t kRegLink = 6;
inline constexpr std::uint32_t kRegMultiSz = 7;
inline constexpr std::uint32_t kRegResourceList = 8;
inline constexpr std::uint32_t kRegFullResourceDescriptor = 9;
inline constexpr std::uint32_t kRegResourceRequirementsList = 10;
inline constexpr std::uint32_t kRegQword = 11;

// ---- Transaction logs (spec "Format of transaction log files") ----------------------------------
// Both formats start with a partial copy of the primary base block: the first clustering factor *
// 512 bytes, with the file type changed and the checksum recomputed (spec "Old format", "Base
// block"). The base-block Field constants above apply to it; only offsets below 512 exist in a log.
inline constexpr std::size_t kLogBaseBlockSize = 512;
inline constexpr std::uint32_t kFileTypeLogOld =
    1;  // old format (DIRT dirty vector), Windows XP..7
inline constexpr std::uint32_t kFileTypeLogVeryOld =
    2;                                               // the same old format with another type number
inline constexpr std::uint32_t kFileTypeLogNew = 6;  // new format (HvLE log entries), Windows 8.1+

// Old format: dirty vector (spec "Dirty vector") at the second sector, then 512-byte dirty pages.
inline constexpr std::size_t kDirtyVectorOffset = 512;
inline constexpr Field kDirtSignature{0, 4, "signature"};  // "DIRT"
inline constexpr Field kDirtBitmap{4, 0,
                                   "bitmap"};  // one bit per 512-byte page of the hive bins data
inline constexpr std::size_t kOldLogPageSize = 512;  // dirty pages and sectors of an old-format log
inline constexpr std::size_t kOldLogSectorSize = 512;

// New format: log entries (spec "Log entries"), starting at the second sector, each at a multiple
// of 512.
inline constexpr Field kLeSignature{0, 4, "signature"};  // "HvLE"
inline constexpr Field kLeSize{4, 4, "size"};            // whole entry, multiple of 512
inline constexpr Field kLeFlags{8, 4, "flags"};          // bit 0 mirrors base-block flag bit 0
inline constexpr Field kLeSequence{12, 4, "sequence number"};
inline constexpr Field kLeHiveBinsDataSize{16, 4, "hive bins data size"};
inline constexpr Field kLeDirtyPagesCount{20, 4, "dirty pages count"};
inline constexpr Field kLeHash1{24, 8, "hash-1"};  // Marvin32 of bytes 40 .. size
inline constexpr Field kLeHash2{32, 8, "hash-2"};  // Marvin32 of bytes 0 .. 32
inline constexpr std::size_t kLeHeaderSize = 40;
inline constexpr std::size_t kLeHash2Bytes = 32;
inline constexpr std::size_t kLeAlignment = 512;
inline constexpr std::size_t kLogEntriesOffset = 512;
inline constexpr Field kDprOffset{0, 4, "offset"};  // dirty page reference: relative to hbins
inline constexpr Field kDprSize{4, 4, "size"};
inline constexpr std::size_t kDirtyPageReferenceSize = 8;
/// Seed of the Marvin32 hashes in log entries (spec "Log entries", note 3: 14219357686671994754).
inline constexpr std::uint64_t kLogEntryMarvinSeed = 0x82EF4D887A4E55C5ull;
/// Base-block flag bit 0 follows the flags of each applied log entry (its meaning is unknown;
/// Windows copies it).
inline constexpr std::uint32_t kLogEntryFlagMask = 0x1;

// ---- Caps on hostile input (each a defence, not a format limit) ---------------------------------
inline constexpr std::size_t kMaxSubkeys = 1u
                                           << 20;  // per key; Windows' practical limit is far lower
inline constexpr std::size_t kMaxValues = 1u << 20;  // per key
inline constexpr std::size_t kMaxValueBytes =
    64u << 20;                                 // one value's data; larger is refused as corrupt
inline constexpr std::size_t kMaxDepth = 512;  // Windows limits key depth to 512 levels
inline constexpr std::size_t kMaxNameUnits = 16383;  // longest key/value name Windows creates
inline constexpr std::size_t kMaxRecoveredHiveBinsSize =
    2047u << 20;  // a log entry may grow the hive; Windows' hive limit is under 2 GiB
inline constexpr std::size_t kMaxLogFileBytes = 2047u << 20;  // larger "logs" are refused unread
inline constexpr std::size_t kMaxHiveFileBytes =
    4096 + kMaxRecoveredHiveBinsSize;  // read from a pipe at most (a mapped file costs no memory)
inline constexpr std::size_t kMaxLogEntries = 1u << 20;  // entries applied from one log file
inline constexpr std::size_t kMaxLogFiles = 8;  // logs considered for one hive (--log + siblings)

}  // namespace hivelint::regf
