// Key value "vk" (spec "Key value") and its data: resident (<= 4 bytes in the offset field), one
// data cell, or big data (big_data.hpp: db segments of up to 16344 bytes, hives 1.4 and later).
//
// | offset | size | field                                                   |
// |--------|------|---------------------------------------------------------|
// | 0      | 2    | signature "vk"                                          |
// | 2      | 2    | name length (bytes; 0 = the key's default value)        |
// | 4      | 4    | data size (top bit set: data resident in the offset field) |
// | 8      | 4    | data offset                                             |
// | 12     | 4    | data type                                               |
// | 16     | 2    | flags (0x0001: name is Latin-1, else UTF-16LE)          |
// | 18     | 2    | spare                                                   |
// | 20     | ...  | name                                                    |
#pragma once
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "regf/cell_allocator.hpp"
#include "regf/hbin_scan.hpp"

namespace hivelint::regf {

struct ValueKey {
  CellOffset offset;
  std::u16string name;
  bool name_compressed = false;
  std::uint32_t type = 0;
  std::uint32_t stored_size = 0;  // the data size field as stored (top bit included)
  std::uint32_t data_offset_field = 0;
  bool resident = false;
  std::uint32_t data_size = 0;  // without the top bit
};

/// Parses the vk record in `cell`. Throws FormatError.
ValueKey parse_value_key(const util::ByteReader& cell, CellOffset offset);

struct ValueData {
  std::vector<std::uint8_t> bytes;
  bool big_data = false;
};

/// Reads the value's data through `cells`. Throws FormatError when a data cell, db record, segment
/// list or segment is missing or too small.
ValueData read_value_data(const ValueKey& vk, const CellMap& cells, std::uint32_t minor_version);

/// How a value's data is stored: its vk's data size field (top bit set when resident) and data
/// offset field (the resident bytes, a data cell or a db record).
struct StoredData {
  std::uint32_t size_field = 0;
  std::uint32_t offset_field = 0;
};

/// read_value_data's inverse: stores `data` resident when it has at most 4 bytes, else in one data
/// cell ("value data") when it has at most 16344 bytes or the hive is older than 1.4, else as big
/// data (write_big_data). What a hive may hold (sizes, segment counts) is the caller's to refuse
/// first: the builder and the editor refuse differently.
StoredData store_value_data(CellAllocator& cells, std::span<const std::uint8_t> data,
                            std::uint32_t minor_version);

/// A cell for the vk record of a value named `name`, allocated as "key value (vk)".
CellOffset allocate_value_key(CellAllocator& cells, std::u16string_view name);

/// parse_value_key's inverse: writes the vk record `vk` (its name, type, `stored_size` and
/// `data_offset_field`) into its cell `vk.offset`, from allocate_value_key for the same name.
void write_value_key(CellAllocator& cells, const ValueKey& vk);

/// Points the vk record at `vk` to other data: its type, data size and data offset fields; the name
/// stays.
void write_value_key_data(CellAllocator& cells, CellOffset vk, std::uint32_t type,
                          const StoredData& data);

}  // namespace hivelint::regf
