#include "report/verify_report.hpp"

#include "report/json_common.hpp"
#include "util/bytes.hpp"

namespace hivelint::report {

const char* verify_verdict(const VerifyReport& report) {
  if (!report.result) return "unreadable";
  return report.result->clean() ? "clean" : "inconsistent";
}

std::string verified_what(const VerifyReport& report) {
  if (!report.recovery || !report.recovery->recovered) return "the file as it is";
  std::string logs;
  for (const auto& l : report.recovery->logs)
    if (l.applied) logs += (logs.empty() ? "" : ", ") + l.label;
  return "recovered image from " + logs;
}

std::string verify_hint(const VerifyReport& report) {
  if (!report.recovery || !report.recovery->dirty || report.recovery->recovered) return "";
  // A dirty file is inconsistent by definition (its sequence numbers differ); what Windows loads is
  // the file with its logs replayed (docs/logs.md).
  if (report.no_logs) return "run without --no-logs, or `hivelint recover`";
  return "no usable transaction log: give the hive's logs with --log FILE, or `hivelint recover` "
         "them";
}

std::string render_verify_json(const VerifyReport& report) {
  Json j = document("verify", report.provenance);
  j["hive"] = report.hive;
  j["input"] = report.inputs ? input_files_json(*report.inputs) : Json(nullptr);
  j["verdict"] = verify_verdict(report);
  j["verified"] = !report.recovery ? Json(nullptr)
                                   : Json(report.recovery->recovered ? "recovered_image" : "file");
  j["recovery"] = report.recovery ? recovery_json(*report.recovery) : Json(nullptr);
  j["hint"] = verify_hint(report).empty() ? Json(nullptr) : Json(verify_hint(report));
  if (!report.result) {
    j["error"] = report.error;
    return dump(j);
  }
  j["error"] = nullptr;
  const auto& r = *report.result;
  const auto& s = r.stats;
  j["stats"] = Json{{"file_size", s.file_size},
                    {"version", "1." + std::to_string(s.minor_version)},
                    {"hive_bins", s.hive_bins},
                    {"allocated_cells", s.allocated_cells},
                    {"keys", s.keys},
                    {"values", s.values},
                    {"security_cells", s.security_cells},
                    {"unreferenced_cells", s.unreferenced_cells}};
  j["error_count"] = r.error_count;
  j["info_count"] = r.info_count;
  j["findings_truncated"] = r.findings.size() < r.error_count + r.info_count;
  Json findings = Json::array();
  for (const auto& f : r.findings) findings.push_back(diagnostic_json(f));
  j["findings"] = findings;
  return dump(j);
}

void render_verify_text(const VerifyReport& report, std::ostream& out) {
  out << report.hive << ": " << verify_verdict(report);
  if (!report.result) {
    out << "\n  " << report.error << "\n";
    return;
  }
  const auto& r = *report.result;
  const auto& s = r.stats;
  out << " (" << r.error_count << " inconsistenc" << (r.error_count == 1 ? "y" : "ies") << ", "
      << r.info_count << " note" << (r.info_count == 1 ? "" : "s") << ")\n";
  out << "  regf 1." << s.minor_version << ", " << s.file_size << " bytes, " << s.hive_bins
      << " hive bins, " << s.allocated_cells << " allocated cells: " << s.keys << " keys, "
      << s.values << " values, " << s.security_cells << " security cells\n";
  out << "  verified: " << verified_what(report) << "\n";
  if (report.recovery && report.recovery->dirty)
    out << "  recovery: " << report.recovery->summary() << "\n";
  for (const auto& f : r.findings)
    out << "  " << (f.severity == regf::Severity::kInfo ? "note " : "error") << "  " << f.structure
        << " at " << util::hex_offset(f.file_offset) << ": " << f.message << "\n";
  if (r.findings.size() < r.error_count + r.info_count)
    out << "  ... " << (r.error_count + r.info_count - r.findings.size())
        << " more findings not listed (cap " << regf::kMaxVerifyFindings << ")\n";
  if (const std::string hint = verify_hint(report); !hint.empty())
    out << "  hint: " << hint << "\n";
}

}  // namespace hivelint::report
