#include "regf/value_key.hpp"

#include "regf/big_data.hpp"
#include "regf/key_node.hpp"

namespace hivelint::regf {

ValueKey parse_value_key(const util::ByteReader& cell, CellOffset offset) {
  cell.require_signature("vk");
  ValueKey v;
  v.offset = offset;
  v.stored_size = cell.u32(kVkDataSize);
  v.data_offset_field = cell.u32(kVkDataOffset);
  v.type = cell.u32(kVkDataType);
  v.name_compressed = (cell.u16(kVkFlags) & kValueCompName) != 0;
  v.name = decode_name(cell.bytes(kVkValueName, cell.u16(kVkNameLength)), v.name_compressed);
  v.resident = (v.stored_size & kVkDataResidentBit) != 0;
  v.data_size = v.stored_size & ~kVkDataResidentBit;
  if (v.resident && v.data_size > kVkMaxResidentSize)
    cell.fail(std::string(kVkDataSize.name) + " is " + util::hex_offset(v.stored_size) +
              ": resident data (top bit set) holds at most 4 bytes, not " +
              std::to_string(v.data_size));
  if (v.data_size > kMaxValueBytes)
    cell.fail(std::string(kVkDataSize.name) + " is " + std::to_string(v.data_size) +
              ", more than the cap of " + std::to_string(kMaxValueBytes));
  return v;
}

StoredData store_value_data(CellAllocator& cells, std::span<const std::uint8_t> data,
                            std::uint32_t minor_version) {
  StoredData s;
  s.size_field = static_cast<std::uint32_t>(data.size());
  if (data.size() <= kVkMaxResidentSize) {  // resident: the bytes live in the data offset field
    s.size_field |= kVkDataResidentBit;
    for (std::size_t i = 0; i < data.size(); ++i)
      s.offset_field |= static_cast<std::uint32_t>(data[i]) << (8 * i);
    return s;
  }
  if (data.size() <= kMaxDataWithoutBigData || minor_version < kMinMinorVersionForBigData) {
    const CellOffset cell = cells.allocate(data.size(), kValueDataStructure);
    util::ByteWriter(cells.bytes()).put_bytes(cell_data_at(cell), data);
    s.offset_field = cell.value;
    return s;
  }
  s.offset_field = write_big_data(cells, data).value;
  return s;
}

CellOffset allocate_value_key(CellAllocator& cells, std::u16string_view name) {
  return cells.allocate(kVkFixedSize + encode_name(name).bytes.size(), kVkStructure);
}

void write_value_key(CellAllocator& cells, const ValueKey& vk) {
  const StoredName name = encode_name(vk.name);
  util::ByteWriter w(cells.bytes());
  const std::size_t d = cell_data_at(vk.offset);
  w.put_bytes(d, std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>("vk"), 2));
  w.put_u16(kVkNameLength, d, static_cast<std::uint16_t>(name.bytes.size()));
  w.put_u16(kVkFlags, d, name.compressed ? kValueCompName : 0);
  w.put_bytes(d + kVkFixedSize, name.bytes);
  write_value_key_data(cells, vk.offset, vk.type, StoredData{vk.stored_size, vk.data_offset_field});
}

void write_value_key_data(CellAllocator& cells, CellOffset vk, std::uint32_t type,
                          const StoredData& data) {
  util::ByteWriter w(cells.bytes());
  const std::size_t d = cell_data_at(vk);
  w.put_u32(kVkDataSize, d, data.size_field);
  w.put_u32(kVkDataOffset, d, data.offset_field);
  w.put_u32(kVkDataType, d, type);
}

ValueData read_value_data(const ValueKey& vk, const CellMap& cells, std::uint32_t minor_version) {
  ValueData out;
  if (vk.resident) {
    for (std::uint32_t i = 0; i < vk.data_size; ++i)
      out.bytes.push_back(static_cast<std::uint8_t>(vk.data_offset_field >> (8 * i)));
    return out;
  }
  if (vk.data_size == 0) return out;
  const CellOffset data_cell{vk.data_offset_field};
  const util::ByteReader cell = cells.get(data_cell, kValueDataStructure);
  // Spec "Big data": in hives 1.4+ data over 16344 bytes is stored in db segments; older hives keep
  // large data in one cell. The db signature decides (with the size and version), so a 1.3 hive's
  // raw data is never misread.
  if (vk.data_size > kMaxDataWithoutBigData && minor_version >= kMinMinorVersionForBigData &&
      cell.has_signature("db")) {
    out.bytes = read_big_data(cells, data_cell, vk.data_size);
    out.big_data = true;
    return out;
  }
  const auto bytes = cell.take(0, vk.data_size, kValueDataStructure);
  out.bytes.assign(bytes.begin(), bytes.end());
  return out;
}

}  // namespace hivelint::regf
