#include "report/check_report.hpp"

#include <cstdio>

#include "hive/value.hpp"
#include "report/json_common.hpp"
#include "report/json_text.hpp"
#include "util/bytes.hpp"

namespace hivelint::report {
namespace {

using rules::Status;

Json page_source_json(const std::optional<rules::PageSource>& p) {
  if (!p) return nullptr;
  return Json{{"file", p->file}, {"sequence", p->sequence ? Json(*p->sequence) : Json(nullptr)}};
}

Json value_json(const rules::ValueEvidence& v) {
  Json j = object_with_room(17);
  j["name"] = v.name;
  j["type"] = hive::type_name(v.type);
  j["size"] = v.size;
  if (!v.strings.empty() || v.type == static_cast<std::uint32_t>(hive::ValueType::kMultiSz))
    j["strings"] = v.strings;
  if (!v.hidden_strings.empty()) j["strings_after_empty_entry"] = v.hidden_strings;
  j["data"] = v.rendered;
  j["cell_offset"] = v.cell_file_offset ? Json(*v.cell_file_offset) : Json(nullptr);
  if (!v.notes.empty()) j["notes"] = v.notes;
  j["data_storage"] = v.data_storage == hive::DataStorage::kUnknown
                          ? Json(nullptr)
                          : Json(hive::data_storage_name(v.data_storage));
  const bool in_cell = v.data_storage == hive::DataStorage::kCell && v.data_cell_file_offset;
  const bool big = v.data_storage == hive::DataStorage::kBigData && v.data_cell_file_offset;
  j["data_cell_offset"] = in_cell ? Json(*v.data_cell_file_offset) : Json(nullptr);
  j["big_data_offset"] = big ? Json(*v.data_cell_file_offset) : Json(nullptr);
  j["data_hex"] = hex_bytes(v.stored_bytes);
  j["data_truncated"] = v.stored_truncated;
  j["page_source"] = page_source_json(v.page_source);
  j["data_page_source"] = page_source_json(v.data_page_source);
  return j;
}

std::string filetime_hex(std::uint64_t filetime) {
  char text[24];
  std::snprintf(text, sizeof text, "0x%016llx", static_cast<unsigned long long>(filetime));
  return text;
}

Json evidence_json(const rules::KeyEvidence& e) {
  Json j = object_with_room(12);
  j["label"] = e.label;
  j["key"] = e.path;
  j["present"] = e.present;
  j["last_written"] = e.present ? Json(e.last_written) : Json(nullptr);
  j["last_written_filetime"] =
      e.present ? Json(filetime_hex(e.last_written_filetime)) : Json(nullptr);
  j["cell_offset"] = e.cell_file_offset ? Json(*e.cell_file_offset) : Json(nullptr);
  j["entry"] = e.entry.empty() ? Json(nullptr) : Json(e.entry);
  j["affected"] = e.affected ? Json(*e.affected) : Json(nullptr);
  j["offset_space"] = e.recovered_image ? "recovered_image" : "file";
  j["page_source"] = page_source_json(e.page_source);
  Json values = Json::array();
  for (const auto& v : e.values) values.push_back(value_json(v));
  j["values"] = std::move(values);
  return j;
}

}  // namespace

std::string hex_bytes(const std::vector<std::uint8_t>& data) {
  static const char* digits = "0123456789abcdef";
  std::string out(2 * data.size(), '0');
  for (std::size_t i = 0; i < data.size(); ++i) {
    out[2 * i] = digits[data[i] >> 4];
    out[2 * i + 1] = digits[data[i] & 15];
  }
  return out;
}

Json previous_value_json(const rules::PreviousValue& p) {
  Json j;
  j["cell_offset"] = p.cell_offset;
  j["name"] = p.name;
  j["type"] = hive::type_name(p.type);
  j["size"] = p.size;
  j["data_state"] = p.data_state;
  if (p.data && p.type == static_cast<std::uint32_t>(hive::ValueType::kMultiSz))
    j["strings"] = hive::decode_multi_string(*p.data).entries;
  j["data"] = p.data ? Json(hex_bytes(*p.data)) : Json(nullptr);
  j["note"] = p.note.empty() ? Json(nullptr) : Json(p.note);
  return j;
}

std::string previous_value_text(const rules::PreviousValue& p) {
  std::string out = (p.name.empty() ? std::string("(default)") : p.name) + " " +
                    hive::type_name(p.type) + " in a free cell at file offset " +
                    util::hex_offset(p.cell_offset);
  if (!p.data) return out + ": data not recovered (" + p.note + ")";
  if (p.type == static_cast<std::uint32_t>(hive::ValueType::kMultiSz)) {
    const auto entries = hive::decode_multi_string(*p.data).entries;
    std::string list;
    for (std::size_t i = 0; i < entries.size(); ++i)
      list += (i ? " | \"" : "\"") + entries[i] + "\"";
    return out + " held " + std::to_string(entries.size()) + " name" +
           (entries.size() == 1 ? "" : "s") + ": " +
           (entries.empty() ? std::string("(empty list)") : list);
  }
  const hive::Value v{.name = p.name, .type = p.type, .data = *p.data};
  return out + " held " + hive::render_data(v, 64);
}

Json edit_json(const hive::Edit& e) {
  Json j;
  if (e.kind == hive::Edit::Kind::kCreateKey) {
    j["action"] = "create_key";
    j["key"] = e.key.str();
    return j;
  }
  if (e.kind == hive::Edit::Kind::kDeleteValue) {
    j["action"] = "delete_value";
    j["key"] = e.key.str();
    j["value"] = e.value_name;
    j["new"] = nullptr;
    if (e.old_value) {
      Json oldv;
      oldv["type"] = hive::type_name(e.old_value->type);
      oldv["data"] = hive::render_data(*e.old_value, 256);
      j["old"] = oldv;
    } else {
      j["old"] = nullptr;
    }
    return j;
  }
  j["action"] = "set_value";
  j["key"] = e.key.str();
  j["value"] = e.value_name;
  hive::Value after{.name = e.value_name, .type = e.type, .data = e.data};
  Json newv;
  newv["type"] = hive::type_name(e.type);
  if (e.type == static_cast<std::uint32_t>(hive::ValueType::kMultiSz))
    newv["strings"] = hive::decode_multi_string(e.data).entries;
  newv["data"] = hive::render_data(after, 256);
  j["new"] = newv;
  if (e.old_value) {
    Json oldv;
    oldv["type"] = hive::type_name(e.old_value->type);
    oldv["data"] = hive::render_data(*e.old_value, 256);
    j["old"] = oldv;
  } else {
    j["old"] = nullptr;
  }
  return j;
}

Json result_json(const rules::RuleResult& r) {
  Json j = object_with_room(16);
  j["rule"] = r.rule_id;
  j["hive"] = r.hive;
  j["control_set"] = r.control_set ? Json(r.control_set->name) : Json(nullptr);
  j["control_set_source"] = r.control_set ? Json(r.control_set->source) : Json(nullptr);
  j["control_set_roles"] = r.control_set ? r.control_set->roles : std::vector<std::string>{};
  j["status"] = rules::status_name(r.status);
  j["severity"] = r.severity;
  j["message"] = r.message;
  Json passes_in = Json::array();
  for (const auto& p : r.passes_in)
    passes_in.push_back(Json{{"control_set", p.control_set}, {"roles", p.roles}});
  j["passes_in"] = std::move(passes_in);
  Json details = object_with_room(9);
  details["missing"] = r.missing;
  Json findings = Json::array();
  for (const auto& f : r.findings) {
    Json fj = object_with_room(8);
    fj["key"] = f.key_path;
    fj["value"] = f.value_name;
    fj["reason"] = rules::finding_reason_name(f.reason);
    fj["type"] = f.actual_type ? Json(hive::type_name(*f.actual_type)) : Json(nullptr);
    fj["present"] = f.present;
    fj["missing"] = f.missing;
    if (!f.hidden.empty()) fj["only_after_empty_entry"] = f.hidden;
    findings.push_back(std::move(fj));
  }
  details["checks"] = std::move(findings);
  if (r.itemized) {
    Json items = Json::array();
    Json counts = Json{{"error", 0}, {"warning", 0}, {"info", 0}};
    for (const auto& it : r.items) {
      Json ij = object_with_room(12);
      ij["service"] = it.service;
      ij["value"] = it.value;
      ij["name"] = it.name;
      ij["start"] = it.start ? Json(*it.start) : Json(nullptr);
      ij["severity"] = it.severity;
      ij["key"] = it.key;
      ij["last_written"] = it.last_written.empty() ? Json(nullptr) : Json(it.last_written);
      ij["last_written_filetime"] =
          it.last_written.empty() ? Json(nullptr) : Json(filetime_hex(it.last_written_filetime));
      ij["key_cell_offset"] = it.key_cell_offset ? Json(*it.key_cell_offset) : Json(nullptr);
      ij["value_cell_offset"] = it.value_cell_offset ? Json(*it.value_cell_offset) : Json(nullptr);
      ij["offset_space"] = it.recovered_image ? "recovered_image" : "file";
      ij["why"] = it.why;
      counts[it.severity] = counts[it.severity].get<std::size_t>() + 1;
      items.push_back(std::move(ij));
    }
    details["items"] = std::move(items);
    details["item_counts"] = std::move(counts);
    details["items_below_min_severity"] = r.items_below_min_severity;
  }
  Json previous = Json::array();
  for (const auto& p : r.previous_values) previous.push_back(previous_value_json(p));
  details["previous_values"] =
      r.previous_values_searched ? std::move(previous) : Json(nullptr);  // null: not searched
  details["applicability"] = r.applicability;
  details["trace"] = r.notes;
  j["details"] = std::move(details);
  Json evidence = Json::array();
  for (const auto& e : r.evidence) evidence.push_back(evidence_json(e));
  j["evidence"] = std::move(evidence);
  Json events = Json::array();
  for (const auto& e : r.events) {
    Json ej = object_with_room(14);
    ej["service"] = e.service;
    ej["display_name"] = e.display_name;
    ej["event_id"] = e.event_id;
    ej["error"] = e.error ? Json(*e.error) : Json(nullptr);
    ej["count"] = e.count;
    ej["first"] = e.first.empty() ? Json(nullptr) : Json(e.first);
    ej["last"] = e.last.empty() ? Json(nullptr) : Json(e.last);
    ej["log"] = e.log;
    ej["key"] = e.key;
    ej["key_last_written"] = e.key_last_written.empty() ? Json(nullptr) : Json(e.key_last_written);
    ej["key_last_written_filetime"] = e.key_last_written.empty()
                                          ? Json(nullptr)
                                          : Json(filetime_hex(e.key_last_written_filetime));
    ej["first_after_key_written"] = e.first_after_key_written;
    if (e.detailed) {  // --events-detail
      Json records = Json::array();
      for (const auto& rec : e.records) {
        Json rj;
        rj["record_number"] = rec.record_number;
        rj["file_offset"] = rec.file_offset ? Json(rec.file_offset) : Json(nullptr);
        rj["written"] = rec.written.empty() ? Json(nullptr) : Json(rec.written);
        rj["recovered"] = rec.recovered;
        records.push_back(std::move(rj));
      }
      ej["records"] = std::move(records);
    }
    events.push_back(std::move(ej));
  }
  j["events"] = std::move(events);
  Json fix = Json::array();
  for (const auto& e : r.planned_edits) fix.push_back(edit_json(e));
  j["fix"] = std::move(fix);
  if (r.status == Status::kFail) {
    j["impact"] = r.impact;
    j["remedy"] = r.remedy;
  }
  return j;
}

namespace {

std::string upper_status(Status s) {
  switch (s) {
    case Status::kPass:
      return "PASS";
    case Status::kFail:
      return "FAIL";
    case Status::kNotApplicable:
      return "N/A ";
    case Status::kError:
      return "ERROR";
  }
  return "ERROR";
}

std::string join(const std::vector<std::string>& v, const std::string& sep) {
  std::string out;
  for (std::size_t i = 0; i < v.size(); ++i) out += (i ? sep : "") + v[i];
  return out;
}

std::string quoted_list(const std::vector<std::string>& v) {
  std::vector<std::string> q;
  for (const auto& s : v) q.push_back("\"" + s + "\"");
  return v.empty() ? "(empty list)" : join(q, " | ");
}

// "ControlSet001\Services\X" → "Services\X" (the part below the ControlSet).
std::string below_control_set(const std::string& path, const std::string& set) {
  if (path.size() > set.size() && path.compare(0, set.size(), set) == 0 && path[set.size()] == '\\')
    return path.substr(set.size() + 1);
  return path;
}

std::string reason_text(const rules::MultiStringFinding& f) {
  using rules::FindingReason;
  switch (f.reason) {
    case FindingReason::kKeyAbsent:
      return "the key " + f.key_path + " does not exist";
    case FindingReason::kValueAbsent:
      return "the value " + f.value_name + " does not exist";
    case FindingReason::kKeyNotValue:
      return f.value_name +
             " is a subkey, not a value: Windows reads only a REG_MULTI_SZ value of that name";
    case FindingReason::kWrongType:
      return f.value_name + " is " + hive::type_name(f.actual_type.value_or(0)) +
             ", not REG_MULTI_SZ: Windows does not read it as a list";
    case FindingReason::kMissingEntries:
      return "";
    case FindingReason::kOk:
      break;
  }
  return "all names present";
}

// One line per event summary: what failed, how often and when, and whether it began after the
// checked key was last written (the reviewer's timeline).
void render_events_lines(const rules::RuleResult& r, std::ostream& out, const std::string& pad) {
  for (const auto& e : r.events) {
    out << pad
        << "Event:    " << event_line(e.service, e.event_id, e.error, e.count, e.first, e.last);
    if (e.first_after_key_written)
      out << "; first after " << e.key << " was last written (" << e.key_last_written << ")";
    out << "  [" << e.log << "]\n";
    for (const auto& rec : e.records)
      out << pad << "          "
          << event_record_text(rec.record_number, rec.file_offset, rec.written, rec.recovered)
          << "\n";
  }
}

// One line per previous value (details.previous_values), the first kMaxLines; JSON lists them all.
void render_previous_values(const rules::RuleResult& r, std::ostream& out, const std::string& pad) {
  constexpr std::size_t kMaxLines = 10;
  for (std::size_t i = 0; i < r.previous_values.size() && i < kMaxLines; ++i)
    out << pad << "Before:   " << previous_value_text(r.previous_values[i]) << "\n";
  if (r.previous_values.size() > kMaxLines)
    out << pad << "          and " << r.previous_values.size() - kMaxLines
        << " more free cells of these names (--format json lists them)\n";
}

std::string page_source_text(const rules::PageSource& p) {
  if (!p.sequence) return "page from " + p.file;
  return "page from " + p.file + " entry " + std::to_string(*p.sequence);
}

std::string offset_text(const rules::KeyEvidence& e, std::uint64_t offset,
                        const std::optional<rules::PageSource>& page) {
  if (!e.recovered_image) return "file offset " + util::hex_offset(offset);
  return "recovered-image offset " + util::hex_offset(offset) +
         (page ? " (" + page_source_text(*page) + ")" : "");
}

}  // namespace

void render_evidence_bytes_text(const rules::RuleResult& r, std::ostream& out,
                                const std::string& pad) {
  constexpr std::size_t kBytesPerLine = 32;
  for (const auto& e : r.evidence) {
    if (!e.present) continue;
    out << pad << "Evidence: " << e.path << " (" << e.label << ")\n";
    out << pad << "          key last written " << e.last_written << " (FILETIME "
        << filetime_hex(e.last_written_filetime) << ")";
    if (e.cell_file_offset)
      out << ", key cell at " << offset_text(e, *e.cell_file_offset, e.page_source);
    out << "\n";
    for (const auto& v : e.values) {
      out << pad << "          " << (v.name.empty() ? std::string("(default)") : v.name) << " "
          << hive::type_name(v.type);
      if (v.cell_file_offset)
        out << ", value cell at " << offset_text(e, *v.cell_file_offset, v.page_source);
      switch (v.data_storage) {
        case hive::DataStorage::kResident:
          out << ", data resident in the value cell";
          break;
        case hive::DataStorage::kNone:
          out << ", no data";
          break;
        case hive::DataStorage::kBigData:
          if (v.data_cell_file_offset)
            out << ", data in big-data record at "
                << offset_text(e, *v.data_cell_file_offset, v.data_page_source);
          break;
        case hive::DataStorage::kCell:
          if (v.data_cell_file_offset)
            out << ", data cell at "
                << offset_text(e, *v.data_cell_file_offset, v.data_page_source);
          break;
        case hive::DataStorage::kUnknown:
          out << ", data cell unknown";
          break;
      }
      out << "\n"
          << pad << "          data (" << v.size << " bytes"
          << (v.stored_truncated ? ", first " + std::to_string(v.stored_bytes.size()) + " shown"
                                 : std::string())
          << "):\n";
      const std::string hex = hex_bytes(v.stored_bytes);
      for (std::size_t i = 0; i < hex.size(); i += 2 * kBytesPerLine)
        out << pad << "            " << hex.substr(i, 2 * kBytesPerLine) << "\n";
    }
  }
}

namespace {

void render_result(const rules::RuleResult& r, std::ostream& out) {
  const std::string set = r.control_set ? r.control_set->name : "";
  out << upper_status(r.status) << "  " << r.rule_id << "  " << r.hive;
  if (r.control_set) out << "  [" << control_set_label(*r.control_set) << "]";
  out << "\n";
  const std::string pad = "      ";
  if (!r.message.empty()) out << pad << r.message << "\n";
  if (r.status == Status::kFail && !r.passes_in.empty())
    out << pad << "Also:     " << passes_in_text(r) << "\n";
  if (r.status == Status::kError || r.status == Status::kNotApplicable) return;
  if (r.itemized) {
    render_items_text(r, out, pad);
    render_events_lines(r, out, pad);
    render_previous_values(r, out, pad);
    if (r.status == Status::kFail) {
      if (!r.impact.empty()) out << pad << "Impact:   " << r.impact << "\n";
      if (!r.remedy.empty()) out << pad << "Remedy:   " << r.remedy << "\n";
    }
    return;
  }

  for (const auto& f : r.findings) {
    if (f.reason == rules::FindingReason::kOk) continue;
    out << pad << "Missing:  " << join(f.missing, ", ") << "\n";
    if (const std::string why = reason_text(f); !why.empty())
      out << pad << "Why:      " << why << "\n";
    out << pad << "Where:    " << f.key_path;
    if (r.control_set && r.control_set->is_current)
      out << "  (on the server: HKLM\\SYSTEM\\CurrentControlSet\\"
          << below_control_set(f.key_path, set) << ")";
    out << "\n";
    if (!f.hidden.empty())
      out << pad << "Note:     " << join(f.hidden, ", ")
          << " stored after an empty string in the list, where Windows stops reading\n";
  }
  for (const auto& e : r.evidence) {
    if (e.role == rules::EvidenceRole::kSubkeyLikeValue && e.present) {
      out << pad << "Found:    a subkey " << e.path << " (last written " << e.last_written;
      if (e.cell_file_offset)
        out << ", key cell at " << offset_text(e, *e.cell_file_offset, e.page_source);
      out << ")\n";
      continue;
    }
    if (e.role != rules::EvidenceRole::kCheckedValue || !e.present) continue;
    for (const auto& v : e.values)
      out << pad << "Found:    " << v.name << " " << hive::type_name(v.type) << " = " << v.rendered
          << "\n";
    out << pad << "          key last written " << e.last_written;
    if (e.cell_file_offset)
      out << ", key cell at " << offset_text(e, *e.cell_file_offset, e.page_source);
    for (const auto& v : e.values)
      if (v.cell_file_offset)
        out << ", value cell at "
            << (e.recovered_image ? offset_text(e, *v.cell_file_offset, v.page_source)
                                  : util::hex_offset(*v.cell_file_offset));
    out << "\n";
  }
  render_events_lines(r, out, pad);
  render_previous_values(r, out, pad);
  if (r.status == Status::kPass) return;

  if (!r.impact.empty()) out << pad << "Impact:   " << r.impact << "\n";
  for (const auto& e : r.evidence) {
    if (e.role != rules::EvidenceRole::kRuleEvidence || !e.present) continue;
    out << pad << "Service:  " << e.label << " (" << below_control_set(e.path, set) << ")";
    for (const auto& v : e.values) {
      if (v.name != "ImagePath") continue;
      out << " ImagePath " << v.rendered;
      for (const auto& n : v.notes) out << "; " << n;
    }
    if (e.affected)
      out << (*e.affected ? "; affected: " + e.entry + " is missing"
                          : "; not affected: " + e.entry + " is present");
    out << "\n";
  }
  // Rule-level advice.
  for (const auto& edit : r.planned_edits) {
    if (edit.kind == hive::Edit::Kind::kCreateKey) {
      out << pad << "Fix:      create key " << edit.key.str() << "\n";
      continue;
    }
    if (edit.kind == hive::Edit::Kind::kDeleteValue) {
      out << pad << "Fix:      delete " << edit.key.str() << "\\" << edit.value_name
          << " (no entry remains)\n";
      continue;
    }
    const auto entries = hive::decode_multi_string(edit.data).entries;
    out << pad << "Fix:      set " << edit.key.str() << "\\" << edit.value_name << " ("
        << hive::type_name(edit.type) << ") to " << quoted_list(entries) << "\n";
    if (edit.type == static_cast<std::uint32_t>(hive::ValueType::kMultiSz) && r.control_set) {
      const std::string below = below_control_set(edit.key.str(), set);
      const std::string live = r.control_set->is_current
                                   ? "HKLM\\SYSTEM\\CurrentControlSet\\" + below
                                   : "HKLM\\SYSTEM\\" + edit.key.str();
      const RegAddLine online = reg_add_multi_sz(live, edit.value_name, entries);
      const RegAddLine offline =
          reg_add_multi_sz("HKLM\\OFFLINE\\" + edit.key.str(), edit.value_name, entries);
      if (online.line && offline.line) {
        out << pad << "Next:     on the server (as administrator):\n"
            << pad << "            " << *online.line << "\n";
        out << pad << "          or offline, after `reg load HKLM\\OFFLINE <this hive>`:\n"
            << pad << "            " << *offline.line << "\n";
      } else {
        out << pad
            << "Next:     no `reg add` line: " << (online.line ? offline.why_not : online.why_not)
            << ", which cmd.exe would not pass on as it is; write a .reg file with `hivelint fix "
               "<this hive> --reg FILE` "
               "and import that (regedit /s FILE)\n";
      }
    }
  }
  if (!r.remedy.empty()) out << pad << "Remedy:   " << r.remedy << "\n";
}

}  // namespace

std::string control_set_label(const rules::ResolvedControlSet& set) {
  if (set.source != "all") return set.name + ", " + set.source;
  return set.roles.empty() ? set.name : set.name + " = " + join(set.roles, ", ");
}

std::string passes_in_text(const rules::RuleResult& r) {
  std::vector<std::string> parts;
  for (const auto& p : r.passes_in)
    parts.push_back(
        (p.roles.empty() ? p.control_set : join(p.roles, ", ") + " = " + p.control_set) +
        " passes");
  return join(parts, "; ");
}

void render_items_text(const rules::RuleResult& r, std::ostream& out, const std::string& pad) {
  // One line per item, errors first (the items are kept in that order), so hundreds stay readable.
  std::size_t n[3] = {0, 0, 0};
  for (const auto& it : r.items) ++n[rules::severity_rank(it.severity)];
  if (!r.items.empty())
    out << pad << n[2] << " error" << (n[2] == 1 ? "" : "s") << ", " << n[1] << " warning"
        << (n[1] == 1 ? "" : "s") << ", " << n[0] << " info"
        << (r.items_below_min_severity ? ", " + std::to_string(r.items_below_min_severity) +
                                             " below --min-severity left out"
                                       : "")
        << "\n";
  for (const auto& it : r.items) {
    std::string sev = it.severity;
    sev.resize(8, ' ');
    out << pad << sev << it.service << "  " << it.value << ": " << it.name;
    if (it.start) out << "  (Start " << *it.start << ")";
    if (!it.last_written.empty()) out << "  [" << it.key << ", last written " << it.last_written;
    if (it.key_cell_offset) out << ", key cell " << util::hex_offset(*it.key_cell_offset);
    if (it.value_cell_offset) out << ", value cell " << util::hex_offset(*it.value_cell_offset);
    if (!it.last_written.empty()) out << "]";
    out << "\n";
  }
}

namespace {

// Why `text` cannot appear inside a double-quoted cmd.exe argument as it is, or "" when it can.
std::string cmd_unsafe(std::string_view text) {
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7F) return "a control character";
    if (u >= 0x80) return "a non-ASCII character (cmd.exe's code page decides what it becomes)";
    if (std::string_view("\"%!^&|<>").find(c) != std::string_view::npos)
      return std::string("'") + c + "'";
  }
  return {};
}

}  // namespace

