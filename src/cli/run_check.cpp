// `hivelint check`: every selected rule on every hive and ControlSet; one bad hive never stops the others.
#include <algorithm>

#include "cli/run.hpp"
#include "hive/open.hpp"
#include "report/check_report.hpp"
#include "rules/control_set.hpp"
#include "rules/rule_loader.hpp"

namespace hivelint::cli {
namespace {

rules::RuleResult error_result(const rules::Rule& rule, const std::string& hive, const std::string& message,
                               const std::optional<rules::ResolvedControlSet>& set = std::nullopt) {
  rules::RuleResult r;
  r.rule_id = rule.id;
  r.rule_title = rule.title;
  r.severity = rule.severity;
  r.hive = hive;
  r.control_set = set;
  r.status = rules::Status::kError;
  r.message = message;
  return r;
}

std::vector<rules::Rule> chosen_rules(const CheckConfig& config) {
  std::vector<rules::Rule> all = rules::select_rules(config.rules);
  if (config.only_rules.empty()) return all;
  std::vector<rules::Rule> out;
  for (const auto& id : config.only_rules) {
    auto it = std::find_if(all.begin(), all.end(), [&](const rules::Rule& r) { return r.id == id; });
    if (it == all.end()) throw UsageError("--rule " + id + ": no such rule (see `hivelint rules list`)");
    out.push_back(*it);
  }
  return out;
}

void check_one(const std::string& path, const std::vector<rules::Rule>& rules, const rules::ControlSetChoice& choice,
               hive::Backend backend, report::CheckReport& report, Output& output) {
  report::HiveSummary summary;
  summary.hive = path;
  summary.backend = backend == hive::Backend::kHivelint ? "hivelint" : "libregf";
  hive::OpenedHive opened;
  try {
    opened = hive::open_hive(path, backend);
  } catch (const Error& e) {
    summary.error = e.what();
    output.diag() << "hivelint: " << path << ": " << e.what() << "\n";
    for (const auto& rule : rules) report.results.push_back(error_result(rule, path, e.what()));
    report.hives.push_back(std::move(summary));
    return;
  }
  summary.readable = true;
  summary.dirty = opened.base_block.is_dirty();
  summary.primary_sequence = opened.base_block.primary_sequence;
  summary.secondary_sequence = opened.base_block.secondary_sequence;
  summary.logs = opened.sibling_logs;
  for (const auto& w : opened.warnings) output.diag() << "hivelint: warning: " << w << "\n";

  std::optional<rules::Resolution> resolution;
  std::string resolution_error;
  const bool needs_set = std::any_of(rules.begin(), rules.end(), [](const rules::Rule& r) { return r.scope == rules::Scope::kControlSet; });
  if (needs_set) {
    try {
      resolution = rules::resolve_control_sets(*opened.reader, choice);
      summary.control_set_notes = resolution->notes;
      for (const auto& n : resolution->notes) output.diag() << "hivelint: note: " << path << ": " << n << "\n";
    } catch (const Error& e) {
      resolution_error = e.what() + hive::damage_detail(path, e.what());
      summary.error = resolution_error;
      output.diag() << "hivelint: " << path << ": " << resolution_error << "\n";
    }
  }

  for (const auto& rule : rules) {
    if (rule.scope == rules::Scope::kRoot) {
      try {
        report.results.push_back(rules::evaluate_rule(rule, *opened.reader, path, std::nullopt));
      } catch (const Error& e) {
        report.results.push_back(error_result(rule, path, e.what()));
      }
      continue;
    }
    if (!resolution) {
      report.results.push_back(error_result(rule, path, resolution_error));
      continue;
    }
    for (const auto& set : resolution->sets) {
      try {
        report.results.push_back(rules::evaluate_rule(rule, *opened.reader, path, set));
      } catch (const Error& e) {
        const std::string message = e.what() + hive::damage_detail(path, e.what());
        report.results.push_back(error_result(rule, path, message, set));
        output.diag() << "hivelint: " << path << ": " << set.name << ": " << message << "\n";
      }
    }
  }
  summary.diagnostics = opened.diagnostics;
  for (const auto& d : opened.reader->diagnostics()) summary.diagnostics.push_back(d);
  report.hives.push_back(std::move(summary));
}

}  // namespace

int run_check(const CheckConfig& config, Output& output) {
  const auto rules = chosen_rules(config);
  const auto choice = rules::parse_control_set_choice(config.control_set);
  report::CheckReport report;
  const auto backend = hive::parse_backend(config.backend);
  for (const auto& path : config.hives) check_one(path, rules, choice, backend, report, output);
  if (!output.quiet) {
    if (config.format == Format::kJson) output.out << report::render_check_json(report);
    else report::render_check_text(report, output.out);
  }
  return report::exit_code(report);
}

}  // namespace hivelint::cli
