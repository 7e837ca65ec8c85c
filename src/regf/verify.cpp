#include "regf/verify.hpp"

#include <algorithm>

#include "regf/reader.hpp"
#include "regf/verify_context.hpp"

namespace hivelint::regf {
namespace verify_detail {

const char* use_name(CellUse use) noexcept {
  switch (use) {
    case CellUse::kNone:
      return "nothing";
    case CellUse::kKeyNode:
      return "a key node (nk)";
    case CellUse::kSubkeyList:
      return "a subkeys list";
    case CellUse::kValueList:
      return "a key values list";
    case CellUse::kValueKey:
      return "a key value (vk)";
    case CellUse::kValueData:
      return kValueDataStructure;
    case CellUse::kBigData:
      return "a big data record (db)";
    case CellUse::kSegmentList:
      return "a big data segment list";
    case CellUse::kSegment:
      return "a big data segment";
    case CellUse::kClassName:
      return "a class name";
    case CellUse::kSecurity:
      return "a key security cell (sk)";
  }
  return "nothing";
}

void Verifier::add(Severity severity, std::string structure, std::uint64_t file_offset,
                   std::string message) {
  if (severity == Severity::kInfo)
    ++result_.info_count;
  else
    ++result_.error_count;
  if (result_.findings.size() < kMaxVerifyFindings)
    result_.findings.push_back(
        Diagnostic{severity, std::move(structure), file_offset, std::move(message)});
}

std::size_t Verifier::index_of(CellOffset offset) const {
  return offset.is_none() ? static_cast<std::size_t>(-1) : cells_.index_of(offset);
}

std::string Verifier::where_is(CellOffset target) const {
  if (target.is_none()) return "none (0xffffffff)";
  const std::uint64_t file = to_file_offset(target).value;
  const auto& bins = cells_.bins();
  // Bins are in file order: the last one starting at or before `file` is the only candidate.
  const auto after =
      std::upper_bound(bins.begin(), bins.end(), file,
                       [](std::uint64_t f, const HbinInfo& b) { return f < b.file_offset; });
  if (after == bins.begin() || file >= (after - 1)->file_offset + (after - 1)->size)
    return "outside every hive bin";
  const auto bin = after - 1;
  if (file < bin->file_offset + kHbinHeaderSize)
    return "inside the header of the hive bin at " + util::hex_offset(bin->file_offset);
  const auto& all = cells_.allocated();
  const auto it = std::upper_bound(all.begin(), all.end(), target.value);
  if (it != all.begin()) {
    const CellOffset start{*(it - 1)};
    const util::ByteReader cell = cells_.get(start, "cell");
    if (target.value - start.value < cell.size() + kCellHeaderSize)
      return "inside the allocated cell at " + util::hex_offset(to_file_offset(start).value);
  }
  return "in free space or a free cell";
}

// Whether any byte of the cell (size field included) lies in a touched range. Its whole extent
// counts, not just its start: a change reported at the wrong offset (inside a cell, not at its
// start) must still reach the key that reads the cell. Called for every reference of the walk, so
// the extent is read only when needed, from the size field as it stands (where `cell` is no
// allocated cell start, claim() reports that; any extent will do).
bool Verifier::is_touched(CellOffset cell) const {
  const std::uint64_t at = to_file_offset(cell).value;
  // The first range ending after `at` is the only one that can hold a byte of the cell: ranges are
  // disjoint and sorted.
  const auto it =
      std::upper_bound(touched_->begin(), touched_->end(), at,
                       [](std::uint64_t a, const std::pair<std::uint64_t, std::uint64_t>& r) {
                         return a < r.second;
                       });
  if (it == touched_->end()) return false;
  if (it->first <= at) return true;
  if (at > bytes_.size() || bytes_.size() - at < kCellHeaderSize) return false;
  const std::int32_t raw =
      util::ByteReader(bytes_.subspan(static_cast<std::size_t>(at), kCellHeaderSize), at, "cell")
          .i32(kCellSize);
  const std::uint64_t size = raw < 0 ? static_cast<std::uint64_t>(-static_cast<std::int64_t>(raw))
                                     : static_cast<std::uint64_t>(raw);
  return it->first - at < size;
}

// A key reads a touched cell: the key is affected. The shared sk is not part of what a key reads as
// content; a child's key node is attributed to the child (check_key).
void Verifier::note_touched(CellOffset cell, CellUse use) {
  if (!touched_ || cell.is_none() || use == CellUse::kSecurity || current_key_.is_none() ||
      !is_touched(cell))
    return;
  const std::uint64_t key = to_file_offset(current_key_).value;
  if (result_.affected_keys.empty() || result_.affected_keys.back() != key)
    result_.affected_keys.push_back(key);
}

bool Verifier::claim(CellOffset target, CellUse use, const std::string& from_structure,
                     std::uint64_t from, const char* field) {
  // Attributed before the claim can fail: a touched cell used twice affects both keys.
  if (use != CellUse::kKeyNode) note_touched(target, use);
  const std::size_t i = index_of(target);
  if (i == static_cast<std::size_t>(-1)) {
    error(from_structure, from,
          std::string(field) + " is " + util::hex_offset(target.value) +
              ", expected the start of an allocated cell (" + use_name(use) + "); it is " +
              where_is(target));
    return false;
  }
  if (uses_[i] == CellUse::kNone || (use == CellUse::kSecurity && uses_[i] == CellUse::kSecurity)) {
    uses_[i] = use;
    return true;
  }
  error(from_structure, from,
        std::string(field) + " is " + util::hex_offset(target.value) + ", a cell already used as " +
            use_name(uses_[i]) + ", expected " + use_name(use) + " of its own");
  return false;
}

void Verifier::report_unreferenced() {
  const auto& all = cells_.allocated();
  std::size_t count = 0;
  std::uint64_t first = 0, bytes = 0;
  for (std::size_t i = 0; i < all.size(); ++i) {
    if (uses_[i] != CellUse::kNone) continue;
    const CellOffset at{all[i]};
    if (count == 0) first = to_file_offset(at).value;
    bytes += cells_.get(at, "cell").size() + kCellHeaderSize;
    ++count;
  }
  result_.stats.unreferenced_cells = count;
  // Windows leaves such cells behind itself (seen in Windows-written hives here) and its loader
  // ignores them: noted, not an inconsistency. One finding for all of them keeps the report
  // readable.
  if (count != 0)
    add(Severity::kInfo, "cell", first,
        std::to_string(count) + " allocated cell(s), " + std::to_string(bytes) +
            " bytes, are referenced by nothing (leaked; the first is here)");
}

}  // namespace verify_detail

namespace {

void check_base_block(std::span<const std::uint8_t> bytes, const BaseBlock& b,
                      verify_detail::Verifier& v) {
  const auto field = [&](const Field& f, const std::string& message) {
    v.error(kBaseBlockStructure, f.offset, std::string(f.name) + " " + message);
  };
  if (b.is_dirty())
    field(
        kBbSecondarySequence,
        "is " + std::to_string(b.secondary_sequence) + ", expected " +
            std::to_string(b.primary_sequence) +
            " (the primary sequence number): the hive is dirty, a write was not completed and its "
            "transaction logs hold the rest");
  if (b.clustering_factor != 1)
    field(kBbClusteringFactor, "is " + std::to_string(b.clustering_factor) + ", expected 1");
  // Whether the bins fill the declared hive bins data size is settled by the two calls before this
  // one: parse_base_block notes a size that is not a multiple of 4096 or larger than the file, and
  // scan_hbins stops (with a finding) at the first bin that is broken or overruns that size. Left
  // to note here: bins *beyond* it.
  const std::uint64_t end = kBaseBlockSize + std::uint64_t{b.hive_bins_data_size};
  if (bytes.size() > end && b.hive_bins_data_size % kHbinSizeAlignment == 0)
    v.add(Severity::kInfo, kBaseBlockStructure, kBbHiveBinsDataSize.offset,
          std::to_string(bytes.size() - end) +
              " bytes follow the hive bins data (ignored by Windows)");
}

}  // namespace

namespace {

VerifyResult verify_parsed(std::span<const std::uint8_t> bytes, const BaseBlock& base,
                           const CellMap& cells, std::vector<Diagnostic> scan,
                           const VerifyOptions* options) {
  VerifyResult result;
  verify_detail::Verifier v(bytes, base, cells, result, options);
  // parse_base_block's and scan_hbins' findings are all inconsistencies (Windows' loader refuses or
  // repairs each).
  for (auto& d : scan) v.error(std::move(d.structure), d.file_offset, std::move(d.message));
  check_base_block(bytes, base, v);
  result.stats.file_size = bytes.size();
  result.stats.minor_version = base.minor_version;
  result.stats.hive_bins = cells.bins().size();
  result.stats.allocated_cells = cells.allocated_count();
  v.walk_keys();
  v.check_security();
  v.report_unreferenced();
  std::sort(result.affected_keys.begin(), result.affected_keys.end());
  result.affected_keys.erase(std::unique(result.affected_keys.begin(), result.affected_keys.end()),
                             result.affected_keys.end());
  return result;
}

}  // namespace

VerifyResult verify_hive(std::span<const std::uint8_t> bytes, const Reader& reader,
                         const VerifyOptions& options) {
  return verify_parsed(bytes, reader.base_block(), reader.cells(), reader.diagnostics(), &options);
}

VerifyResult verify_hive(std::span<const std::uint8_t> bytes) {
  std::vector<Diagnostic> scan;
  const BaseBlock base = parse_base_block(bytes, scan);  // throws when unreadable
  const CellMap cells = [&] {
    try {
      return scan_hbins(bytes, base, scan);  // throws when not even the first bin is usable
    } catch (const FormatError& e) {
      // A transaction log has a base block but no hive bins where a primary has them: say so first.
      if (base.file_type == kFileTypePrimary) throw;
      throw FormatError(
          {kBaseBlockStructure, 0, kBbFileType.name, "0 (primary)", std::to_string(base.file_type)},
          "file type is " + std::to_string(base.file_type) +
              ", a transaction log (1, 2 or 6), not a primary hive file; " + e.what());
    }
  }();
  return verify_parsed(bytes, base, cells, std::move(scan), nullptr);
}

}  // namespace hivelint::regf
