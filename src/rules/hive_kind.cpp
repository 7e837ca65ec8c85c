#include "rules/hive_kind.hpp"

#include <algorithm>
#include <array>
#include <vector>

#include "rules/control_set.hpp"
#include "util/upcase.hpp"

namespace hivelint::rules {
namespace {

bool has(const std::vector<std::string>& names, std::string_view wanted) {
  return std::any_of(names.begin(), names.end(),
                     [&](const std::string& n) { return util::names_equal_utf8(n, wanted); });
}

// The last component of "\??\C:\Users\joe\ntuser.dat" or "\SystemRoot\System32\Config\SAM", upcased
// (ASCII names).
std::string base_name_upper(std::string_view path) {
  const auto slash = path.find_last_of("\\/");
  std::string name(slash == std::string_view::npos ? path : path.substr(slash + 1));
  for (char& c : name)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return name;
}

}  // namespace

bool looks_like_system(const hive::HiveReader& reader) {
  return read_select(reader).key_present || !list_control_sets(reader).empty();
}

std::string classify_hive(const hive::HiveReader& reader, std::string_view embedded_file_name) {
  if (looks_like_system(reader)) return "SYSTEM";
  const std::vector<std::string> root = reader.subkey_names(hive::KeyPath{});
  // Root keys each kind has on every Windows version in ../shared/hives-real (see PROVENANCE.md
  // there).
  if (has(root, "SAM")) return "SAM";
  if (has(root, "Policy") && (has(root, "RXACT") || has(root, "Cache"))) return "SECURITY";
  if (has(root, "Microsoft") &&
      (has(root, "Classes") || has(root, "Policies") || has(root, "Clients")))
    return "SOFTWARE";
  if (has(root, "AppEvents") || has(root, "Control Panel") || has(root, "Environment") ||
      has(root, "Keyboard Layout"))
    return "NTUSER";
  if (has(root, "Local Settings") || has(root, "CLSID") || has(root, "*")) return "UsrClass";
  if (root.size() == 1 && has(root, "Root")) return "Amcache";
  if (has(root, "Objects") && has(root, "Description")) return "BCD";
  if (has(root, "DerivedData") || has(root, "CanonicalData")) return "COMPONENTS";
  const std::string name = base_name_upper(embedded_file_name);
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 12> kByFileName{
      {{"SOFTWARE", "SOFTWARE"},
       {"SAM", "SAM"},
       {"SECURITY", "SECURITY"},
       {"DEFAULT", "NTUSER"},
       {"NTUSER.DAT", "NTUSER"},
       {"USRCLASS.DAT", "UsrClass"},
       {"AMCACHE.HVE", "Amcache"},
       {"BCD", "BCD"},
       {"COMPONENTS", "COMPONENTS"},
       {"DRIVERS", "DRIVERS"},
       {"ELAM", "ELAM"},
       {"BBI", "BBI"}}};
  for (const auto& [file, kind] : kByFileName)
    if (name == file) return std::string(kind);
  return "other";
}

}  // namespace hivelint::rules
