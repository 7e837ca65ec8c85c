#include "events/service_directory.hpp"

#include "hive/value.hpp"
#include "util/upcase.hpp"
#include "util/utf16.hpp"

namespace hivelint::events {
namespace {

constexpr std::uint32_t kRegSz = 1;
constexpr std::uint32_t kRegExpandSz = 2;

std::u16string folded(const std::string& utf8) { return util::upcase(util::utf8_to_utf16(utf8)); }

}  // namespace

ServiceDirectory ServiceDirectory::read(const hive::HiveReader& reader,
                                        const hive::KeyPath& services) {
  ServiceDirectory directory;
  for (const auto& name : reader.subkey_names(services)) {
    directory.keys_.emplace(folded(name), name);
    const auto display = reader.value(services / name, "DisplayName");
    if (!display || (display->type != kRegSz && display->type != kRegExpandSz)) continue;
    const auto text = hive::decode_string(display->data).text;
    if (text.empty()) continue;
    const auto [it, inserted] = directory.by_display_.emplace(folded(text), name);
    if (!inserted && it->second != name) it->second = std::nullopt;
  }
  return directory;
}

std::optional<std::string> ServiceDirectory::key_by_name(const std::string& name) const {
  const auto it = keys_.find(folded(name));
  if (it == keys_.end()) return std::nullopt;
  return it->second;
}

std::optional<std::string> ServiceDirectory::key_by_display_name(
    const std::string& display_name) const {
  const auto it = by_display_.find(folded(display_name));
  if (it == by_display_.end()) return std::nullopt;
  return it->second;
}

}  // namespace hivelint::events