RegAddLine reg_add_multi_sz(const std::string& key, const std::string& value,
                            const std::vector<std::string>& entries) {
  const auto refuse = [](const std::string& what, const std::string& why) {
    return RegAddLine{std::nullopt, what + " holds " + why};
  };
  if (const std::string why = cmd_unsafe(key); !why.empty()) return refuse("the key path", why);
  if (const std::string why = cmd_unsafe(value); !why.empty()) return refuse("the value name", why);
  std::string data;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const std::string what = "entry " + std::to_string(i + 1);
    if (const std::string why = cmd_unsafe(entries[i]); !why.empty()) return refuse(what, why);
    if (entries[i].empty())
      return RegAddLine{std::nullopt, what + " is empty (reg.exe cannot write one)"};
    if (entries[i].find("\\0") != std::string::npos)
      return refuse(what, "\"\\0\" (reg.exe's entry separator)");
    data += (i ? "\\0" : "") + entries[i];
  }
  if (!data.empty() && data.back() == '\\')
    return refuse("the last entry", "a final '\\' (it would escape the closing quote)");
  const std::string v = value.find(' ') == std::string::npos ? value : "\"" + value + "\"";
  return RegAddLine{"reg add \"" + key + "\" /v " + v + " /t REG_MULTI_SZ /d \"" + data + "\" /f",
                    {}};
}

