#include "rules/evaluator.hpp"

#include <algorithm>
#include <cstdint>
#include <unordered_map>
#include <unordered_set>

#include "rules/safe_regex.hpp"
#include "rules/search_each.hpp"
#include "util/upcase.hpp"
#include "util/utf16.hpp"

namespace hivelint::rules {
namespace {

using hive::KeyPath;
using hive::Value;

bool same_entry(std::string_view a, std::string_view b, bool case_sensitive) {
  return case_sensitive ? a == b : util::names_equal_utf8(a, b);
}

bool contains_entry(const std::vector<std::string>& list, std::string_view e, bool case_sensitive) {
  return std::any_of(list.begin(), list.end(),
                     [&](const std::string& x) { return same_entry(x, e, case_sensitive); });
}

bool is_string_type(std::uint32_t t) {
  return t == static_cast<std::uint32_t>(hive::ValueType::kSz) ||
         t == static_cast<std::uint32_t>(hive::ValueType::kExpandSz);
}

class Evaluator {
 public:
  Evaluator(const hive::HiveReader& reader, KeyPath base)
      : reader_(reader), base_(std::move(base)) {}

  /// The key `relative` (a rule's template, which outlives the evaluator) names under the current
  /// bindings. The path built last for each template is kept and handed out again while its
  /// expansion is the same: the leaves of a walk ask for Services\{svc} several times per service.
  /// The reference is valid until the next call for the same template; a caller that evaluates more
  /// conditions meanwhile keeps a copy.
  const KeyPath& path(const std::string& relative) const {
    PathMemo& m = paths_[std::string_view(relative)];
    bindings_.expand_into(relative, expanded_);  // into a kept buffer: no allocation per lookup
    if (!m.built || expanded_ != m.expanded) {
      m.path.assign(base_, expanded_);
      m.expanded.assign(expanded_);
      m.built = true;
    }
    return m.path;
  }
  std::string name(const std::string& value_name) const { return bindings_.expand(value_name); }

  // Evaluates a condition; appends human explanations of the leaves to `trace`.
  bool eval(const Condition& c, std::vector<std::string>& trace) { return eval(c, &trace); }

  // The same, building no explanation when `trace` is null (a walk's `where`, and a `require` that
  // holds: the lines of neither are shown). Every other effect (items, findings, keys seen) is the
  // same either way.
  bool eval(const Condition& c, std::vector<std::string>* trace) {
    switch (c.kind) {
      case ConditionKind::kAll: {
        bool ok = true;
        for (const auto& child : c.children)
          ok = eval(child, trace) && ok;  // evaluate all, for full evidence
        return ok;
      }
      case ConditionKind::kAny: {
        bool ok = false;
        for (const auto& child : c.children) ok = eval(child, trace) || ok;
        return ok;
      }
      case ConditionKind::kNot: {
        std::vector<std::string> inner;
        const bool v = eval(c.children.front(), trace ? &inner : nullptr);
        if (trace)
          for (auto& line : inner) trace->push_back("not: " + line);
        return !v;
      }
      case ConditionKind::kKeyExists: {
        const KeyPath& at = path(c.key);
        auto k = reader_.key(at);
        if (trace)
          trace->push_back((k ? k->path.str() : at.str()) + (k ? " exists" : " is absent"));
        if (k) note_seen(k->path);
        return k.has_value();
      }
      case ConditionKind::kValueExists: {
        const KeyPath& at = path(c.key);
        auto v = reader_.value(at, name(c.value));
        if (trace) trace->push_back(value_label(c, at) + (v ? " exists" : " is absent"));
        return v.has_value();
      }
      case ConditionKind::kValueTypeIs: {
        const KeyPath& at = path(c.key);
        auto v = reader_.value(at, name(c.value));
        const bool ok = v && std::find(c.types.begin(), c.types.end(), v->type) != c.types.end();
        if (trace)
          trace->push_back(value_label(c, at) +
                           (v ? " is " + hive::type_name(v->type) : std::string(" is absent")));
        return ok;
      }
      case ConditionKind::kMultiStringContainsAll: {
        std::vector<std::string> lines;
        const bool ok = multi_string(c, lines);  // always: it records a finding
        if (trace) trace->insert(trace->end(), lines.begin(), lines.end());
        return ok;
      }
      case ConditionKind::kStringEquals:
      case ConditionKind::kStringMatches: {
        const KeyPath& at = path(c.key);
        auto v = reader_.value(at, name(c.value));
        if (!v || !is_string_type(v->type)) {
          if (trace)
            trace->push_back(
                value_label(c, at) +
                (v ? " is not a string (" + hive::type_name(v->type) + ")" : " is absent"));
          return false;
        }
        const std::string text = hive::decode_string(v->data).text;
        bool ok;
        if (c.kind == ConditionKind::kStringEquals) {
          ok = same_entry(c.value_prefix + text, name(c.text), c.case_sensitive);
        } else {
          ok = regex_search(text, c.regex, c.text, RegexOptions{c.case_sensitive});
        }
        if (trace)
          trace->push_back(value_label(c, at) + " = \"" + text + "\"" +
                           (ok ? " matches" : " does not match"));
        return ok;
      }
      case ConditionKind::kForEachSubkey:
      case ConditionKind::kForEachEntry:
        return for_each(c, trace);
      case ConditionKind::kTextMatches: {
        const std::string text = bindings_.expand(c.key);
        const bool ok = regex_search(text, c.regex, c.text, RegexOptions{c.case_sensitive});
        if (trace)
          trace->push_back("\"" + text + "\"" + (ok ? " matches " : " does not match ") + c.text);
        return ok;
      }
      case ConditionKind::kDwordCompare: {
        const KeyPath& at = path(c.key);
        auto v = reader_.value(at, name(c.value));
        auto n = v ? hive::decode_dword(*v) : std::nullopt;
        if (!n) {
          if (trace)
            trace->push_back(value_label(c, at) + (v ? " is not a REG_DWORD" : " is absent"));
          return false;
        }
        const std::uint64_t a = *n, b = c.number;
        const bool ok = compare(c.op, a, b);
        if (trace)
          trace->push_back(value_label(c, at) + " = " + std::to_string(a) + " " +
                           compare_op_text(c.op) + " " + std::to_string(b) +
                           (ok ? " holds" : " does not hold"));
        return ok;
      }
    }
    return false;
  }

