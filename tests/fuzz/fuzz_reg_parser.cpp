// Fuzz target: arbitrary bytes as a .reg file.
#include "fuzz/fuzz_targets.hpp"
#include "regfile/reg_parser.hpp"
#include "util/error.hpp"

namespace hivelint::fuzz {
namespace {

// Every seed lives under HKEY_LOCAL_MACHINE; with that as the prefix no seed is refused for its
// first key.
regfile::RegParseOptions hkey_local_machine() {
  regfile::RegParseOptions o;
  o.prefix = "HKEY_LOCAL_MACHINE";
  return o;
}

}  // namespace

void reg_parser(std::span<const std::uint8_t> data) {
  try {
    (void)regfile::parse_reg(data, hkey_local_machine(), "fuzz.reg");
  } catch (const Error&) {}
}

}  // namespace hivelint::fuzz

HIVELINT_FUZZ_ENTRY(reg_parser)
