#include "report/rules_report.hpp"

#include "hive/value.hpp"
#include "report/check_report.hpp"
#include "report/json_common.hpp"

namespace hivelint::report {
namespace {

using rules::Condition;
using rules::ConditionKind;

std::string join(const std::vector<std::string>& v, const std::string& sep) {
  std::string out;
  for (std::size_t i = 0; i < v.size(); ++i) out += (i ? sep : "") + v[i];
  return out;
}

// Appends to one string: returning strings and concatenating them copied each subtree once per
// level above it (cubic in the nesting depth, review D13).
void describe_into(const Condition& c, int depth, std::string& out) {
  const std::string indent(static_cast<std::size_t>(depth) * 2, ' ');
  const std::string target = c.key + "\\" + (c.value.empty() ? std::string("(Default)") : c.value);
  switch (c.kind) {
    case ConditionKind::kKeyExists:
      out +=
          indent + (c.key.empty() && c.children.empty() ? "always" : "key exists: " + c.key) + "\n";
      return;
    case ConditionKind::kValueExists:
      out += indent + "value exists: " + target + "\n";
      return;
    case ConditionKind::kValueTypeIs: {
      std::vector<std::string> names;
      for (auto t : c.types) names.push_back(hive::type_name(t));
      out += indent + "value " + target + " has type " + join(names, " or ") + "\n";
      return;
    }
    case ConditionKind::kMultiStringContainsAll:
      out += indent + "REG_MULTI_SZ " + target + " contains all of: " + join(c.entries, ", ") +
             (c.case_sensitive ? " (case-sensitive)" : " (case-insensitive)") + "\n";
      return;
    case ConditionKind::kStringEquals:
      out += indent + "string " + (c.value_prefix.empty() ? "" : "\"" + c.value_prefix + "\" + ") +
             target + " equals \"" + c.text + "\"" +
             (c.case_sensitive ? "" : " (case-insensitive)") + "\n";
      return;
    case ConditionKind::kStringMatches:
      out += indent + "string " + target + " matches /" + c.text + "/" +
             (c.case_sensitive ? "" : "i") + "\n";
      return;
    case ConditionKind::kDwordCompare:
      out += indent + "REG_DWORD " + target + " " + rules::compare_op_text(c.op) + " " +
             std::to_string(c.number) + "\n";
      return;
    case ConditionKind::kForEachSubkey:
    case ConditionKind::kForEachEntry:
      out +=
          indent + "for each " +
          (c.kind == ConditionKind::kForEachSubkey ? "subkey of " + c.key : "entry of " + target) +
          " as {" + c.binding + "}" + (c.children.size() > 1 ? " where:" : ":") + "\n";
      if (c.children.size() > 1) {
        describe_into(c.children[1], depth + 1, out);
        out += indent + "require:\n";
      }
      describe_into(c.children[0], depth + 1, out);
      for (const auto& item : c.item) {
        out += indent + "each failing one is an item: " + item.service + " " + item.value + ": " +
               item.name + "\n";
        for (const auto& sc : item.severity) {
          out += indent + "  severity " + sc.severity +
                 (sc.when.empty() ? " otherwise\n" : " when:\n");
          if (!sc.when.empty()) describe_into(sc.when.front(), depth + 2, out);
        }
      }
      return;
    case ConditionKind::kTextMatches:
      out += indent + "text \"" + c.key + "\" matches /" + c.text + "/" +
             (c.case_sensitive ? "" : "i") + "\n";
      return;
    case ConditionKind::kAll:
    case ConditionKind::kAny:
    case ConditionKind::kNot: {
      if (c.kind == ConditionKind::kAll && c.children.empty()) {
        out += indent + "always\n";
        return;
      }
      out += indent +
             (c.kind == ConditionKind::kAll   ? "all of:"
              : c.kind == ConditionKind::kAny ? "any of:"
                                              : "not:") +
             "\n";
      for (const auto& child : c.children) describe_into(child, depth + 1, out);
      return;
    }
  }
  out += indent + "?\n";
}

std::string describe(const Condition& c, int depth) {
  std::string out;
  describe_into(c, depth, out);
  return out;
}

const char* fix_kind_name(rules::FixKind k) {
  switch (k) {
    case rules::FixKind::kEnsureMultiStringContains:
      return "ensure_multi_string_contains";
    case rules::FixKind::kSetValue:
      return "set_value";
    case rules::FixKind::kCreateKey:
      return "create_key";
    case rules::FixKind::kRemoveMultiStringEntries:
      return "remove_multi_string_entries";
  }
  return "?";
}

Json rule_summary_json(const rules::Rule& r) {
  Json j;
  j["id"] = r.id;
  j["title"] = r.title;
  j["severity"] = r.severity;
  j["scope"] = r.scope == rules::Scope::kControlSet ? "control_set" : "root";
  j["source"] = r.source;
  return j;
}

}  // namespace

std::string render_rules_list_json(const std::vector<rules::Rule>& rules) {
  Json j = document("rules list", std::nullopt);
  Json list = Json::array();
  for (const auto& r : rules) list.push_back(rule_summary_json(r));
  j["rules"] = list;
  return dump(j);
}

void render_rules_list_text(const std::vector<rules::Rule>& rules, std::ostream& out) {
  for (const auto& r : rules) out << r.id << "  [" << r.severity << "]  " << r.title << "\n";
}

std::string render_rule_json(const rules::Rule& r) {
  Json j = document("rules show", std::nullopt);
  Json rj = rule_summary_json(r);
  rj["description"] = r.description;
  rj["references"] = r.references;
  rj["applies_if"] = describe(r.applies_if, 0);
  rj["check"] = describe(r.check, 0);
  Json fixes = Json::array();
  for (const auto& f : r.fix) {
    Json fj;
    fj["action"] = fix_kind_name(f.kind);
    if (!f.from_items.empty()) {
      fj["from_items"] = f.from_items;
      fixes.push_back(fj);
      continue;
    }
    fj["key"] = f.key;
    if (f.kind != rules::FixKind::kCreateKey) fj["value"] = f.value;
    if (!f.entries.empty()) fj["entries"] = f.entries;
    fixes.push_back(fj);
  }
  rj["fix"] = fixes;
  rj["impact"] = r.impact;
  rj["remedy"] = r.remedy;
  j["rule"] = rj;
  return dump(j);
}

void render_rule_text(const rules::Rule& r, std::ostream& out) {
  out << r.id << ": " << r.title << "\n";
  out << "severity: " << r.severity << "; paths relative to "
      << (r.scope == rules::Scope::kControlSet ? "the selected ControlSet (CurrentControlSet)"
                                               : "the hive root")
      << "\n";
  out << "source:   " << r.source << "\n\n";
  if (!r.description.empty()) out << r.description << "\n\n";
  out << "Applies when:\n" << describe(r.applies_if, 1);
  out << "Passes when:\n" << describe(r.check, 1);
  if (!r.fix.empty()) {
    out << "Fix:\n";
    for (const auto& f : r.fix) {
      if (!f.from_items.empty()) {
        out << "  " << fix_kind_name(f.kind) << ": the names the items list, from their key's "
            << join(f.from_items, " or ") << " (the value deleted when no name remains)\n";
        continue;
      }
      out << "  " << fix_kind_name(f.kind) << " " << f.key;
      if (f.kind != rules::FixKind::kCreateKey) out << "\\" << f.value;
      if (!f.entries.empty()) out << ": " << join(f.entries, ", ");
      out << "\n";
    }
  }
  if (!r.impact.empty()) out << "Impact:   " << r.impact << "\n";
  if (!r.remedy.empty()) out << "Remedy:   " << r.remedy << "\n";
  for (const auto& ref : r.references) out << "See:      " << ref << "\n";
}

}  // namespace hivelint::report
