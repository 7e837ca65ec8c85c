// HiveReader over libregf: the only files that include <libregf.h>. Opens a hive from a file path
// or from bytes in memory (a libbfio memory range), so recovered images later take the same path as
// files.
#pragma once
#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>

#include "hive/hive_reader.hpp"
#include "regf/clean_pages.hpp"

namespace hivelint::hive {

/// libregf's version string as the linked library reports it (libregf_get_version(), e.g.
/// "20201007").
std::string libregf_version();

class LibregfReader final : public HiveReader {
 public:
  /// Opens through libregf's own file I/O. Throws BackendError when libregf refuses the file.
  static std::unique_ptr<LibregfReader> open_file(const std::filesystem::path& path);
  /// Opens bytes that must outlive the reader (e.g. a regf::HiveImage). Throws BackendError.
  /// With `clean` (whose image is `bytes`), libregf's reads of pages a log replay left alone are
  /// served from the file's own mapping (regf/clean_pages.hpp): the same bytes.
  static std::unique_ptr<LibregfReader> open_memory(
      std::span<const std::uint8_t> bytes, std::string label,
      std::shared_ptr<const regf::CleanPages> clean = nullptr);
  ~LibregfReader() override;
  LibregfReader(const LibregfReader&) = delete;
  LibregfReader& operator=(const LibregfReader&) = delete;

  std::optional<KeyInfo> key(const KeyPath& path) const override;
  std::vector<std::string> subkey_names(const KeyPath& path) const override;
  std::optional<Value> value(const KeyPath& path, std::string_view name) const override;
  std::vector<Value> values(const KeyPath& path) const override;
  std::vector<regf::Diagnostic> diagnostics() const override;
  std::string backend_name() const override { return "libregf"; }
  /// Walks libregf's key handles directly (no path lookups); names and data as libregf returns
  /// them.
  regf::TreeKey read_tree() const override;
  /// Walks libregf's key handles directly; names and data as libregf returns them.
  bool visit(const KeyPath& start, TreeVisitor& visitor) const override;

  /// How many of libregf's key handles this reader keeps open now: a walk over thousands of keys
  /// keeps a bounded number of the small ones (tests check the bound).
  std::size_t open_keys() const;

  /// libregf's version string, for `hivelint --version` and reports.
  static std::string library_version();

 private:
  friend struct LibregfVisitor;

 public:
  struct State;  // defined in libregf_reader.cpp (libregf types stay out of this header)

 private:
  explicit LibregfReader(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace hivelint::hive
