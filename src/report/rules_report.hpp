// `hivelint rules list|show`.
#pragma once
#include <ostream>
#include <string>
#include <vector>

#include "rules/rule.hpp"

namespace hivelint::report {

std::string render_rules_list_json(const std::vector<rules::Rule>& rules);
void render_rules_list_text(const std::vector<rules::Rule>& rules, std::ostream& out);
std::string render_rule_json(const rules::Rule& rule);
void render_rule_text(const rules::Rule& rule, std::ostream& out);

}  // namespace hivelint::report
