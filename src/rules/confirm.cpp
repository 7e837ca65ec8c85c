#include "rules/confirm.hpp"

#include <set>
#include <utility>

#include "util/bytes.hpp"
#include "util/error.hpp"
#include "util/upcase.hpp"
#include "util/utf16.hpp"

namespace hivelint::rules {
namespace {

constexpr const char* kFirst = "hivelint's reader";
constexpr const char* kSecond = "libregf";

bool is_text_type(std::uint32_t type) {
  using hive::ValueType;
  return type == static_cast<std::uint32_t>(ValueType::kSz) ||
         type == static_cast<std::uint32_t>(ValueType::kExpandSz) ||
         type == static_cast<std::uint32_t>(ValueType::kLink);
}

std::string offset_text(const std::optional<std::uint64_t>& offset) {
  return offset ? " in the cell at " + util::hex_offset(*offset) : std::string();
}

std::string value_text(const hive::Value& v) {
  return hive::type_name(v.type) + " of " + std::to_string(v.data.size()) + " bytes" +
         offset_text(v.cell_file_offset);
}

std::string key_text(const std::optional<hive::KeyInfo>& k) {
  if (!k) return "no key";
  const std::string written =
      k->last_written ? ", last written " + hive::filetime_to_iso8601(k->last_written) : "";
  return "the key" + offset_text(k->cell_file_offset) + written + ", " +
         std::to_string(k->subkey_count) + " subkeys, " + std::to_string(k->value_count) +
         " values";
}

// libregf 20201007 decodes a compressed (8-bit) name as Windows-1252, hivelint's reader as Latin-1
// (what Windows does): the two differ only for bytes 0x80-0x9F (issue 16 §1). A name is compared
// with those units mapped the Windows-1252 way on both sides, so that this known difference is not
// a disagreement.
constexpr char16_t kWindows1252[32] = {
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0x008D, 0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178};

std::u16string libregf_view(std::string_view utf8) {
  std::u16string units = util::utf8_to_utf16(utf8);
  for (char16_t& u : units)
    if (u >= 0x80 && u < 0xA0) u = kWindows1252[u - 0x80];
  return units;
}

std::string join(const std::vector<std::string>& items) {
  std::string s;
  for (const auto& i : items) s += (s.empty() ? "" : "; ") + i;
  return s.empty() ? std::string("nothing") : s;
}

std::string both(const std::string& where, const std::string& a, const std::string& b) {
  return where + ": " + kFirst + " read " + a + ", " + kSecond + " read " + b;
}

bool same_key(const std::optional<hive::KeyInfo>& a, const std::optional<hive::KeyInfo>& b) {
  if (a.has_value() != b.has_value()) return false;
  if (!a) return true;
  const bool offsets =
      !a->cell_file_offset || !b->cell_file_offset || *a->cell_file_offset == *b->cell_file_offset;
  return offsets && a->last_written == b->last_written && a->subkey_count == b->subkey_count &&
         a->value_count == b->value_count;
}

// One key, or one value of a key, read through both readers: what differs, or nullopt when they
// agree. Each is compared once per result.
class Check {
 public:
  Check(const hive::HiveReader& first, const hive::HiveReader& second)
      : first_(first), second_(second) {}

  std::optional<std::string> key(const std::string& path) const {
    if (!keys_done_.insert(path).second)
      return std::nullopt;  // several items of one service: read once
    const hive::KeyPath p = hive::KeyPath::parse(path);
    const auto a = first_.key(p), b = second_.key(p);
    if (!same_key(a, b))
      return both(path.empty() ? "the root key" : path, key_text(a), key_text(b));
    return std::nullopt;
  }

  std::optional<std::string> value(const std::string& path, const std::string& name) const {
    if (!values_done_.emplace(path, name).second) return std::nullopt;
    const hive::KeyPath p = hive::KeyPath::parse(path);
    const auto a = first_.value(p, name), b = second_.value(p, name);
    const std::string where = path + "\\" + (name.empty() ? "(default)" : name);
    if (a.has_value() != b.has_value())
      return both(where, a ? value_text(*a) : "no value", b ? value_text(*b) : "no value");
    if (a && !same_value_reading(*a, *b))
      return both(where, value_text(*a), value_text(*b) + ", other data");
    return std::nullopt;
  }