  // A for_each whose conditions make neither items nor findings is a function of the hive (fixed
  // during the evaluation) and of the bound names it mentions only. Asked again with the same
  // values (SCM-DEPENDENCY-MISSING walks Services once per "+Group" entry of every service), its
  // answer and trace lines are replayed instead of walked again, which keeps such a rule linear in
  // the number of services and distinct groups.
  bool for_each(const Condition& c, std::vector<std::string>* trace) {
    const std::optional<std::vector<std::string>>& mentioned = memo_names(c);
    if (!mentioned) {
      std::vector<std::string> lines;
      const bool ok = walk(c, lines);
      if (trace) trace->insert(trace->end(), lines.begin(), lines.end());
      return ok;
    }
    std::string key = memo_key(c, *mentioned);
    if (const auto it = memo_.find(key); it != memo_.end()) {
      if (trace) trace->insert(trace->end(), it->second.trace.begin(), it->second.trace.end());
      return it->second.ok;
    }
    Memo m;
    m.ok = walk(c, m.trace);
    const bool ok = m.ok;
    if (trace) trace->insert(trace->end(), m.trace.begin(), m.trace.end());
    if (memo_.size() < kMaxMemo) memo_.emplace(std::move(key), std::move(m));
    return ok;
  }

  // The placeholder names `c`'s subtree mentions, sorted and unique; nullopt when the subtree makes
  // items or findings (side effects a replay would lose), so it is never memoized.
  const std::optional<std::vector<std::string>>& memo_names(const Condition& c) {
    if (const auto it = memo_names_.find(&c); it != memo_names_.end()) return it->second;
    std::vector<std::string> names;
    std::optional<std::vector<std::string>> result;
    if (collect_names(c, names)) {
      std::sort(names.begin(), names.end());
      names.erase(std::unique(names.begin(), names.end()), names.end());
      result = std::move(names);
    }
    return memo_names_.emplace(&c, std::move(result)).first->second;
  }

  static bool collect_names(const Condition& c, std::vector<std::string>& names) {
    if (!c.item.empty() || c.kind == ConditionKind::kMultiStringContainsAll) return false;
    placeholders(c.key, names);
    placeholders(c.value, names);
    placeholders(c.text, names);
    return std::all_of(c.children.begin(), c.children.end(),
                       [&](const Condition& child) { return collect_names(child, names); });
  }

  // The condition's identity and the current value of each name it mentions (length-prefixed, so
  // distinct bindings never share a key; an unbound name is marked as such: "{GUID}" braces stay
  // literal text).
  std::string memo_key(const Condition& c, const std::vector<std::string>& names) const {
    std::string key = std::to_string(reinterpret_cast<std::uintptr_t>(&c));
    for (const auto& n : names) {
      const std::string* v = bindings_.find(n);
      key += v ? '=' + std::to_string(v->size()) + ':' + *v : std::string("~");
    }
    return key;
  }

