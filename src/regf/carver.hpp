// Carving: old key nodes (nk) and key values (vk) that free cells still hold (free_cells.hpp). Free
// space is attacker-controlled, so a carved record is only ever read inside the free cell that
// holds it (and inside its old size, when that field is still plausible), through the same parsers
// as live records (key_node.hpp, value_key.hpp), then checked for plausibility. A carved value's
// data is read only from a free cell; when its data offset now lands in an allocated cell, the data
// belongs to something else and is not recovered. Nothing carved is followed further (no subkey
// lists, no value lists): the walk is one linear pass, capped in records and bytes.
#pragma once
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "regf/free_cells.hpp"
#include "regf/hbin_scan.hpp"

namespace hivelint::regf {

struct CarveLimits {
  std::size_t max_records = 100000;  // carved nk + vk, then the carve stops and says so
  std::size_t max_data_bytes =
      64u << 20;  // value data copied in total; later values keep their reason only
  std::size_t max_unrecovered =
      10000;  // "what could not be recovered" entries kept (the rest are counted)
  /// When not empty: keep only values with one of these names (Windows' comparison), no keys and no
  /// failures. check's previous_values asks for a few names; on a big hive with much churn this
  /// saves copying every value.
  std::vector<std::u16string> only_values_named;
};

/// What became of a carved value's data.
enum class CarvedDataState {
  kResident,  // the data sat in the vk itself (4 bytes or fewer): recovered
  kEmpty,     // data size 0
  kFreeCell,  // read from a free cell: recovered (free space may have been reused and freed again)
  kOverwritten,   // the data offset lands in an allocated cell: the bytes there belong to a live
                  // record
  kUnrecoverable  // out of range, too short, big data, over the cap: see `note`
};
const char* carved_data_state_name(CarvedDataState s);

struct CarvedValue {
  CellOffset offset;  // the old cell (its size field), relative to the hive bins
  std::u16string name;
  std::uint32_t type = 0;
  std::uint32_t data_size = 0;  // without the resident bit
  CellOffset data_cell;         // kNoCell for resident data
  CarvedDataState data_state = CarvedDataState::kUnrecoverable;
  std::vector<std::uint8_t> data;  // kResident and kFreeCell only
  std::string note;                // why the data is not recovered, or what to keep in mind
};

struct CarvedKey {
  CellOffset offset;
  std::u16string name;
  std::uint64_t last_written = 0;  // FILETIME
  CellOffset parent;
  std::optional<std::u16string> parent_name;  // when the parent offset holds a live or carved nk
  bool parent_live = false;                   // the parent is an allocated key node
  std::uint32_t subkey_count = 0;
  std::uint32_t value_count = 0;
};

struct CarveFailure {
  CellOffset offset;      // the old cell holding the signature
  std::string structure;  // "key node (nk)" / "key value (vk)"
  std::string reason;
};

struct CarveResult {
  std::size_t free_cells = 0;
  std::uint64_t free_bytes = 0;
  std::vector<CarvedKey> keys;
  std::vector<CarvedValue> values;
  std::vector<CarveFailure> unrecovered;
  std::size_t unrecovered_dropped = 0;  // failures beyond max_unrecovered (counted, not kept)
  std::optional<std::string> stopped;   // set when a cap ended the carve early
};

/// Carves every free cell of the hive `file` whose cells `cells` maps (a full map from scan_hbins).
/// `minor_version` tells whether big data (db) may occur. Throws nothing for any content of the
/// free cells.
CarveResult carve_free_cells(std::span<const std::uint8_t> file, const CellMap& cells,
                             std::uint32_t minor_version, const CarveLimits& limits = {});

/// The whole file: base block, hive bins (their damage appended to `diagnostics`), then
/// carve_free_cells. Throws FormatError when the file is not a hive or not even its first hive bin
/// is usable. `progress` is told how far the carve has read, through both of its walks (the hive
/// bins, then the free cells in file order).
CarveResult carve_hive(std::span<const std::uint8_t> file, std::vector<Diagnostic>& diagnostics,
                       const CarveLimits& limits = {}, const ReadProgress& progress = {});

/// The carved values named `name` (compared as Windows does: upcase table), in file order.
std::vector<const CarvedValue*> carved_values_named(const CarveResult& result,
                                                    std::u16string_view name);

}  // namespace hivelint::regf
