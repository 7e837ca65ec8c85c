#include "report/sarif_report.hpp"

#include <cstdio>
#include <map>
#include <string_view>

#include "report/json_common.hpp"
#include "util/version.hpp"

namespace hivelint::report {
namespace {

using rules::Status;

constexpr const char* kSarifSchema =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

// "SCM-DEPENDENCY-MISSING" -> "ScmDependencyMissing": SARIF's rule name is an identifier readers
// understand, distinct from the opaque id.
std::string rule_name(const std::string& id) {
  std::string name;
  bool upper = true;
  for (const char c : id) {
    const bool alnum = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (!alnum) {
      upper = true;
      continue;
    }
    const bool letter = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    if (letter)
      name += upper ? static_cast<char>(c & ~0x20) : static_cast<char>(c | 0x20);
    else
      name += c;
    upper = false;
  }
  return name.empty() ? "Rule" : name;
}

// The first http(s) URL in a reference ("Group (load-order groups): https://..."), or "".
std::string reference_url(const std::string& reference) {
  std::size_t at = reference.find("https://");
  if (at == std::string::npos) at = reference.find("http://");
  if (at == std::string::npos) return {};
  std::size_t end = at;
  while (end < reference.size() && static_cast<unsigned char>(reference[end]) > 0x20 &&
         static_cast<unsigned char>(reference[end]) < 0x7F && reference[end] != '"' &&
         reference[end] != '<' && reference[end] != '>')
    ++end;
  return reference.substr(at, end - at);
}

Json text(const std::string& s) { return Json{{"text", s}}; }

Json rule_descriptor(const rules::Rule& rule) {
  Json d;
  d["id"] = rule.id;
  d["name"] = rule_name(rule.id);
  d["shortDescription"] = text(rule.title.empty() ? rule.id : rule.title);
  d["fullDescription"] = text(rule.description.empty() ? rule.title : rule.description);
  std::string help;
  if (!rule.impact.empty()) help += "Impact: " + rule.impact;
  if (!rule.remedy.empty())
    help += std::string(help.empty() ? "" : "\n") + "Remedy: " + rule.remedy;
  d["help"] = text(help.empty() ? rule.title : help);
  for (const auto& ref : rule.references)
    if (const std::string url = reference_url(ref); !url.empty()) {
      d["helpUri"] = url;
      break;
    }
  d["defaultConfiguration"] = Json{{"level", sarif_level(rule.severity)}};
  d["properties"] = Json{{"references", rule.references},
                         {"scope", rule.scope == rules::Scope::kRoot ? "root" : "control_set"}};
  return d;
}

Json artifact(const std::string& hive) { return Json{{"uri", path_to_uri(hive)}}; }

// A location: the hive file and, when given, the registry key in it.
Json location(const rules::RuleResult& r, const std::string& key) {
  Json loc;
  loc["physicalLocation"] = Json{{"artifactLocation", artifact(r.hive)}};
  if (!key.empty()) {
    const std::string path = registry_path(r, key);
    const std::size_t slash = path.rfind('\\');
    loc["logicalLocations"] =
        Json::array({Json{{"name", slash == std::string::npos ? path : path.substr(slash + 1)},
                          {"fullyQualifiedName", path},
                          {"kind", "object"}}});
  }
  return loc;
}

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (std::size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + v[i];
  return out;
}

class Builder {
 public:
  explicit Builder(const std::vector<rules::Rule>& rules) {
    Json descriptors = Json::array();
    for (const auto& rule : rules) {
      if (index_.count(rule.id)) continue;
      index_[rule.id] = descriptors.size();
      descriptors.push_back(rule_descriptor(rule));
    }
    rules_ = descriptors;
  }

  void add_hive(const CheckReport& one) {
    bool hive_error = false;
    for (const auto& h : one.hives) {
      if (h.error.empty()) continue;
      // An unreadable hive: one notification, not one per rule (every rule's result repeats the
      // same error).
      Json n = notification(h.error);
      n["locations"] =
          Json::array({Json{{"physicalLocation", Json{{"artifactLocation", artifact(h.hive)}}}}});
      notifications_.push_back(n);
      hive_error = true;
    }
    for (const auto& r : one.results) add_result(r, hive_error);
  }

  void add_input_error(const std::string& message) {
    notifications_.push_back(notification(message));
  }