Counts count(const CheckReport& report) {
  Counts c;
  for (const auto& r : report.results) {
    switch (r.status) {
      case Status::kPass:
        ++c.pass;
        break;
      case Status::kFail:
        ++c.fail;
        break;
      case Status::kNotApplicable:
        ++c.not_applicable;
        break;
      case Status::kError:
        ++c.error;
        break;
    }
  }
  return c;
}

ExitCode exit_code(const CheckReport& report) {
  const Counts c = count(report);
  if (c.error > 0 || !report.input_errors.empty()) return ExitCode::kInput;
  if (c.fail > 0) return ExitCode::kFail;
  return ExitCode::kOk;
}

Json hive_json(const HiveSummary& h) {
  Json hj = object_with_room(13);
  hj["hive"] = h.hive;
  hj["readable"] = h.readable;
  hj["backend"] = h.backend;
  hj["dirty"] = h.dirty;
  hj["primary_sequence"] = h.primary_sequence;
  hj["secondary_sequence"] = h.secondary_sequence;
  hj["logs"] = h.logs;
  if (h.readable) hj["recovery"] = recovery_json(h.recovery);
  hj["input"] = h.inputs ? input_files_json(*h.inputs) : Json(nullptr);
  hj["control_set_notes"] = h.control_set_notes;
  Json event_logs = Json::array();
  for (const auto& l : h.event_logs) event_logs.push_back(log_json(l, false));
  hj["event_logs"] = std::move(event_logs);
  Json diags = Json::array();
  for (const auto& d : h.diagnostics) diags.push_back(diagnostic_json(d));
  hj["diagnostics"] = std::move(diags);
  hj["error"] = h.error.empty() ? Json(nullptr) : Json(h.error);
  return hj;
}