  // for_each_subkey / for_each_entry: `require` must hold for every item `where` (if given)
  // selects. Only the items that fail are traced, one line each, so a Services key with hundreds of
  // subkeys stays readable.
  bool walk(const Condition& c, std::vector<std::string>& trace) {
    const KeyPath over = path(c.key);
    const bool subkeys = c.kind == ConditionKind::kForEachSubkey;
    const std::vector<std::string> items = subkeys ? for_each_subkey_names(reader_, over)
                                                   : for_each_entries(reader_, over, name(c.value));
    const std::string what =
        subkeys ? "subkey of " + over.str() : "entry of " + over.str() + "\\" + name(c.value);
    if (items.size() > kMaxForEachItems) {
      trace.push_back("for_each: " + std::to_string(items.size()) + " items in " + over.str() +
                      ", more than " + std::to_string(kMaxForEachItems) + "; not evaluated");
      return false;
    }
    bool ok = true;
    std::size_t selected = 0;
    // `where` is never shown. A `require` without items or findings inside (memo_names) is
    // evaluated without its explanation first and again with it only when it fails (it is a
    // function of the hive and the bindings): most items hold, and their lines were most of a
    // walk's cost.
    const bool pure = memo_names(c.children[0]).has_value();
    for (const auto& item : items) {
      bindings_.push(c.binding, item);
      std::vector<std::string> require_trace;
      const bool chosen = c.children.size() < 2 || eval(c.children[1], nullptr);
      bool held = true;
      if (chosen) {
        held = eval(c.children[0], pure ? nullptr : &require_trace);
        if (!held && pure) eval(c.children[0], &require_trace);
      }
      if (chosen) ++selected;
      if (held) {
        bindings_.pop();
        continue;
      }
      ok = false;
      std::string line = c.binding + " = " + item + " (" + what + "): ";
      for (std::size_t i = 0; i < require_trace.size(); ++i)
        line += (i ? "; " : "") + require_trace[i];
      if (!c.item.empty()) make_item(c.item.front(), line);
      bindings_.pop();
      trace.push_back(std::move(line));
    }
    if (ok)
      trace.push_back("every " + what + " (" + std::to_string(selected) + " of " +
                      std::to_string(items.size()) + " selected) meets the requirement");
    return ok;
  }

  // The condition behind KB277770: every required entry must be in the REG_MULTI_SZ list.
  bool multi_string(const Condition& c, std::vector<std::string>& trace) {
    MultiStringFinding f;
    const KeyPath key_path = path(c.key);
    f.key_path = key_path.str();
    f.value_name = name(c.value);
    const auto key = reader_.key(key_path);
    std::optional<Value> value;
    if (key) {
      f.key_path = key->path.str();
      value = reader_.value(key_path, f.value_name);
    }
    std::vector<std::string> seen;  // entries as Windows sees them
    bool readable = false;
    if (!key) {
      f.reason = FindingReason::kKeyAbsent;
    } else if (!value) {
      const bool is_key = reader_.key(key_path / f.value_name).has_value();
      f.reason = is_key ? FindingReason::kKeyNotValue : FindingReason::kValueAbsent;
    } else if (value->type != static_cast<std::uint32_t>(hive::ValueType::kMultiSz)) {
      f.reason = FindingReason::kWrongType;
      f.actual_type = value->type;
    } else {
      readable = true;
      f.actual_type = value->type;
      const auto decoded = hive::decode_multi_string(value->data);
      seen = decoded.entries;
      for (const auto& e : c.entries)
        if (!contains_entry(seen, e, c.case_sensitive) &&
            contains_entry(decoded.hidden, e, c.case_sensitive))
          f.hidden.push_back(e);
    }
    for (const auto& e : c.entries)
      (contains_entry(seen, e, c.case_sensitive) ? f.present : f.missing).push_back(e);
    if (readable)
      f.reason = f.missing.empty() ? FindingReason::kOk : FindingReason::kMissingEntries;

    std::string line = value_label(c, key_path);
    switch (f.reason) {
      case FindingReason::kKeyAbsent:
        line = key_path.str() + " is absent";
        break;
      case FindingReason::kValueAbsent:
        line += " is absent";
        break;
      case FindingReason::kKeyNotValue:
        line += " is a key, not a value";
        break;
      case FindingReason::kWrongType:
        line += " is " + hive::type_name(*f.actual_type) + ", not REG_MULTI_SZ";
        break;
      case FindingReason::kMissingEntries:
        line += " lacks " + join(f.missing);
        break;
      case FindingReason::kOk:
        line += " has all of " + join(c.entries);
        break;
    }
    trace.push_back(line);
    const bool ok = f.reason == FindingReason::kOk;
    findings_.push_back(std::move(f));
    return ok;
  }

