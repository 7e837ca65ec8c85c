// Opening a hive file for analysis: the whole file in memory (regf::HiveImage, read-only), its base block
// parsed by our own regf layer, and a libregf reader over the same bytes. Notes a dirty hive and the
// transaction logs beside it (replaying them is not done here).
#pragma once
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "hive/hive_reader.hpp"
#include "regf/base_block.hpp"
#include "regf/hive_image.hpp"

namespace hivelint::hive {

struct OpenedHive {
  std::string label;                           // the path as given
  std::unique_ptr<regf::HiveImage> image;      // owns the bytes the reader reads
  regf::BaseBlock base_block;
  std::vector<std::string> sibling_logs;       // HIVE.LOG, HIVE.LOG1, HIVE.LOG2 (any case) beside the file
  std::vector<regf::Diagnostic> diagnostics;   // from the base block and the backend
  std::vector<std::string> warnings;           // one-line warnings for stderr (dirty hive ...)
  std::unique_ptr<HiveReader> reader;
};

enum class Backend { kLibregf, kHivelint };

/// Opens `path` read-only and reads it through `backend`. Throws FormatError (not a hive, truncated base
/// block, or hivelint's reader refuses it) or BackendError (libregf refuses it; the message then adds what
/// hivelint's own reader finds wrong, with structure and offset, when it finds something).
OpenedHive open_hive(const std::filesystem::path& path, Backend backend = Backend::kLibregf);

/// For an error a backend raised on `path` without saying where the hive is damaged (libregf's "cannot read
/// subkey 0 of the root key"): "; hivelint verify: <structure> at 0x...: <message>" naming the first structural
/// inconsistency regf::verify_hive finds, or "" when the message already names an offset or verify finds none.
std::string damage_detail(const std::filesystem::path& path, const std::string& message);

/// "libregf" / "hivelint" to Backend; throws UsageError otherwise.
Backend parse_backend(std::string_view name);

/// Transaction logs that belong to `hive_path`: same directory, name + ".LOG", ".LOG1" or ".LOG2", any case.
std::vector<std::string> find_sibling_logs(const std::filesystem::path& hive_path);

}  // namespace hivelint::hive
