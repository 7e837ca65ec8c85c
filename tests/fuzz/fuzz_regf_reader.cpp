// Fuzz target: arbitrary bytes through hivelint's own regf layer.
#include "fuzz/fuzz_targets.hpp"
#include "regf/reader.hpp"
#include "regf/verify.hpp"

namespace hivelint::fuzz {

void regf_reader(std::span<const std::uint8_t> data) {
  try {
    const auto result = regf::verify_hive(data);
    if (result.findings.size() > regf::kMaxVerifyFindings)
      fail("regf_reader", "verify kept more findings than its cap");
  } catch (const Error&) {}
  try {
    const regf::Reader reader(data);
    std::vector<regf::Diagnostic> damage;
    (void)reader.salvage_tree(damage);
    (void)reader.read_tree();
  } catch (const Error&) {}
}

}  // namespace hivelint::fuzz

HIVELINT_FUZZ_ENTRY(regf_reader)
