#include "regf/carver.hpp"

#include <algorithm>
#include <map>

#include "regf/base_block.hpp"
#include "regf/key_node.hpp"
#include "regf/value_key.hpp"
#include "util/upcase.hpp"

namespace hivelint::regf {
namespace {

// Plausibility of a carved record, after its parser accepted the bytes (in the spirit of yarp's
// recovery checks): Windows never writes an empty key name, a key name over 255 characters, a name
// holding NUL, or vk flags other than "name is Latin-1" (0x0001) and "tombstone" (0x0002, layered
// keys).
constexpr std::size_t kMaxKeyNameUnits = 255;
constexpr std::uint16_t kKnownVkFlags = 0x0003;

std::optional<std::string> implausible_name(const std::u16string& name, std::size_t max_units) {
  if (name.size() > max_units)
    return "name of " + std::to_string(name.size()) + " characters (at most " +
           std::to_string(max_units) + ")";
  if (name.find(u'\0') != std::u16string::npos) return std::string("name holds a NUL character");
  return std::nullopt;
}

std::size_t align8(std::size_t n) {
  return (n + kCellAlignment - 1) / kCellAlignment * kCellAlignment;
}

class Carver {
 public:
  Carver(std::span<const std::uint8_t> file, const CellMap& cells, std::uint32_t minor,
         const CarveLimits& limits, std::vector<FreeCell> free, ReadProgress progress = {})
      : file_(file),
        cells_(cells),
        minor_(minor),
        limits_(limits),
        free_(std::move(free)),
        progress_(std::move(progress)) {}

  CarveResult run() {
    result_.free_cells = free_.size();
    ProgressTicker ticker(progress_);
    for (const FreeCell& f : free_) {
      result_.free_bytes += f.size;
      if (!result_.stopped) carve_cell(f);
      ticker.at(kBaseBlockSize + std::uint64_t{f.offset.value} + f.size);
    }
    name_parents();
    ticker.finish(file_.size());
    return std::move(result_);
  }

 private:
  std::span<const std::uint8_t> file_;
  const CellMap& cells_;
  std::uint32_t minor_;
  CarveLimits limits_;
  std::vector<FreeCell> free_;
  ReadProgress progress_;
  CarveResult result_;
  std::size_t data_bytes_ = 0;

  // One free cell: every 8-byte-aligned position may be the start of an old cell (cells are
  // 8-aligned), so its data (after the 4-byte size field) is looked at for "nk" and "vk". A record
  // found is skipped as a whole.
  void carve_cell(const FreeCell& f) {
    const std::size_t start = kBaseBlockSize + f.offset.value, end = start + f.size;
    std::size_t pos = start;
    while (pos + kCellHeaderSize + 2 <= end) {
      const std::uint8_t s0 = file_[pos + 4], s1 = file_[pos + 5];
      std::size_t used = 0;
      if (s0 == 'n' && s1 == 'k')
        used = carve_key(f, pos, record_end(f, pos, end));
      else if (s0 == 'v' && s1 == 'k')
        used = carve_value(f, pos, record_end(f, pos, end));
      if (result_.stopped) return;
      pos += used > 0 ? align8(used) : kCellAlignment;
    }
  }

  // Where an old record at `pos` ends: its old size field when that is still plausible (inside this
  // free cell), else the free cell's end. The first record's size field is the free cell's own.
  std::size_t record_end(const FreeCell& f, std::size_t pos, std::size_t end) const {
    if (pos == kBaseBlockSize + f.offset.value) return end;
    const auto raw = static_cast<std::int32_t>(
        util::ByteReader(file_.subspan(pos, 4), pos, "cell").u32_at(0, "cell size"));
    const std::int64_t size = raw < 0 ? -static_cast<std::int64_t>(raw) : raw;
    if (size >= 8 && size % 8 == 0 && pos + static_cast<std::size_t>(size) <= end)
      return pos + static_cast<std::size_t>(size);
    return end;
  }

  bool take_record() {
    if (result_.keys.size() + result_.values.size() < limits_.max_records) return true;
    result_.stopped =
        "stopped after " + std::to_string(limits_.max_records) + " carved records (the cap)";
    return false;
  }

  bool filtered() const { return !limits_.only_values_named.empty(); }
  bool wanted(const std::u16string& name) const {
    return std::any_of(limits_.only_values_named.begin(), limits_.only_values_named.end(),
                       [&](const std::u16string& w) { return util::names_equal(name, w); });
  }

  void failed(std::size_t pos, const char* structure, std::string reason) {
    if (filtered()) return;
    if (result_.unrecovered.size() >= limits_.max_unrecovered) {
      ++result_.unrecovered_dropped;
      return;
    }
    result_.unrecovered.push_back(
        CarveFailure{CellOffset{static_cast<std::uint32_t>(pos - kBaseBlockSize)}, structure,
                     std::move(reason)});
  }

