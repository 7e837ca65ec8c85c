// Fuzz target: arbitrary bytes through both HiveReader backends and the built-in rules on every
// ControlSet, plus a rule using for_each_subkey / for_each_entry (bindings followed from
// DependOnService entries to service keys).
#include "fuzz/fuzz_targets.hpp"
#include "hive/libregf_reader.hpp"
#include "hive/regf_reader.hpp"
#include "rules/control_set.hpp"
#include "rules/evaluator.hpp"
#include "rules/rule_loader.hpp"

namespace hivelint::fuzz {
namespace {

const char* const kForEachRule = R"({
  "schema_version": 1, "id": "FUZZ-FOR-EACH", "title": "dependencies exist",
  "check": { "for_each_subkey": {
    "key": "Services", "as": "svc",
    "where": { "not": { "dword_compare": { "key": "Services\\{svc}", "value": "Start", "op": "==", "to": 4 } } },
    "require": { "for_each_entry": {
      "key": "Services\\{svc}", "value": "DependOnService", "as": "dep",
      "require": { "key_exists": "Services\\{dep}" } } } } }
})";

std::vector<rules::Rule> rules_to_run() {
  std::vector<rules::Rule> out = rules::builtin_rules();
  out.push_back(rules::parse_rule(kForEachRule, "fuzz-for-each.json"));
  return out;
}

void evaluate_all(const hive::HiveReader& reader) {
  static const std::vector<rules::Rule> kRules = rules_to_run();
  const auto resolution = rules::resolve_control_sets(
      reader, rules::ControlSetChoice{rules::ControlSetSelector::kAll, 0});
  for (const auto& set : resolution.sets)
    for (const auto& rule : kRules) {
      try {
        (void)rules::evaluate_rule(rule, reader, "fuzz", set);
      } catch (const Error&) {}
    }
}

}  // namespace

void libregf_rules(std::span<const std::uint8_t> data) {
  try {
    const auto lib = hive::LibregfReader::open_memory(data, "fuzz");
    evaluate_all(*lib);
  } catch (const Error&) {}
  try {
    const hive::RegfReader ours(data);
    evaluate_all(ours);
  } catch (const Error&) {}
}

}  // namespace hivelint::fuzz

HIVELINT_FUZZ_ENTRY(libregf_rules)
