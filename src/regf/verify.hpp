// Structural verification of a whole hive: the offline counterpart of the check Windows runs when
// it loads a hive (spec "Base block", "Hive bin", "Cell" and every cell type; Windows' loader
// checks the same things before it trusts a hive). One pass over the cells, one walk over the key
// tree:
//
// * base block: signature, versions, file type/format, clustering factor, checksum, sequence
// numbers, hive bins
//   data size against the bins present and the file size, root cell;
// * every hive bin (signature, offset, size) and every cell (size, alignment, inside its bin) via
// hbin_scan;
// * every reference (nk parent, subkey lists of every kind, value lists, vk data, db records,
// segment lists and
//   segments, class names, sk cells) lands on an allocated cell of the right type, used by nothing
//   else;
// * subkey lists: element counts against the key's count, order (Windows' upcased order),
// duplicates, lh hashes
//   and lf hints; ri lists hold leaves only;
// * the key's largest-name/class/data fields are at least the real maxima (Windows sizes its
// buffers by them);
// * security cells: the flink/blink ring, every key's sk on it, reference counts against the keys
// using each;
// * cycles (a key node reached twice), depth beyond kMaxDepth.
//
// A finding is a Diagnostic: kError is an inconsistency (the CLI exits 1), kInfo something Windows
// itself writes or tolerates (leaked cells, reference counts raised by volatile keys that never
// reach the file).
#pragma once
#include <cstddef>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "regf/diagnostics.hpp"

namespace hivelint::regf {

/// Kept findings per run; past it findings are only counted (a hostile hive could otherwise produce
/// millions).
inline constexpr std::size_t kMaxVerifyFindings = 10000;

using VerifyFinding = Diagnostic;

struct VerifyStats {
  std::uint64_t file_size = 0;
  std::uint32_t minor_version = 0;
  std::size_t hive_bins = 0;
  std::size_t allocated_cells = 0;
  std::size_t keys = 0;
  std::size_t values = 0;
  std::size_t security_cells = 0;
  std::size_t unreferenced_cells = 0;  // allocated but reached by no reference (leaked)
};

struct VerifyResult {
  std::vector<VerifyFinding> findings;  // in file/walk order, at most kMaxVerifyFindings
  std::size_t error_count = 0;          // every kError finding, also those past the cap
  std::size_t info_count = 0;           // every kInfo finding
  VerifyStats stats;
  /// With VerifyOptions::touched: file offsets of the key nodes whose own cells (node, class name,
  /// value list, values, data, big-data records and segments, subkey lists; not the shared sk)
  /// overlap a touched range, sorted, each once.
  std::vector<std::uint64_t> affected_keys;
  /// No inconsistency (infos allowed).
  bool clean() const noexcept { return error_count == 0; }
};

struct VerifyOptions {
  /// Sorted, disjoint [begin, end) file-offset ranges of cells that changed (fix's touched cells
  /// and new bins); empty: no attribution.
  std::vector<std::pair<std::uint64_t, std::uint64_t>> touched;
};

class Reader;

/// The same over a hive `reader` has already scanned (its base block, hive-bin diagnostics and cell
/// map are reused), attributing touched cells to their keys (VerifyResult::affected_keys).
VerifyResult verify_hive(std::span<const std::uint8_t> bytes, const Reader& reader,
                         const VerifyOptions& options);

/// Verifies the whole hive in `bytes`. Throws FormatError only when the hive is unreadable: shorter
/// than a base block, no "regf" signature, major version other than 1, first hive bin unusable, or
/// a root cell that is not a key node. Every other defect is a finding. Runs in time linear in the
/// file size (one pass, one walk).
VerifyResult verify_hive(std::span<const std::uint8_t> bytes);

}  // namespace hivelint::regf
