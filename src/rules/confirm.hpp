// Two readers behind every verdict (issue 14). With `--backend both`, hivelint's own reader
// evaluates the rules (it reads a 500 MB hive in a fraction of libregf's time), then libregf
// confirms each result. A rule without for_each (KB277770: a few point lookups) is evaluated again
// through libregf, and the verdict, the missing entries and the applicability must be the same. For
// every rule, libregf re-reads what the result shows: every key and value its evidence names, each
// item's key, value and Start, and every value its fix would change. A disagreement turns the
// result into an error naming both readings, so no fail, pass or fix rests on one reader's view of
// what it shows. What libregf does not re-read: the keys a for_each walked without finding anything
// (a pass of an item rule rests on hivelint's walk; `--backend libregf` reads them all with
// libregf).
#pragma once
#include <optional>
#include <string>

#include "hive/hive_reader.hpp"
#include "rules/evaluator.hpp"

namespace hivelint::rules {

/// What libregf is known to read differently from the bytes, and is not a disagreement: REG_SZ,
/// REG_EXPAND_SZ and REG_LINK data are compared as text up to the first NUL (libregf 20201007 cuts
/// them there and adds a terminator that is not stored); every other type byte for byte.
bool same_value_reading(const hive::Value& first, const hive::Value& second);

/// The first thing `first` (whose reading made `result`) and `second` read differently among what
/// `result` shows, as "PATH: hivelint's reader read A, libregf read B", or nullopt when they agree.
/// Reads only the keys and values the result names. Throws what the readers throw (BackendError,
/// FormatError).
std::optional<std::string> disagreement(const RuleResult& result, const Rule& rule,
                                        const hive::HiveReader& first,
                                        const hive::HiveReader& second);

/// The same for what every result of a hive rests on: the root key and the names of its subkeys
/// (how a hive is told to be a SYSTEM hive, and where Select and the ControlSets are found).
std::optional<std::string> root_disagreement(const hive::HiveReader& first,
                                             const hive::HiveReader& second);

/// Turns `result` into an error result when disagreement() finds one (message: "hivelint's reader
/// and libregf disagree: ..."); a reader that throws makes it an error result too. Returns whether
/// it did.
bool confirm_result(RuleResult& result, const Rule& rule, const hive::HiveReader& first,
                    const hive::HiveReader& second);

}  // namespace hivelint::rules
