#include "report/info_report.hpp"

#include <cstdio>

#include "hive/value.hpp"
#include "report/check_report.hpp"
#include "report/json_common.hpp"
#include "util/bytes.hpp"

namespace hivelint::report {
namespace {

Json optional_number(const std::optional<std::uint32_t>& v) { return v ? Json(*v) : Json(nullptr); }

std::string optional_text(const std::optional<std::uint32_t>& v) {
  return v ? std::to_string(*v) : "(absent)";
}

Json identity_value_json(const rules::IdentityValue& v) {
  Json j;
  j["key"] = v.key;
  j["value"] = v.name;
  j["present"] = v.present;
  j["type"] = v.type ? Json(hive::type_name(*v.type)) : Json(nullptr);
  j["data"] = v.text ? Json(*v.text) : v.number ? Json(*v.number) : Json(nullptr);
  j["problem"] = v.problem.empty() ? Json(nullptr) : Json(v.problem);
  return j;
}

Json machine_json(const rules::MachineIdentity& m) {
  Json j;
  j["control_set"] = m.control_set.empty() ? Json(nullptr) : Json(m.control_set);
  j["error"] = m.error.empty() ? Json(nullptr) : Json(m.error);
  if (!m.error.empty()) return j;
  j["computer_name"] = identity_value_json(m.computer_name);
  j["product_type"] = identity_value_json(m.product_type);
  j["product_role"] = m.product_role.empty() ? Json(nullptr) : Json(m.product_role);
  j["csd_version"] = identity_value_json(m.csd_version);
  const std::string sp =
      m.csd_version.number
          ? rules::service_pack_name(static_cast<std::uint32_t>(*m.csd_version.number))
          : "";
  j["service_pack"] = sp.empty() ? Json(nullptr) : Json(sp);
  j["time_zone_key_name"] = identity_value_json(m.time_zone_key_name);
  j["standard_name"] = identity_value_json(m.standard_name);
  j["bias"] = identity_value_json(m.bias);
  j["active_time_bias"] = identity_value_json(m.active_time_bias);
  return j;
}

// What a value shows in text: the data, "(absent)", or the type and size found when it is not
// usable.
std::string identity_text(const rules::IdentityValue& v) {
  if (!v.present) return "(absent)";
  std::string out = v.text ? *v.text : v.number ? std::to_string(*v.number) : "";
  if (!v.problem.empty()) {
    const std::string found =
        hive::type_name(v.type.value_or(0)) + ", " + std::to_string(v.size) + " bytes";
    out =
        out.empty() ? "(unusable: " + found + ": " + v.problem + ")" : out + " (" + v.problem + ")";
  }
  return out;
}

// "UTC+01:00" for a bias of -60 (UTC = local + bias, so local = UTC - bias).
std::string utc_offset(std::int64_t bias) {
  const std::int64_t offset = -bias;
  const std::int64_t a = offset < 0 ? -offset : offset;
  char buf[32];
  std::snprintf(buf, sizeof buf, "UTC%c%02lld:%02lld", offset < 0 ? '-' : '+',
                static_cast<long long>(a / 60), static_cast<long long>(a % 60));
  return buf;
}

void render_machine_text(const rules::MachineIdentity& m, std::ostream& out) {
  if (!m.error.empty()) {
    out << "  machine:        not read: " << m.error << "\n";
    return;
  }
  out << "  computer name:  " << identity_text(m.computer_name) << "  (" << m.control_set << ")\n";
  out << "  product type:   " << identity_text(m.product_type)
      << (m.product_role.empty() ? "" : " (" + m.product_role + ")") << "\n";
  out << "  CSDVersion:     ";
  if (m.csd_version.number && m.csd_version.problem.empty()) {
    const std::string sp =
        rules::service_pack_name(static_cast<std::uint32_t>(*m.csd_version.number));
    out << util::hex_offset(static_cast<std::uint64_t>(*m.csd_version.number))
        << (sp.empty() ? "" : " (" + sp + ")");
  } else {
    out << identity_text(m.csd_version);
  }
  out << "\n";
  out << "  time zone:      ";
  if (m.time_zone_key_name.present)
    out << "TimeZoneKeyName " << identity_text(m.time_zone_key_name) << ", ";
  out << "StandardName " << identity_text(m.standard_name) << "\n";
  out << "  bias:           Bias " << identity_text(m.bias);
  if (m.bias.number && m.bias.problem.empty()) out << " min (" << utc_offset(*m.bias.number) << ")";
  out << ", ActiveTimeBias " << identity_text(m.active_time_bias);
  if (m.active_time_bias.number && m.active_time_bias.problem.empty())
    out << " min (" << utc_offset(*m.active_time_bias.number) << ")";
  out << "; UTC = local time + bias\n";
}

}  // namespace

std::string render_info_json(const std::vector<HiveInfo>& infos,
                             const std::optional<Provenance>& provenance) {
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
    hj["last_written"] = h.last_written.empty()
                             ? Json(nullptr)
                             : Json(h.last_written);  // docs/json.md: absent times are null
    hj["file_type"] = h.file_type;
    hj["file_format"] = h.file_format;
    hj["root_cell_offset"] = h.root_cell_offset;
    hj["hive_bins_data_size"] = h.hive_bins_data_size;
    hj["checksum"] = Json{{"stored", h.stored_checksum},
                          {"computed", h.computed_checksum},
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
    hj["machine"] = h.machine ? machine_json(*h.machine) : Json(nullptr);
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
    out << "  format:         regf " << h.major_version << "." << h.minor_version << ", "
        << h.file_size << " bytes (" << h.hive_bins_data_size << " in hive bins)\n";
    out << "  sequence:       primary " << h.primary_sequence << ", secondary "
        << h.secondary_sequence << (h.dirty ? "  DIRTY" : "  (clean)") << "\n";
    out << "  last written:   " << (h.last_written.empty() ? "(zero)" : h.last_written) << "\n";
    out << "  checksum:       " << util::hex_offset(h.stored_checksum)
        << (h.stored_checksum == h.computed_checksum
                ? " (valid)"
                : " (INVALID, computed " + util::hex_offset(h.computed_checksum) + ")")
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
        out << "  Select:         Current=" << optional_text(h.select_current)
            << " Default=" << optional_text(h.select_default)
            << " LastKnownGood=" << optional_text(h.select_last_known_good)
            << " Failed=" << optional_text(h.select_failed) << "\n";
      else
        out << "  Select:         (no Select key)\n";
      if (h.machine) render_machine_text(*h.machine, out);
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
          out << "applied"
              << (l.format == "new" ? " " + std::to_string(l.entries_applied) + " entries," : "")
              << " " << l.pages_applied << " pages" << (l.reason.empty() ? "" : "; " + l.reason);
        else
          out << (l.reason.empty() ? "not applied" : l.reason);
        out << "\n";
      }
    }
    for (const auto& w : h.warnings) out << "  warning:        " << w << "\n";
    for (const auto& d : h.diagnostics)
      out << "  " << regf::severity_name(d.severity) << ":        " << d.structure << " at "
          << util::hex_offset(d.file_offset) << ": " << d.message << "\n";
  }
}

}  // namespace hivelint::report
