// Fuzz target: arbitrary bytes through both HiveReader backends and the KB277770 rule on every ControlSet.
#include "fuzz/fuzz_targets.hpp"
#include "hive/libregf_reader.hpp"
#include "hive/regf_reader.hpp"
#include "rules/control_set.hpp"
#include "rules/evaluator.hpp"
#include "rules/rule_loader.hpp"

namespace hivelint::fuzz {
namespace {

void evaluate_all(const hive::HiveReader& reader) {
  static const std::vector<rules::Rule> kRules = rules::builtin_rules();
  const auto resolution = rules::resolve_control_sets(reader, rules::ControlSetChoice{rules::ControlSetSelector::kAll, 0});
  for (const auto& set : resolution.sets)
    for (const auto& rule : kRules) {
      try {
        (void)rules::evaluate_rule(rule, reader, "fuzz", set);
      } catch (const Error&) {
      }
    }
}

}  // namespace

void libregf_rules(std::span<const std::uint8_t> data) {
  try {
    const auto lib = hive::LibregfReader::open_memory(data, "fuzz");
    evaluate_all(*lib);
  } catch (const Error&) {
  }
  try {
    const hive::RegfReader ours(data);
    evaluate_all(ours);
  } catch (const Error&) {
  }
}

}  // namespace hivelint::fuzz

HIVELINT_FUZZ_ENTRY(libregf_rules)
