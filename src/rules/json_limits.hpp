// Limits for rule files, checked before the JSON is turned into rules: rule files are input, and a
// hostile or broken one must be an error (exit 3), never a stack overflow or minutes of work
// (review D13, D21).
#pragma once
#include <cstddef>
#include <string>
#include <string_view>

namespace hivelint::rules {

/// Deepest nesting of JSON objects and arrays in a rule file. The shipped rules use 6; each "not"
/// adds one level and each "all"/"any" two, so about 60 condition levels fit. The parser, the
/// evaluator and `rules show` recurse once per level, so this cap is also what keeps them off the
/// end of the stack.
inline constexpr std::size_t kMaxRuleJsonDepth = 128;
/// Largest rule file read (the shipped ones are under 8 KB).
inline constexpr std::size_t kMaxRuleFileBytes = 4 * 1024 * 1024;

/// Checks `text` for nesting deeper than kMaxRuleJsonDepth and for a key repeated within one object
/// (nlohmann keeps the last one silently). Runs in one pass over the text with memory bounded by
/// the depth cap. Throws RuleError naming `source` and the JSON location ("rules/x.json:
/// /check/not/not: ..."); syntax errors are left to the parser that follows.
void check_json_limits(std::string_view text, const std::string& source);

}  // namespace hivelint::rules
