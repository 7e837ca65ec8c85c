#include "events/scm_failure.hpp"

#include <algorithm>

#include "util/utf16.hpp"

namespace hivelint::events {
namespace {

std::optional<int> hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return std::nullopt;
}

// Index of the string naming the service: the timeouts put the milliseconds first.
std::size_t service_string_index(std::uint32_t event_id) {
  return event_id == 7009 || event_id == 7011 ? 1 : 0;
}

std::vector<std::string> split_driver_list(std::string_view text) {
  std::vector<std::string> names;
  std::string current;
  for (const char c : text) {
    if (c == '\n' || c == '\r' || c == ' ' || c == '\t' || c == ',') {
      if (!current.empty()) names.push_back(std::move(current));
      current.clear();
    } else {
      current += c;
    }
  }
  if (!current.empty()) names.push_back(std::move(current));
  return names;
}

}  // namespace

bool is_scm_failure(std::string_view source, std::uint32_t event_id) {
  return source == kScmSource &&
         std::find(kScmFailureIds.begin(), kScmFailureIds.end(), event_id) != kScmFailureIds.end();
}

RecordFilter scm_failure_filter() {
  return RecordFilter{
      [](const std::string& source, std::uint32_t id) { return is_scm_failure(source, id); }};
}

std::optional<std::uint32_t> parse_error_insert(std::string_view text) {
  if (text.size() < 3 || text.size() > 12 || text.substr(0, 2) != "%%") return std::nullopt;
  std::uint64_t value = 0;
  for (const char c : text.substr(2)) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + static_cast<std::uint64_t>(c - '0');
  }
  if (value > 0xFFFFFFFFu) return std::nullopt;
  return static_cast<std::uint32_t>(value);
}

std::optional<std::string> key_name_from_binary_hex(std::string_view hex) {
  if (hex.empty() || hex.size() % 4 != 0) return std::nullopt;
  std::vector<std::uint8_t> bytes;
  bytes.reserve(hex.size() / 2);
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    const auto hi = hex_digit(hex[i]);
    const auto lo = hex_digit(hex[i + 1]);
    if (!hi || !lo) return std::nullopt;
    bytes.push_back(static_cast<std::uint8_t>(*hi * 16 + *lo));
  }
  std::u16string units = util::utf16le_units(bytes);
  while (!units.empty() && units.back() == u'\0') units.pop_back();
  if (units.empty()) return std::nullopt;
  // A service key name is printable: anything below U+0020 means these bytes are something else.
  if (std::any_of(units.begin(), units.end(), [](char16_t u) { return u < 0x20; }))
    return std::nullopt;
  const auto utf8 = util::utf16_to_utf8(units);
  if (utf8.lossy) return std::nullopt;
  return utf8.text;
}

std::vector<ScmFailure> scm_failures(const EventRecord& record) {
  ScmFailure base;
  base.event_id = record.event_id;
  base.written = record.written;
  base.file_offset = record.file_offset;
  base.record_number = record.record_number;
  base.recovered = record.recovered;
  for (const auto& s : record.strings)
    if (auto error = parse_error_insert(s)) {
      base.error = error;
      break;
    }
  if (record.event_id == 7026) {
    std::vector<ScmFailure> drivers;
    if (record.strings.empty()) return drivers;
    for (auto& name : split_driver_list(record.strings.front())) {
      ScmFailure f = base;
      f.display_name = name;
      f.key_name = std::move(name);
      drivers.push_back(std::move(f));
    }
    return drivers;
  }
  const std::size_t index = service_string_index(record.event_id);
  if (index >= record.strings.size() || record.strings[index].empty()) return {};
  base.display_name = record.strings[index];
  // The Binary element comes after the message's own strings: only a string past the service's can
  // be it.
  if (record.strings.size() > index + 1)
    base.key_name = key_name_from_binary_hex(record.strings.back());
  return {base};
}

}  // namespace hivelint::events
