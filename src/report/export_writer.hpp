// `hivelint export`: writers that turn a streaming tree walk (hive::TreeVisitor) into a .reg file
// (regedit's format, via regfile::reg_format) or a JSON document (docs/json.md, "hivelint export").
// Both write as they go through a fixed-size buffer, so memory does not grow with the hive.
#pragma once
#include <cstdint>
#include <optional>
#include <ostream>
#include <span>
#include <string>
#include <vector>

#include "hive/tree_visit.hpp"
#include "report/provenance.hpp"

namespace hivelint::report {

/// How export writes a .reg file: regedit's bytes (UTF-16LE with BOM, CRLF), or UTF-8 (no BOM, LF)
/// for Linux readers, terminals and grep.
enum class RegEncoding { kUtf16le, kUtf8 };

struct RegExportOptions {
  RegEncoding encoding = RegEncoding::kUtf16le;
  std::vector<std::string>
      comments;  // ';' lines after the header (none by default: chntpw's reged -I rejects them)
};

class RegExportWriter final : public hive::TreeVisitor {
 public:
  /// `start_path` is the full .reg path of the walk's start key, e.g.
  /// HKEY_LOCAL_MACHINE\SYSTEM\ControlSet001. Writes the BOM and header at once. Throws UsageError
  /// when `start_path` cannot start a key line (regfile::validate_reg_root); key() and value()
  /// throw InputError naming the key for a name that a .reg file cannot carry
  /// (regfile::reg_key_name_problem, reg_value_name_problem).
  RegExportWriter(std::ostream& out, std::u16string start_path,
                  const RegExportOptions& options = {});
  void key(const std::vector<std::u16string>& path, std::u16string_view name,
           std::uint64_t last_written) override;
  void value(std::u16string_view name, std::uint32_t type,
             std::span<const std::uint8_t> data) override;
  /// Writes the final blank line and flushes. Call once after the walk.
  void finish();

 private:
  void flush_if_large();
  void encode_pending();  // text_ into bytes_ in the chosen encoding
  std::ostream& out_;
  RegEncoding encoding_;
  std::u16string start_path_;
  std::u16string key_path_;  // the current key's full path, for errors
  std::u16string text_;      // pending UTF-16 text
  std::string bytes_;        // its UTF-16LE encoding
};

struct JsonExportHeader {
  std::string hive;     // path as given
  std::string backend;  // libregf | hivelint
  std::string key;      // start key relative to the hive root ("" = root), as given
  std::optional<Provenance> provenance;
  std::optional<hive::InputFiles> inputs;
};

class JsonExportWriter final : public hive::TreeVisitor {
 public:
  JsonExportWriter(std::ostream& out, const JsonExportHeader& header);
  void key(const std::vector<std::u16string>& path, std::u16string_view name,
           std::uint64_t last_written) override;
  void value(std::u16string_view name, std::uint32_t type,
             std::span<const std::uint8_t> data) override;
  /// Closes the document (with the key and value counts) and flushes. Call once after the walk.
  void finish();

 private:
  void close_key();
  std::ostream& out_;
  std::vector<std::u16string> start_;
  std::string text_;
  std::size_t keys_ = 0, values_ = 0, values_in_key_ = 0;
};

/// Appends `s` as a JSON string literal (quotes included, UTF-8); returns true when an unpaired
/// surrogate had to be replaced by U+FFFD.
bool append_json_string(std::string& out, std::u16string_view s);

/// Appends the JSON "data" member for a value: "data": <string | [strings] | number> when the bytes
/// decode and re-encode exactly (see docs/json.md), else "hex": "<lowercase hex>". Includes the
/// leading `"data":`/`"hex":`.
void append_json_value_data(std::string& out, std::uint32_t type,
                            std::span<const std::uint8_t> data);

}  // namespace hivelint::report
