// Fuzz target: arbitrary bytes through both HiveReader backends (hivelint's with its cell map full
// and lazy, whose verdicts must agree on a hive without damage) and the built-in rules on every
// ControlSet, plus a rule using for_each_subkey / for_each_entry (bindings followed from
// DependOnService entries to service keys).
#include <optional>
#include <vector>

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

// Each rule's status on each ControlSet ("error" when evaluation threw).
std::vector<rules::Status> evaluate_all(const hive::HiveReader& reader) {
  static const std::vector<rules::Rule> kRules = rules_to_run();
  std::vector<rules::Status> statuses;
  const auto resolution = rules::resolve_control_sets(
      reader, rules::ControlSetChoice{rules::ControlSetSelector::kAll, 0});
  for (const auto& set : resolution.sets)
    for (const auto& rule : kRules) {
      try {
        statuses.push_back(rules::evaluate_rule(rule, reader, "fuzz", set).status);
      } catch (const Error&) {
        statuses.push_back(rules::Status::kError);
      }
    }
  return statuses;
}

}  // namespace

void libregf_rules(std::span<const std::uint8_t> data) {
  try {
    const auto lib = hive::LibregfReader::open_memory(data, "fuzz");
    evaluate_all(*lib);
  } catch (const Error&) {}
  // hivelint's reader both ways: every cell scanned when opened, and (as check reads) each hive
  // bin's cells scanned when a lookup first lands in it. Where the full scan found no damage at
  // all, the two must reach the same verdicts.
  std::optional<std::vector<rules::Status>> full, lazy;
  bool full_clean = false;
  try {
    const hive::RegfReader ours(data);
    full = evaluate_all(ours);
    full_clean = ours.diagnostics().empty();
  } catch (const Error&) {}
  try {
    const hive::RegfReader ours(data, true);
    lazy = evaluate_all(ours);
  } catch (const Error&) {}
  if (full_clean && lazy && *full != *lazy) __builtin_trap();
}

}  // namespace hivelint::fuzz

HIVELINT_FUZZ_ENTRY(libregf_rules)
