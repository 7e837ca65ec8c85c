// Backend-neutral registry values and their typed decoding (REG_SZ, REG_MULTI_SZ, REG_DWORD ...).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace hivelint::hive {

/// REG_* type numbers; any other 32-bit number is a valid (if unusual) type and is kept as is.
enum class ValueType : std::uint32_t {
  kNone = 0,
  kSz = 1,
  kExpandSz = 2,
  kBinary = 3,
  kDword = 4,
  kDwordBigEndian = 5,
  kLink = 6,
  kMultiSz = 7,
  kResourceList = 8,
  kFullResourceDescriptor = 9,
  kResourceRequirementsList = 10,
  kQword = 11,
};

/// "REG_MULTI_SZ"; "REG_0x1234" style for unknown numbers.
std::string type_name(std::uint32_t type);
/// Inverse of type_name (accepts "REG_SZ", "SZ", case-insensitive, and decimal or 0x numbers);
/// nullopt if unknown.
std::optional<std::uint32_t> parse_type_name(std::string_view name);

/// Where a value's data is stored (spec "Key value": a set top bit of the data size keeps up to 4
/// bytes in the vk's data offset field; spec "Big data": over 16344 bytes in hives 1.4+, a db
/// record and its segments).
enum class DataStorage { kUnknown, kNone, kResident, kCell, kBigData };
/// "unknown", "none" (size 0), "resident", "cell", "big_data".
const char* data_storage_name(DataStorage storage);

struct Value {
  std::string name;         // UTF-8; empty = the key's default value
  bool name_lossy = false;  // the name had UTF-16 that does not map to UTF-8 (U+FFFD substituted)
  std::uint32_t type = 0;
  std::vector<std::uint8_t> data;  // raw bytes
  std::optional<std::uint64_t> cell_file_offset =
      std::nullopt;  // of the vk cell, when the backend knows it
  DataStorage data_storage = DataStorage::kUnknown;
  std::optional<std::uint64_t> data_cell_file_offset =
      std::nullopt;  // kCell: the data cell; kBigData: the db record
  // The data bytes as stored, when they differ from `data` (libregf 20201007 cuts REG_SZ at its
  // first NUL and adds a terminator that is not stored; see regf_reader.hpp). Evidence shows these.
  std::optional<std::vector<std::uint8_t>> stored_data = std::nullopt;
};

/// Decoded string data of REG_SZ / REG_EXPAND_SZ / REG_LINK: UTF-16LE up to the first NUL.
struct DecodedString {
  std::string text;
  bool lossy = false;          // replacement characters were substituted
  bool terminated = true;      // a NUL terminator was present
  bool trailing_data = false;  // bytes after the first NUL (other than NUL padding)
};
DecodedString decode_string(const std::vector<std::uint8_t>& data);

/// Decoded REG_MULTI_SZ. By definition the list ends at the first empty string, and that is where
/// Windows' consumers stop reading; strings stored after an empty one are kept apart in `hidden`
/// (regedit refuses to store empty strings, so such data was written by something else and its tail
/// is invisible to Windows). Tolerates a missing final terminator, a missing list terminator and an
/// odd trailing byte.
struct DecodedMultiString {
  std::vector<std::string> entries;  // the list as Windows sees it
  std::vector<std::string> hidden;   // non-empty strings after the first empty one
  bool lossy = false;                // U+FFFD substituted somewhere
  bool well_terminated = true;       // ends with "\0\0" (or is empty) as Windows writes it
};
DecodedMultiString decode_multi_string(const std::vector<std::uint8_t>& data);
/// Encodes strings as REG_MULTI_SZ data (UTF-16LE, each NUL-terminated, plus the final NUL).
std::vector<std::uint8_t> encode_multi_string(const std::vector<std::string>& entries);

std::optional<std::uint32_t> decode_dword(
    const Value& value);  // REG_DWORD / REG_DWORD_BIG_ENDIAN, 4 bytes
std::optional<std::uint64_t> decode_qword(const Value& value);  // REG_QWORD, 8 bytes

/// A short human rendering of the data for reports: strings quoted, multi-strings joined with " |
/// ", numbers in decimal and hex, binary as hex (first `max_bytes`).
std::string render_data(const Value& value, std::size_t max_bytes = 32);

}  // namespace hivelint::hive
