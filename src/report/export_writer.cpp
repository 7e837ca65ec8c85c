#include "report/export_writer.hpp"

#include <optional>

#include "hive/hive_reader.hpp"
#include "hive/value.hpp"
#include "regfile/reg_format.hpp"
#include "report/check_report.hpp"
#include "report/json_text.hpp"
#include "util/control_chars.hpp"
#include "util/error.hpp"
#include "util/utf16.hpp"

namespace hivelint::report {
namespace {

constexpr std::size_t kFlushBytes = 1 << 20;
constexpr char kHex[] = "0123456789abcdef";

// Every write is checked as the export streams: a full disk or a closed pipe ends the walk at once
// (exit 3) instead of walking the rest of the hive into a dead stream and exiting 0.
void write_checked(std::ostream& out, const std::string& bytes) {
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out)
    throw InputError(
        "cannot write the export: the output stream failed (disk full, or a closed pipe?)");
}

void append_utf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

std::u16string units_of(std::span<const std::uint8_t> data) {
  std::u16string u(data.size() / 2, u'\0');
  for (std::size_t i = 0; i < u.size(); ++i)
    u[i] = static_cast<char16_t>(data[2 * i] | (data[2 * i + 1] << 8));
  return u;
}

bool well_formed(std::u16string_view s) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char16_t c = s[i];
    if (c >= 0xD800 && c <= 0xDBFF) {
      if (i + 1 >= s.size() || s[i + 1] < 0xDC00 || s[i + 1] > 0xDFFF) return false;
      ++i;
    } else if (c >= 0xDC00 && c <= 0xDFFF) {
      return false;
    }
  }
  return true;
}

// REG_SZ-like data that is exactly "text" + one NUL, text well-formed and without NULs.
std::optional<std::u16string> exact_string(std::span<const std::uint8_t> data) {
  if (data.size() < 2 || data.size() % 2 != 0) return std::nullopt;
  std::u16string u = units_of(data);
  if (u.back() != 0) return std::nullopt;
  u.pop_back();
  if (u.find(u'\0') != std::u16string::npos || !well_formed(u)) return std::nullopt;
  return u;
}

// REG_MULTI_SZ data that is exactly each entry + NUL, then a final NUL (entries well-formed).
std::optional<std::vector<std::u16string>> exact_multi(std::span<const std::uint8_t> data) {
  if (data.size() < 2 || data.size() % 2 != 0) return std::nullopt;
  std::u16string u = units_of(data);
  if (u.back() != 0) return std::nullopt;
  u.pop_back();
  std::vector<std::u16string> entries;
  if (u.empty()) return entries;
  if (u.back() != 0) return std::nullopt;
  std::size_t start = 0;
  while (start < u.size()) {
    const std::size_t end = u.find(u'\0', start);
    std::u16string e = u.substr(start, end - start);
    if (!well_formed(e)) return std::nullopt;
    entries.push_back(std::move(e));
    start = end + 1;
  }
  return entries;
}

std::uint64_t le_number(std::span<const std::uint8_t> data) {
  std::uint64_t v = 0;
  for (std::size_t i = data.size(); i-- > 0;) v = (v << 8) | data[i];
  return v;
}

}  // namespace

bool append_json_string(std::string& out, std::u16string_view s) {
  bool lossy = false;
  out += '"';
  for (std::size_t i = 0; i < s.size(); ++i) {
    char32_t c = s[i];
    if (c >= 0xD800 && c <= 0xDBFF && i + 1 < s.size() && s[i + 1] >= 0xDC00 &&
        s[i + 1] <= 0xDFFF) {
      c = 0x10000 + ((c - 0xD800) << 10) + (s[i + 1] - 0xDC00);
      ++i;
    } else if (c >= 0xD800 && c <= 0xDFFF) {
      c = 0xFFFD;
      lossy = true;
    }
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          out += "\\u00";
          out += kHex[c >> 4];
          out += kHex[c & 0xF];
        } else {
          append_utf8(out, c);
        }
    }
  }
  out += '"';
  return lossy;
}

