#include "report/json_text.hpp"

#include <array>
#include <charconv>

namespace hivelint::report {

namespace {

using Json = nlohmann::ordered_json;

// Bytes a string literal cannot hold as they are: controls, the quote, the backslash, and every
// non-ASCII byte (which is copied after its sequence is checked).
constexpr std::array<bool, 256> kNotPlain = [] {
  std::array<bool, 256> t{};
  for (int c = 0; c < 256; ++c) t[static_cast<std::size_t>(c)] = c < 0x20 || c >= 0x80;
  t['"'] = true;
  t['\\'] = true;
  return t;
}();

constexpr char kHex[] = "0123456789abcdef";
constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// How nlohmann's UTF-8 automaton ends a sequence that starts at the non-ASCII byte s[i]. Valid:
// `length` bytes form one code point (no overlong forms, surrogates or code points past U+10FFFF).
// Invalid: one U+FFFD stands for the `length` bytes accepted before the rejection (0 when the lead
// byte is not one), and the byte after them starts afresh; a sequence the string ends inside is
// replaced whole.
struct Sequence {
  std::size_t length;
  bool valid;
};

Sequence utf8_sequence(std::string_view s, std::size_t i) {
  const auto lead = static_cast<unsigned char>(s[i]);
  std::size_t trail = 0;
  unsigned char low = 0x80;
  unsigned char high = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    trail = 1;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    trail = 2;
    if (lead == 0xE0) low = 0xA0;   // overlong
    if (lead == 0xED) high = 0x9F;  // surrogates
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    trail = 3;
    if (lead == 0xF0) low = 0x90;   // overlong
    if (lead == 0xF4) high = 0x8F;  // past U+10FFFF
  } else {
    return {0, false};
  }
  for (std::size_t k = 1; k <= trail; ++k) {
    if (i + k >= s.size()) return {s.size() - i, false};
    const auto c = static_cast<unsigned char>(s[i + k]);
    if (c < low || c > high) return {k, false};
    low = 0x80;
    high = 0xBF;
  }
  return {trail + 1, true};
}

void append_escaped_ascii(std::string& out, unsigned char c) {
  switch (c) {
    case '"':
      out += "\\\"";
      break;
    case '\\':
      out += "\\\\";
      break;
    case '\b':
      out += "\\b";
      break;
    case '\t':
      out += "\\t";
      break;
    case '\n':
      out += "\\n";
      break;
    case '\f':
      out += "\\f";
      break;
    case '\r':
      out += "\\r";
      break;
    default:
      out += "\\u00";
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
  }
}

template <typename T>
void append_integer(std::string& out, T v) {
  char buffer[24];
  const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, v);
  out.append(buffer, end);
}

// Thrown by the walk when it meets a value kind hivelint never builds (binary): the whole document
// is then written by nlohmann instead.
struct NotHandled {};

void append_indent(std::string& out, int spaces) {
  out.append(static_cast<std::size_t>(spaces), ' ');
}

void append_value(std::string& out, const Json& j, int indent, int depth);

// An object's or an array's members between `open` and `close`: nothing between them when there
// are none; else comma-separated, each on a line of its own indented one level deeper when
// `indent` >= 0, the closing bracket back at `depth`. `member` writes one member.
template <typename Members, typename WriteMember>
void append_members(std::string& out, const Members& members, char open, char close, int indent,
                    int depth, WriteMember member) {
  out += open;
  if (members.empty()) {
    out += close;
    return;
  }
  const bool pretty = indent >= 0;
  const int inner = depth + (pretty ? indent : 0);
  bool first = true;
  for (const auto& m : members) {
    if (!first) out += ',';
    first = false;
    if (pretty) {
      out += '\n';
      append_indent(out, inner);
    }
    member(m, inner);
  }
  if (pretty) {
    out += '\n';
    append_indent(out, depth);
  }
  out += close;
}

void append_value(std::string& out, const Json& j, int indent, int depth) {
  switch (j.type()) {
    case Json::value_t::object:
      append_members(out, j.get_ref<const Json::object_t&>(), '{', '}', indent, depth,
                     [&](const auto& m, int inner) {
                       append_json_string_literal(out, m.first);
                       out += indent < 0 ? ":" : ": ";
                       append_value(out, m.second, indent, inner);
                     });
      return;
    case Json::value_t::array:
      append_members(out, j.get_ref<const Json::array_t&>(), '[', ']', indent, depth,
                     [&](const Json& m, int inner) { append_value(out, m, indent, inner); });
      return;
    case Json::value_t::string:
      append_json_string_literal(out, j.get_ref<const std::string&>());
      return;
    case Json::value_t::boolean:
      out += j.get<bool>() ? "true" : "false";
      return;
    case Json::value_t::number_integer:
      append_integer(out, j.get<std::int64_t>());
      return;
    case Json::value_t::number_unsigned:
      append_integer(out, j.get<std::uint64_t>());
      return;
    case Json::value_t::number_float:
      out += j.dump();  // a scalar's text does not depend on where it stands; nlohmann's digits
      return;
    case Json::value_t::null:
      out += "null";
      return;
    case Json::value_t::discarded:
      out += "<discarded>";
      return;
    case Json::value_t::binary:
      break;
  }
  throw NotHandled{};
}

}  // namespace

void append_json_string_literal(std::string& out, std::string_view s) {
  out += '"';
  std::size_t plain_from = 0;
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (!kNotPlain[c]) {
      ++i;
      continue;
    }
    if (c >= 0x80) {
      const Sequence sequence = utf8_sequence(s, i);
      if (sequence.valid) {
        i += sequence.length;  // copied with the run it belongs to
        continue;
      }
      out.append(s.substr(plain_from, i - plain_from));
      out += kReplacement;
      i += sequence.length == 0 ? 1 : sequence.length;
    } else {
      out.append(s.substr(plain_from, i - plain_from));
      append_escaped_ascii(out, c);
      ++i;
    }
    plain_from = i;
  }
  out.append(s.substr(plain_from));
  out += '"';
}

void append_json_text(std::string& out, const Json& j, int indent) {
  const std::size_t start = out.size();
  try {
    append_value(out, j, indent, 0);
  } catch (const NotHandled&) {
    out.resize(start);
    out += j.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
  }
}

std::string json_text(const Json& j, int indent) {
  std::string out;
  append_json_text(out, j, indent);
  return out;
}

}  // namespace hivelint::report
