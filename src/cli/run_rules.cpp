// `hivelint rules list|show ID`.
#include <algorithm>

#include "cli/run.hpp"
#include "report/rules_report.hpp"
#include "rules/rule_loader.hpp"

namespace hivelint::cli {

int run_rules(const RulesConfig& config, Output& output) {
  const auto rules = rules::select_rules(config.rules);
  if (config.action == "list") {
    if (config.format == Format::kJson) output.out << report::render_rules_list_json(rules);
    else report::render_rules_list_text(rules, output.out);
    return 0;
  }
  if (config.rule_id.empty()) throw UsageError("rules show needs a rule id (see `hivelint rules list`)");
  auto it = std::find_if(rules.begin(), rules.end(), [&](const rules::Rule& r) { return r.id == config.rule_id; });
  if (it == rules.end()) throw UsageError("no rule with id \"" + config.rule_id + "\" (see `hivelint rules list`)");
  if (config.format == Format::kJson) output.out << report::render_rule_json(*it);
  else report::render_rule_text(*it, output.out);
  return 0;
}

}  // namespace hivelint::cli
