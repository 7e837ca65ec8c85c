#include "regf/diagnostics.hpp"

#include <charconv>
#include <string_view>

namespace hivelint::regf {

Diagnostic diagnostic_from(const FormatError& e, Severity severity) {
  const std::string_view what = e.what();
  Diagnostic d{severity, "hive", 0, std::string(what)};
  const std::size_t at = what.find(" at 0x");
  const std::size_t colon =
      at == std::string_view::npos ? std::string_view::npos : what.find(": ", at);
  if (colon == std::string_view::npos) return d;
  const std::string_view hex = what.substr(at + 6, colon - at - 6);
  std::uint64_t offset = 0;
  const auto [end, ec] = std::from_chars(hex.data(), hex.data() + hex.size(), offset, 16);
  if (ec != std::errc{} || end != hex.data() + hex.size()) return d;
  d.structure = std::string(what.substr(0, at));
  d.file_offset = offset;
  d.message = std::string(what.substr(colon + 2));
  return d;
}

}  // namespace hivelint::regf
