// A declarative rule: when it applies, what it checks, what evidence it gathers and how it is
// fixed. Paths are relative to the selected ControlSet (scope "control_set") or to the hive root
// (scope "root"). The JSON form is documented in docs/rules.md and parsed by rule_loader.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace hivelint::rules {

class SafeRegex;

enum class Scope { kControlSet, kRoot };

/// dword_compare's operator, read once when the rule is loaded.
enum class CompareOp { kEqual, kNotEqual, kLess, kLessEqual, kGreater, kGreaterEqual };

/// The operator as a rule writes it: "==", "!=", "<", "<=", ">", ">=".
inline const char* compare_op_text(CompareOp op) noexcept {
  switch (op) {
    case CompareOp::kEqual:
      return "==";
    case CompareOp::kNotEqual:
      return "!=";
    case CompareOp::kLess:
      return "<";
    case CompareOp::kLessEqual:
      return "<=";
    case CompareOp::kGreater:
      return ">";
    case CompareOp::kGreaterEqual:
      return ">=";
  }
  return "==";
}

/// Whether `a op b` holds.
inline bool compare(CompareOp op, std::uint64_t a, std::uint64_t b) noexcept {
  switch (op) {
    case CompareOp::kEqual:
      return a == b;
    case CompareOp::kNotEqual:
      return a != b;
    case CompareOp::kLess:
      return a < b;
    case CompareOp::kLessEqual:
      return a <= b;
    case CompareOp::kGreater:
      return a > b;
    case CompareOp::kGreaterEqual:
      return a >= b;
  }
  return false;
}

enum class ConditionKind {
  kKeyExists,    // { "key_exists": "Services\\SMTPSVC" }
  kValueExists,  // { "value_exists": { "key": K, "value": V } }
  kValueTypeIs,  // { "value_type_is": { "key": K, "value": V, "type": "REG_MULTI_SZ" | [..] } }
  kMultiStringContainsAll,  // { "multi_string_contains_all": { "key": K, "value": V, "entries":
                            // [..], "case_sensitive": false } }
  kStringEquals,  // { "string_equals": { "key": K, "value": V, "equals": S, "case_sensitive": false
                  // } }
  kStringMatches,  // { "string_matches": { "key": K, "value": V, "regex": R, "case_sensitive":
                   // false } }
  kDwordCompare,   // { "dword_compare": { "key": K, "value": V, "op": "==", "to": N } }
  kAll,            // { "all": [ ... ] }
  kAny,            // { "any": [ ... ] }
  kNot,            // { "not": { ... } }
  kForEachSubkey,  // { "for_each_subkey": { "key": K, "as": "svc", "where": C, "require": C } }
  kForEachEntry,  // { "for_each_entry": { "key": K, "value": V, "as": "dep", "where": C, "require":
                  // C } }
  kTextMatches,   // { "text_matches": { "text": "{dep}", "regex": R, "case_sensitive": false } }
};

struct Condition;

/// One case of an item's severity: the first case whose `when` holds (no `when`: always) decides.
struct SeverityCase {
  std::string severity;         // error | warning | info
  std::vector<Condition> when;  // empty or exactly one
};

/// "item" of a for_each construct: each selected subkey or entry for which `require` does not hold
/// becomes one item of the result (details.items[]); the fields may use the bound names ("{svc}").
struct ItemSpec {
  std::string service;  // the service (or class) key's name
  std::string key;      // relative path of the key the item is about (evidence, Start)
  std::string value;    // the value that names the thing found
  std::string name;     // the missing / disabled / dangling name
  std::vector<SeverityCase> severity;  // none: the rule's severity
};

struct Condition {
  ConditionKind kind = ConditionKind::kKeyExists;
  std::string key;                   // relative path
  std::string value;                 // value name ("" = default value)
  std::vector<std::uint32_t> types;  // kValueTypeIs
  std::vector<std::string> entries;  // kMultiStringContainsAll
  std::string text;                  // kStringEquals / kStringMatches
  std::string
      value_prefix;  // kStringEquals: compared as prefix + the value's text ("+" + Group = "+TDI")
  bool case_sensitive = false;
  CompareOp op = CompareOp::kEqual;  // kDwordCompare
  std::uint64_t number = 0;          // kDwordCompare
  std::vector<Condition>
      children;         // kAll / kAny / kNot (exactly one); kForEach*: require, then where if given
  std::string binding;  // kForEach*: the name "{binding}" stands for in the inner conditions
  std::vector<ItemSpec> item;  // kForEach*: empty or one; makes the rule itemized
  std::shared_ptr<const SafeRegex>
      regex;  // kStringMatches / kTextMatches: `text` compiled (none: at each use)
};

/// A value gathered into every result as evidence, with optional notes when its text matches a
/// pattern.
struct EvidenceNote {
  std::string regex;  // ECMAScript, matched case-insensitively against the value's rendered text
  std::string note;
  std::shared_ptr<const SafeRegex> compiled;  // `regex` compiled (none: at each use)
};
struct EvidenceSpec {
  std::string label;                // "SMTP service"
  std::string key;                  // relative path
  std::vector<std::string> values;  // value names to include (empty = key only)
  std::vector<EvidenceNote> notes;
  std::string entry;  // the entry of the checked list this service needs ("Imap4svc"): the service
                      // is affected when a failing result misses it ("" = not tied to an entry)
  std::string name;   // its name in the impact's "{affected}" ("IMAP4"; "" = the label)
};

enum class FixKind {
  kEnsureMultiStringContains,  // append missing entries, keep existing order and extras, no
                               // duplicates
  kSetValue,                   // set a value to a given type and data
  kCreateKey,                  // create a key (and missing parents)
  kRemoveMultiStringEntries,   // remove named entries from a REG_MULTI_SZ, the others kept in their
                               // order; the value is deleted when no entry remains (as Microsoft's
                               // devcon classfilter does)
};
struct FixAction {
  FixKind kind = FixKind::kEnsureMultiStringContains;
  std::string key;
  std::string value;
  std::vector<std::string>
      entries;  // kEnsureMultiStringContains; kRemoveMultiStringEntries with a key
  std::vector<std::string>
      from_items;  // kRemoveMultiStringEntries: value names; each item whose `value` is one of
                   // them has its `name` removed from that value of its `key` (no key given)
  std::uint32_t type = 0;          // kSetValue
  std::vector<std::uint8_t> data;  // kSetValue (encoded from the JSON "data" field by the loader)
};

struct Rule {
  std::string id;  // "KB277770"
  std::string title;
  std::string description;
  std::vector<std::string> references;
  std::string severity = "error";  // error | warning | info
  Scope scope = Scope::kControlSet;
  Condition applies_if;  // rule is not_applicable when false
  Condition check;       // rule passes when true
  std::vector<EvidenceSpec> evidence;
  std::vector<FixAction> fix;
  std::string pass_message;
  std::string fail_message;
  std::string not_applicable_message;
  std::string impact;         // what breaks when the check fails
  std::string remedy;         // what to do, in words
  std::string source;         // file the rule was loaded from ("built-in:KB277770.json")
  std::string source_sha256;  // SHA-256 of that file's text (provenance)
  bool itemized = false;      // some for_each declares an "item": the result lists details.items[]
};

}  // namespace hivelint::rules
