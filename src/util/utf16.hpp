// UTF-16LE <-> UTF-8 conversion. Registry names are UTF-16 (or Latin-1 when the "compressed name"
// flag is set); output is UTF-8 with U+FFFD for anything that does not decode, and a `lossy` flag
// so callers can say so.
#pragma once
#include <cstdint>
#include <span>
#include <string>

namespace hivelint::util {

struct Utf8Result {
  std::string text;
  bool lossy =
      false;  // true when an unpaired surrogate or odd trailing byte was replaced by U+FFFD
};

/// Decodes UTF-16LE bytes (an odd trailing byte becomes U+FFFD).
Utf8Result utf16le_to_utf8(std::span<const std::uint8_t> bytes);
/// Decodes UTF-16 code units.
Utf8Result utf16_to_utf8(std::u16string_view units);
/// Decodes Latin-1 (ISO-8859-1) bytes, as used by "compressed" (ASCII) key and value names.
std::string latin1_to_utf8(std::span<const std::uint8_t> bytes);
/// Encodes UTF-8 as UTF-16 code units; invalid UTF-8 sequences become U+FFFD and set *lossy when
/// given.
std::u16string utf8_to_utf16(std::string_view text, bool* lossy = nullptr);
/// The same into `out` (replacing its contents), reusing its storage: for hot lookups.
void utf8_to_utf16_into(std::string_view text, std::u16string& out, bool* lossy = nullptr);
/// UTF-16 code units from little-endian bytes (odd trailing byte ignored).
std::u16string utf16le_units(std::span<const std::uint8_t> bytes);
/// Little-endian bytes of UTF-16 code units.
std::string utf16le_bytes(std::u16string_view units);
/// True when `text` is well-formed UTF-8.
bool is_valid_utf8(std::string_view text);

}  // namespace hivelint::util
