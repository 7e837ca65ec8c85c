// Key security "sk" (spec "Key security"): a security descriptor shared by keys, in a circular
// list. | 0 | 2 | "sk" | 2 | 2 | reserved | 4 | 4 | flink | 8 | 4 | blink | 12 | 4 | reference
// count | 16 | 4 | security descriptor size | 20 | … | security descriptor (self-relative)
#pragma once
#include <cstdint>
#include <vector>

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

}  // namespace hivelint::regf
