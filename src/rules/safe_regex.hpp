// Rule regexes, run by RE2: matching takes time linear in the text and never recurses on it, so a
// hostile hive value (200 KB of ImagePath, review D14) cannot overflow the stack the way
// std::regex's backtracking did. RE2's syntax is close to ECMAScript's for what rules use (classes,
// alternation, repetition, anchors); it has no backreferences or lookaround, and a pattern using
// them is refused when the rule is loaded.
#pragma once
#include <memory>
#include <string>
#include <string_view>

namespace re2 {
class RE2;
}

namespace hivelint::rules {

/// Longest pattern accepted in a rule (the shipped ones are under 40 characters).
inline constexpr std::size_t kMaxRegexPatternBytes = 4096;
/// Memory RE2 may use for one compiled pattern (its own default is 8 MiB); beyond it compiling
/// fails.
inline constexpr std::int64_t kMaxRegexMemory = 8 << 20;

/// Memory RE2 may use for a pattern compiled once and kept with its rule (compile_retained); a
/// pattern needing more is compiled at each use with kMaxRegexMemory instead. RE2 falls back from
/// its DFA to its NFA when a search runs out of this budget: slower, never a different answer.
inline constexpr std::int64_t kRetainedRegexMemory = 256 << 10;
/// Patterns kept compiled in the whole process at once: a rule directory of many files with many
/// patterns then costs at most kMaxRetainedRegexes * kRetainedRegexMemory (64 MiB); the rest are
/// compiled at each use.
inline constexpr int kMaxRetainedRegexes = 256;

struct RegexOptions {
  bool case_sensitive = true;
  std::int64_t max_mem = kMaxRegexMemory;
};

class SafeRegex {
 public:
  /// Compiles `pattern`. Returns nullptr and sets `error` when RE2 refuses it (syntax, size,
  /// memory).
  static std::unique_ptr<SafeRegex> compile(std::string_view pattern, RegexOptions options,
                                            std::string& error);
  ~SafeRegex();
  SafeRegex(const SafeRegex&) = delete;
  SafeRegex& operator=(const SafeRegex&) = delete;

  /// True when the pattern matches anywhere in `text` (UTF-8; invalid bytes never match a character
  /// class).
  bool search(std::string_view text) const;

 private:
  explicit SafeRegex(std::unique_ptr<re2::RE2> re);
  std::unique_ptr<re2::RE2> re_;
};

/// The message of compile()'s error for `pattern`, or "" when it compiles. For the rule loader's
/// checks.
std::string regex_error(std::string_view pattern, RegexOptions options = {});

/// compile() then search(); a pattern that does not compile never matches (the loader has refused
/// it already).
bool regex_search(std::string_view text, std::string_view pattern, RegexOptions options);

/// `pattern` compiled once for a rule loaded into memory (a batch evaluates it on every service of
/// every hive: compiling it at each use was an eighth of a batch's time). Thread-safe to share.
/// nullptr when the pattern needs more than kRetainedRegexMemory, does not compile, or
/// kMaxRetainedRegexes are already kept: then the caller compiles at each use (regex_search with
/// the pattern).
std::shared_ptr<const SafeRegex> compile_retained(std::string_view pattern, RegexOptions options);

/// `compiled` when it is there, else regex_search(text, pattern, options).
bool regex_search(std::string_view text, const std::shared_ptr<const SafeRegex>& compiled,
                  std::string_view pattern, RegexOptions options);

}  // namespace hivelint::rules