  // One item of an itemized rule, with the bindings of the failing subkey or entry still in place.
  void make_item(const ItemSpec& spec, const std::string& why) {
    Item it;
    it.service = bindings_.expand(spec.service);
    it.value = bindings_.expand(spec.value);
    it.name = bindings_.expand(spec.name);
    it.why = why;
    const KeyPath key_path = path(spec.key);
    it.key = key_path.str();
    if (const auto key = reader_.key(key_path)) {
      it.key = key->path.str();
      it.last_written = hive::filetime_to_iso8601(key->last_written);
      it.last_written_filetime = key->last_written;
      it.key_cell_offset = key->cell_file_offset;
      if (const auto v = reader_.value(key_path, it.value))
        it.value_cell_offset = v->cell_file_offset;
      if (const auto start = reader_.value(key_path, "Start"))
        it.start = hive::decode_dword(*start);
    }
    it.severity = rule_severity_;
    for (const auto& sc : spec.severity) {
      if (sc.when.empty() || eval(sc.when.front(), nullptr)) {
        it.severity = sc.severity;
        break;
      }
    }
    items_.push_back(std::move(it));
  }

  void set_rule_severity(std::string s) { rule_severity_ = std::move(s); }
  std::vector<Item> take_items() { return std::move(items_); }

  std::vector<MultiStringFinding> take_findings() { return std::move(findings_); }

  /// The keys key_exists found, by their last name as stored, each once, in the order first seen.
  const std::vector<std::string>& seen_keys() const { return seen_; }

  static std::string join(const std::vector<std::string>& v) {
    std::string out;
    for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
    return out;
  }

 private:
  std::string value_label(const Condition& c, const KeyPath& at) const {
    return at.str() + "\\" + (c.value.empty() ? std::string("(Default)") : name(c.value));
  }

  void note_seen(const KeyPath& stored) {
    if (stored.is_root()) return;
    const std::string& name = stored.components().back();
    // A walk over every service finds thousands of keys: a set, not a scan of the list per key.
    if (seen_folded_.insert(util::upcase(util::utf8_to_utf16(name))).second) seen_.push_back(name);
  }

  const hive::HiveReader& reader_;
  KeyPath base_;
  std::vector<MultiStringFinding> findings_;
  std::vector<std::string> seen_;
  std::unordered_set<std::u16string> seen_folded_;  // seen_, upper-cased as Windows compares names
  std::vector<Item> items_;
  std::string rule_severity_ = "error";
  Bindings bindings_;

  struct PathMemo {
    bool built = false;
    std::string expanded;
    KeyPath path;
  };
  mutable std::unordered_map<std::string_view, PathMemo>
      paths_;                     // by template text (the rule's strings)
  mutable std::string expanded_;  // path()'s expansion, kept to reuse its storage

