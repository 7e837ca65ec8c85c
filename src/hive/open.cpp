#include "hive/open.hpp"

#include <algorithm>

#include "hive/libregf_reader.hpp"
#include "util/error.hpp"
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
  // A transaction log has a base block too; analysing one as a hive would give nonsense (spec "Format of
  // transaction log files": file type 1 or 2 for the old format, 6 for the new one).
  const std::uint32_t type = h.base_block.file_type;
  if (type == 1 || type == 2 || type == 6)
    throw FormatError("base block at 0x00000000: file type is " + std::to_string(type) +
                      ": this is a transaction log (" + (type == 6 ? "new format, Windows 8.1 and later" : "old format") +
                      "), not a primary hive file; give the hive it belongs to");
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
