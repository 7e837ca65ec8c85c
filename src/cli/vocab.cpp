#include "cli/vocab.hpp"

#include <algorithm>
#include <cstddef>

namespace hivelint::cli {
namespace {

// Rule ids and option words are ASCII; folding only A-Z never depends on the locale
// (CONTRIBUTING.md §3).
char fold(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool equal_folded(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(),
                                            [](char x, char y) { return fold(x) == fold(y); });
}

bool prefix_folded(std::string_view prefix, std::string_view word) {
  return prefix.size() <= word.size() && equal_folded(prefix, word.substr(0, prefix.size()));
}

std::size_t max_distance(std::size_t length) { return length >= 9 ? 3 : length >= 5 ? 2 : 1; }

}  // namespace

std::size_t edit_distance(std::string_view a, std::string_view b) {
  // Optimal string alignment: a swap of two neighbours ("rge" for "reg") counts as one edit, as
  // typists make them.
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t cost = fold(a[i - 1]) == fold(b[j - 1]) ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && fold(a[i - 1]) == fold(b[j - 2]) && fold(a[i - 2]) == fold(b[j - 1]))
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.size()][b.size()];
}

std::optional<std::string> match_ignoring_case(std::string_view typed,
                                               const std::vector<std::string>& candidates) {
  for (const auto& c : candidates)
    if (equal_folded(typed, c)) return c;
  return std::nullopt;
}

std::optional<std::string> closest_match(std::string_view typed,
                                         const std::vector<std::string>& candidates) {
  if (typed.empty()) return std::nullopt;
  if (auto exact = match_ignoring_case(typed, candidates)) return exact;
  std::vector<std::string> prefixed;
  for (const auto& c : candidates)
    if (!c.empty() && (prefix_folded(typed, c) || prefix_folded(c, typed))) prefixed.push_back(c);
  if (prefixed.size() == 1) return prefixed.front();
  std::optional<std::string> best;
  std::size_t best_distance = max_distance(typed.size()) + 1;
  bool tie = false;
  for (const auto& c : candidates) {
    const std::size_t d = edit_distance(typed, c);
    if (d < best_distance) {
      best = c;
      best_distance = d;
      tie = false;
    } else if (d == best_distance && best) {
      tie = true;
    }
  }
  if (tie) return std::nullopt;
  return best;
}

std::string did_you_mean(std::string_view typed, const std::vector<std::string>& candidates) {
  const auto m = closest_match(typed, candidates);
  return m ? " (did you mean " + *m + "?)" : "";
}

}  // namespace hivelint::cli
