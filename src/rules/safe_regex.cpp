#include "rules/safe_regex.hpp"

#include <re2/re2.h>

#include <atomic>

namespace hivelint::rules {

SafeRegex::SafeRegex(std::unique_ptr<re2::RE2> re) : re_(std::move(re)) {}
SafeRegex::~SafeRegex() = default;

std::unique_ptr<SafeRegex> SafeRegex::compile(std::string_view pattern, RegexOptions options,
                                              std::string& error) {
  if (pattern.size() > kMaxRegexPatternBytes) {
    error = "pattern of " + std::to_string(pattern.size()) + " bytes (at most " +
            std::to_string(kMaxRegexPatternBytes) + ")";
    return nullptr;
  }
  re2::RE2::Options o;
  o.set_encoding(re2::RE2::Options::EncodingUTF8);
  o.set_case_sensitive(options.case_sensitive);
  o.set_max_mem(options.max_mem);
  o.set_log_errors(false);
  auto re = std::make_unique<re2::RE2>(re2::StringPiece(pattern.data(), pattern.size()), o);
  if (!re->ok()) {
    error = re->error();
    return nullptr;
  }
  error.clear();
  return std::unique_ptr<SafeRegex>(new SafeRegex(std::move(re)));
}

bool SafeRegex::search(std::string_view text) const {
  return re2::RE2::PartialMatch(re2::StringPiece(text.data(), text.size()), *re_);
}

std::string regex_error(std::string_view pattern, RegexOptions options) {
  std::string error;
  (void)SafeRegex::compile(pattern, options, error);
  return error;
}

bool regex_search(std::string_view text, std::string_view pattern, RegexOptions options) {
  std::string error;
  const auto re = SafeRegex::compile(pattern, options, error);
  return re && re->search(text);
}

namespace {
std::atomic<int> retained_regexes{0};
}  // namespace

std::shared_ptr<const SafeRegex> compile_retained(std::string_view pattern, RegexOptions options) {
  if (retained_regexes.fetch_add(1) >= kMaxRetainedRegexes) {
    retained_regexes.fetch_sub(1);
    return nullptr;
  }
  options.max_mem = kRetainedRegexMemory;
  std::string error;
  std::unique_ptr<SafeRegex> re = SafeRegex::compile(pattern, options, error);
  if (!re) {
    retained_regexes.fetch_sub(1);
    return nullptr;
  }
  return std::shared_ptr<const SafeRegex>(re.release(), [](const SafeRegex* r) {
    delete r;
    retained_regexes.fetch_sub(1);
  });
}

bool regex_search(std::string_view text, const std::shared_ptr<const SafeRegex>& compiled,
                  std::string_view pattern, RegexOptions options) {
  return compiled ? compiled->search(text) : regex_search(text, pattern, options);
}

}  // namespace hivelint::rules