Json check_json(const CheckReport& report) {
  Json j = document("check", report.provenance);
  Json results = Json::array();
  for (const auto& r : report.results) results.push_back(result_json(r));
  j["results"] = std::move(results);
  Json hives = Json::array();
  Json errors = Json::array();
  for (const auto& h : report.hives) {
    hives.push_back(hive_json(h));
    if (!h.error.empty()) errors.push_back(Json{{"hive", h.hive}, {"message", h.error}});
  }
  for (const auto& e : report.input_errors)
    errors.push_back(Json{{"hive", nullptr}, {"message", e}});
  j["hives"] = std::move(hives);
  j["errors"] = std::move(errors);
  const Counts c = count(report);
  j["summary"] = Json{
      {"pass", c.pass}, {"fail", c.fail}, {"not_applicable", c.not_applicable}, {"error", c.error}};
  j["exit_code"] = to_int(exit_code(report));
  return j;
}

std::string render_check_json(const CheckReport& report) { return dump(check_json(report)); }

std::string render_check_jsonl(const CheckReport& report) {
  return json_text(check_json(report), -1) + "\n";
}

void render_check_text(const CheckReport& report, std::ostream& out) {
  if (report.provenance) {
    render_provenance_text(*report.provenance, out);
    for (const auto& h : report.hives)
      if (h.inputs) render_input_files_text(*h.inputs, out);
    out << "\n";
  }
  for (const auto& r : report.results) {
    render_result(r, out);
    if (report.evidence_bytes) render_evidence_bytes_text(r, out, "      ");
    out << "\n";
  }
  for (const auto& h : report.hives) {
    if (!h.readable || !h.recovery.dirty) continue;
    out << "Recovery: " << h.hive << ": " << h.recovery.summary() << "\n";
    for (const auto& s : h.recovery.skipped) out << "  transaction log " << s << "\n";
  }
  for (const auto& h : report.hives)
    for (const auto& l : h.event_logs) {
      if (!l.error.empty())
        out << "Event log: " << l.log << ": not read: " << l.error << "\n";
      else
        out << "Event log: " << l.log << ": " << log_counts_text(l) << "\n";
    }
  for (const auto& e : report.input_errors) out << "Error: " << e << "\n";
  const Counts c = count(report);
  out << "Summary: " << c.fail << " fail, " << c.pass << " pass, " << c.not_applicable
      << " not applicable, " << c.error << " error" << (c.error == 1 ? "" : "s") << " (exit "
      << to_int(exit_code(report)) << ")\n";
}

}  // namespace hivelint::report
