#include "report/deleted_report.hpp"

#include <algorithm>
#include <stdexcept>

#include "hive/hive_reader.hpp"
#include "report/json_common.hpp"
#include "report/json_text.hpp"
#include "rules/previous_values.hpp"
#include "util/bytes.hpp"
#include "util/utf16.hpp"

namespace hivelint::report {
namespace {

std::string utf8(const std::u16string& s) { return util::utf16_to_utf8(s).text; }

std::uint64_t file_offset(regf::CellOffset c) { return regf::to_file_offset(c).value; }

Json key_json(const regf::CarvedKey& k) {
  Json j;
  j["cell_offset"] = file_offset(k.offset);
  j["name"] = utf8(k.name);
  j["last_written"] = hive::filetime_to_iso8601(k.last_written);
  j["parent_offset"] = k.parent.is_none() ? Json(nullptr) : Json(file_offset(k.parent));
  j["parent_name"] = k.parent_name ? Json(utf8(*k.parent_name)) : Json(nullptr);
  j["parent_state"] = k.parent_live ? "live" : k.parent_name ? "free" : "unknown";
  j["subkey_count"] = k.subkey_count;
  j["value_count"] = k.value_count;
  return j;
}

std::string dumped(const Json& j) { return json_text(j, 2); }

std::string value_text(const regf::CarvedValue& v) {
  rules::PreviousValue p = rules::to_previous_value(v);
  std::optional<std::vector<std::uint8_t>> data = std::move(p.data);
  p.data.reset();
  Json j = previous_value_json(p);
  if (data && v.type == static_cast<std::uint32_t>(hive::ValueType::kMultiSz))
    j["strings"] = hive::decode_multi_string(*data).entries;
  if (data) j["data"] = hex_bytes(*data);
  // previous_value_json's field order, "strings" before "data": re-placed after the fact they would
  // follow "note".
  Json ordered;
  for (const char* field :
       {"cell_offset", "name", "type", "size", "data_state", "strings", "data", "note"})
    if (j.contains(field)) ordered[field] = std::move(j[field]);
  ordered["data_cell_offset"] =
      v.data_cell.is_none() ? Json(nullptr) : Json(file_offset(v.data_cell));
  return dumped(ordered);
}

// A carve of a 500 MB hive lists hundreds of thousands of cells: the document is written piece by
// piece (each element dumped on its own, indented as dump() would) instead of as one JSON tree of
// them all in memory. Each array's place in the skeleton: found as the top-level field (two spaces
// in, where nothing from the hive or the command line can be) holding this string.
constexpr const char* kSlot = "(written after the skeleton)";

template <typename Items, typename ToText>
void write_array(std::ostream& out, const Items& items, ToText to_text) {
  if (items.empty()) {
    out << "[]";
    return;
  }
  out << "[\n";
  bool first = true;
  std::string
      block;  // one write per element: the stream under it filters control characters call by call
  for (const auto& item : items) {
    block.clear();
    if (!first) block += ",\n";
    first = false;
    const std::string text = to_text(item);
    std::size_t start = 0;
    while (start <= text.size()) {  // every line indented by the array's depth (two levels)
      const std::size_t end = std::min(text.find('\n', start), text.size());
      block += "    ";
      block.append(text, start, end - start);
      if (end < text.size()) block += '\n';
      start = end + 1;
    }
    out.write(block.data(), static_cast<std::streamsize>(block.size()));
  }
  out << "\n  ]";
}

}  // namespace

void write_deleted_json(const DeletedReport& report, std::ostream& out) {
  Json j = document("deleted", report.provenance);
  j["hive"] = report.hive;
  j["error"] = report.error.empty() ? Json(nullptr) : Json(report.error);
  if (report.result) {
    const regf::CarveResult& r = *report.result;
    j["free_cells"] = r.free_cells;
    j["free_bytes"] = r.free_bytes;
    j["keys"] = kSlot;
    j["values"] = kSlot;
    j["unrecovered"] = kSlot;
    j["unrecovered_not_listed"] = r.unrecovered_dropped;
    j["stopped"] = r.stopped ? Json(*r.stopped) : Json(nullptr);
  }
  Json diagnostics = Json::array();
  for (const auto& d : report.diagnostics) diagnostics.push_back(diagnostic_json(d));
  j["diagnostics"] = diagnostics;
  const std::string skeleton = dump(j);
  if (!report.result) {
    out << skeleton;
    return;
  }
  const regf::CarveResult& r = *report.result;
  std::size_t at = 0;
  const auto until = [&](const char* field) {  // the skeleton up to the field's slot, then past it
    const std::string head = "\n  \"" + std::string(field) + "\": ",
                      slot = "\"" + std::string(kSlot) + "\"";
    const std::size_t found = skeleton.find(head + slot, at);
    if (found == std::string::npos)
      throw std::logic_error("deleted report: no slot for " + std::string(field));
    const std::size_t array_at = found + head.size();
    out.write(skeleton.data() + at, static_cast<std::streamsize>(array_at - at));
    at = array_at + slot.size();
  };
  until("keys");
  write_array(out, r.keys, [](const regf::CarvedKey& k) { return dumped(key_json(k)); });
  until("values");
  write_array(out, r.values, value_text);
  until("unrecovered");
  write_array(out, r.unrecovered, [](const regf::CarveFailure& f) {
    return dumped(Json{
        {"cell_offset", file_offset(f.offset)}, {"structure", f.structure}, {"reason", f.reason}});
  });
  out.write(skeleton.data() + at, static_cast<std::streamsize>(skeleton.size() - at));
}

void render_deleted_text(const DeletedReport& report, std::ostream& out) {
  out << report.hive << "\n";
  if (!report.error.empty()) {
    out << "  unreadable: " << report.error << "\n";
    return;
  }
  for (const auto& d : report.diagnostics)
    out << "  damage: " << d.structure << " at " << util::hex_offset(d.file_offset) << ": "
        << d.message << "\n";
  const regf::CarveResult& r = *report.result;
  out << "  " << r.free_cells << " free cells, " << r.free_bytes << " bytes: " << r.keys.size()
      << " keys, " << r.values.size() << " values, " << r.unrecovered.size() + r.unrecovered_dropped
      << " records not recoverable\n";
  if (r.stopped) out << "  " << *r.stopped << "\n";
  if (!r.keys.empty()) out << "Keys (cell offset, last written, name, parent):\n";
  for (const auto& k : r.keys) {
    out << "  " << util::hex_offset(file_offset(k.offset)) << "  "
        << hive::filetime_to_iso8601(k.last_written) << "  " << utf8(k.name);
    if (k.parent.is_none())
      out << "  (no parent)";
    else if (k.parent_name)
      out << "  (parent " << (k.parent_live ? "" : "free ") << "key " << utf8(*k.parent_name)
          << " at " << util::hex_offset(file_offset(k.parent)) << ")";
    else
      out << "  (parent at " << util::hex_offset(file_offset(k.parent)) << ", not a key node)";
    out << "\n";
  }
  if (!r.values.empty()) out << "Values:\n";
  for (const auto& v : r.values)
    out << "  " << previous_value_text(rules::to_previous_value(v)) << "\n";
  if (!r.unrecovered.empty()) out << "Not recoverable:\n";
  for (const auto& f : r.unrecovered)
    out << "  " << util::hex_offset(file_offset(f.offset)) << "  " << f.structure << ": "
        << f.reason << "\n";
  if (r.unrecovered_dropped) out << "  and " << r.unrecovered_dropped << " more (not listed)\n";
}

}  // namespace hivelint::report