  Json document(ExitCode exit_code) const {
    Json driver;
    driver["name"] = "hivelint";
    driver["version"] = kVersion;
    driver["semanticVersion"] = kVersion;
    driver["rules"] = rules_;
    Json invocation;
    invocation["executionSuccessful"] = exit_code != ExitCode::kInput;
    invocation["exitCode"] = to_int(exit_code);
    invocation["toolExecutionNotifications"] = notifications_;
    Json run;
    run["tool"] = Json{{"driver", driver}};
    run["invocations"] = Json::array({invocation});
    run["columnKind"] = "unicodeCodePoints";
    run["results"] = results_;
    Json j;
    j["$schema"] = kSarifSchema;
    j["version"] = "2.1.0";
    j["runs"] = Json::array({run});
    return j;
  }

 private:
  static Json notification(const std::string& message) {
    return Json{{"level", "error"}, {"message", text(message)}};
  }

  Json rule_fields(const std::string& id) const {
    Json j;
    j["ruleId"] = id;
    if (const auto it = index_.find(id); it != index_.end()) j["ruleIndex"] = it->second;
    return j;
  }

  static Json common_properties(const rules::RuleResult& r) {
    Json p;
    p["hive"] = r.hive;
    p["controlSet"] = r.control_set ? Json(r.control_set->name) : Json(nullptr);
    p["status"] = rules::status_name(r.status);
    return p;
  }

  void add_result(const rules::RuleResult& r, bool hive_error) {
    if (r.status == Status::kError) {
      if (hive_error) return;  // already one notification for the hive
      Json n = notification(r.message);
      n["locations"] = Json::array({location(r, "")});
      Json ref = Json{{"id", r.rule_id}};
      if (const auto it = index_.find(r.rule_id); it != index_.end()) ref["index"] = it->second;
      n["associatedRule"] = ref;
      notifications_.push_back(n);
      return;
    }
    if (r.itemized && !r.items.empty()) {
      // Listed items are findings whatever the result's status: a warning item under --fail-on
      // error is a warning.
      for (const auto& it : r.items) add_item(r, it);
      return;
    }
    if (r.status != Status::kFail) return;
    Json res = rule_fields(r.rule_id);
    res["level"] = sarif_level(r.severity);
    std::string message = r.message;
    if (!r.missing.empty()) message += ": missing " + join(r.missing);
    res["message"] = text(message);
    Json locations = Json::array();
    for (const auto& f : r.findings)
      if (f.reason != rules::FindingReason::kOk) locations.push_back(location(r, f.key_path));
    if (locations.empty()) locations.push_back(location(r, ""));
    res["locations"] = locations;
    Json p = common_properties(r);
    p["missing"] = r.missing;
    res["properties"] = p;
    results_.push_back(res);
  }

  void add_item(const rules::RuleResult& r, const rules::Item& it) {
    Json res = rule_fields(r.rule_id);
    res["level"] = sarif_level(it.severity);
    std::string message = it.service + " " + it.value + ": " + it.name;
    if (!it.why.empty()) message += " (" + it.why + ")";
    res["message"] = text(message);
    res["locations"] = Json::array({location(r, it.key)});
    Json p = common_properties(r);
    p["service"] = it.service;
    p["value"] = it.value;
    p["name"] = it.name;
    p["severity"] = it.severity;
    p["start"] = it.start ? Json(*it.start) : Json(nullptr);
    res["properties"] = p;
    results_.push_back(res);
  }

  std::map<std::string, std::size_t> index_;
  Json rules_ = Json::array();
  Json results_ = Json::array();
  Json notifications_ = Json::array();
};

}  // namespace

const char* sarif_level(const std::string& severity) {
  if (severity == "warning") return "warning";
  if (severity == "info") return "note";
  return "error";
}

std::string path_to_uri(const std::string& path) {
  std::string out = !path.empty() && path.front() == '/' ? "file://" : "";
  for (const char c : path) {
    const auto u = static_cast<unsigned char>(c);
    const bool unreserved = (u >= 'A' && u <= 'Z') || (u >= 'a' && u <= 'z') ||
                            (u >= '0' && u <= '9') || u == '-' || u == '.' || u == '_' ||
                            u == '~' || u == '/';
    if (unreserved) {
      out += c;
      continue;
    }
    char buf[4];
    std::snprintf(buf, sizeof buf, "%%%02X", u);
    out += buf;
  }
  return out;
}

std::string registry_path(const rules::RuleResult& result, const std::string& hive_relative) {
  if (!result.control_set) return hive_relative;
  return "HKLM\\SYSTEM\\" + hive_relative;
}

std::string render_check_sarif(const std::vector<CheckReport>& per_hive,
                               const std::vector<std::string>& input_errors,
                               const std::vector<rules::Rule>& rules, ExitCode exit_code) {
  Builder b(rules);
  for (const auto& one : per_hive) b.add_hive(one);
  for (const auto& e : input_errors) b.add_input_error(e);
  return dump(b.document(exit_code));
}

}  // namespace hivelint::report
