#include "rules/rule_loader.hpp"

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "hive/value.hpp"
#include "rules/embedded_rules.hpp"
#include "rules/json_limits.hpp"
#include "rules/safe_regex.hpp"
#include "util/sha256.hpp"
#include "util/upcase.hpp"
#include "util/utf16.hpp"

namespace hivelint::rules {
namespace {

using json = nlohmann::json;

constexpr int kSchemaVersion = 1;

// `text` is one character of `first` then at most `max_rest` characters of `rest` (both ASCII sets
// as functions): the shapes of rule ids and binding names. A std::regex compiled for them was a
// quarter of parsing KB277770 (callgrind).
template <class First, class Rest>
bool is_name(std::string_view text, First first, Rest rest, std::size_t max_rest) {
  return !text.empty() && text.size() <= 1 + max_rest && first(text.front()) &&
         std::all_of(text.begin() + 1, text.end(), rest);
}
bool ascii_letter(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
bool ascii_digit(char c) { return c >= '0' && c <= '9'; }

// An "all" with no children: always true.
Condition all_of_nothing() {
  Condition c;
  c.kind = ConditionKind::kAll;
  return c;
}

class Parser {
 public:
  explicit Parser(std::string source) : source_(std::move(source)) {}

  [[noreturn]] void fail(const std::string& where, const std::string& what) const {
    throw RuleError(source_ + ": " + (where.empty() ? "/" : where) + ": " + what);
  }

  // `pattern` compiled for the rule, refused when RE2 refuses it. Compiled once when it fits the
  // retained budget: checking it first compiled it a second time, a quarter of parsing KB277770
  // (its evidence notes), which every check of one hive pays. A pattern compile_retained does not
  // keep (too big for kRetainedRegexMemory, or the process keeps kMaxRetainedRegexes already) is
  // checked on its own and compiled at each use.
  std::shared_ptr<const SafeRegex> checked_regex(const std::string& pattern, bool case_sensitive,
                                                 const std::string& where) const {
    auto compiled = compile_retained(pattern, RegexOptions{case_sensitive});
    // Checked as before, with the default options (case-sensitive, kMaxRegexMemory): a pattern
    // compile_retained kept fits those too.
    if (!compiled)
      if (const std::string e = regex_error(pattern); !e.empty())
        fail(where, "invalid regular expression (RE2 syntax): " + e);
    return compiled;
  }

  const json& member(const json& obj, const std::string& where, const char* name) const {
    if (!obj.contains(name)) fail(where, std::string("missing \"") + name + "\"");
    return obj.at(name);
  }

  void only_keys(const json& obj, const std::string& where,
                 std::initializer_list<const char*> allowed) const {
    if (!obj.is_object()) fail(where, "expected an object");
    for (const auto& item : obj.items()) {
      // A named copy, not a structured binding: clang 14 (the fuzz build) cannot capture bindings
      // in lambdas.
      const std::string k = item.key();
      if (std::none_of(allowed.begin(), allowed.end(), [&](const char* a) { return k == a; })) {
        std::string list;
        for (const char* a : allowed) list += std::string(list.empty() ? "" : ", ") + a;
        fail(where, "unknown field \"" + k + "\" (expected one of: " + list + ")");
      }
    }
  }

  std::string string(const json& j, const std::string& where) const {
    if (!j.is_string()) fail(where, "expected a string");
    return j.get<std::string>();
  }
  std::string string_or(const json& obj, const std::string& where, const char* name,
                        std::string fallback) const {
    return obj.contains(name) ? string(obj.at(name), where + "/" + name) : std::move(fallback);
  }
  bool boolean_or(const json& obj, const std::string& where, const char* name,
                  bool fallback) const {
    if (!obj.contains(name)) return fallback;
    if (!obj.at(name).is_boolean()) fail(where + "/" + name, "expected true or false");
    return obj.at(name).get<bool>();
  }
  std::vector<std::string> strings(const json& j, const std::string& where) const {
    if (!j.is_array()) fail(where, "expected an array of strings");
    std::vector<std::string> out;
    for (std::size_t i = 0; i < j.size(); ++i)
      out.push_back(string(j[i], where + "/" + std::to_string(i)));
    return out;
  }
  std::uint32_t type(const json& j, const std::string& where) const {
    if (j.is_number_unsigned() && j.get<std::uint64_t>() <= 0xFFFFFFFFull)
      return j.get<std::uint32_t>();
    if (j.is_string())
      if (auto t = hive::parse_type_name(j.get<std::string>())) return *t;
    fail(where, "expected a registry type such as \"REG_MULTI_SZ\" or a number");
  }

  Condition condition(const json& j, const std::string& where) const {
    if (!j.is_object() || j.size() != 1)
      fail(
          where,
          "a condition is an object with exactly one field (key_exists, value_exists, "
          "value_type_is, "
          "multi_string_contains_all, string_equals, string_matches, dword_compare, all, any, not, "
          "for_each_subkey, for_each_entry, text_matches)");
    // (Not `*j.items().begin()`: items() is a temporary whose iterator must not outlive it; ASan
    // caught that.)
    const auto first = j.cbegin();
    const std::string name = first.key();
    const json& body = first.value();
    const std::string at = where + "/" + name;
    Condition c;
    if (name == "key_exists") {
      c.kind = ConditionKind::kKeyExists;
      c.key = string(body, at);
    } else if (name == "all" || name == "any") {
      c.kind = name == "all" ? ConditionKind::kAll : ConditionKind::kAny;
      if (!body.is_array() || body.empty()) fail(at, "expected a non-empty array of conditions");
      for (std::size_t i = 0; i < body.size(); ++i)
        c.children.push_back(condition(body[i], at + "/" + std::to_string(i)));
    } else if (name == "not") {
      c.kind = ConditionKind::kNot;
      c.children.push_back(condition(body, at));
    } else if (name == "value_exists") {
      c.kind = ConditionKind::kValueExists;
      only_keys(body, at, {"key", "value"});
      key_value(c, body, at);
    } else if (name == "value_type_is") {
      c.kind = ConditionKind::kValueTypeIs;
      only_keys(body, at, {"key", "value", "type"});
      key_value(c, body, at);
      const json& t = member(body, at, "type");
      if (t.is_array()) {
        for (std::size_t i = 0; i < t.size(); ++i)
          c.types.push_back(type(t[i], at + "/type/" + std::to_string(i)));
        if (c.types.empty()) fail(at + "/type", "expected at least one type");
      } else {
        c.types.push_back(type(t, at + "/type"));
      }
    } else if (name == "multi_string_contains_all") {
      c.kind = ConditionKind::kMultiStringContainsAll;
      only_keys(body, at, {"key", "value", "entries", "case_sensitive"});
      key_value(c, body, at);
      c.entries = strings(member(body, at, "entries"), at + "/entries");
      if (c.entries.empty()) fail(at + "/entries", "expected at least one entry");
      c.case_sensitive = boolean_or(body, at, "case_sensitive", false);
    } else if (name == "string_equals" || name == "string_matches") {
      const bool equals = name == "string_equals";
      c.kind = equals ? ConditionKind::kStringEquals : ConditionKind::kStringMatches;
      if (equals)
        only_keys(body, at, {"key", "value", "equals", "case_sensitive", "value_prefix"});
      else
        only_keys(body, at, {"key", "value", "regex", "case_sensitive"});
      key_value(c, body, at);
      if (equals) c.value_prefix = string_or(body, at, "value_prefix", "");
      c.text = string(member(body, at, equals ? "equals" : "regex"),
                      at + (equals ? "/equals" : "/regex"));
      c.case_sensitive = boolean_or(body, at, "case_sensitive", false);
      if (!equals) c.regex = checked_regex(c.text, c.case_sensitive, at + "/regex");
    } else if (name == "text_matches") {
      c.kind = ConditionKind::kTextMatches;
      only_keys(body, at, {"text", "regex", "case_sensitive"});
      c.key = string(member(body, at, "text"), at + "/text");
      c.text = string(member(body, at, "regex"), at + "/regex");
      c.case_sensitive = boolean_or(body, at, "case_sensitive", false);
      c.regex = checked_regex(c.text, c.case_sensitive, at + "/regex");
    } else if (name == "for_each_subkey" || name == "for_each_entry") {
      for_each(c, name == "for_each_subkey", body, at);
    } else if (name == "dword_compare") {
      c.kind = ConditionKind::kDwordCompare;
      only_keys(body, at, {"key", "value", "op", "to"});
      key_value(c, body, at);
      const std::string op = string(member(body, at, "op"), at + "/op");
      bool known = false;
      for (const CompareOp o :
           {CompareOp::kEqual, CompareOp::kNotEqual, CompareOp::kLess, CompareOp::kLessEqual,
            CompareOp::kGreater, CompareOp::kGreaterEqual})
        if (op == compare_op_text(o)) {
          c.op = o;
          known = true;
        }
      if (!known) fail(at + "/op", "expected one of == != < <= > >=");
      const json& to = member(body, at, "to");
      if (!to.is_number_unsigned() || to.get<std::uint64_t>() > 0xFFFFFFFFull)
        fail(at + "/to", "expected a number from 0 to 4294967295");
      c.number = to.get<std::uint64_t>();
    } else {
      fail(at, "unknown condition \"" + name + "\"");
    }
    return c;
  }

  // for_each_subkey / for_each_entry (src/rules/search_each.hpp). Nesting is capped: each level
  // multiplies the work by the number of subkeys or entries, so a hostile rule file could otherwise
  // ask for years of it.
  void for_each(Condition& c, bool subkeys, const json& body, const std::string& at) const {
    static constexpr std::size_t kMaxForEachNesting = 3;
    std::size_t depth = 0;
    for (std::size_t p = at.find("/for_each_"); p != std::string::npos;
         p = at.find("/for_each_", p + 1))
      ++depth;
    if (depth > kMaxForEachNesting)
      fail(at, "for_each nested more than " + std::to_string(kMaxForEachNesting) + " deep");
    c.kind = subkeys ? ConditionKind::kForEachSubkey : ConditionKind::kForEachEntry;
    if (subkeys)
      only_keys(body, at, {"key", "as", "where", "require", "item"});
    else
      only_keys(body, at, {"key", "value", "as", "where", "require", "item"});
    c.key = string(member(body, at, "key"), at + "/key");
    if (!subkeys) c.value = string(member(body, at, "value"), at + "/value");
    c.binding = string(member(body, at, "as"), at + "/as");
    // [A-Za-z_][A-Za-z0-9_]{0,31}
    if (!is_name(
            c.binding, [](char ch) { return ascii_letter(ch) || ch == '_'; },
            [](char ch) { return ascii_letter(ch) || ascii_digit(ch) || ch == '_'; }, 31))
      fail(at + "/as",
           "expected a name of letters, digits and '_' (at most 32, not starting with a digit)");
    c.children.push_back(condition(member(body, at, "require"), at + "/require"));
    if (body.contains("where")) c.children.push_back(condition(body.at("where"), at + "/where"));
    if (body.contains("item")) c.item.push_back(item(body.at("item"), at + "/item"));
  }

  // The "item" of a for_each: what each failing subkey or entry is reported as, and its severity
  // cases.
  ItemSpec item(const json& j, const std::string& at) const {
    only_keys(j, at, {"service", "key", "value", "name", "severity"});
    ItemSpec s;
    s.service = string(member(j, at, "service"), at + "/service");
    s.key = string(member(j, at, "key"), at + "/key");
    s.value = string(member(j, at, "value"), at + "/value");
    s.name = string(member(j, at, "name"), at + "/name");
    if (j.contains("severity")) {
      const json& cases = j.at("severity");
      const std::string sat = at + "/severity";
      if (!cases.is_array() || cases.empty() || cases.size() > 16)
        fail(sat, "expected an array of 1 to 16 cases");
      for (std::size_t i = 0; i < cases.size(); ++i) {
        const std::string cat = sat + "/" + std::to_string(i);
        only_keys(cases[i], cat, {"when", "is"});
        SeverityCase sc;
        sc.severity = string(member(cases[i], cat, "is"), cat + "/is");
        if (sc.severity != "error" && sc.severity != "warning" && sc.severity != "info")
          fail(cat + "/is", "expected error, warning or info");
        if (cases[i].contains("when"))
          sc.when.push_back(condition(cases[i].at("when"), cat + "/when"));
        s.severity.push_back(std::move(sc));
      }
    }
    return s;
  }

  static constexpr std::size_t kMaxFixActions =
      64;  // a fix is a handful of edits; a hostile file gets no more

  static bool declares_items(const Condition& c) {
    if (!c.item.empty()) return true;
    return std::any_of(c.children.begin(), c.children.end(),
                       [](const Condition& x) { return declares_items(x); });
  }

  void key_value(Condition& c, const json& body, const std::string& at) const {
    c.key = string(member(body, at, "key"), at + "/key");
    c.value = string(member(body, at, "value"), at + "/value");
  }

  EvidenceSpec evidence(const json& j, const std::string& at) const {
    only_keys(j, at, {"label", "key", "values", "notes", "entry", "name"});
    EvidenceSpec e;
    e.label = string_or(j, at, "label", "");
    e.key = string(member(j, at, "key"), at + "/key");
    if (j.contains("values")) e.values = strings(j.at("values"), at + "/values");
    e.entry = string_or(j, at, "entry", "");
    e.name = string_or(j, at, "name", "");
    if (j.contains("notes")) {
      const json& notes = j.at("notes");
      if (!notes.is_array()) fail(at + "/notes", "expected an array");
      for (std::size_t i = 0; i < notes.size(); ++i) {
        const std::string nat = at + "/notes/" + std::to_string(i);
        only_keys(notes[i], nat, {"regex", "note"});
        EvidenceNote n{string(member(notes[i], nat, "regex"), nat + "/regex"),
                       string(member(notes[i], nat, "note"), nat + "/note"), nullptr};
        n.compiled = checked_regex(n.regex, false, nat + "/regex");
        e.notes.push_back(std::move(n));
      }
    }
    return e;
  }

  std::vector<std::uint8_t> data_for(std::uint32_t t, const json& data,
                                     const std::string& at) const {
    using hive::ValueType;
    switch (static_cast<ValueType>(t)) {
      case ValueType::kSz:
      case ValueType::kExpandSz: {
        std::u16string units = util::utf8_to_utf16(string(data, at));
        units += u'\0';
        const std::string bytes = util::utf16le_bytes(units);
        return {bytes.begin(), bytes.end()};
      }
      case ValueType::kMultiSz:
        return hive::encode_multi_string(strings(data, at));
      case ValueType::kDword: {
        if (!data.is_number_unsigned() || data.get<std::uint64_t>() > 0xFFFFFFFFull)
          fail(at, "expected a 32-bit number");
        const auto v = data.get<std::uint32_t>();
        return {static_cast<std::uint8_t>(v), static_cast<std::uint8_t>(v >> 8),
                static_cast<std::uint8_t>(v >> 16), static_cast<std::uint8_t>(v >> 24)};
      }
      default: {
        // Other types: an array of byte values.
        if (!data.is_array())
          fail(at, "expected an array of byte values for type " + hive::type_name(t));
        std::vector<std::uint8_t> out;
        for (std::size_t i = 0; i < data.size(); ++i) {
          if (!data[i].is_number_unsigned() || data[i].get<unsigned>() > 255)
            fail(at + "/" + std::to_string(i), "expected 0..255");
          out.push_back(data[i].get<std::uint8_t>());
        }
        return out;
      }
    }
  }

  FixAction fix(const json& j, const std::string& at) const {
    FixAction f;
    const std::string action = string(member(j, at, "action"), at + "/action");
    if (action == "ensure_multi_string_contains") {
      only_keys(j, at, {"action", "key", "value", "entries"});
      f.kind = FixKind::kEnsureMultiStringContains;
      f.value = string(member(j, at, "value"), at + "/value");
      f.entries = strings(member(j, at, "entries"), at + "/entries");
    } else if (action == "set_value") {
      only_keys(j, at, {"action", "key", "value", "type", "data"});
      f.kind = FixKind::kSetValue;
      f.value = string(member(j, at, "value"), at + "/value");
      f.type = type(member(j, at, "type"), at + "/type");
      f.data = data_for(f.type, member(j, at, "data"), at + "/data");
    } else if (action == "create_key") {
      only_keys(j, at, {"action", "key"});
      f.kind = FixKind::kCreateKey;
    } else if (action == "remove_multi_string_entries") {
      return remove_entries(j, at);
    } else {
      fail(at + "/action", "unknown action \"" + action +
                               "\" (expected ensure_multi_string_contains, set_value, create_key, "
                               "remove_multi_string_entries)");
    }
    f.key = string(member(j, at, "key"), at + "/key");
    return f;
  }

  // remove_multi_string_entries, in one of two forms: a fixed value and the entries to take out of
  // it
  // ({"key", "value", "entries"}), or the names the rule's items found ({"from_items": [value
  // names]}).
  FixAction remove_entries(const json& j, const std::string& at) const {
    FixAction f;
    f.kind = FixKind::kRemoveMultiStringEntries;
    if (j.contains("from_items")) {
      only_keys(j, at, {"action", "from_items"});
      f.from_items = strings(j.at("from_items"), at + "/from_items");
      if (f.from_items.empty() || f.from_items.size() > kMaxFixNames)
        fail(at + "/from_items", "expected 1 to " + std::to_string(kMaxFixNames) + " value names");
      return f;
    }
    only_keys(j, at, {"action", "key", "value", "entries"});
    f.key = string(member(j, at, "key"), at + "/key");
    f.value = string(member(j, at, "value"), at + "/value");
    f.entries = strings(member(j, at, "entries"), at + "/entries");
    if (f.entries.empty() || f.entries.size() > kMaxFixNames)
      fail(at + "/entries", "expected 1 to " + std::to_string(kMaxFixNames) + " entries");
    for (std::size_t i = 0; i < f.entries.size(); ++i)
      if (f.entries[i].empty())
        fail(at + "/entries/" + std::to_string(i), "an empty entry cannot be removed");
    return f;
  }

  // Most names one remove_multi_string_entries lists: far above any real filter list, small enough
  // that a hostile rule file cannot make the plan quadratic in anything large.
  static constexpr std::size_t kMaxFixNames = 1024;

  Rule rule(const json& j) const {
    only_keys(j, "",
              {"schema_version", "id", "title", "description", "references", "severity", "scope",
               "applies_if", "check", "evidence", "fix", "messages", "impact", "remedy"});
    const json& version = member(j, "", "schema_version");
    // Compared as the 64-bit value parsed, never narrowed: get<int>() read 4294967297 as 1 (review
    // D21).
    if (!version.is_number_unsigned() ||
        version.get<std::uint64_t>() != static_cast<std::uint64_t>(kSchemaVersion))
      fail("/schema_version",
           "this hivelint reads rule schema version " + std::to_string(kSchemaVersion));
    Rule r;
    r.source = source_;
    r.id = string(member(j, "", "id"), "/id");
    // [A-Za-z0-9][A-Za-z0-9_.-]{0,63}
    if (!is_name(
            r.id, [](char ch) { return ascii_letter(ch) || ascii_digit(ch); },
            [](char ch) {
              return ascii_letter(ch) || ascii_digit(ch) || ch == '_' || ch == '.' || ch == '-';
            },
            63))
      fail("/id", "expected letters, digits, '_', '.', '-' (at most 64)");
    r.title = string(member(j, "", "title"), "/title");
    r.description = string_or(j, "", "description", "");
    if (j.contains("references")) r.references = strings(j.at("references"), "/references");
    r.severity = string_or(j, "", "severity", "error");
    if (r.severity != "error" && r.severity != "warning" && r.severity != "info")
      fail("/severity", "expected error, warning or info");
    const std::string scope = string_or(j, "", "scope", "control_set");
    if (scope == "control_set")
      r.scope = Scope::kControlSet;
    else if (scope == "root")
      r.scope = Scope::kRoot;
    else
      fail("/scope", "expected control_set or root");
    // Without applies_if the rule always applies: an empty "all" is true.
    r.applies_if =
        j.contains("applies_if") ? condition(j.at("applies_if"), "/applies_if") : all_of_nothing();
    r.check = condition(member(j, "", "check"), "/check");
    r.itemized = declares_items(r.check);
    if (j.contains("evidence")) {
      const json& ev = j.at("evidence");
      if (!ev.is_array()) fail("/evidence", "expected an array");
      for (std::size_t i = 0; i < ev.size(); ++i)
        r.evidence.push_back(evidence(ev[i], "/evidence/" + std::to_string(i)));
    }
    if (j.contains("fix")) {
      const json& fx = j.at("fix");
      if (!fx.is_array() || fx.size() > kMaxFixActions)
        fail("/fix", "expected an array of at most " + std::to_string(kMaxFixActions) + " actions");
      for (std::size_t i = 0; i < fx.size(); ++i)
        r.fix.push_back(fix(fx[i], "/fix/" + std::to_string(i)));
      for (std::size_t i = 0; i < r.fix.size(); ++i)
        if (!r.fix[i].from_items.empty() && !r.itemized)
          fail("/fix/" + std::to_string(i) + "/from_items",
               "the rule declares no \"item\" in its check, so there are no items to take names "
               "from");
    }
    if (j.contains("messages")) {
      const json& m = j.at("messages");
      only_keys(m, "/messages", {"pass", "fail", "not_applicable"});
      r.pass_message = string_or(m, "/messages", "pass", "");
      r.fail_message = string_or(m, "/messages", "fail", "");
      r.not_applicable_message = string_or(m, "/messages", "not_applicable", "");
    }
    r.impact = string_or(j, "", "impact", "");
    r.remedy = string_or(j, "", "remedy", "");
    return r;
  }

 private:
  std::string source_;
};

std::string read_text_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path.string() + ": cannot open rule file");
  // Read at most one byte past the cap, so /dev/zero or a huge file is refused instead of filling
  // memory.
  std::string text(kMaxRuleFileBytes + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  if (in.bad()) throw InputError(path.string() + ": cannot read rule file");
  return text;
}

}  // namespace

namespace {

Rule parse_rule_text(std::string_view json_text, const std::string& source, bool check_limits) {
  if (check_limits)
    check_json_limits(json_text, source);  // depth and duplicate keys, before anything recurses
  json j;
  try {
    j = json::parse(json_text);
  } catch (const json::parse_error& e) {
    throw RuleError(source + ": not valid JSON: " + e.what());
  }
  Rule rule = Parser(source).rule(j);
  rule.source_sha256 = util::sha256_hex(json_text);
  return rule;
}

std::string builtin_source(const EmbeddedRule& r) { return "built-in:" + std::string(r.file_name); }

}  // namespace

Rule parse_rule(std::string_view json_text, const std::string& source) {
  return parse_rule_text(json_text, source, /*check_limits=*/true);
}

std::vector<Rule> builtin_rules() {
  std::vector<Rule> out;
  for (const auto& r : embedded_rules())
    out.push_back(parse_rule_text(r.text, builtin_source(r), /*check_limits=*/false));
  return out;
}

std::optional<std::vector<Rule>> builtin_rules_named(const std::vector<std::string>& ids) {
  std::vector<Rule> out;
  for (const auto& id : ids) {
    const auto& files = embedded_rules();
    const auto file = std::find_if(files.begin(), files.end(), [&](const EmbeddedRule& r) {
      return util::names_equal_utf8(r.file_name, id + ".json");
    });
    if (file == files.end()) return std::nullopt;
    Rule rule = parse_rule_text(file->text, builtin_source(*file), /*check_limits=*/false);
    if (rule.id + ".json" != file->file_name) return std::nullopt;
    out.push_back(std::move(rule));
  }
  return out;
}

std::vector<Rule> load_rules(const std::filesystem::path& path) {
  std::error_code ec;
  std::vector<Rule> out;
  if (std::filesystem::is_directory(path, ec)) {
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(path, ec))
      if (entry.path().extension() == ".json") files.push_back(entry.path());
    if (ec) throw InputError(path.string() + ": cannot list the rule directory: " + ec.message());
    std::sort(files.begin(), files.end());
    if (files.empty()) throw RuleError(path.string() + ": no *.json rule files in this directory");
    for (const auto& f : files) out.push_back(parse_rule(read_text_file(f), f.string()));
    return out;
  }
  if (!std::filesystem::exists(path, ec))
    throw InputError(path.string() + ": no such rule file or directory");
  out.push_back(parse_rule(read_text_file(path), path.string()));
  return out;
}

