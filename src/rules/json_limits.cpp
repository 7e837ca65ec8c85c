#include "rules/json_limits.hpp"

#include <nlohmann/json.hpp>
#include <set>
#include <vector>

#include "rules/rule_loader.hpp"

namespace hivelint::rules {
namespace {

using json = nlohmann::json;

// A SAX pass that keeps one frame per open object or array: the JSON pointer of where we are, and
// the keys seen.
class LimitsChecker : public json::json_sax_t {
 public:
  explicit LimitsChecker(const std::string& source) : source_(source) {}

  bool null() override { return scalar(); }
  bool boolean(bool) override { return scalar(); }
  bool number_integer(number_integer_t) override { return scalar(); }
  bool number_unsigned(number_unsigned_t) override { return scalar(); }
  bool number_float(number_float_t, const string_t&) override { return scalar(); }
  bool string(string_t&) override { return scalar(); }
  bool binary(binary_t&) override { return scalar(); }
  bool start_object(std::size_t) override { return open(false); }
  bool start_array(std::size_t) override { return open(true); }
  bool end_object() override { return close(); }
  bool end_array() override { return close(); }
  bool key(string_t& k) override {
    Frame& f = frames_.back();
    if (!f.keys.insert(k).second)
      fail("\"" + k + "\" appears twice in one object", frames_.size() - 1);
    f.token = escape(k);
    return true;
  }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override {
    return false;  // syntax errors: reported by json::parse afterwards, with its own message
  }

 private:
  struct Frame {
    bool array = false;
    std::size_t next_index = 0;
    std::string token;  // the member name or index of the element being read
    std::set<std::string> keys;
  };

  // An element of an array gets its index before it is read.
  void element() {
    if (!frames_.empty() && frames_.back().array)
      frames_.back().token = std::to_string(frames_.back().next_index++);
  }
  bool scalar() {
    element();
    return true;
  }
  bool open(bool array) {
    element();
    if (frames_.size() >= kMaxRuleJsonDepth)
      fail("nested more than " + std::to_string(kMaxRuleJsonDepth) + " levels deep",
           frames_.size());
    frames_.push_back(Frame{array, 0, {}, {}});
    return true;
  }
  bool close() {
    frames_.pop_back();
    return true;
  }

  static std::string escape(const std::string& k) {  // JSON pointer escaping (RFC 6901)
    std::string out;
    for (char c : k) out += c == '~' ? "~0" : c == '/' ? "~1" : std::string(1, c);
    return out;
  }
  // `levels`: how many open frames name the place (the frames' current members form its JSON
  // pointer).
  [[noreturn]] void fail(const std::string& what, std::size_t levels) const {
    std::string where;
    for (std::size_t i = 0; i < levels; ++i) where += "/" + frames_[i].token;
    throw RuleError(source_ + ": " + (where.empty() ? "/" : where) + ": " + what);
  }

  const std::string& source_;
  std::vector<Frame> frames_;
};

}  // namespace

void check_json_limits(std::string_view text, const std::string& source) {
  if (text.size() > kMaxRuleFileBytes)
    throw RuleError(source + ": rule file of " + std::to_string(text.size()) + " bytes (at most " +
                    std::to_string(kMaxRuleFileBytes) + ")");
  LimitsChecker checker(source);
  json::sax_parse(text, &checker, json::input_format_t::json, /*strict=*/true);
}

}  // namespace hivelint::rules