  // A signature right after a plausible old size field (or at the free cell's start) is an old
  // cell: when it does not parse, that is worth reporting. Elsewhere the two letters are most
  // likely data, and rejected silently.
  bool at_cell_boundary(const FreeCell& f, std::size_t pos, std::size_t rec_end,
                        std::size_t end) const {
    return pos == kBaseBlockSize + f.offset.value || rec_end != end;
  }

  util::ByteReader record(std::size_t pos, std::size_t rec_end, const char* structure) const {
    return util::ByteReader(file_.subspan(pos + kCellHeaderSize, rec_end - pos - kCellHeaderSize),
                            pos + kCellHeaderSize, structure);
  }

  std::size_t carve_key(const FreeCell& f, std::size_t pos, std::size_t rec_end) {
    const std::size_t end = kBaseBlockSize + f.offset.value + f.size;
    const CellOffset at{static_cast<std::uint32_t>(pos - kBaseBlockSize)};
    const util::ByteReader rec = record(pos, rec_end, kNkStructure);
    KeyNode k;
    // Trial parse: a FormatError here means "not a key node after all", the expected outcome for
    // many candidates.
    try {
      k = parse_key_node(rec, at);
    } catch (const FormatError& e) {
      if (at_cell_boundary(f, pos, rec_end, end)) failed(pos, kNkStructure, e.what());
      return 0;
    }
    std::optional<std::string> bad = k.name.empty() ? std::optional<std::string>("empty name")
                                                    : implausible_name(k.name, kMaxKeyNameUnits);
    if (bad) {
      if (at_cell_boundary(f, pos, rec_end, end)) failed(pos, kNkStructure, "implausible: " + *bad);
      return 0;
    }
    const std::size_t used = kCellHeaderSize + kNkFixedSize + rec.u16(kNkKeyNameLength);
    if (filtered()) return used;
    if (!take_record()) return 0;
    CarvedKey c;
    c.offset = at;
    c.name = k.name;
    c.last_written = k.last_written;
    c.parent = k.parent;
    c.subkey_count = k.subkey_count;
    c.value_count = k.value_count;
    result_.keys.push_back(std::move(c));
    return used;
  }

  std::size_t carve_value(const FreeCell& f, std::size_t pos, std::size_t rec_end) {
    const std::size_t end = kBaseBlockSize + f.offset.value + f.size;
    const CellOffset at{static_cast<std::uint32_t>(pos - kBaseBlockSize)};
    const util::ByteReader rec = record(pos, rec_end, kVkStructure);
    ValueKey v;
    std::uint16_t flags = 0;
    try {
      v = parse_value_key(rec, at);
      flags = rec.u16(kVkFlags);
    } catch (const FormatError& e) {
      if (at_cell_boundary(f, pos, rec_end, end)) failed(pos, kVkStructure, e.what());
      return 0;
    }
    std::optional<std::string> bad = implausible_name(v.name, kMaxNameUnits);
    if (!bad && (flags & ~kKnownVkFlags) != 0)
      bad = "flags " + util::hex_offset(flags) + " (only 0x1 and 0x2 are defined)";
    if (bad) {
      if (at_cell_boundary(f, pos, rec_end, end)) failed(pos, kVkStructure, "implausible: " + *bad);
      return 0;
    }
    const std::size_t used = kCellHeaderSize + kVkFixedSize + rec.u16(kVkNameLength);
    if (filtered() && !wanted(v.name)) return used;
    if (!take_record()) return 0;
    CarvedValue c;
    c.offset = at;
    c.name = v.name;
    c.type = v.type;
    c.data_size = v.data_size;
    recover_data(v, c);
    result_.values.push_back(std::move(c));
    return used;
  }

