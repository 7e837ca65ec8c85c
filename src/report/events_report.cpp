#include "report/events_report.hpp"

#include "hive/hive_reader.hpp"
#include "report/json_common.hpp"
#include "util/bytes.hpp"

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

Json event_summary_json(const events::EventSummary& s, bool with_records) {
  Json j;
  j["service"] = s.service;
  j["display_name"] = s.display_name;
  j["event_id"] = s.event_id;
  j["error"] = s.error ? Json(*s.error) : Json(nullptr);
  j["count"] = s.count;
  j["first"] = s.first ? Json(hive::filetime_to_iso8601(s.first)) : Json(nullptr);
  j["last"] = s.last ? Json(hive::filetime_to_iso8601(s.last)) : Json(nullptr);
  j["log"] = s.log;
  if (with_records) {
    Json records = Json::array();
    for (const auto& rec : s.records) {
      Json rj;
      rj["record_number"] = rec.record_number;
      rj["file_offset"] = rec.file_offset ? Json(rec.file_offset) : Json(nullptr);
      rj["written"] = rec.written ? Json(hive::filetime_to_iso8601(rec.written)) : Json(nullptr);
      rj["recovered"] = rec.recovered;
      records.push_back(std::move(rj));
    }
    j["records"] = std::move(records);
  }
  return j;
}

std::string event_record_text(std::uint64_t record_number, std::uint64_t file_offset,
                              const std::string& written, bool recovered) {
  // Offset 0 is a log's file header, never a record: the reader could not say where the record is.
  std::string line = "record " + std::to_string(record_number) +
                     (file_offset ? " at log offset " + util::hex_offset(file_offset)
                                  : " at an unknown log offset");
  line += written.empty() ? ", no time" : ", " + written;
  if (recovered) line += " (recovered)";
  return line;
}

std::string event_line(const std::string& who, std::uint32_t event_id,
                       const std::optional<std::uint32_t>& error, std::uint64_t count,
                       const std::string& first, const std::string& last) {
  std::string line = who + ": Event " + std::to_string(event_id);
  if (error) {
    line += ", error " + std::to_string(*error);
    if (auto text = events::win32_error_text(*error)) line += " (" + *text + ")";
  }
  line += count == 1 ? ", once" : ", " + std::to_string(count) + " times";
  if (!first.empty()) {
    line += ", " + first;
    if (last != first) line += " \u2026 " + last;
  }
  return line;
}

std::string event_summary_text(const events::EventSummary& s) {
  std::string who = s.service;
  if (s.source == events::ServiceSource::kNoHive) who = "\"" + s.display_name + "\"";
  if (s.source == events::ServiceSource::kUnresolved)
    who = "\"" + s.display_name + "\" (no service key has this display name)";
  if (s.source == events::ServiceSource::kKeyNotInHive)
    who = s.service + " (no service key of this name in the hive)";
  return event_line(who, s.event_id, s.error, s.count,
                    s.first ? hive::filetime_to_iso8601(s.first) : "",
                    s.last ? hive::filetime_to_iso8601(s.last) : "");
}

std::string log_counts_text(const LogReport& log) {
  std::string text = log.format + ", " + std::to_string(log.records) + " records";
  if (log.recovered) text += " + " + std::to_string(log.recovered) + " recovered";
  if (log.unreadable) text += ", " + std::to_string(log.unreadable) + " unreadable";
  if (log.bad_chunks)
    text += ", " + std::to_string(log.bad_chunks) + " of " + std::to_string(log.chunks) +
            " chunks damaged";
  if (log.dirty) text += ", dirty or damaged";
  return text;
}

Json log_json(const LogReport& log, bool with_events, bool with_records) {
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
  if (!with_events) return j;
  Json events = Json::array();
  for (const auto& s : log.summaries) events.push_back(event_summary_json(s, with_records));
  j["events"] = std::move(events);
  return j;
}

std::string render_events_json(const EventsReport& report) {
  Json j = document("events", report.provenance);
  j["hive"] = report.hive ? Json(*report.hive) : Json(nullptr);
  if (report.hive) {
    j["services_key"] = report.services_key.empty() ? Json(nullptr) : Json(report.services_key);
    if (!report.hive_error.empty()) j["hive_error"] = report.hive_error;
  }
  Json logs = Json::array();
  for (const auto& log : report.logs) logs.push_back(log_json(log, true, report.detail));
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
    for (const auto& s : log.summaries) {
      out << "  " << event_summary_text(s) << "\n";
      if (!report.detail) continue;
      for (const auto& rec : s.records)
        out << "    "
            << event_record_text(rec.record_number, rec.file_offset,
                                 rec.written ? hive::filetime_to_iso8601(rec.written) : "",
                                 rec.recovered)
            << "\n";
    }
  }
}

}  // namespace hivelint::report