namespace {

RuleSource describe_files(const std::optional<std::string>& path,
                          std::vector<RuleSource::File> files) {
  RuleSource s;
  s.source = path ? *path : "built-in";
  std::string manifest;  // what `sha256sum` prints for the rule files, in the order they were
                         // loaded (sorted by name)
  for (const auto& f : files) {
    const std::string name = std::filesystem::path(f.path).filename().string();
    const std::string builtin = "built-in:";
    manifest +=
        f.sha256 + "  " + (name.rfind(builtin, 0) == 0 ? name.substr(builtin.size()) : name) + "\n";
  }
  const bool one_file = path && files.size() == 1 && !std::filesystem::is_directory(*path);
  s.sha256 = one_file ? files.front().sha256 : util::sha256_hex(manifest);
  s.files = std::move(files);
  return s;
}

}  // namespace

RuleSource describe_rule_source(const std::optional<std::string>& path,
                                const std::vector<Rule>& rules) {
  std::vector<RuleSource::File> files;
  for (const auto& r : rules) files.push_back({r.source, r.source_sha256});
  return describe_files(path, std::move(files));
}

RuleSource describe_builtin_rule_source() {
  std::vector<RuleSource::File> files;
  for (const auto& r : embedded_rules())
    files.push_back({builtin_source(r), util::sha256_hex(r.text)});
  return describe_files(std::nullopt, std::move(files));
}

std::vector<Rule> select_rules(const std::optional<std::string>& path) {
  std::vector<Rule> rules = path ? load_rules(*path) : builtin_rules();
  std::set<std::string> seen;
  for (const auto& r : rules)
    if (!seen.insert(r.id).second)
      throw RuleError(r.source + ": rule id \"" + r.id + "\" is defined twice");
  return rules;
}

}  // namespace hivelint::rules
