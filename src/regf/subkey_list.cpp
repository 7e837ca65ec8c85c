#include "regf/subkey_list.hpp"

#include "util/upcase.hpp"

namespace hivelint::regf {

std::uint32_t lh_hash(std::u16string_view name) {
  std::uint32_t h = 0;
  for (char16_t unit : name) h = h * 37u + util::upcase(unit);
  return h;
}

std::array<std::uint8_t, 4> lf_hint(std::u16string_view name) {
  std::array<std::uint8_t, 4> hint{};
  for (std::size_t i = 0; i < 4 && i < name.size(); ++i) hint[i] = name[i] <= 0xFF ? static_cast<std::uint8_t>(name[i]) : 0;
  return hint;
}

}  // namespace hivelint::regf
