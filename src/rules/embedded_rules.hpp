// The rule files shipped in rules/*.json, compiled into the binary (see
// third_party/embed_rules.cmake).
#pragma once
#include <string_view>
#include <vector>

namespace hivelint::rules {

struct EmbeddedRule {
  std::string_view file_name;  // e.g. "KB277770.json"
  std::string_view text;       // the JSON text
};

/// Every shipped rule file, sorted by file name.
const std::vector<EmbeddedRule>& embedded_rules();

}  // namespace hivelint::rules
