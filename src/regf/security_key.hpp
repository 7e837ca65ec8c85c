// Key security "sk" (spec "Key security"): a security descriptor shared by keys, in a circular
// list. | 0 | 2 | "sk" | 2 | 2 | reserved | 4 | 4 | flink | 8 | 4 | blink | 12 | 4 | reference
// count | 16 | 4 | security descriptor size | 20 | … | security descriptor (self-relative)
#pragma once
#include <cstdint>
#include <vector>

#include "regf/cell_allocator.hpp"
#include "regf/format.hpp"
#include "util/bytes.hpp"

namespace hivelint::regf {

struct SecurityKey {
  CellOffset offset;
  CellOffset flink;
  CellOffset blink;
  std::uint32_t reference_count = 0;
  std::vector<std::uint8_t> descriptor;
};

/// Parses the sk record in `cell`. Throws FormatError when the signature is wrong or the descriptor
/// overruns the cell, or when the descriptor is not a self-relative SECURITY_DESCRIPTOR (revision
/// 1, SE_SELF_RELATIVE).
SecurityKey parse_security_key(const util::ByteReader& cell, CellOffset offset);

/// A cell for an sk record holding a descriptor of `descriptor_size` bytes, allocated as "key
/// security (sk)".
CellOffset allocate_security_key(CellAllocator& cells, std::size_t descriptor_size);

/// parse_security_key's inverse: writes `sk` into its cell `sk.offset` (from
/// allocate_security_key for the same descriptor size).
void write_security_key(CellAllocator& cells, const SecurityKey& sk);

}  // namespace hivelint::regf
