#include "report/junit_report.hpp"

#include <sstream>

#include "util/control_chars.hpp"

namespace hivelint::report {
namespace {

using rules::Status;

struct SuiteCounts {
  std::size_t tests = 0, failures = 0, errors = 0, skipped = 0;
  void add(const SuiteCounts& o) {
    tests += o.tests;
    failures += o.failures;
    errors += o.errors;
    skipped += o.skipped;
  }
};

std::string counts_attributes(const SuiteCounts& c) {
  return " tests=\"" + std::to_string(c.tests) + "\" failures=\"" + std::to_string(c.failures) +
         "\" errors=\"" + std::to_string(c.errors) + "\" skipped=\"" + std::to_string(c.skipped) +
         "\"";
}

// Jenkins reads the dots of a classname as package separators ("host1.SYSTEM.hiv" would become
// package "host1.SYSTEM", class "hiv"); the suite's name keeps the path exactly.
std::string class_name(const std::string& hive) {
  std::string out = hive;
  for (char& c : out)
    if (c == '.') c = '_';
  return out;
}

std::string testcase_name(const rules::RuleResult& r) {
  return r.control_set ? r.rule_id + " " + r.control_set->name : r.rule_id;
}

// What a failure says beyond its message: the missing names and where, the items, the impact and
// the remedy.
std::string failure_body(const rules::RuleResult& r) {
  std::ostringstream out;
  out << r.message << "\n";
  for (const auto& f : r.findings) {
    if (f.reason == rules::FindingReason::kOk) continue;
    out << "Missing:  ";
    for (std::size_t i = 0; i < f.missing.size(); ++i) out << (i ? ", " : "") << f.missing[i];
    out << "\nWhere:    " << f.key_path << (f.value_name.empty() ? "" : "\\" + f.value_name) << " ("
        << rules::finding_reason_name(f.reason) << ")\n";
  }
  if (r.itemized) render_items_text(r, out, "");
  if (!r.impact.empty()) out << "Impact:   " << r.impact << "\n";
  if (!r.remedy.empty()) out << "Remedy:   " << r.remedy << "\n";
  return out.str();
}

// One <testcase>; adds to `c`.
void render_case(const rules::RuleResult& r, SuiteCounts& c, std::ostream& out) {
  ++c.tests;
  out << "    <testcase name=\"" << xml_escape(testcase_name(r)) << "\" classname=\""
      << xml_escape(class_name(r.hive)) << "\"";
  switch (r.status) {
    case Status::kPass:
      if (r.itemized && !r.items.empty()) {
        // Items below --fail-on: listed, not failing.
        std::ostringstream items;
        render_items_text(r, items, "");
        out << ">\n      <system-out>" << xml_escape(r.message + "\n" + items.str())
            << "</system-out>\n    </testcase>\n";
        return;
      }
      out << "/>\n";
      return;
    case Status::kFail:
      ++c.failures;
      out << ">\n      <failure message=\"" << xml_escape(r.message) << "\" type=\""
          << xml_escape(r.severity) << "\">" << xml_escape(failure_body(r))
          << "</failure>\n    </testcase>\n";
      return;
    case Status::kNotApplicable:
      ++c.skipped;
      out << ">\n      <skipped message=\"" << xml_escape(r.message) << "\"/>\n    </testcase>\n";
      return;
    case Status::kError:
      ++c.errors;
      out << ">\n      <error message=\"" << xml_escape(r.message) << "\" type=\"error\">"
          << xml_escape(r.message) << "</error>\n    </testcase>\n";
      return;
  }
}

void render_error_case(const std::string& name, const std::string& classname,
                       const std::string& message, SuiteCounts& c, std::ostream& out) {
  ++c.tests;
  ++c.errors;
  out << "    <testcase name=\"" << xml_escape(name) << "\" classname=\"" << xml_escape(classname)
      << "\">\n"
      << "      <error message=\"" << xml_escape(message) << "\" type=\"error\">"
      << xml_escape(message) << "</error>\n    </testcase>\n";
}

}  // namespace

std::string xml_escape(std::string_view text) {
  util::ControlEscapeOptions keep;
  keep.keep_newline = true;
  keep.keep_tab = true;
  const std::string visible = util::escape_controls(text, keep);
  std::string out;
  out.reserve(visible.size());
  for (const char c : visible) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string render_check_junit(const std::vector<CheckReport>& per_hive,
                               const std::vector<std::string>& input_errors) {
  SuiteCounts total;
  std::ostringstream suites;
  const auto suite = [&](const std::string& name, const std::string& cases, const SuiteCounts& c) {
    suites << "  <testsuite name=\"" << xml_escape(name) << "\"" << counts_attributes(c) << ">\n"
           << cases << "  </testsuite>\n";
    total.add(c);
  };
  for (const auto& one : per_hive) {
    std::string name = one.hives.empty() ? (one.results.empty() ? "" : one.results.front().hive)
                                         : one.hives.front().hive;
    SuiteCounts c;
    std::ostringstream cases;
    for (const auto& r : one.results) render_case(r, c, cases);
    if (one.results.empty())
      for (const auto& h : one.hives)
        if (!h.error.empty()) render_error_case("open", class_name(h.hive), h.error, c, cases);
    suite(name, cases.str(), c);
  }
  if (!input_errors.empty()) {
    SuiteCounts c;
    std::ostringstream cases;
    for (const auto& e : input_errors) render_error_case("inputs", "hivelint", e, c, cases);
    suite("hivelint", cases.str(), c);
  }
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"hivelint check\"" +
         counts_attributes(total) + ">\n" + suites.str() + "</testsuites>\n";
}

}  // namespace hivelint::report
