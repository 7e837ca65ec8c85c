#include "report/json_common.hpp"

#include "report/json_text.hpp"

namespace hivelint::report {

Json object_with_room(std::size_t fields) {
  Json j = Json::object();
  j.get_ref<Json::object_t&>().reserve(fields);
  return j;
}

Json document(const char* command, const std::optional<Provenance>& provenance) {
  Json j = object_with_room(12);  // room for what each command's document adds
  j["schema_version"] = kJsonSchemaVersion;
  j["tool"] = "hivelint";
  j["command"] = command;
  j["provenance"] = provenance ? provenance_json(*provenance) : Json(nullptr);
  return j;
}

Json diagnostic_json(const regf::Diagnostic& d) {
  Json j;
  j["severity"] = regf::severity_name(d.severity);
  j["structure"] = d.structure;
  j["file_offset"] = d.file_offset;
  j["message"] = d.message;
  return j;
}

Json recovery_json(const regf::RecoveryReport& r) {
  const auto opt = [](const std::optional<std::uint32_t>& v) {
    return v ? Json(*v) : Json(nullptr);
  };
  Json j;
  j["dirty"] = r.dirty;
  j["base_block_valid"] = r.base_block_valid;
  j["recovered"] = r.recovered;
  j["format"] = r.format.empty() ? Json(nullptr) : Json(r.format);
  j["base_block_from_log"] = r.base_block_from_log;
  j["entries_applied"] = r.entries_applied;
  j["pages_applied"] = r.pages_applied;
  j["sequence"] = opt(r.sequence);
  Json logs = Json::array();
  for (const auto& l : r.logs) {
    Json lj;
    lj["log"] = l.label;
    lj["format"] = l.format.empty() ? Json(nullptr) : Json(l.format);
    lj["applied"] = l.applied;
    lj["entries_applied"] = l.entries_applied;
    lj["pages_applied"] = l.pages_applied;
    lj["first_sequence"] = opt(l.first_sequence);
    lj["last_sequence"] = opt(l.last_sequence);
    lj["reason"] = l.reason.empty() ? Json(nullptr) : Json(l.reason);
    logs.push_back(lj);
  }
  j["logs"] = logs;
  j["skipped"] = r.skipped;
  j["not_used"] = r.not_used;
  j["summary"] = r.summary();
  return j;
}

std::string dump(const Json& j) { return json_text(j, 2) + "\n"; }

}  // namespace hivelint::report
