// `hivelint check`: every selected rule on every hive and ControlSet; one bad hive never stops the others.
#include <algorithm>

#include "cli/evaluate.hpp"
#include "cli/run.hpp"
#include "hive/open.hpp"
#include "report/check_report.hpp"
#include "rules/control_set.hpp"
#include "rules/rule_loader.hpp"

namespace hivelint::cli {

int run_check(const CheckConfig& config, Output& output) {
  const auto rules = chosen_rules(config.rules, config.only_rules);
  const auto choice = rules::parse_control_set_choice(config.control_set);
  report::CheckReport report;
  const auto options = open_options(config.backend, config.logs, config.no_logs, config.hives.size());
  for (const auto& path : config.hives) {
    HiveEvaluation evaluation = evaluate_hive(path, rules, choice, options, output);
    for (auto& r : evaluation.results) report.results.push_back(std::move(r));
    report.hives.push_back(std::move(evaluation.summary));
  }
  if (!output.quiet) {
    if (config.format == Format::kJson) output.out << report::render_check_json(report);
    else report::render_check_text(report, output.out);
  }
  return report::exit_code(report);
}

}  // namespace hivelint::cli