 private:
  const hive::HiveReader& first_;
  const hive::HiveReader& second_;
  // Already compared. Two sets, not one joined string: a name read from a hive may hold any
  // character.
  mutable std::set<std::string> keys_done_;
  mutable std::set<std::pair<std::string, std::string>> values_done_;
};

std::string verdict_text(const RuleResult& r) {
  std::string s = status_name(r.status);
  if (!r.missing.empty()) s += " (missing " + join(r.missing) + ")";
  return s;
}

std::optional<std::string> different_verdict(const RuleResult& a, const RuleResult& b) {
  if (a.status != b.status || a.missing != b.missing)
    return both("the verdict", verdict_text(a),
                verdict_text(b) + (b.status == Status::kError ? ": " + b.message : ""));
  if (a.applicability != b.applicability)
    return both("why the rule applies", join(a.applicability), join(b.applicability));
  for (std::size_t i = 0; i < a.findings.size() && i < b.findings.size(); ++i)
    if (a.findings[i].reason != b.findings[i].reason)
      return both(a.findings[i].key_path + "\\" + a.findings[i].value_name,
                  finding_reason_name(a.findings[i].reason),
                  finding_reason_name(b.findings[i].reason));
  return std::nullopt;
}

}  // namespace

bool same_value_reading(const hive::Value& first, const hive::Value& second) {
  if (first.type != second.type) return false;
  if (first.cell_file_offset && second.cell_file_offset &&
      *first.cell_file_offset != *second.cell_file_offset)
    return false;
  if (is_text_type(first.type))
    return hive::decode_string(first.data).text == hive::decode_string(second.data).text;
  return first.data == second.data;
}

std::optional<std::string> root_disagreement(const hive::HiveReader& first,
                                             const hive::HiveReader& second) {
  if (auto d = Check(first, second).key("")) return d;
  const auto a = first.subkey_names(hive::KeyPath{}), b = second.subkey_names(hive::KeyPath{});
  const auto list = [](const std::vector<std::string>& names) {
    std::string s;
    for (const auto& n : names) s += (s.empty() ? "" : ", ") + n;
    return s.empty() ? std::string("none") : s;
  };
  bool same = a.size() == b.size();
  for (std::size_t i = 0; same && i < a.size(); ++i)
    same = util::names_equal(libregf_view(a[i]), libregf_view(b[i]));
  if (!same) return both("the root key's subkeys", list(a), list(b));
  return std::nullopt;
}

std::optional<std::string> disagreement(const RuleResult& result, const Rule& rule,
                                        const hive::HiveReader& first,
                                        const hive::HiveReader& second) {
  // A result evaluate_rule made (not one the caller decided without evaluating, such as "not a
  // SYSTEM hive").
  const bool evaluated = result.control_set || rule.scope == Scope::kRoot;
  if (!rule.itemized && evaluated) {
    // The verdict alone: the evidence is compared below, key by key and value by value.
    const RuleResult again =
        evaluate_rule(rule, second, result.hive, result.control_set, ResultDetail::kVerdict);
    if (auto d = different_verdict(result, again)) return d;
  }
  const Check check(first, second);
  for (const auto& e : result.evidence) {
    if (auto d = check.key(e.path)) return d;
    for (const auto& v : e.values)
      if (auto d = check.value(e.path, v.name)) return d;
  }
  for (const auto& f : result.findings)
    if (auto d = check.value(f.key_path, f.value_name)) return d;
  for (const auto& it : result.items) {
    if (it.key.empty()) continue;
    if (auto d = check.key(it.key)) return d;
    if (!it.value.empty())
      if (auto d = check.value(it.key, it.value)) return d;
    if (it.start)
      if (auto d = check.value(it.key, "Start")) return d;
  }
  for (const auto& edit : result.planned_edits) {
    if (auto d = check.key(edit.key.str())) return d;
    if (edit.kind != hive::Edit::Kind::kCreateKey)
      if (auto d = check.value(edit.key.str(), edit.value_name)) return d;
  }
  return std::nullopt;
}

bool confirm_result(RuleResult& result, const Rule& rule, const hive::HiveReader& first,
                    const hive::HiveReader& second) {
  if (result.status == Status::kError) return false;
  std::optional<std::string> found;
  try {
    found = disagreement(result, rule, first, second);
  } catch (const Error& e) {
    found = std::string(kSecond) + " could not re-read what the result shows: " + e.what();
  }
  if (!found) return false;
  result.status = Status::kError;
  result.message = "hivelint's reader and libregf disagree: " + *found;
  result.planned_edits.clear();  // no fix from a reading the second reader does not confirm
  return true;
}

}  // namespace hivelint::rules
