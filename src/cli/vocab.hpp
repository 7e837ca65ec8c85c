// One vocabulary across subcommands: words typed for rule ids and enumerated option values match
// case-insensitively, and a word that matches nothing gets a "did you mean X?" when one is close.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hivelint::cli {

/// The candidate equal to `typed` ignoring ASCII case, if any (rule ids and option words are
/// ASCII).
std::optional<std::string> match_ignoring_case(std::string_view typed,
                                               const std::vector<std::string>& candidates);

/// The candidate closest to `typed` when one is close enough to be what was meant: the only one
/// that `typed` is a prefix of (or that is a prefix of `typed`), else the only one at the smallest
/// edit distance when that distance is at most 1 for short words, 2 from 5 characters, 3 from 9
/// (all ignoring case). Nothing when none or several are.
std::optional<std::string> closest_match(std::string_view typed,
                                         const std::vector<std::string>& candidates);

/// " (did you mean X?)" for closest_match(), else "".
std::string did_you_mean(std::string_view typed, const std::vector<std::string>& candidates);

/// Case-insensitive edit distance (insertions, deletions, substitutions), ASCII case folded.
std::size_t edit_distance(std::string_view a, std::string_view b);

}  // namespace hivelint::cli
