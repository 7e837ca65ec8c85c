// Test support: hand-crafted hive images, cell by cell, for structure-level tests of the regf
// reader. Unlike regf::build_hive (which only writes valid hives), nothing here checks anything:
// tests put exactly the bytes they want, broken ones included, and get back the cell offsets to
// refer to them.
#pragma once
#include <cstdint>
#include <initializer_list>
#include <string_view>
#include <vector>

#include "regf/format.hpp"

namespace hivelint::test {

/// A record's bytes, written at fixed offsets (little-endian).
struct Record {
  std::vector<std::uint8_t> bytes;

  explicit Record(std::size_t size = 0) : bytes(size, 0) {}
  Record& ascii(std::size_t at, std::string_view text);  // grows as needed
  Record& u16(std::size_t at, std::uint16_t v);
  Record& u32(std::size_t at, std::uint32_t v);
  Record& u64(std::size_t at, std::uint64_t v);
  Record& utf16(std::size_t at, std::u16string_view text);
};

/// An nk record with a Latin-1 ("compressed") name and no subkeys, values, class name or security.
Record nk(std::string_view name, regf::CellOffset parent = regf::kNoCell,
          std::uint16_t flags = regf::kKeyCompName);
/// An nk record with a UTF-16LE name.
Record nk_utf16(std::u16string_view name, regf::CellOffset parent = regf::kNoCell);
/// Sets an nk's subkey count and list.
Record& with_subkeys(Record& nk, std::uint32_t count, regf::CellOffset list);
/// Sets an nk's value count and list.
Record& with_values(Record& nk, std::uint32_t count, regf::CellOffset list);
/// A vk record with a Latin-1 name; `size_field` is stored as given (set the top bit for resident
/// data).
Record vk(std::string_view name, std::uint32_t type, std::uint32_t size_field,
          std::uint32_t data_offset);
/// An li or ri record (4-byte elements).
Record offsets_list(std::string_view signature, std::initializer_list<regf::CellOffset> offsets);
/// An lf or lh record: (offset, hint-or-hash) pairs.
Record pairs_list(std::string_view signature,
                  std::initializer_list<std::pair<regf::CellOffset, std::uint32_t>> elements);
/// A plain list of cell offsets (key values list, big data segment list).
Record offsets(std::initializer_list<regf::CellOffset> offsets);

/// A hive image: a base block and hive bins holding the cells added, in order.
class CellImage {
 public:
  /// Appends an allocated cell with `data` (the cell is padded to a multiple of 8) and returns its
  /// offset.
  regf::CellOffset add(const Record& data);
  regf::CellOffset add(const std::vector<std::uint8_t>& data);
  /// Appends a free cell of `size` bytes (a multiple of 8, at least 8).
  regf::CellOffset add_free(std::size_t size);
  /// Starts a new hive bin; later cells go there.
  void new_bin();
  void set_root(regf::CellOffset root) { root_ = root; }
  void set_minor_version(std::uint32_t minor) { minor_ = minor; }
  /// The file: base block (valid checksum, sequence numbers equal, sizes right) + hive bins, each
  /// padded with a free cell to a multiple of 4096.
  std::vector<std::uint8_t> bytes() const;
  /// The file offset of a cell's data (after its size field), for poking.
  static std::size_t data_at(regf::CellOffset cell) {
    return regf::kBaseBlockSize + cell.value + regf::kCellHeaderSize;
  }

 private:
  struct Cell {
    std::uint32_t offset;
    std::vector<std::uint8_t> data;  // for allocated cells
    std::size_t size;                // including the size field
    bool allocated;
  };
  struct Bin {
    std::uint32_t start;  // relative to the hive bins data
    std::vector<Cell> cells;
  };
  regf::CellOffset append(std::vector<std::uint8_t> data, std::size_t size, bool allocated);
  std::vector<Bin> bins_{Bin{0, {}}};
  std::uint32_t cursor_ = static_cast<std::uint32_t>(regf::kHbinHeaderSize);
  regf::CellOffset root_{32};
  std::uint32_t minor_ = 5;
};

void poke_u16(std::vector<std::uint8_t>& bytes, std::size_t at, std::uint16_t v);
void poke_u32(std::vector<std::uint8_t>& bytes, std::size_t at, std::uint32_t v);

}  // namespace hivelint::test
