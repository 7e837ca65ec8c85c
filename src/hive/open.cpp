#include "hive/open.hpp"

#include <algorithm>

#include "hive/error.hpp"
#include "hive/libregf_reader.hpp"
#include "hive/regf_reader.hpp"
#include "regf/verify.hpp"
#include "util/bytes.hpp"
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

Backend parse_backend(std::string_view name) {
  if (name == "libregf") return Backend::kLibregf;
  if (name == "hivelint") return Backend::kHivelint;
  throw UsageError("--backend \"" + std::string(name) + "\" is not libregf or hivelint");
}

namespace {

// When libregf refuses a hive its message rarely says where; our reader usually can.
std::unique_ptr<HiveReader> open_libregf(std::span<const std::uint8_t> bytes, const std::string& label) {
  try {
    auto reader = LibregfReader::open_memory(bytes, label);
    reader->key(KeyPath{});  // libregf opens lazily: make it read the root now
    return reader;
  } catch (const BackendError& e) {
    try {
      const regf::Reader ours(bytes);
      (void)ours.root();
      if (!ours.diagnostics().empty()) {
        const auto& d = ours.diagnostics().front();
        throw e.with_detail("hivelint's reader: " + d.structure + " at " + util::hex_offset(d.file_offset) + ": " + d.message);
      }
    } catch (const FormatError& ours_error) {
      throw e.with_detail(std::string("hivelint's reader: ") + ours_error.what());
    }
    throw;
  }
}

}  // namespace

std::string damage_detail(const std::filesystem::path& path, const std::string& message) {
  if (message.find(" at 0x") != std::string::npos) return "";
  try {
    const regf::HiveImage image = regf::HiveImage::load(path);
    const auto findings = regf::verify_hive(image.bytes()).findings;
    const auto describe = [](const regf::Diagnostic& f) {
      return "; hivelint verify: " + f.structure + " at " + util::hex_offset(f.file_offset) + ": " + f.message;
    };
    for (const auto& f : findings)
      if (f.severity == regf::Severity::kError) return describe(f);
    // No inconsistency: a name other readers cannot decode is the likely reason they stopped.
    for (const auto& f : findings)
      if (f.message.find("not valid UTF-16") != std::string::npos) return describe(f);
  } catch (const Error&) {  // unreadable for verify too: the backend's own message is all there is to say
  }
  return "";
}

OpenedHive open_hive(const std::filesystem::path& path, Backend backend) {
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
  if (backend == Backend::kHivelint) h.reader = std::make_unique<RegfReader>(h.image->bytes());
  else h.reader = open_libregf(h.image->bytes(), h.label);
  return h;
}

}  // namespace hivelint::hive
