#include "report/json_common.hpp"

namespace hivelint::report {

Json document(const char* command) {
  Json j;
  j["schema_version"] = kJsonSchemaVersion;
  j["tool"] = "hivelint";
  j["command"] = command;
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

std::string dump(const Json& j) { return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n"; }

}  // namespace hivelint::report
