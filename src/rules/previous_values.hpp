// Previous values (issue 13 §2): the free value cells that carry the name of a value a rule checks,
// attached to its result as details.previous_values, so a report can say what DispatchEntries held
// before it was broken.
#pragma once
#include <vector>

#include "regf/carver.hpp"
#include "rules/evaluator.hpp"

namespace hivelint::rules {

/// A carved value as a previous value (names as UTF-8, offsets as file offsets, state as its name).
PreviousValue to_previous_value(const regf::CarvedValue& value);

/// The names of the values `result` checks: each finding's value and each item's value, first-seen
/// order, compared as Windows compares names.
std::vector<std::string> checked_value_names(const RuleResult& result);

/// Sets result.previous_values to the carved values named like one of checked_value_names(result).
void attach_previous_values(RuleResult& result, const regf::CarveResult& carved);

}  // namespace hivelint::rules
