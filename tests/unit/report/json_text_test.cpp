#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <random>

#include "report/json_text.hpp"

using namespace hivelint;
using Json = nlohmann::ordered_json;

namespace {

std::string nlohmann_text(const Json& j, int indent) {
  return j.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string hex(const std::string& s) {
  std::string out;
  for (char c : s) {
    out += "0123456789abcdef"[static_cast<unsigned char>(c) >> 4];
    out += "0123456789abcdef"[static_cast<unsigned char>(c) & 0xF];
  }
  return out;
}

std::string literal(const std::string& s) {
  std::string out;
  report::append_json_string_literal(out, s);
  return out;
}

// Bytes that decide UTF-8 sequences and escapes: every boundary of every lead and trail range, the
// controls with short escapes, the quote, the backslash, DEL.
const std::vector<unsigned char> kInteresting = {
    0x00, 0x01, 0x08, 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x1F, 0x20, '"',  '\\', 'A',
    0x7E, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0,
    0xE1, 0xEC, 0xED, 0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xF8, 0xFE, 0xFF};

std::string random_string(std::mt19937& rng, std::size_t max_length) {
  std::uniform_int_distribution<std::size_t> length(0, max_length);
  std::uniform_int_distribution<std::size_t> pick(0, kInteresting.size() - 1);
  std::uniform_int_distribution<int> any(0, 255);
  std::uniform_int_distribution<int> coin(0, 3);
  std::string s(length(rng), '\0');
  for (auto& c : s) c = static_cast<char>(coin(rng) == 0 ? any(rng) : kInteresting[pick(rng)]);
  return s;
}

Json random_value(std::mt19937& rng, int depth) {
  std::uniform_int_distribution<int> kind(0, depth > 3 ? 6 : 8);
  switch (kind(rng)) {
    case 0:
      return nullptr;
    case 1:
      return std::uniform_int_distribution<int>(0, 1)(rng) == 1;
    case 2: {
      const std::int64_t picks[] = {0,
                                    -1,
                                    1,
                                    std::numeric_limits<std::int64_t>::min(),
                                    std::numeric_limits<std::int64_t>::max(),
                                    -1234567};
      return picks[std::uniform_int_distribution<std::size_t>(0, 5)(rng)];
    }
    case 3: {
      const std::uint64_t picks[] = {0u, 7u, std::numeric_limits<std::uint64_t>::max(),
                                     0xFFFFFFFFu};
      return picks[std::uniform_int_distribution<std::size_t>(0, 3)(rng)];
    }
    case 4: {
      const double picks[] = {
          0.0,   -0.0,      0.1,          2.0,
          1e300, -2.5e-310, std::nan(""), std::numeric_limits<double>::infinity()};
      return picks[std::uniform_int_distribution<std::size_t>(0, 7)(rng)];
    }
    case 5:
    case 6:
      return random_string(rng, 12);
    case 7: {
      Json a = Json::array();
      const auto n = std::uniform_int_distribution<int>(0, 4)(rng);
      for (int i = 0; i < n; ++i) a.push_back(random_value(rng, depth + 1));
      return a;
    }
    default: {
      Json o = Json::object();
      const auto n = std::uniform_int_distribution<int>(0, 4)(rng);
      for (int i = 0; i < n; ++i) o[random_string(rng, 6)] = random_value(rng, depth + 1);
      return o;
    }
  }
}

}  // namespace

TEST_CASE("json_text: every string of one and two bytes is written as nlohmann writes it",
          "[unit][report]") {
  std::size_t differing = 0;
  std::string first_difference;
  for (int a = 0; a < 256; ++a) {
    for (int b = -1; b < 256; ++b) {
      std::string s(1, static_cast<char>(a));
      if (b >= 0) s += static_cast<char>(b);
      if (literal(s) != nlohmann_text(Json(s), -1) && differing++ == 0)
        first_difference = std::to_string(a) + "," + std::to_string(b);
    }
  }
  INFO("first differing bytes: " << first_difference);
  CHECK(differing == 0);
}

TEST_CASE(
    "json_text: strings built from UTF-8's boundary bytes are written as nlohmann writes them",
    "[unit][report]") {
  std::mt19937 rng(20261207);
  for (int i = 0; i < 200000; ++i) {
    const std::string s = random_string(rng, 9);
    const std::string expected = nlohmann_text(Json(s), -1);
    if (literal(s) != expected) {
      FAIL_CHECK("differs for the bytes " << hex(s) << ": nlohmann " << expected << ", ours "
                                          << literal(s));
      break;
    }
  }
  // The cases by name: a valid sequence of each length, each kind of invalid one.
  CHECK(literal("a\xC3\xA9z") == "\"a\xC3\xA9z\"");
  CHECK(literal("\xF0\x9F\x98\x80") == "\"\xF0\x9F\x98\x80\"");
  CHECK(literal("\xE2\x82") == "\"\xEF\xBF\xBD\"");  // unfinished at the end
  CHECK(literal("\xE2\x82"
                "A") ==
        "\"\xEF\xBF\xBD"
        "A\"");                                                  // the rejecting byte starts afresh
  CHECK(literal("\x80\x80") == "\"\xEF\xBF\xBD\xEF\xBF\xBD\"");  // a lone trail byte each
  CHECK(literal("\xED\xA0\x80") == "\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\"");  // a surrogate
  CHECK(literal("\x01\x7F\"\\\b\f\n\r\t") == "\"\\u0001\x7F\\\"\\\\\\b\\f\\n\\r\\t\"");
}

TEST_CASE("json_text: documents are written as nlohmann writes them, compact and indented",
          "[unit][report]") {
  std::mt19937 rng(7);
  for (int i = 0; i < 3000; ++i) {
    const Json j = random_value(rng, 0);
    for (int indent : {-1, 0, 2, 4}) {
      const std::string expected = nlohmann_text(j, indent);
      const std::string ours = report::json_text(j, indent);
      if (ours != expected) {
        FAIL_CHECK("indent " << indent << ": nlohmann " << expected << "\nours " << ours);
        return;
      }
    }
  }
  // Appends to what is there, and a kind hivelint never builds is still written (by nlohmann).
  std::string out = "x=";
  report::append_json_text(out, Json{{"b", Json::binary({1, 2})}, {"n", 1}}, -1);
  CHECK(out == "x=" + nlohmann_text(Json{{"b", Json::binary({1, 2})}, {"n", 1}}, -1));
}
