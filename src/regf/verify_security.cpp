// verify_hive's check of the key security cells (spec "Key security"): the sk cells form one
// circular doubly linked list (flink/blink), every key's sk is on it, and each reference count
// covers the keys using it.
#include <set>

#include "regf/security_key.hpp"
#include "regf/verify_context.hpp"

namespace hivelint::regf::verify_detail {

void Verifier::check_security() {
  result_.stats.security_cells = sk_references_.size();
  if (sk_references_.empty()) return;
  // Walk the ring from the root key's sk (the first one the walk counted is not necessarily the
  // root's, but every sk must be on the same ring, so any start will do). Each step must land on a
  // used sk cell.
  const CellOffset start{sk_references_.begin()->first};
  std::set<std::uint32_t> on_ring;
  CellOffset current = start;
  for (std::size_t steps = 0; steps <= sk_references_.size() + cells_.allocated_count(); ++steps) {
    if (!on_ring.insert(current.value).second) {
      if (current != start)
        error(kSkStructure, to_file_offset(current).value,
              "is reached twice along the flink chain from " +
                  util::hex_offset(to_file_offset(start).value) + ": the list is not a ring");
      break;
    }
    const util::ByteReader cell =
        cells_.get(current, kSkStructure);  // current is an allocated sk (checked below)
    const CellOffset next{cell.u32(kSkFlink)};
    const std::size_t i = index_of(next);
    if (i == static_cast<std::size_t>(-1) || !cells_.get(next, kSkStructure).has_signature("sk")) {
      error(kSkStructure, cell.file_offset(),
            std::string(kSkFlink.name) + " is " + util::hex_offset(next.value) +
                ", expected the offset of a key security cell (it is " + where_is(next) + ")");
      break;
    }
    const CellOffset back{cells_.get(next, kSkStructure).u32(kSkBlink)};
    if (back != current)
      error(kSkStructure, to_file_offset(next).value,
            std::string(kSkBlink.name) + " is " + util::hex_offset(back.value) + ", expected " +
                util::hex_offset(current.value) + " (the cell whose flink points here)");
    if (uses_[i] == CellUse::kNone) {
      uses_[i] = CellUse::kSecurity;  // on the ring but used by no key: Windows frees such cells
      add(Severity::kInfo, kSkStructure, to_file_offset(next).value,
          "is on the security list but no key uses it");
    } else if (uses_[i] != CellUse::kSecurity) {
      error(kSkStructure, cell.file_offset(),
            std::string(kSkFlink.name) + " points to " + util::hex_offset(next.value) +
                ", a cell used as " + use_name(uses_[i]));
      break;
    }
    current = next;
  }
  for (const auto& [offset, keys] : sk_references_) {
    const CellOffset at{offset};
    const util::ByteReader cell = cells_.get(at, kSkStructure);
    if (!on_ring.contains(offset))
      error(kSkStructure, cell.file_offset(),
            "is used by " + std::to_string(keys) +
                " key(s) but is not on the security list starting at " +
                util::hex_offset(to_file_offset(start).value));
    try {
      const SecurityKey sk = parse_security_key(cell, at);
      // Volatile keys (never written to the file) hold references too, so a larger count is what
      // Windows writes; a smaller one would let Windows free a descriptor still in use.
      if (sk.reference_count < keys)
        error(kSkStructure, cell.file_offset(),
              std::string(kSkReferenceCount.name) + " is " + std::to_string(sk.reference_count) +
                  ", expected at least " + std::to_string(keys) + " (the keys using it)");
      else if (sk.reference_count > keys)
        add(Severity::kInfo, kSkStructure, cell.file_offset(),
            std::string(kSkReferenceCount.name) + " is " + std::to_string(sk.reference_count) +
                ", " + std::to_string(keys) +
                " key(s) in the file use it (volatile keys hold the rest)");
    } catch (const FormatError& err) {
      const Diagnostic d = diagnostic_from(err);
      error(d.structure, d.file_offset, d.message);
    }
  }
}

}  // namespace hivelint::regf::verify_detail