void append_json_value_data(std::string& out, std::uint32_t type,
                            std::span<const std::uint8_t> data) {
  using hive::ValueType;
  const auto t = static_cast<ValueType>(type);
  if (t == ValueType::kSz || t == ValueType::kExpandSz || t == ValueType::kLink) {
    if (const auto s = exact_string(data)) {
      out += "\"data\":";
      append_json_string(out, *s);
      return;
    }
  } else if (t == ValueType::kMultiSz) {
    if (const auto m = exact_multi(data)) {
      out += "\"data\":[";
      for (std::size_t i = 0; i < m->size(); ++i) {
        if (i) out += ',';
        append_json_string(out, (*m)[i]);
      }
      out += ']';
      return;
    }
  } else if ((t == ValueType::kDword && data.size() == 4) ||
             (t == ValueType::kQword && data.size() == 8)) {
    out += "\"data\":" + std::to_string(le_number(data));
    return;
  } else if (t == ValueType::kDwordBigEndian && data.size() == 4) {
    out += "\"data\":" + std::to_string((std::uint32_t{data[0]} << 24) |
                                        (std::uint32_t{data[1]} << 16) |
                                        (std::uint32_t{data[2]} << 8) | data[3]);
    return;
  }
  out += "\"hex\":\"";
  // Sized once and filled by index: byte-wise appends were a fifth of a whole-hive JSON export
  // (perf, docs/performance.md).
  const std::size_t at = out.size();
  out.resize(at + 2 * data.size());
  for (std::size_t i = 0; i < data.size(); ++i) {
    out[at + 2 * i] = kHex[data[i] >> 4];
    out[at + 2 * i + 1] = kHex[data[i] & 0xF];
  }
  out += '"';
}

// ---- .reg ---------------------------------------------------------------------------------------

RegExportWriter::RegExportWriter(std::ostream& out, std::u16string start_path,
                                 const RegExportOptions& options)
    : out_(out), encoding_(options.encoding), start_path_(std::move(start_path)) {
  regfile::validate_reg_root(start_path_);
  text_ = regfile::kRegHeader;
  if (!options.comments.empty()) {
    // The layout of fix --reg-comments (regfile::format_reg_file): header, blank line, comments;
    // each comment stays one line whatever a hive or file name holds (D5).
    text_ += u"\r\n";
    for (const auto& c : options.comments) regfile::append_comment_line(text_, c);
  }
  if (encoding_ == RegEncoding::kUtf16le) bytes_ = "\xFF\xFE";
}

void RegExportWriter::encode_pending() {
  if (encoding_ == RegEncoding::kUtf16le) {
    regfile::append_utf16le(bytes_, text_);
  } else {
    // Flushes happen at line ends, so neither a surrogate pair nor a CRLF is ever split; line ends
    // become LF, as Linux tools expect (a CR inside data, not before LF, stays).
    std::u16string lf;
    lf.reserve(text_.size());
    for (std::size_t i = 0; i < text_.size(); ++i)
      if (!(text_[i] == u'\r' && i + 1 < text_.size() && text_[i + 1] == u'\n')) lf += text_[i];
    bytes_ += util::utf16_to_utf8(lf).text;
  }
  text_.clear();
}

void RegExportWriter::flush_if_large() {
  if (text_.size() < kFlushBytes / 2) return;
  encode_pending();
  write_checked(out_, bytes_);
  bytes_.clear();
}

void RegExportWriter::key(const std::vector<std::u16string>& path, std::u16string_view,
                          std::uint64_t) {
  flush_if_large();
  text_ += u"\r\n";
  const std::size_t at = text_.size();
  regfile::append_key_line(text_, start_path_, path);  // refuses names a key line cannot carry (D4)
  key_path_.assign(text_, at + 1, text_.size() - at - 4);
}

void RegExportWriter::value(std::u16string_view name, std::uint32_t type,
                            std::span<const std::uint8_t> data) {
  if (const std::string problem = regfile::reg_value_name_problem(name); !problem.empty())
    throw InputError("key \"" + util::escape_controls(util::utf16_to_utf8(key_path_).text) +
                     "\", value \"" + util::escape_controls(util::utf16_to_utf8(name).text) +
                     "\": " + problem +
                     "; a .reg file cannot carry it (regedit would read other lines from it): use "
                     "--format json");
  regfile::append_value(text_, name, type, data);
  flush_if_large();  // per value, not only per key: a key's values together may be far larger than
                     // the file (D7)
}

