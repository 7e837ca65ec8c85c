// Fuzz target: report::json_text against nlohmann's own dump, byte for byte. The input is read as a
// small program that builds a JSON document (strings are raw slices of the input, so every byte
// sequence, valid UTF-8 or not, reaches the string writer), written compact and indented; the whole
// input is also written as one string literal. Any difference from nlohmann is a bug.
#include <cstring>

#include "fuzz/fuzz_targets.hpp"
#include "report/json_text.hpp"

namespace hivelint::fuzz {
namespace {

using Json = nlohmann::ordered_json;

class Program {
 public:
  explicit Program(std::span<const std::uint8_t> data) : data_(data) {}

  Json value(int depth) {
    switch (next() % (depth > 12 ? 6 : 8)) {
      case 0:
        return nullptr;
      case 1:
        return (next() & 1) != 0;
      case 2:
        return static_cast<std::int64_t>(word());
      case 3:
        return word();
      case 4: {
        const std::uint64_t bits = word();
        double d;
        std::memcpy(&d, &bits, sizeof d);
        return d;
      }
      case 5:
        return text();
      case 6: {
        Json a = Json::array();
        for (int n = next() % 6; n > 0; --n) a.push_back(value(depth + 1));
        return a;
      }
      default: {
        Json o = Json::object();
        for (int n = next() % 6; n > 0; --n) {
          std::string key = text();
          o[key] = value(depth + 1);
        }
        return o;
      }
    }
  }

 private:
  std::uint8_t next() { return at_ < data_.size() ? data_[at_++] : 0; }
  std::uint64_t word() {
    std::uint64_t w = 0;
    for (int i = 0; i < 8; ++i) w = (w << 8) | next();
    return w;
  }
  std::string text() {
    const std::size_t length = std::min<std::size_t>(next() % 48, data_.size() - at_);
    std::string s(reinterpret_cast<const char*>(data_.data() + at_), length);
    at_ += length;
    return s;
  }

  std::span<const std::uint8_t> data_;
  std::size_t at_ = 0;
};

std::string nlohmann_text(const Json& j, int indent) {
  return j.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

void json_text(std::span<const std::uint8_t> data) {
  const std::string whole(reinterpret_cast<const char*>(data.data()), data.size());
  std::string literal;
  report::append_json_string_literal(literal, whole);
  if (literal != nlohmann_text(Json(whole), -1))
    fail("json_text", "a string literal differs from nlohmann's");
  const Json document = Program(data).value(0);
  for (int indent : {-1, 0, 2})
    if (report::json_text(document, indent) != nlohmann_text(document, indent))
      fail("json_text",
           "a document differs from nlohmann's (indent " + std::to_string(indent) + ")");
}

}  // namespace hivelint::fuzz

HIVELINT_FUZZ_ENTRY(json_text)
