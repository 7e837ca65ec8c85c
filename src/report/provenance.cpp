#include "report/provenance.hpp"

#include "util/control_chars.hpp"

namespace hivelint::report {
namespace {

using Json = nlohmann::ordered_json;

Json file_json(const hive::FileFacts& f) {
  Json j;
  j["path"] = f.path;
  j["size"] = f.size;
  j["mtime"] = f.mtime ? Json(*f.mtime) : Json(nullptr);
  j["sha256"] = f.sha256.hex();
  return j;
}

std::string file_text(const hive::FileFacts& f, const std::string& tag = "") {
  return util::escape_controls(f.path) + tag + ", " + std::to_string(f.size) + " bytes, modified " +
         (f.mtime ? *f.mtime : std::string("unknown")) + ", sha256 " + f.sha256.hex();
}

bool shell_plain(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80 ||
         std::string_view("_-./:=,@%+").find(static_cast<char>(c)) != std::string_view::npos;
}

}  // namespace

Json provenance_json(const Provenance& p) {
  Json j;
  j["tool_version"] = p.tool_version;
  j["generated_at"] = p.generated_at;
  j["argv"] = p.argv;  // nlohmann escapes what JSON needs; bytes that are not UTF-8 become U+FFFD
                       // when dumped
  j["reader"] = Json{{"name", p.reader}, {"version", p.reader_version}};
  if (p.rules) {
    Json files = Json::array();
    for (const auto& f : p.rules->files)
      files.push_back(Json{{"path", f.path}, {"sha256", f.sha256}});
    j["rules"] = Json{{"source", p.rules->source}, {"sha256", p.rules->sha256}, {"files", files}};
  } else {
    j["rules"] = nullptr;
  }
  return j;
}

Json input_files_json(const hive::InputFiles& in) {
  Json logs = Json::array();
  for (const auto& l : in.logs) {
    Json lj = file_json(l.file);
    lj["applied"] = l.applied;
    logs.push_back(lj);
  }
  return Json{{"hive", file_json(in.hive)}, {"logs", logs}};
}

std::string command_line_text(const std::vector<std::string>& argv) {
  std::string line;
  for (const auto& arg : argv) {
    if (!line.empty()) line += ' ';
    bool plain = !arg.empty();
    for (const char c : arg) plain = plain && shell_plain(static_cast<unsigned char>(c));
    if (plain) {
      line += arg;
      continue;
    }
    line += '\'';
    for (const char c : arg) line += c == '\'' ? std::string("'\\''") : std::string(1, c);
    line += '\'';
  }
  return util::escape_controls(line);
}

void render_provenance_text(const Provenance& p, std::ostream& out) {
  out << "hivelint " << p.tool_version << ", run " << p.generated_at << ", reader " << p.reader
      << " " << p.reader_version << "\n";
  out << "Command: " << command_line_text(p.argv) << "\n";
  if (p.rules)
    out << "Rules:   " << util::escape_controls(p.rules->source) << " (" << p.rules->files.size()
        << " file" << (p.rules->files.size() == 1 ? "" : "s") << "), sha256 " << p.rules->sha256
        << "\n";
}

void render_input_files_text(const hive::InputFiles& in, std::ostream& out) {
  out << "Hive:    " << file_text(in.hive) << "\n";
  for (const auto& l : in.logs)
    out << "Log:     " << file_text(l.file, l.applied ? " (applied)" : " (not applied)") << "\n";
}

}  // namespace hivelint::report