  void recover_data(const ValueKey& v, CarvedValue& c) {
    if (v.resident) {
      c.data_state = CarvedDataState::kResident;
      for (std::uint32_t i = 0; i < v.data_size; ++i)
        c.data.push_back(static_cast<std::uint8_t>(v.data_offset_field >> (8 * i)));
      return;
    }
    if (v.data_size == 0) {
      c.data_state = CarvedDataState::kEmpty;
      return;
    }
    c.data_cell = CellOffset{v.data_offset_field};
    const std::string where = "data cell " + util::hex_offset(to_file_offset(c.data_cell).value);
    if (c.data_cell.is_none() || c.data_cell.value % kCellAlignment != 0) {
      c.note = "data offset " + util::hex_offset(v.data_offset_field) + " is not a cell offset";
      return;
    }
    if (cells_.is_allocated(c.data_cell)) {
      c.data_state = CarvedDataState::kOverwritten;
      c.note =
          where + " is allocated again: its bytes belong to a live record, not to this old value";
      return;
    }
    const FreeCell* holder = free_cell_containing(free_, c.data_cell);
    if (holder == nullptr) {
      const bool in_bins =
          std::any_of(cells_.bins().begin(), cells_.bins().end(), [&](const HbinInfo& b) {
            const std::uint64_t at = to_file_offset(c.data_cell).value;
            return at >= b.file_offset && at < b.file_offset + b.size;
          });
      c.data_state = in_bins ? CarvedDataState::kOverwritten : CarvedDataState::kUnrecoverable;
      c.note = in_bins ? where + " lies inside an allocated cell: overwritten"
                       : where + " is outside the hive bins";
      return;
    }
    const std::size_t cell_at = to_file_offset(c.data_cell).value;
    const std::size_t holder_end = kBaseBlockSize + holder->offset.value + holder->size;
    std::size_t cell_end = holder_end;
    if (holder->offset != c.data_cell) {
      const auto raw = static_cast<std::int32_t>(
          util::ByteReader(file_.subspan(cell_at, 4), cell_at, "cell").u32_at(0, "cell size"));
      const std::int64_t size = raw < 0 ? -static_cast<std::int64_t>(raw) : raw;
      if (size < 8 || size % 8 != 0 || cell_at + static_cast<std::size_t>(size) > holder_end) {
        c.note = where + " has an old size field of " + std::to_string(raw) +
                 ", not a cell inside its free cell";
        return;
      }
      cell_end = cell_at + static_cast<std::size_t>(size);
    }
    const std::size_t available = cell_end - cell_at - kCellHeaderSize;
    if (v.data_size > kMaxDataWithoutBigData && minor_ >= kMinMinorVersionForBigData &&
        available >= 2 && file_[cell_at + 4] == 'd' && file_[cell_at + 5] == 'b') {
      c.note = where + " is a big data (db) record: its segments are not carved";
      return;
    }
    if (v.data_size > available) {
      c.note = where + " holds " + std::to_string(available) + " bytes, the value needs " +
               std::to_string(v.data_size);
      return;
    }
    if (data_bytes_ + v.data_size > limits_.max_data_bytes) {
      c.note = "not copied: the carve's cap of " + std::to_string(limits_.max_data_bytes) +
               " data bytes is reached";
      return;
    }
    data_bytes_ += v.data_size;
    const auto bytes = file_.subspan(cell_at + kCellHeaderSize, v.data_size);
    c.data.assign(bytes.begin(), bytes.end());
    c.data_state = CarvedDataState::kFreeCell;
  }

  // A carved key's parent: a live key node (read through the cell map) or another carved one. One
  // lookup each, never a walk up the chain.
  void name_parents() {
    std::map<std::uint32_t, const CarvedKey*> carved;
    for (const auto& k : result_.keys) carved.emplace(k.offset.value, &k);
    for (auto& k : result_.keys) {
      if (k.parent.is_none()) continue;
      if (cells_.is_allocated(k.parent)) {
        try {
          const util::ByteReader cell = cells_.get(k.parent, kNkStructure);
          if (!cell.has_signature("nk")) continue;
          k.parent_name = parse_key_node(cell, k.parent).name;
          k.parent_live = true;
        } catch (const FormatError&) {
          // the parent offset names a cell that is not a readable key node: the name stays unknown
        }
      } else if (const auto it = carved.find(k.parent.value); it != carved.end()) {
        k.parent_name = it->second->name;
      }
    }
  }
};

}  // namespace

const char* carved_data_state_name(CarvedDataState s) {
  switch (s) {
    case CarvedDataState::kResident:
      return "resident";
    case CarvedDataState::kEmpty:
      return "empty";
    case CarvedDataState::kFreeCell:
      return "free_cell";
    case CarvedDataState::kOverwritten:
      return "overwritten";
    case CarvedDataState::kUnrecoverable:
      return "unrecoverable";
  }
  return "unrecoverable";
}

CarveResult carve_free_cells(std::span<const std::uint8_t> file, const CellMap& cells,
                             std::uint32_t minor_version, const CarveLimits& limits) {
  return Carver(file, cells, minor_version, limits, scan_free_cells(file, cells)).run();
}

CarveResult carve_hive(std::span<const std::uint8_t> file, std::vector<Diagnostic>& diagnostics,
                       const CarveLimits& limits, const ReadProgress& progress) {
  const BaseBlock base = parse_base_block(file, diagnostics);
  std::vector<FreeCell>
      free;  // from the same walk as the allocated cells: one pass over the file, not two
  const CellMap cells = scan_hbins(file, base, diagnostics, &free, progress);
  return Carver(file, cells, base.minor_version, limits, std::move(free), progress).run();
}

std::vector<const CarvedValue*> carved_values_named(const CarveResult& result,
                                                    std::u16string_view name) {
  std::vector<const CarvedValue*> out;
  for (const auto& v : result.values)
    if (util::names_equal(v.name, name)) out.push_back(&v);
  return out;
}

}  // namespace hivelint::regf
