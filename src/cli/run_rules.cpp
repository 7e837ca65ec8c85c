// `hivelint rules list|show ID`.
#include <algorithm>

#include "cli/evaluate.hpp"
#include "cli/run.hpp"
#include "report/rules_report.hpp"
#include "rules/rule_loader.hpp"

namespace hivelint::cli {

ExitCode run_rules(const RulesConfig& config, Output& output) {
  const auto rules = load_rules(config.rules);
  if (config.action == "list") {
    if (config.format == Format::kJson)
      output.out << report::render_rules_list_json(rules);
    else
      report::render_rules_list_text(rules, output.out);
    return ExitCode::kOk;
  }
  if (config.rule_id.empty())
    throw UsageError("rules show needs a rule id (see `hivelint rules list`)");
  const rules::Rule& rule = find_rule(rules, config.rule_id, "rules show " + config.rule_id);
  if (config.format == Format::kJson)
    output.out << report::render_rule_json(rule);
  else
    report::render_rule_text(rule, output.out);
  return ExitCode::kOk;
}

}  // namespace hivelint::cli
