// `check --format junit`: JUnit XML as GitLab (artifacts:reports:junit) and Jenkins (junit step)
// read it: one <testsuite> per hive, one <testcase> per rule and ControlSet. docs/ci/README.md
// describes the mapping.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "report/check_report.hpp"

namespace hivelint::report {

/// `text` for an XML attribute or element: control characters and bytes that are not UTF-8 escaped
/// as the text report shows them (util::escape_controls, newlines kept), then & < > " ' as
/// entities. The result is always well-formed XML 1.0 character data.
std::string xml_escape(std::string_view text);

/// The JUnit document. `per_hive` holds one report per hive input, in order: a fail result is a
/// <failure> (message, missing names, items, impact, remedy), an error result an <error>,
/// not_applicable <skipped>, pass a plain testcase; a hive that could not be opened is a suite of
/// errors. `input_errors` (fewer hives than --min-hives) add a suite "hivelint" with one <error>
/// each, so that an empty run never reads as a green one.
std::string render_check_junit(const std::vector<CheckReport>& per_hive,
                               const std::vector<std::string>& input_errors);

}  // namespace hivelint::report
