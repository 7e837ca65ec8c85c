#include "hive/open.hpp"

#include <algorithm>

#include "hive/libregf_reader.hpp"
#include "util/upcase.hpp"
#include "util/utf16.hpp"

namespace hivelint::hive {

std::vector<std::string> find_sibling_logs(const std::filesystem::path& hive_path) {
  std::vector<std::string> logs;
  std::error_code ec;
  const auto dir = hive_path.has_parent_path() ? hive_path.parent_path() : std::filesystem::path(".");
  const std::u16string base = util::utf8_to_utf16(hive_path.filename().string());
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    const std::u16string name = util::utf8_to_utf16(entry.path().filename().string());
    for (const char16_t* suffix : {u".LOG", u".LOG1", u".LOG2"}) {
      if (util::names_equal(name, base + suffix)) logs.push_back(entry.path().string());
    }
  }
  std::sort(logs.begin(), logs.end());
  return logs;
}

OpenedHive open_hive(const std::filesystem::path& path) {
  OpenedHive h;
  h.label = path.string();
  h.image = std::make_unique<regf::HiveImage>(regf::HiveImage::load(path));
  h.base_block = regf::parse_base_block(h.image->bytes(), h.diagnostics);
  h.sibling_logs = find_sibling_logs(path);
  if (h.base_block.is_dirty()) {
    std::string w = h.label + ": the hive is dirty (primary sequence number " +
                    std::to_string(h.base_block.primary_sequence) + " != secondary " +
                    std::to_string(h.base_block.secondary_sequence) +
                    "): its latest writes may exist only in its transaction logs";
    if (h.sibling_logs.empty()) {
      w += " (none found beside it)";
    } else {
      w += " (";
      for (std::size_t i = 0; i < h.sibling_logs.size(); ++i) w += (i ? ", " : "") + h.sibling_logs[i];
      w += ")";
    }
    w += "; hivelint does not replay logs yet and analyses the base file as it is";
    h.warnings.push_back(std::move(w));
  }
  h.reader = LibregfReader::open_memory(h.image->bytes(), h.label);
  return h;
}

}  // namespace hivelint::hive