  struct Memo {
    bool ok = false;
    std::vector<std::string> trace;
  };
  // Far above what a real SYSTEM hive needs (one per distinct group name); a crafted one cannot
  // grow it further.
  static constexpr std::size_t kMaxMemo = 4096;
  std::unordered_map<const Condition*, std::optional<std::vector<std::string>>> memo_names_;
  std::unordered_map<std::string, Memo> memo_;
};

ValueEvidence value_evidence(const Value& v, const std::vector<EvidenceNote>& notes) {
  ValueEvidence e;
  e.name = v.name;
  e.type = v.type;
  e.size = v.data.size();
  e.cell_file_offset = v.cell_file_offset;
  e.data_storage = v.data_storage;
  e.data_cell_file_offset = v.data_cell_file_offset;
  const std::vector<std::uint8_t>& stored = v.stored_data ? *v.stored_data : v.data;
  e.stored_truncated = stored.size() > kMaxEvidenceBytes;
  e.stored_bytes.assign(stored.begin(), stored.begin() + static_cast<std::ptrdiff_t>(std::min(
                                                             stored.size(), kMaxEvidenceBytes)));
  e.rendered = hive::render_data(v);
  if (v.type == static_cast<std::uint32_t>(hive::ValueType::kMultiSz)) {
    const auto m = hive::decode_multi_string(v.data);
    e.strings = m.entries;
    e.hidden_strings = m.hidden;
    if (!m.hidden.empty())
      e.notes.push_back(
          "entries after an empty string are not part of the list as Windows reads it: " +
          Evaluator::join(m.hidden));
    if (!m.well_terminated) e.notes.push_back("the list is not terminated by an empty string");
    if (m.lossy)
      e.notes.push_back("some characters are not valid UTF-16 and were replaced by U+FFFD");
  } else if (is_string_type(v.type) ||
             v.type == static_cast<std::uint32_t>(hive::ValueType::kLink)) {
    const auto s = hive::decode_string(v.data);
    e.strings.push_back(s.text);
    if (s.lossy)
      e.notes.push_back("some characters are not valid UTF-16 and were replaced by U+FFFD");
    if (!s.terminated) e.notes.push_back("the string has no NUL terminator");
  }
  for (const auto& n : notes) {
    if (regex_search(e.rendered, n.compiled, n.regex, RegexOptions{false}))
      e.notes.push_back(n.note);
  }
  return e;
}

KeyEvidence key_evidence(const hive::HiveReader& reader, const KeyPath& key_path, std::string label,
                         const std::vector<std::string>& value_names,
                         const std::vector<EvidenceNote>& notes) {
  KeyEvidence e;
  e.label = std::move(label);
  e.path = key_path.str();
  const auto key = reader.key(key_path);
  if (!key) return e;
  e.present = true;
  e.path = key->path.str();
  e.last_written = hive::filetime_to_iso8601(key->last_written);
  e.last_written_filetime = key->last_written;
  e.cell_file_offset = key->cell_file_offset;
  for (const auto& name : value_names)
    if (auto v = reader.value(key_path, name)) e.values.push_back(value_evidence(*v, notes));
  return e;
}

// Splits text on white space, commas and semicolons: how a list typed into a REG_SZ by mistake is
// read back.
std::vector<std::u16string> split_words(std::u16string_view text) {
  std::vector<std::u16string> out;
  std::u16string cur;
  for (char16_t c : text) {
    if (c == u' ' || c == u'\t' || c == u',' || c == u';' || c == u'\r' || c == u'\n') {
      if (!cur.empty()) out.push_back(std::move(cur));
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) out.push_back(std::move(cur));
  return out;
}

// The REG_MULTI_SZ data a fix writes: every stored entry exactly as stored (its UTF-16 code units,
// unpaired surrogates and duplicates included, so a reviewer's diff shows additions only; entries
// hidden after an empty string are moved up), then each required entry not already there, compared
// case-insensitively. Works on code units, never through UTF-8 (which would turn an unpaired
// surrogate into U+FFFD), and looks entries up in a hash set of upcased names, so a list of n
// entries costs O(n) and not O(n^2).
std::vector<std::uint8_t> proposed_data(const std::optional<Value>& current,
                                        const std::vector<std::string>& required) {
  std::vector<std::u16string> list;
  if (current) {
    const std::u16string units = util::utf16le_units(current->data);
    if (current->type == static_cast<std::uint32_t>(hive::ValueType::kMultiSz)) {
      std::size_t start = 0;
      for (std::size_t i = 0; i <= units.size(); ++i)
        if (i == units.size() || units[i] == u'\0') {
          if (i > start) list.emplace_back(units, start, i - start);
          start = i + 1;
        }
    } else if (is_string_type(current->type)) {
      const auto nul = units.find(u'\0');
      list = split_words(std::u16string_view(units).substr(0, nul));
    }
  }
  std::unordered_set<std::u16string> present;
  present.reserve(list.size() + required.size());
  for (const auto& e : list) present.insert(util::upcase(e));
  for (const auto& e : required) {
    std::u16string units = util::utf8_to_utf16(e);
    if (present.insert(util::upcase(units)).second) list.push_back(std::move(units));
  }
  std::vector<std::uint8_t> out;
  const auto put = [&out](char16_t u) {
    out.push_back(static_cast<std::uint8_t>(u & 0xFF));
    out.push_back(static_cast<std::uint8_t>(u >> 8));
  };
  for (const auto& e : list) {
    for (char16_t u : e) put(u);
    put(u'\0');
  }
  put(u'\0');
  return out;
}

// A stored entry as the rule language sees it (decoded to UTF-8 with U+FFFD for what is not valid
// UTF-16, as for_each_entry binds it), upcased: an item's name matches exactly the stored entries
// it was made from, an unpaired surrogate included.
std::u16string comparable(std::u16string_view stored) {
  return util::upcase(util::utf8_to_utf16(util::utf16_to_utf8(stored).text));
}

// remove_multi_string_entries on one value: the entries Windows reads (up to the first empty
// string) without those in `remove` (compared case-insensitively, on UTF-16 code units as stored),
// the others in their order and byte for byte; whatever the value holds after its list (an empty
// string and entries hidden behind it) is kept as it was. When no entry remains the value is
// deleted, as Microsoft's devcon sample does with a class filter list it empties
// (Windows-driver-samples, setup/devcon, cmdClassFilter: RegDeleteValue). A REG_SZ/REG_EXPAND_SZ is
// one entry. Nothing to remove, or another type: no edit.
std::optional<hive::Edit> removal_edit(const hive::HiveReader& reader, const KeyPath& key_path,
                                       const std::string& value_name,
                                       const std::vector<std::string>& remove) {
  const auto key = reader.key(key_path);
  if (!key) return std::nullopt;
  auto value = reader.value(key_path, value_name);
  if (!value) return std::nullopt;
  std::unordered_set<std::u16string> names;
  for (const auto& r : remove) names.insert(util::upcase(util::utf8_to_utf16(r)));
  const std::u16string units = util::utf16le_units(value->data);
  hive::Edit edit;
  edit.key = key->path;
  edit.value_name = value->name;
  if (is_string_type(value->type)) {
    const std::u16string text = units.substr(0, units.find(u'\0'));
    if (text.empty() || !names.count(comparable(text))) return std::nullopt;
    edit.kind = hive::Edit::Kind::kDeleteValue;
    edit.old_value = std::move(value);
    return edit;
  }
  if (value->type != static_cast<std::uint32_t>(hive::ValueType::kMultiSz)) return std::nullopt;
  std::vector<std::u16string> kept;
  bool removed = false;
  std::size_t i = 0;
  while (i < units.size()) {
    const std::size_t nul = std::min(units.find(u'\0', i), units.size());
    if (nul == i) break;  // the empty string that ends the list
    std::u16string entry = units.substr(i, nul - i);
    if (names.count(comparable(entry)))
      removed = true;
    else
      kept.push_back(std::move(entry));
    i = nul < units.size() ? nul + 1 : nul;
  }
  if (!removed) return std::nullopt;
  edit.old_value = std::move(value);
  if (kept.empty()) {
    edit.kind = hive::Edit::Kind::kDeleteValue;
    return edit;
  }
  std::u16string out;
  for (const auto& e : kept) out += e + u'\0';
  const std::u16string tail =
      units.substr(i);  // from the list's empty string on (empty when unterminated)
  out += tail.empty() ? std::u16string(1, u'\0') : tail;
  const std::string bytes = util::utf16le_bytes(out);
  edit.kind = hive::Edit::Kind::kSetValue;
  edit.type = static_cast<std::uint32_t>(hive::ValueType::kMultiSz);
  edit.data.assign(bytes.begin(), bytes.end());
  return edit;
}

// remove_multi_string_entries with from_items: one removal per (key, value) the items name, in the
// items' order.
void plan_item_removals(const FixAction& action, const hive::HiveReader& reader,
                        const std::vector<Item>& items, std::vector<hive::Edit>& edits) {
  struct Target {
    std::string key, value;
    std::vector<std::string> names;
  };
  std::vector<Target> targets;
  for (const auto& it : items) {
    if (!contains_entry(action.from_items, it.value, false) || it.name.empty()) continue;
    auto t = std::find_if(targets.begin(), targets.end(), [&](const Target& x) {
      return util::names_equal_utf8(x.key, it.key) && util::names_equal_utf8(x.value, it.value);
    });
    if (t == targets.end()) t = targets.insert(targets.end(), Target{it.key, it.value, {}});
    t->names.push_back(it.name);
  }
  for (const auto& t : targets)
    if (auto e = removal_edit(reader, KeyPath::parse(t.key), t.value, t.names))
      edits.push_back(std::move(*e));
}

std::vector<hive::Edit> plan_fix(const Rule& rule, const hive::HiveReader& reader,
                                 const KeyPath& base, const std::vector<Item>& items) {
  std::vector<hive::Edit> edits;
  for (const auto& action : rule.fix) {
    if (action.kind == FixKind::kRemoveMultiStringEntries) {
      if (!action.from_items.empty())
        plan_item_removals(action, reader, items, edits);
      else if (auto e = removal_edit(reader, base / KeyPath::parse(action.key), action.value,
                                     action.entries))
        edits.push_back(std::move(*e));
      continue;
    }
    const KeyPath key_path = base / KeyPath::parse(action.key);
    const auto key = reader.key(key_path);
    if (!key) {
      hive::Edit create;
      create.kind = hive::Edit::Kind::kCreateKey;
      create.key = key_path;
      edits.push_back(create);
    }
    if (action.kind == FixKind::kCreateKey) continue;
    hive::Edit set;
    set.kind = hive::Edit::Kind::kSetValue;
    set.key = key ? key->path : key_path;
    set.value_name = action.value;
    set.old_value = key ? reader.value(key_path, action.value) : std::nullopt;
    if (action.kind == FixKind::kEnsureMultiStringContains) {
      set.type = static_cast<std::uint32_t>(hive::ValueType::kMultiSz);
      set.data = proposed_data(set.old_value, action.entries);
    } else {
      set.type = action.type;
      set.data = action.data;
    }
    if (set.old_value && set.old_value->type == set.type && set.old_value->data == set.data)
      continue;
    edits.push_back(std::move(set));
  }
  return edits;
}

}  // namespace

int severity_rank(const std::string& severity) {
  if (severity == "info") return 0;
  if (severity == "warning") return 1;
  return 2;
}

void apply_min_severity(RuleResult& r, const std::string& min_severity,
                        const std::string& fail_on) {
  if (!r.itemized || r.items.empty()) return;
  const int min = severity_rank(min_severity);
  const auto before = r.items.size();
  r.items.erase(std::remove_if(r.items.begin(), r.items.end(),
                               [&](const Item& it) { return severity_rank(it.severity) < min; }),
                r.items.end());
  r.items_below_min_severity += before - r.items.size();
  if (!r.items.empty()) {
    r.severity = r.items.front().severity;  // items are kept worst first
    // Items below --fail-on (default error: a demand-start driver for absent hardware on a stock
    // Windows) stay listed, with their severity, but do not make the result fail.
    if (r.status == Status::kFail && severity_rank(r.severity) < severity_rank(fail_on)) {
      r.status = Status::kPass;
      r.passes_in.clear();
      r.message = std::to_string(r.items.size()) + " item" + (r.items.size() == 1 ? "" : "s") +
                  " below --fail-on " + fail_on + " (worst: " + r.severity +
                  "), listed, not failing";
      r.planned_edits.clear();
    }
    return;
  }
  if (r.status == Status::kFail) {
    r.status = Status::kPass;
    r.passes_in.clear();
    r.message = "no item at or above severity " + min_severity + " (" +
                std::to_string(r.items_below_min_severity) + " below it left out)";
    r.planned_edits.clear();
    r.impact.clear();
    r.remedy.clear();
  }
}

const char* status_name(Status s) {
  switch (s) {
    case Status::kPass:
      return "pass";
    case Status::kFail:
      return "fail";
    case Status::kNotApplicable:
      return "not_applicable";
    case Status::kError:
      return "error";
  }
  return "error";
}

const char* finding_reason_name(FindingReason reason) noexcept {
  switch (reason) {
    case FindingReason::kOk:
      return "ok";
    case FindingReason::kKeyAbsent:
      return "key_absent";
    case FindingReason::kValueAbsent:
      return "value_absent";
    case FindingReason::kKeyNotValue:
      return "key_not_value";
    case FindingReason::kWrongType:
      return "wrong_type";
    case FindingReason::kMissingEntries:
      return "missing_entries";
  }
  return "ok";
}

namespace {

// The rule's impact with "{affected}" replaced by the affected services ("IMAP4, POP3 and Routing
// Engine") and
// "{fail}" by "fail" or "fails" to agree with them. With none affected (only names of services not
// installed are missing) the sentence says so instead.
std::string impact_text(const std::string& impact, const std::vector<std::string>& affected) {
  if (impact.find("{affected}") == std::string::npos) return impact;
  if (affected.empty())
    return "No installed service is affected: the missing names are of services not installed in "
           "this ControlSet.";
  std::string list;
  for (std::size_t i = 0; i < affected.size(); ++i)
    list += (i == 0 ? "" : i + 1 == affected.size() ? " and " : ", ") + affected[i];
  std::string out = impact;
  out.replace(out.find("{affected}"), 10, list);
  if (const auto at = out.find("{fail}"); at != std::string::npos)
    out.replace(at, 6, affected.size() == 1 ? "fails" : "fail");
  return out;
}

}  // namespace

RuleResult evaluate_rule(const Rule& rule, const hive::HiveReader& reader,
                         const std::string& hive_label,
                         const std::optional<ResolvedControlSet>& control_set,
                         ResultDetail detail) {
  RuleResult r;
  r.rule_id = rule.id;
  r.rule_title = rule.title;
  r.severity = rule.severity;
  r.hive = hive_label;
  r.control_set = control_set;
  if (rule.scope == Scope::kControlSet && !control_set) {
    r.status = Status::kError;
    r.message = "rule " + rule.id + " needs a ControlSet but none was resolved";
    return r;
  }
  const KeyPath base =
      rule.scope == Scope::kControlSet ? KeyPath::parse(control_set->name) : KeyPath{};
  Evaluator ev(reader, base);
  ev.set_rule_severity(rule.severity);
  r.itemized = rule.itemized;

  std::vector<std::string> applies_trace;
  const bool applies = ev.eval(rule.applies_if, applies_trace);
  r.applicability = std::move(applies_trace);
  if (!applies) {
    r.status = Status::kNotApplicable;
    r.message = rule.not_applicable_message.empty()
                    ? "the rule's conditions for applying are not met"
                    : rule.not_applicable_message;
    // "{seen}" names the keys applies_if found (KB277770: the services seen, so a reviewer sees why
    // it does not apply).
    if (const auto at = r.message.find("{seen}"); at != std::string::npos)
      r.message.replace(
          at, 6, ev.seen_keys().empty() ? std::string("none") : Evaluator::join(ev.seen_keys()));
    return r;
  }

  std::vector<std::string> check_trace;
  const bool passed = ev.eval(rule.check, check_trace);
  r.findings = ev.take_findings();
  r.notes = std::move(check_trace);
  if (r.itemized) {
    r.items = ev.take_items();
    std::stable_sort(r.items.begin(), r.items.end(), [](const Item& a, const Item& b) {
      return severity_rank(a.severity) > severity_rank(b.severity);
    });
    if (!r.items.empty()) r.severity = r.items.front().severity;
  }
  for (const auto& f : r.findings)
    for (const auto& m : f.missing)
      if (!contains_entry(r.missing, m, true)) r.missing.push_back(m);
  r.status = passed ? Status::kPass : Status::kFail;
  r.message = passed ? rule.pass_message : rule.fail_message;
  if (detail == ResultDetail::kVerdict) return r;

  // Evidence: the checked values first, then what the rule asks for.
  for (const auto& f : r.findings) {
    KeyEvidence e =
        key_evidence(reader, KeyPath::parse(f.key_path), "checked value", {f.value_name}, {});
    e.role = EvidenceRole::kCheckedValue;
    if (f.reason == FindingReason::kKeyNotValue) {
      KeyEvidence as_key = key_evidence(reader, KeyPath::parse(f.key_path) / f.value_name,
                                        "subkey named like the value", {}, {});
      as_key.role = EvidenceRole::kSubkeyLikeValue;
      r.evidence.push_back(std::move(e));
      r.evidence.push_back(std::move(as_key));
      continue;
    }
    r.evidence.push_back(std::move(e));
  }
  // A service tied to an entry of the checked list is affected when a failing check misses that
  // entry (issue 17 §2: the impact names only those, so nobody reads that SMTP was down when its
  // name was there).
  std::vector<std::pair<std::size_t, std::string>>
      affected;  // (index in r.missing, name): listed in the check's order
  for (const auto& spec : rule.evidence) {
    KeyEvidence e =
        key_evidence(reader, base / KeyPath::parse(spec.key), spec.label, spec.values, spec.notes);
    if (!e.present) continue;
    if (!spec.entry.empty()) {
      e.entry = spec.entry;
      e.affected = !passed && contains_entry(r.missing, spec.entry, false);
      if (*e.affected) {
        std::size_t at = 0;
        while (at < r.missing.size() && !contains_entry({r.missing[at]}, spec.entry, false)) ++at;
        affected.emplace_back(at, spec.name.empty() ? spec.label : spec.name);
      }
    }
    r.evidence.push_back(std::move(e));
  }

  if (!passed) {
    r.planned_edits = plan_fix(rule, reader, base, r.items);
    std::stable_sort(affected.begin(), affected.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<std::string> names;
    for (auto& a : affected) names.push_back(std::move(a.second));
    r.impact = impact_text(rule.impact, names);
    r.remedy = rule.remedy;
  }
  return r;
}

}  // namespace hivelint::rules
