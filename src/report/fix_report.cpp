#include "report/fix_report.hpp"

#include "hive/value.hpp"
#include "report/check_report.hpp"
#include "report/json_common.hpp"
#include "util/bytes.hpp"

namespace hivelint::report {
namespace {

using rules::Status;

std::string where(const rules::RuleResult& r) {
  return r.control_set ? "  [" + control_set_label(*r.control_set) + "]" : "";
}

std::string rendered(std::uint32_t type, const std::vector<std::uint8_t>& data) {
  return hive::type_name(type) + " " +
         hive::render_data(hive::Value{.name = "", .type = type, .data = data}, 256);
}

Json cells_json(const std::vector<regf::CellChange>& cells) {
  Json out = Json::array();
  for (const auto& c : cells)
    out.push_back(Json{{"change", regf::change_kind_name(c.kind)},
                       {"structure", c.structure},
                       {"offset", c.file_offset},
                       {"size", c.size}});
  return out;
}

}  // namespace

std::string render_fix_json(const FixReport& report) {
  Json j = document("fix", report.provenance);
  j["hive"] = hive_json(report.hive);
  j["dry_run"] = report.dry_run;
  Json results = Json::array();
  for (const auto& r : report.results) results.push_back(result_json(r));
  j["results"] = results;
  Json changes = Json::array();
  for (const auto& e : report.plan) changes.push_back(edit_json(e));
  j["changes"] = changes;
  if (report.hive_output) {
    const auto& o = *report.hive_output;
    Json out;
    out["path"] = o.path;
    out["written"] = o.written;
    out["input_size"] = o.input_size;
    out["output_size"] = o.output_size;
    out["dropped_trailing_bytes"] = o.dropped_trailing_bytes;
    out["cells"] = cells_json(o.cells);
    Json ranges = Json::array();
    for (const auto& r : o.differing)
      ranges.push_back(Json{{"offset", r.offset}, {"length", r.length}});
    out["differing_bytes"] = ranges;
    out["verification"] = o.verification;
    out["after"] = report.after;
    j["output"] = out;
  } else {
    j["output"] = nullptr;
  }
  if (report.reg_output) {
    const auto& o = *report.reg_output;
    j["reg"] = Json{{"path", o.path},     {"written", o.written},
                    {"root", o.root},     {"key_blocks", o.key_blocks},
                    {"values", o.values}, {"verification", o.verification}};
  } else {
    j["reg"] = nullptr;
  }
  j["warnings"] = report.warnings;
  j["next_steps"] = report.next_steps;
  j["message"] = report.message;
  j["exit_code"] = to_int(report.exit_code);
  return dump(j);
}

void render_fix_text(const FixReport& report, std::ostream& out) {
  const std::string pad = "      ";
  if (report.provenance) {
    render_provenance_text(*report.provenance, out);
    if (report.hive.inputs) render_input_files_text(*report.hive.inputs, out);
    out << "\n";
  }
  for (const auto& r : report.results) {
    if (r.status == Status::kFail) {
      // A failing rule without planned edits (a report-only rule) is not something fix would do.
      const char* label = r.planned_edits.empty() ? "NO FIX  "
                          : report.dry_run        ? "WOULD FIX  "
                                                  : "FIXED  ";
      out << label << r.rule_id << "  " << r.hive << where(r) << "\n";
      out << pad << r.message << "\n";
      if (r.itemized) render_items_text(r, out, pad);
      if (!r.missing.empty()) {
        out << pad << "Missing:  ";
        for (std::size_t i = 0; i < r.missing.size(); ++i) out << (i ? ", " : "") << r.missing[i];
        out << "\n";
      }
      for (const auto& e : r.planned_edits) {
        if (e.kind == hive::Edit::Kind::kCreateKey) {
          out << pad << "Create:   key " << e.key.str() << "\n";
          continue;
        }
        if (e.kind == hive::Edit::Kind::kDeleteValue) {
          out << pad << "Delete:   " << e.key.str() << "\\" << e.value_name << "\n";
          out << pad << "          was "
              << (e.old_value ? rendered(e.old_value->type, e.old_value->data) : "(absent)")
              << "\n";
          continue;
        }
        out << pad << "Change:   " << e.key.str() << "\\" << e.value_name << "\n";
        out << pad << "          was "
            << (e.old_value ? rendered(e.old_value->type, e.old_value->data) : "(absent)") << "\n";
        out << pad << "          now " << rendered(e.type, e.data) << "\n";
      }
      if (report.evidence_bytes) render_evidence_bytes_text(r, out, pad);
    } else {
      out << (r.status == Status::kPass            ? "PASS  "
              : r.status == Status::kNotApplicable ? "N/A   "
                                                   : "ERROR  ")
          << r.rule_id << "  " << r.hive << where(r) << "\n"
          << pad << r.message << "\n";
    }
  }
  if (report.hive_output) {
    const auto& o = *report.hive_output;
    std::size_t allocated = 0, modified = 0, freed = 0;
    for (const auto& c : o.cells)
      (c.kind == regf::CellChange::Kind::kAllocated ? allocated
       : c.kind == regf::CellChange::Kind::kFreed   ? freed
                                                    : modified)++;
    const bool unchanged =
        o.cells.empty() && o.differing.empty() && o.input_size == o.output_size;  // --copy-if-clean
    if (unchanged)
      out << "Hive:     " << (o.written ? "wrote " : "would write ") << o.path << " ("
          << o.output_size << " bytes): the hive as read, unchanged\n";
    else
      out << "Hive:     " << (o.written ? "wrote " : "would write ") << o.path << " ("
          << o.output_size << " bytes; input " << o.input_size << "): " << allocated
          << (allocated == 1 ? " cell" : " cells") << " allocated, " << modified << " modified, "
          << freed << " freed; " << o.differing.size() << " byte range"
          << (o.differing.size() == 1 ? "" : "s")
          << " differ from the input (the base block, the touched cells and the new hive bins)\n";
    if (report.verbose) {
      for (const auto& v : o.verification) out << "          verified: " << v << "\n";
      for (const auto& a : report.after) out << "          verified: after the fix " << a << "\n";
    } else if (!o.verification.empty()) {
      out << "          verified: " << o.verification.size() << " independent check"
          << (o.verification.size() == 1 ? "" : "s") << " passed";
      for (const auto& a : report.after) out << "; " << a;
      out << " (each check: --verbose or --format json)\n";
    }
  }
  if (report.reg_output) {
    const auto& o = *report.reg_output;
    out << ".reg:     " << (o.written ? "wrote " : "would write ") << o.path << " (" << o.root
        << "): " << o.key_blocks << " key block" << (o.key_blocks == 1 ? "" : "s") << ", "
        << o.values << " value" << (o.values == 1 ? "" : "s") << "\n";
    for (const auto& v : o.verification) out << "          verified: " << v << "\n";
    if (!o.written && !o.text.empty()) {
      out << "          its text:\n";
      std::string line;
      for (char c : o.text) {
        if (c == '\r') continue;
        if (c == '\n') {
          out << "            " << line << "\n";
          line.clear();
        } else {
          line += c;
        }
      }
    }
  }
  for (const auto& w : report.warnings) out << "Warning:  " << w << "\n";
  if (!report.next_steps.empty()) {
    out << "Next:\n";
    for (std::size_t i = 0; i < report.next_steps.size(); ++i)
      out << "  " << i + 1 << ". " << report.next_steps[i] << "\n";
  }
  out << report.message << " (exit " << to_int(report.exit_code) << ")\n";
}

}  // namespace hivelint::report
