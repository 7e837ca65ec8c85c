#include "rules/control_set.hpp"

#include <algorithm>
#include <cstdio>

#include "util/upcase.hpp"

namespace hivelint::rules {
namespace {

std::string lower_ascii(std::string_view s) {
  std::string out(s);
  for (auto& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

// "002" → 2; nullopt unless 1..3 decimal digits (ControlSet names always have exactly three).
std::optional<unsigned> parse_small_number(std::string_view digits) {
  if (digits.empty() || digits.size() > 3) return std::nullopt;
  unsigned v = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<unsigned>(c - '0');
  }
  return v;
}

std::optional<std::uint32_t> select_dword(const hive::HiveReader& reader, std::string_view name) {
  auto v = reader.value(hive::KeyPath::parse("Select"), name);
  if (!v) return std::nullopt;
  return hive::decode_dword(*v);
}

const char* selector_value_name(ControlSetSelector s) {
  switch (s) {
    case ControlSetSelector::kCurrent:
      return "Current";
    case ControlSetSelector::kDefault:
      return "Default";
    case ControlSetSelector::kLastKnownGood:
      return "LastKnownGood";
    case ControlSetSelector::kFailed:
      return "Failed";
    default:
      return "";
  }
}

}  // namespace

std::string control_set_name(unsigned number) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "ControlSet%03u", number);
  return buf;
}

ControlSetChoice parse_control_set_choice(std::string_view text) {
  const std::string t = lower_ascii(text);
  if (t == "current") return {ControlSetSelector::kCurrent, 0};
  if (t == "default") return {ControlSetSelector::kDefault, 0};
  if (t == "lastknowngood" || t == "last-known-good")
    return {ControlSetSelector::kLastKnownGood, 0};
  if (t == "failed") return {ControlSetSelector::kFailed, 0};
  if (t == "all") return {ControlSetSelector::kAll, 0};
  std::string_view digits = t;
  if (digits.starts_with("controlset")) digits.remove_prefix(10);
  if (auto n = parse_small_number(digits); n && *n >= 1) return {ControlSetSelector::kNumber, *n};
  throw UsageError(
      "--control-set \"" + std::string(text) +
      "\" is not one of current, default, lastknowngood, failed, all or a number 1..999");
}

SelectValues read_select(const hive::HiveReader& reader) {
  SelectValues s;
  s.key_present = reader.key(hive::KeyPath::parse("Select")).has_value();
  if (!s.key_present) return s;
  s.current = select_dword(reader, "Current");
  s.default_set = select_dword(reader, "Default");
  s.failed = select_dword(reader, "Failed");
  s.last_known_good = select_dword(reader, "LastKnownGood");
  return s;
}

std::vector<unsigned> list_control_sets(const hive::HiveReader& reader) {
  std::vector<unsigned> sets;
  for (const auto& name : reader.subkey_names(hive::KeyPath{})) {
    const std::string lower = lower_ascii(name);
    if (lower.size() != 13 || !lower.starts_with("controlset")) continue;
    if (auto n = parse_small_number(std::string_view(lower).substr(10)); n && *n >= 1)
      sets.push_back(*n);
  }
  std::sort(sets.begin(), sets.end());
  sets.erase(std::unique(sets.begin(), sets.end()), sets.end());
  return sets;
}

std::vector<std::string> control_set_roles(const SelectValues& select, unsigned number) {
  std::vector<std::string> roles;
  const auto add = [&](const std::optional<std::uint32_t>& v, const char* role) {
    if (v && *v == number) roles.emplace_back(role);
  };
  add(select.current, "Current");
  add(select.default_set, "Default");
  add(select.last_known_good, "LastKnownGood");
  add(select.failed, "Failed");
  return roles;
}

Resolution resolve_control_sets(const hive::HiveReader& reader, const ControlSetChoice& choice) {
  Resolution r;
  const std::vector<unsigned> present = list_control_sets(reader);
  const auto exists = [&](unsigned n) {
    return std::find(present.begin(), present.end(), n) != present.end();
  };
  const auto stored_name = [&](unsigned n) {
    if (auto k = reader.key(hive::KeyPath::parse(control_set_name(n)))) return k->name;
    return control_set_name(n);
  };
  const SelectValues select = read_select(reader);
  const auto is_current = [&](unsigned n) { return select.current && *select.current == n; };
  const auto roles = [&](unsigned n) { return control_set_roles(select, n); };
  if (reader.key(hive::KeyPath::parse("CurrentControlSet")))
    r.notes.push_back(
        "the hive has a CurrentControlSet key (unusual offline: Windows creates it as a volatile "
        "link "
        "at boot); hivelint ignores it and uses Select");

  if (choice.selector == ControlSetSelector::kAll) {
    if (present.empty())
      throw ControlSetError("no ControlSetNNN key under the root: not a SYSTEM hive?");
    for (unsigned n : present)
      r.sets.push_back({n, stored_name(n), "all", is_current(n), roles(n)});
    return r;
  }
  if (choice.selector == ControlSetSelector::kNumber) {
    if (!exists(choice.number))
      throw ControlSetError(
          "no " + control_set_name(choice.number) + " key in this hive" +
          (present.empty() ? std::string(" (it has no ControlSetNNN key at all)") : ""));
    r.sets.push_back({choice.number, stored_name(choice.number),
                      "--control-set " + std::to_string(choice.number), is_current(choice.number),
                      roles(choice.number)});
    return r;
  }

  const std::string value_name = selector_value_name(choice.selector);
  if (!select.key_present)
    throw ControlSetError(
        "no Select key, so Select\\" + value_name +
        " cannot tell which ControlSet is current; choose one with --control-set N or all");
  std::optional<std::uint32_t> chosen;
  switch (choice.selector) {
    case ControlSetSelector::kCurrent:
      chosen = select.current;
      break;
    case ControlSetSelector::kDefault:
      chosen = select.default_set;
      break;
    case ControlSetSelector::kLastKnownGood:
      chosen = select.last_known_good;
      break;
    case ControlSetSelector::kFailed:
      chosen = select.failed;
      break;
    default:
      break;
  }
  if (!chosen) {
    const auto raw = reader.value(hive::KeyPath::parse("Select"), value_name);
    throw ControlSetError("Select\\" + value_name +
                          (raw ? " is not a 4-byte REG_DWORD (it is " + hive::type_name(raw->type) +
                                     ", " + std::to_string(raw->data.size()) + " bytes)"
                               : " is absent") +
                          "; choose a ControlSet with --control-set N or all");
  }
  if (*chosen == 0)
    throw ControlSetError("Select\\" + value_name + " is 0: " +
                          (choice.selector == ControlSetSelector::kFailed
                               ? "no ControlSet is recorded as failed"
                               : "it names no ControlSet"));
  if (*chosen > 999 || !exists(*chosen))
    throw ControlSetError("Select\\" + value_name + " = " + std::to_string(*chosen) +
                          " but the hive has no " + control_set_name(*chosen) + " key");
  if (choice.selector == ControlSetSelector::kCurrent && select.default_set &&
      *select.default_set != *chosen)
    r.notes.push_back("Select\\Current = " + std::to_string(*chosen) + " but Select\\Default = " +
                      std::to_string(*select.default_set) + " (the next boot uses Default)");
  r.sets.push_back({*chosen, stored_name(*chosen),
                    "Select\\" + value_name + " = " + std::to_string(*chosen), is_current(*chosen),
                    roles(*chosen)});
  return r;
}

}  // namespace hivelint::rules
