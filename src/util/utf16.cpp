#include "util/utf16.hpp"

namespace hivelint::util {
namespace {

void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

constexpr char32_t kReplacement = 0xFFFD;

// Decodes one UTF-8 sequence at text[i]; advances i; returns U+FFFD (and sets bad) on malformed
// input.
char32_t next_utf8(std::string_view text, std::size_t& i, bool& bad) {
  const auto b0 = static_cast<unsigned char>(text[i]);
  if (b0 < 0x80) {
    ++i;
    return b0;
  }
  int len = 0;
  char32_t cp = 0;
  if ((b0 & 0xE0) == 0xC0) {
    len = 2;
    cp = b0 & 0x1F;
  } else if ((b0 & 0xF0) == 0xE0) {
    len = 3;
    cp = b0 & 0x0F;
  } else if ((b0 & 0xF8) == 0xF0) {
    len = 4;
    cp = b0 & 0x07;
  } else {
    ++i;
    bad = true;
    return kReplacement;
  }
  if (i + static_cast<std::size_t>(len) > text.size()) {
    ++i;
    bad = true;
    return kReplacement;
  }
  for (int k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(text[i + static_cast<std::size_t>(k)]);
    if ((b & 0xC0) != 0x80) {
      ++i;
      bad = true;
      return kReplacement;
    }
    cp = (cp << 6) | (b & 0x3F);
  }
  const bool overlong =
      (len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000);
  if (overlong || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    i += static_cast<std::size_t>(len);
    bad = true;
    return kReplacement;
  }
  i += static_cast<std::size_t>(len);
  return cp;
}

}  // namespace

Utf8Result utf16_to_utf8(std::u16string_view units) {
  // The ASCII prefix (nearly always the whole name) narrowed in one pass: appending unit by unit
  // was 2 % of a batch of small hives (callgrind).
  std::size_t ascii = 0;
  while (ascii < units.size() && units[ascii] < 0x80) ++ascii;
  Utf8Result r;
  r.text.resize(ascii);
  for (std::size_t i = 0; i < ascii; ++i) r.text[i] = static_cast<char>(units[i]);
  if (ascii == units.size()) return r;
  r.text.reserve(units.size());
  for (std::size_t i = ascii; i < units.size(); ++i) {
    const char16_t u = units[i];
    if (u >= 0xD800 && u <= 0xDBFF && i + 1 < units.size() && units[i + 1] >= 0xDC00 &&
        units[i + 1] <= 0xDFFF) {
      const char32_t cp =
          0x10000 + ((static_cast<char32_t>(u) - 0xD800) << 10) + (units[i + 1] - 0xDC00);
      append_utf8(r.text, cp);
      ++i;
    } else if (u >= 0xD800 && u <= 0xDFFF) {
      append_utf8(r.text, kReplacement);
      r.lossy = true;
    } else {
      append_utf8(r.text, u);
    }
  }
  return r;
}

std::u16string utf16le_units(std::span<const std::uint8_t> bytes) {
  std::u16string units;
  units.reserve(bytes.size() / 2);
  for (std::size_t i = 0; i + 1 < bytes.size(); i += 2)
    units += static_cast<char16_t>(bytes[i] | (bytes[i + 1] << 8));
  return units;
}

Utf8Result utf16le_to_utf8(std::span<const std::uint8_t> bytes) {
  Utf8Result r = utf16_to_utf8(utf16le_units(bytes));
  if (bytes.size() % 2 != 0) {
    append_utf8(r.text, kReplacement);
    r.lossy = true;
  }
  return r;
}

std::string latin1_to_utf8(std::span<const std::uint8_t> bytes) {
  std::string out;
  out.reserve(bytes.size());
  for (auto b : bytes) append_utf8(out, b);
  return out;
}

void utf8_to_utf16_into(std::string_view text, std::u16string& out, bool* lossy) {
  // Names are nearly always ASCII: widen them in one pass (a quarter of a check with every rule was
  // this loop).
  std::size_t ascii = 0;
  while (ascii < text.size() && static_cast<unsigned char>(text[ascii]) < 0x80) ++ascii;
  out.assign(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(ascii));
  if (ascii == text.size()) {
    if (lossy) *lossy = false;
    return;
  }
  out.reserve(text.size());
  bool bad = false;
  for (std::size_t i = ascii; i < text.size();) {
    const char32_t cp = next_utf8(text, i, bad);
    if (cp >= 0x10000) {
      out += static_cast<char16_t>(0xD800 + ((cp - 0x10000) >> 10));
      out += static_cast<char16_t>(0xDC00 + ((cp - 0x10000) & 0x3FF));
    } else {
      out += static_cast<char16_t>(cp);
    }
  }
  if (lossy) *lossy = bad;
}

std::u16string utf8_to_utf16(std::string_view text, bool* lossy) {
  std::u16string out;
  utf8_to_utf16_into(text, out, lossy);
  return out;
}

std::string utf16le_bytes(std::u16string_view units) {
  std::string out;
  out.reserve(units.size() * 2);
  for (char16_t u : units) {
    out += static_cast<char>(u & 0xFF);
    out += static_cast<char>(u >> 8);
  }
  return out;
}

bool is_valid_utf8(std::string_view text) {
  bool bad = false;
  for (std::size_t i = 0; i < text.size() && !bad;) next_utf8(text, i, bad);
  return !bad;
}

}  // namespace hivelint::util
