#include "hive/stored_name.hpp"

#include <algorithm>
#include <unordered_set>

#include "hive/image_cells.hpp"
#include "regf/big_data.hpp"
#include "regf/format.hpp"
#include "regf/key_node.hpp"
#include "regf/value_key.hpp"
#include "util/error.hpp"

namespace hivelint::hive {
namespace {

regf::CellOffset relative(std::uint64_t cell) {
  return regf::CellOffset{static_cast<std::uint32_t>(cell - regf::kBaseBlockSize)};
}

}  // namespace

std::optional<std::u16string> stored_key_name(std::span<const std::uint8_t> image,
                                              std::uint64_t cell) {
  try {
    if (cell < regf::kBaseBlockSize || cell - regf::kBaseBlockSize >= 0xFFFFFFFFu)
      return std::nullopt;
    const auto data = cell_at(image, cell, regf::kNkStructure);
    if (!data) return std::nullopt;
    return regf::parse_key_node(*data, relative(cell)).name;
  } catch (const FormatError&) {
    return std::nullopt;
  }
}

std::optional<std::u16string> stored_value_name(std::span<const std::uint8_t> image,
                                                std::uint64_t cell) {
  try {
    if (cell < regf::kBaseBlockSize || cell - regf::kBaseBlockSize >= 0xFFFFFFFFu)
      return std::nullopt;
    const auto data = cell_at(image, cell, regf::kVkStructure);
    if (!data) return std::nullopt;
    return regf::parse_value_key(*data, relative(cell)).name;
  } catch (const FormatError&) {
    return std::nullopt;
  }
}

std::optional<std::string> big_data_reuses_a_cell(std::span<const std::uint8_t> image,
                                                  std::uint64_t cell) {
  try {
    if (cell < regf::kBaseBlockSize || cell - regf::kBaseBlockSize >= 0xFFFFFFFFu)
      return std::nullopt;
    const auto data = cell_at(image, cell, regf::kVkStructure);
    if (!data) return std::nullopt;
    const regf::ValueKey vk = regf::parse_value_key(*data, relative(cell));
    if (vk.resident || vk.data_size <= regf::kDbSegmentSize) return std::nullopt;
    const regf::CellOffset db_at{vk.data_offset_field};
    const auto db_cell = cell_at(image, db_at, regf::kDbStructure);
    if (!db_cell) return std::nullopt;
    const regf::BigData db =
        regf::parse_big_data(*db_cell, db_at);  // FormatError when not db (data in one cell)
    const auto list = cell_at(image, db.segments_list, regf::kDbSegmentsListStructure);
    if (!list) return std::nullopt;
    const std::size_t needed =
        (std::size_t{vk.data_size} + regf::kDbSegmentSize - 1) / regf::kDbSegmentSize;
    std::unordered_set<std::uint32_t> seen;
    for (std::size_t i = 0; i < needed && 4 * i + 4 <= list->size(); ++i) {
      const std::uint32_t at = list->u32_at(4 * i, "data segment offset");
      if (!seen.insert(at).second)
        return "big data segment list at " +
               util::hex_offset(regf::to_file_offset(db.segments_list).value) +
               ": data segment offset " + std::to_string(i) + " names the cell at " +
               util::hex_offset(regf::to_file_offset(regf::CellOffset{at}).value) +
               " again (each segment of a value is a cell of its own)";
    }
    return std::nullopt;
  } catch (const FormatError&) {
    return std::nullopt;
  }
}

StoredData stored_value_data(std::span<const std::uint8_t> image, std::uint64_t cell) {
  StoredData out;
  try {
    if (cell < regf::kBaseBlockSize || cell - regf::kBaseBlockSize >= 0xFFFFFFFFu) return out;
    const auto data = cell_at(image, cell, regf::kVkStructure);
    if (!data) return out;
    const regf::ValueKey vk = regf::parse_value_key(*data, relative(cell));
    if (vk.resident || vk.data_size == 0) {
      out.storage =
          vk.data_size == 0 ? DataStorage::kNone : DataStorage::kResident;  // as regf_reader.cpp
      out.bytes.emplace();
      for (std::uint32_t i = 0; i < vk.data_size && i < 4; ++i)
        out.bytes->push_back(static_cast<std::uint8_t>(vk.data_offset_field >> (8 * i)));
      return out;
    }
    const regf::CellOffset data_at{vk.data_offset_field};
    out.storage = DataStorage::kCell;
    out.data_cell = regf::to_file_offset(data_at).value;
    const auto data_cell = cell_at(image, data_at, regf::kValueDataStructure);
    if (!data_cell) return out;
    // As regf::read_value_data decides: db only for big sizes in hives 1.4+ (the signature alone
    // could be data).
    const util::ByteReader base(image, 0, regf::kBaseBlockStructure);
    const std::uint32_t minor =
        image.size() >= regf::kBaseBlockSize ? base.u32(regf::kBbMinorVersion) : 0;
    if (vk.data_size > regf::kMaxDataWithoutBigData && minor >= regf::kMinMinorVersionForBigData &&
        data_cell->has_signature("db")) {
      out.storage = DataStorage::kBigData;
      const regf::BigData db = regf::parse_big_data(*data_cell, data_at);
      const auto list = cell_at(image, db.segments_list, regf::kDbSegmentsListStructure);
      if (!list) return out;
      std::vector<std::uint8_t> bytes;
      const std::size_t needed =
          (std::size_t{vk.data_size} + regf::kDbSegmentSize - 1) / regf::kDbSegmentSize;
      for (std::size_t i = 0; i < needed; ++i) {
        const auto segment = cell_at(
            image, regf::CellOffset{list->u32_at(4 * i, "data segment offset")}, "data segment");
        if (!segment) return out;
        const std::size_t want =
            std::min<std::size_t>(regf::kDbSegmentSize, vk.data_size - bytes.size());
        const auto part = segment->take(0, want, "data segment");
        bytes.insert(bytes.end(), part.begin(), part.end());
      }
      out.bytes = std::move(bytes);
      return out;
    }
    const auto part = data_cell->take(0, vk.data_size, regf::kValueDataStructure);
    out.bytes.emplace(part.begin(), part.end());
  } catch (const FormatError&) {}
  return out;
}

}  // namespace hivelint::hive
