#include "report/events_report.hpp"

#include "hive/hive_reader.hpp"

namespace hivelint::report {

LogReport log_report(const events::EventLog& log, const events::ServiceDirectory* directory) {
  LogReport r;
  r.log = log.label;
  r.format = events::format_name(log.format);
  r.records = log.records;
  r.recovered = log.recovered;
  r.unreadable = log.unreadable;
  r.chunks = log.chunks;
  r.bad_chunks = log.bad_chunks;
  r.dirty = log.dirty;
  r.warnings = log.warnings;
  r.summaries = events::summarise(log, directory);
  return r;
}

Json event_summary_json(const events::EventSummary& s) {
  Json j;
  j["service"] = s.service;
  j["display_name"] = s.display_name;
  j["event_id"] = s.event_id;
  j["error"] = s.error ? Json(*s.error) : Json(nullptr);
  j["count"] = s.count;
  j["first"] = s.first ? Json(hive::filetime_to_iso8601(s.first)) : Json(nullptr);
  j["last"] = s.last ? Json(hive::filetime_to_iso8601(s.last)) : Json(nullptr);
  j["log"] = s.log;
  return j;
}

std::string event_summary_text(const events::EventSummary& s) {
  std::string line = s.service;
  if (s.source == events::ServiceSource::kNoHive) line = "\"" + s.display_name + "\"";
  if (s.source == events::ServiceSource::kUnresolved)
    line = "\"" + s.display_name + "\" (no service key has this display name)";
  line += ": Event " + std::to_string(s.event_id);
  if (s.error) {
    line += ", error " + std::to_string(*s.error);
    if (auto text = events::win32_error_text(*s.error)) line += " (" + *text + ")";
  }
  line += s.count == 1 ? ", once" : ", " + std::to_string(s.count) + " times";
  if (s.first) {
    line += ", " + hive::filetime_to_iso8601(s.first);
    if (s.last != s.first) line += " \u2026 " + hive::filetime_to_iso8601(s.last);
  }
  return line;
}

std::string log_counts_text(const LogReport& log) {
  std::string text = log.format + ", " + std::to_string(log.records) + " records";
  if (log.recovered) text += " + " + std::to_string(log.recovered) + " recovered";
  if (log.unreadable) text += ", " + std::to_string(log.unreadable) + " unreadable";
  if (log.bad_chunks) text += ", " + std::to_string(log.bad_chunks) + " of " + std::to_string(log.chunks) + " chunks damaged";
  if (log.dirty) text += ", dirty or damaged";
  return text;
}

namespace {

Json log_json(const LogReport& log) {
  Json j;
  j["log"] = log.log;
  j["readable"] = log.error.empty();
  if (!log.error.empty()) {
    j["error"] = log.error;
    return j;
  }
  j["format"] = log.format;
  j["records"] = log.records;
  j["recovered_records"] = log.recovered;
  j["unreadable_records"] = log.unreadable;
  if (log.format == "EVTX") {
    j["chunks"] = log.chunks;
    j["bad_chunks"] = log.bad_chunks;
  }
  j["dirty"] = log.dirty;
  j["warnings"] = log.warnings;
  Json events = Json::array();
  for (const auto& s : log.summaries) events.push_back(event_summary_json(s));
  j["events"] = std::move(events);
  return j;
}

}  // namespace

std::string render_events_json(const EventsReport& report) {
  Json j = document("events");
  j["hive"] = report.hive ? Json(*report.hive) : Json(nullptr);
  if (report.hive) {
    j["services_key"] = report.services_key.empty() ? Json(nullptr) : Json(report.services_key);
    if (!report.hive_error.empty()) j["hive_error"] = report.hive_error;
  }
  Json logs = Json::array();
  for (const auto& log : report.logs) logs.push_back(log_json(log));
  j["logs"] = std::move(logs);
  return dump(j);
}

void render_events_text(const EventsReport& report, std::ostream& out) {
  if (report.hive) {
    if (!report.hive_error.empty())
      out << "hive " << *report.hive << ": not used (" << report.hive_error << ")\n";
    else
      out << "services from " << *report.hive << ": " << report.services_key << "\n";
  }
  for (const auto& log : report.logs) {
    if (!log.error.empty()) {
      out << log.log << ": UNREADABLE: " << log.error << "\n";
      continue;
    }
    out << log.log << ": " << log_counts_text(log) << "\n";
    for (const auto& w : log.warnings) out << "  warning: " << w << "\n";
    if (log.summaries.empty()) out << "  no Service Control Manager failures\n";
    for (const auto& s : log.summaries) out << "  " << event_summary_text(s) << "\n";
  }
}

}  // namespace hivelint::report
