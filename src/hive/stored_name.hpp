// Key and value names as the hive stores them, read by hivelint from the same image libregf reads.
// libregf cuts a name at its first NUL, so a value stored as "DispatchEntries\0" (16 characters;
// Windows, which compares counted names, does not find it as DispatchEntries) was found and read as
// "DispatchEntries": a wrong PASS with the default backend (review D6). The libregf adapter takes
// the stored name whenever it holds a NUL.
#pragma once
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "hive/value.hpp"

namespace hivelint::hive {

/// The name of the key node whose cell starts at file offset `cell`, every stored code unit (NULs
/// included); nullopt when the image holds no readable key node there. Never throws.
std::optional<std::u16string> stored_key_name(std::span<const std::uint8_t> image,
                                              std::uint64_t cell);
/// The same for a value key (vk) cell.
std::optional<std::u16string> stored_value_name(std::span<const std::uint8_t> image,
                                                std::uint64_t cell);

}  // namespace hivelint::hive

namespace hivelint::hive {

/// When the value key (vk) whose cell starts at file offset `cell` keeps big data (db) whose
/// segment list names one cell twice, a message saying so; nullopt otherwise (also when anything on
/// the way is unreadable: the backend's own reading then decides). libregf reads such lists as they
/// are, so a 40 KB hive can describe 64 MiB values (review D7); the libregf adapter refuses them,
/// as regf::read_big_data does. Never throws.
std::optional<std::string> big_data_reuses_a_cell(std::span<const std::uint8_t> image,
                                                  std::uint64_t cell);

}  // namespace hivelint::hive

namespace hivelint::hive {

/// How the value key (vk) whose cell starts at file offset `cell` stores its data, and the data
/// bytes as stored.
struct StoredData {
  DataStorage storage = DataStorage::kUnknown;
  std::optional<std::uint64_t> data_cell;          // kCell: the data cell; kBigData: the db record
  std::optional<std::vector<std::uint8_t>> bytes;  // nullopt when a cell on the way is unreadable
};
/// For the libregf adapter, which has no call for a value's data cell: read from the same image.
/// Never throws; storage kUnknown when the vk itself is unreadable.
StoredData stored_value_data(std::span<const std::uint8_t> image, std::uint64_t cell);

}  // namespace hivelint::hive
