#include "rules/previous_values.hpp"

#include "util/upcase.hpp"
#include "util/utf16.hpp"

namespace hivelint::rules {

PreviousValue to_previous_value(const regf::CarvedValue& value) {
  PreviousValue p;
  p.name = util::utf16_to_utf8(value.name).text;
  p.cell_offset = regf::to_file_offset(value.offset).value;
  p.type = value.type;
  p.size = value.data_size;
  p.data_state = regf::carved_data_state_name(value.data_state);
  if (value.data_state == regf::CarvedDataState::kResident ||
      value.data_state == regf::CarvedDataState::kEmpty ||
      value.data_state == regf::CarvedDataState::kFreeCell)
    p.data = value.data;
  p.note = value.note;
  return p;
}

std::vector<std::string> checked_value_names(const RuleResult& result) {
  std::vector<std::string> names;
  const auto add = [&](const std::string& name) {
    if (name.empty()) return;
    for (const auto& n : names)
      if (util::names_equal_utf8(n, name)) return;
    names.push_back(name);
  };
  for (const auto& f : result.findings) add(f.value_name);
  for (const auto& it : result.items) add(it.value);
  return names;
}

void attach_previous_values(RuleResult& result, const regf::CarveResult& carved) {
  result.previous_values.clear();
  const auto names = checked_value_names(result);
  if (names.empty()) return;
  std::vector<std::u16string> wanted;
  for (const auto& n : names) wanted.push_back(util::utf8_to_utf16(n));
  for (const auto& v : carved.values) {
    for (const auto& w : wanted) {
      if (util::names_equal(v.name, w)) {
        result.previous_values.push_back(to_previous_value(v));
        break;
      }
    }
  }
}

}  // namespace hivelint::rules
