// Fuzz target: arbitrary bytes as a rule file (review D13, D14, D21). A file that loads is rendered
// as `rules show` does (text and JSON) and evaluated, as control-set and root rules, against a hive
// reader whose every key exists and whose every value is a long string: deep nesting, huge files,
// duplicate keys and regexes over long hive data must end in a RuleError or a result, never a stack
// overflow or a hang. A failing rule plans its fix (remove_multi_string_entries from the items
// included) against those values.
#include <sstream>

#include "fuzz/fuzz_targets.hpp"
#include "report/rules_report.hpp"
#include "rules/evaluator.hpp"
#include "rules/rule_loader.hpp"
#include "util/error.hpp"

namespace hivelint::fuzz {
namespace {

// Every key exists; every value is a REG_SZ of 200,000 characters (what crashed std::regex), or a
// REG_MULTI_SZ for names ending in "Entries".
class EverythingReader final : public hive::HiveReader {
 public:
  std::optional<hive::KeyInfo> key(const hive::KeyPath& path) const override {
    hive::KeyInfo k;
    k.path = path;
    k.name = path.is_root() ? "ROOT" : path.components().back();
    return k;
  }
  // Two subkeys everywhere, so that for_each_subkey selects something and items (and fixes from
  // them) are made.
  std::vector<std::string> subkey_names(const hive::KeyPath&) const override {
    return {"Sub0", "sub1"};
  }
  std::optional<hive::Value> value(const hive::KeyPath&, std::string_view name) const override {
    hive::Value v;
    v.name = std::string(name);
    const bool multi = name.size() >= 7 && name.substr(name.size() - 7) == "Entries";
    v.type = multi ? 7 : 1;
    const std::string text = "inetinfo" + std::string(200000, 'a');
    for (char c : text) {
      v.data.push_back(static_cast<std::uint8_t>(c));
      v.data.push_back(0);
    }
    v.data.insert(v.data.end(), multi ? 4 : 2, 0);
    return v;
  }
  std::vector<hive::Value> values(const hive::KeyPath& path) const override {
    return {*value(path, "x")};
  }
  std::vector<regf::Diagnostic> diagnostics() const override { return {}; }
  std::string backend_name() const override { return "fuzz"; }
};

}  // namespace

void rule_loader(std::span<const std::uint8_t> data) {
  rules::Rule rule;
  try {
    rule = rules::parse_rule(
        std::string_view(reinterpret_cast<const char*>(data.data()), data.size()), "fuzz.json");
  } catch (const Error&) {
    return;
  }
  std::ostringstream text;
  report::render_rule_text(rule, text);
  (void)report::render_rule_json(rule);
  const EverythingReader reader;
  rules::ResolvedControlSet set;
  set.number = 1;
  set.name = "ControlSet001";
  try {
    (void)rules::evaluate_rule(rule, reader, "fuzz", set);
  } catch (const Error&) {}
}

}  // namespace hivelint::fuzz

HIVELINT_FUZZ_ENTRY(rule_loader)
