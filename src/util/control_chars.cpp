#include "util/control_chars.hpp"

#include <cstdint>

namespace hivelint::util {
namespace {

constexpr char kHex[] = "0123456789abcdef";

void escape_byte(std::uint8_t b, std::string& out) {
  out += "\\x";
  out += kHex[b >> 4];
  out += kHex[b & 0xF];
}

// Length of the UTF-8 sequence led by `b` (0: not a lead byte). Overlong and surrogate forms are
// checked below.
std::size_t sequence_length(std::uint8_t b) {
  if (b >= 0xC2 && b <= 0xDF) return 2;
  if (b >= 0xE0 && b <= 0xEF) return 3;
  if (b >= 0xF0 && b <= 0xF4) return 4;
  return 0;
}

bool continuation(std::uint8_t b) { return (b & 0xC0) == 0x80; }

// True when the complete sequence s (length from sequence_length) is well-formed UTF-8.
bool well_formed(std::string_view s) {
  for (std::size_t i = 1; i < s.size(); ++i)
    if (!continuation(static_cast<std::uint8_t>(s[i]))) return false;
  const auto b0 = static_cast<std::uint8_t>(s[0]), b1 = static_cast<std::uint8_t>(s[1]);
  if (b0 == 0xE0 && b1 < 0xA0) return false;  // overlong
  if (b0 == 0xED && b1 > 0x9F) return false;  // surrogate
  if (b0 == 0xF0 && b1 < 0x90) return false;  // overlong
  if (b0 == 0xF4 && b1 > 0x8F) return false;  // past U+10FFFF
  return true;
}

}  // namespace

void ControlEscaper::feed(std::string_view bytes, std::string& out) {
  out.reserve(out.size() + bytes.size());
  std::size_t i = 0;
  while (i < bytes.size()) {
    if (pending_
            .empty()) {  // a run of printable ASCII (nearly all of a report) is copied in one piece
      std::size_t j = i;
      while (j < bytes.size() && static_cast<std::uint8_t>(bytes[j]) >= 0x20 &&
             static_cast<std::uint8_t>(bytes[j]) < 0x7F)
        ++j;
      out.append(bytes.data() + i, j - i);
      i = j;
      if (i == bytes.size()) break;
    }
    if (!pending_.empty()) {
      const std::size_t need = sequence_length(static_cast<std::uint8_t>(pending_[0]));
      const auto b = static_cast<std::uint8_t>(bytes[i]);
      if (!continuation(b)) {  // cut short: escape what was held, then look at b afresh
        for (char c : pending_) escape_byte(static_cast<std::uint8_t>(c), out);
        pending_.clear();
        continue;
      }
      pending_ += static_cast<char>(b);
      ++i;
      if (pending_.size() < need) continue;
      if (!well_formed(pending_)) {
        for (char c : pending_) escape_byte(static_cast<std::uint8_t>(c), out);
      } else if (pending_.size() == 2 && static_cast<std::uint8_t>(pending_[0]) == 0xC2 &&
                 static_cast<std::uint8_t>(pending_[1]) <= 0x9F) {
        out += "\\u00";  // a C1 control (U+0080..U+009F): CSI is U+009B
        out += kHex[(static_cast<std::uint8_t>(pending_[1]) >> 4) & 0xF];
        out += kHex[static_cast<std::uint8_t>(pending_[1]) & 0xF];
      } else {
        out += pending_;
      }
      pending_.clear();
      continue;
    }
    const auto b = static_cast<std::uint8_t>(bytes[i]);
    ++i;
    if (b >= 0x20 && b < 0x7F) {
      out += static_cast<char>(b);
    } else if (b == '\n') {
      if (options_.keep_newline)
        out += '\n';
      else
        out += "\\n";
    } else if (b == '\t') {
      if (options_.keep_tab)
        out += '\t';
      else
        out += "\\t";
    } else if (b == '\r') {
      out += "\\r";
    } else if (b < 0x80) {
      escape_byte(b, out);  // other C0 controls and DEL
    } else if (sequence_length(b) != 0) {
      pending_ = static_cast<char>(b);
    } else {
      escape_byte(b, out);  // a stray continuation byte or an impossible lead byte
    }
  }
}

void ControlEscaper::finish(std::string& out) {
  for (char c : pending_) escape_byte(static_cast<std::uint8_t>(c), out);
  pending_.clear();
}

std::string escape_controls(std::string_view text, ControlEscapeOptions options) {
  ControlEscaper e(options);
  std::string out;
  e.feed(text, out);
  e.finish(out);
  return out;
}

}  // namespace hivelint::util