void RegExportWriter::finish() {
  text_ += u"\r\n";
  encode_pending();
  write_checked(out_, bytes_);
  bytes_.clear();
  out_.flush();
  if (!out_)
    throw InputError(
        "cannot write the export: the output stream failed (disk full, or a closed pipe?)");
}

// ---- JSON ---------------------------------------------------------------------------------------

JsonExportWriter::JsonExportWriter(std::ostream& out, const JsonExportHeader& header) : out_(out) {
  const auto compact = [](const nlohmann::ordered_json& j) { return json_text(j, -1); };
  text_ = "{\"schema_version\":" + std::to_string(kJsonSchemaVersion) +
          ",\"tool\":\"hivelint\",\"command\":\"export\"";
  text_ += ",\"provenance\":" +
           (header.provenance ? compact(provenance_json(*header.provenance)) : std::string("null"));
  text_ += ",\"input\":" +
           (header.inputs ? compact(input_files_json(*header.inputs)) : std::string("null"));
  text_ += ",\"hive\":";
  append_json_string(text_, util::utf8_to_utf16(header.hive));
  text_ += ",\"backend\":";
  append_json_string(text_, util::utf8_to_utf16(header.backend));
  text_ += ",\"key\":";
  append_json_string(text_, util::utf8_to_utf16(header.key));
  text_ += ",\n\"keys\":[";
  const hive::KeyPath start = hive::KeyPath::parse(header.key);
  for (const auto& c : start.components()) start_.push_back(util::utf8_to_utf16(c));
}

void JsonExportWriter::close_key() {
  if (keys_ == 0) return;
  text_ += "]}";
}

void JsonExportWriter::key(const std::vector<std::u16string>& path, std::u16string_view name,
                           std::uint64_t last_written) {
  close_key();
  if (text_.size() >= kFlushBytes) {
    write_checked(out_, text_);
    text_.clear();
  }
  text_ += keys_ == 0 ? "\n{\"path\":" : ",\n{\"path\":";
  ++keys_;
  values_in_key_ = 0;
  std::u16string full;
  const auto append = [&full](const std::vector<std::u16string>& components) {
    for (const auto& c : components) {
      if (!full.empty()) full += u'\\';
      full += c;
    }
  };
  append(start_);
  append(path);
  bool lossy = append_json_string(text_, full);
  text_ += ",\"name\":";
  lossy |= append_json_string(text_, name);
  if (lossy) text_ += ",\"name_lossy\":true";
  text_ += ",\"last_written\":";
  const std::string when = hive::filetime_to_iso8601(last_written);
  if (when.empty())
    text_ += "null";
  else
    (text_ += '"') += when + '"';
  text_ += ",\"values\":[";
}

void JsonExportWriter::value(std::u16string_view name, std::uint32_t type,
                             std::span<const std::uint8_t> data) {
  if (values_in_key_++) text_ += ',';
  ++values_;
  text_ += "{\"name\":";
  if (append_json_string(text_, name)) text_ += ",\"name_lossy\":true";
  text_ += ",\"type\":\"" + hive::type_name(type) + "\",\"type_number\":" + std::to_string(type) +
           ",\"size\":" + std::to_string(data.size()) + ',';
  append_json_value_data(text_, type, data);
  text_ += '}';
  if (text_.size() >= kFlushBytes) {  // per value, not only per key: a key's values may be far
                                      // larger than the file (D7)
    out_.write(text_.data(), static_cast<std::streamsize>(text_.size()));
    text_.clear();
  }
}

void JsonExportWriter::finish() {
  close_key();
  text_ += "\n],\n\"summary\":{\"keys\":" + std::to_string(keys_) +
           ",\"values\":" + std::to_string(values_) + "}}\n";
  write_checked(out_, text_);
  text_.clear();
  out_.flush();
  if (!out_)
    throw InputError(
        "cannot write the export: the output stream failed (disk full, or a closed pipe?)");
}

}  // namespace hivelint::report
