#include "report/info_report.hpp"

#include "report/check_report.hpp"
#include "report/json_common.hpp"
#include "util/bytes.hpp"

namespace hivelint::report {
namespace {

Json optional_number(const std::optional<std::uint32_t>& v) { return v ? Json(*v) : Json(nullptr); }

std::string optional_text(const std::optional<std::uint32_t>& v) { return v ? std::to_string(*v) : "(absent)"; }

}  // namespace

std::string render_info_json(const std::vector<HiveInfo>& infos, const std::optional<Provenance>& provenance) {
  Json j = document("info", provenance);
  Json hives = Json::array();
  for (const auto& h : infos) {
    Json hj;
    hj["hive"] = h.hive;
    if (!h.error.empty()) {
      hj["error"] = h.error;
      hives.push_back(hj);
      continue;
    }
    hj["error"] = nullptr;
    hj["backend"] = h.backend;
    hj["input"] = h.inputs ? input_files_json(*h.inputs) : Json(nullptr);
    hj["file_size"] = h.file_size;
    hj["version"] = std::to_string(h.major_version) + "." + std::to_string(h.minor_version);
    hj["primary_sequence"] = h.primary_sequence;
    hj["secondary_sequence"] = h.secondary_sequence;
    hj["dirty"] = h.dirty;
    hj["last_written"] = h.last_written.empty() ? Json(nullptr) : Json(h.last_written);  // docs/json.md: absent times are null
    hj["file_type"] = h.file_type;
    hj["file_format"] = h.file_format;
    hj["root_cell_offset"] = h.root_cell_offset;
    hj["hive_bins_data_size"] = h.hive_bins_data_size;
    hj["checksum"] = Json{{"stored", h.stored_checksum}, {"computed", h.computed_checksum},
                          {"valid", h.stored_checksum == h.computed_checksum}};
    hj["embedded_file_name"] = h.embedded_file_name;
    hj["root_name"] = h.root_name;
    hj["root_subkeys"] = h.root_subkeys;
    hj["kind"] = h.hive_kind;
    hj["control_sets"] = h.control_sets;
    Json select;
    select["present"] = h.select_present;
    select["current"] = optional_number(h.select_current);
    select["default"] = optional_number(h.select_default);
    select["failed"] = optional_number(h.select_failed);
    select["last_known_good"] = optional_number(h.select_last_known_good);
    hj["select"] = select;
    hj["logs"] = h.logs;
    hj["recovery"] = recovery_json(h.recovery);
    hj["warnings"] = h.warnings;
    Json diags = Json::array();
    for (const auto& d : h.diagnostics) diags.push_back(diagnostic_json(d));
    hj["diagnostics"] = diags;
    hives.push_back(hj);
  }
  j["hives"] = hives;
  return dump(j);
}

void render_info_text(const std::vector<HiveInfo>& infos, std::ostream& out) {
  bool first = true;
  for (const auto& h : infos) {
    if (!first) out << "\n";
    first = false;
    out << h.hive << "\n";
    if (!h.error.empty()) {
      out << "  error:          " << h.error << "\n";
      continue;
    }
    out << "  format:         regf " << h.major_version << "." << h.minor_version << ", " << h.file_size << " bytes ("
        << h.hive_bins_data_size << " in hive bins)\n";
    out << "  sequence:       primary " << h.primary_sequence << ", secondary " << h.secondary_sequence
        << (h.dirty ? "  DIRTY" : "  (clean)") << "\n";
    out << "  last written:   " << (h.last_written.empty() ? "(zero)" : h.last_written) << "\n";
    out << "  checksum:       " << util::hex_offset(h.stored_checksum)
        << (h.stored_checksum == h.computed_checksum ? " (valid)" : " (INVALID, computed " + util::hex_offset(h.computed_checksum) + ")")
        << "\n";
    if (!h.embedded_file_name.empty()) out << "  file name:      " << h.embedded_file_name << "\n";
    out << "  root key:       " << h.root_name << " (" << h.root_subkeys.size() << " subkeys, cell "
        << util::hex_offset(h.root_cell_offset) << ")\n";
    out << "  kind:           " << h.hive_kind << "\n";
    if (h.hive_kind == "SYSTEM") {
      std::string sets;
      for (const auto& s : h.control_sets) sets += (sets.empty() ? "" : ", ") + s;
      out << "  control sets:   " << (sets.empty() ? "(none)" : sets) << "\n";
      if (h.select_present)
        out << "  Select:         Current=" << optional_text(h.select_current) << " Default=" << optional_text(h.select_default)
            << " LastKnownGood=" << optional_text(h.select_last_known_good) << " Failed=" << optional_text(h.select_failed)
            << "\n";
      else
        out << "  Select:         (no Select key)\n";
    }
    if (!h.logs.empty()) {
      out << "  logs beside it: ";
      for (std::size_t i = 0; i < h.logs.size(); ++i) out << (i ? ", " : "") << h.logs[i];
      out << "\n";
    }
    if (h.recovery.dirty || h.recovery.recovered) {
      out << "  recovery:       " << h.recovery.summary() << "\n";
      for (const auto& l : h.recovery.logs) {
        out << "    " << l.label << ": " << (l.format.empty() ? "?" : l.format) << " format, ";
        if (l.applied)
          out << "applied" << (l.format == "new" ? " " + std::to_string(l.entries_applied) + " entries," : "") << " "
              << l.pages_applied << " pages" << (l.reason.empty() ? "" : "; " + l.reason);
        else
          out << (l.reason.empty() ? "not applied" : l.reason);
        out << "\n";
      }
    }
    for (const auto& w : h.warnings) out << "  warning:        " << w << "\n";
    for (const auto& d : h.diagnostics)
      out << "  " << regf::severity_name(d.severity) << ":        " << d.structure << " at " << util::hex_offset(d.file_offset)
          << ": " << d.message << "\n";
  }
}

}  // namespace hivelint::report
