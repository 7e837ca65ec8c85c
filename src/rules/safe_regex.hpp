// Rule regexes, run by RE2: matching takes time linear in the text and never recurses on it, so a hostile hive
// value (200 KB of ImagePath, review D14) cannot overflow the stack the way std::regex's backtracking did.
// RE2's syntax is close to ECMAScript's for what rules use (classes, alternation, repetition, anchors); it has
// no backreferences or lookaround, and a pattern using them is refused when the rule is loaded.
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
/// Memory RE2 may use for one compiled pattern (its own default is 8 MiB); beyond it compiling fails.
inline constexpr std::int64_t kMaxRegexMemory = 8 << 20;

struct RegexOptions {
  bool case_sensitive = true;
};

class SafeRegex {
 public:
  /// Compiles `pattern`. Returns nullptr and sets `error` when RE2 refuses it (syntax, size, memory).
  static std::unique_ptr<SafeRegex> compile(std::string_view pattern, RegexOptions options, std::string& error);
  ~SafeRegex();
  SafeRegex(const SafeRegex&) = delete;
  SafeRegex& operator=(const SafeRegex&) = delete;

  /// True when the pattern matches anywhere in `text` (UTF-8; invalid bytes never match a character class).
  bool search(std::string_view text) const;

 private:
  explicit SafeRegex(std::unique_ptr<re2::RE2> re);
  std::unique_ptr<re2::RE2> re_;
};

/// The message of compile()'s error for `pattern`, or "" when it compiles. For the rule loader's checks.
std::string regex_error(std::string_view pattern, RegexOptions options = {});

/// compile() then search(); a pattern that does not compile never matches (the loader has refused it already).
bool regex_search(std::string_view text, std::string_view pattern, RegexOptions options);

}  // namespace hivelint::rules
