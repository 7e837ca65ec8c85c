// `hivelint export`: a whole hive or one subtree as a .reg file (regedit's format) or JSON,
// streamed while the tree is walked so that memory stays flat on any size of hive.
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <memory>

#include "cli/evaluate.hpp"
#include "cli/run.hpp"
#include "hive/open.hpp"
#include "report/export_writer.hpp"
#include "rules/control_set.hpp"
#include "util/atomic_file.hpp"
#include "util/error.hpp"
#include "util/utf16.hpp"
#include "util/version.hpp"

namespace hivelint::cli {
namespace {

// ASCII case folding for key-path prefixes typed by users (HKLM, SYSTEM): never the locale
// (CONTRIBUTING.md §3).
bool same_word(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const auto fold = [](char c) {
      return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
    };
    if (fold(a[i]) != fold(b[i])) return false;
  }
  return true;
}

// The spellings of the --root prefix that hivelint itself prints or that regedit and reg.exe use:
// HKEY_LOCAL_MACHINE\SYSTEM and HKLM\SYSTEM for the default root, likewise for --root HKLM\OFFLINE.
std::vector<std::vector<std::string>> root_spellings(const std::string& root) {
  std::vector<std::string> parts = hive::KeyPath::parse(root).components();
  std::vector<std::vector<std::string>> out{parts};
  if (!parts.empty() &&
      (same_word(parts[0], "HKEY_LOCAL_MACHINE") || same_word(parts[0], "HKLM"))) {
    parts[0] = same_word(parts[0], "HKLM") ? "HKEY_LOCAL_MACHINE" : "HKLM";
    out.push_back(parts);
  }
  return out;
}

// `typed` without a leading root prefix (see root_spellings), or nullopt when it has none.
std::optional<std::vector<std::string>> strip_root(const std::vector<std::string>& typed,
                                                   const std::string& root) {
  for (const auto& prefix : root_spellings(root)) {
    if (prefix.empty() || prefix.size() > typed.size()) continue;
    bool match = true;
    for (std::size_t i = 0; i < prefix.size() && match; ++i) match = same_word(typed[i], prefix[i]);
    if (match)
      return std::vector<std::string>(typed.begin() + static_cast<std::ptrdiff_t>(prefix.size()),
                                      typed.end());
  }
  return std::nullopt;
}

struct StartKey {
  hive::KeyPath path;              // as stored in the hive (every component in its stored case)
  std::uint64_t last_written = 0;  // FILETIME of the start key
};

// KEYPATH as a user copies it from hivelint's own output (issue 17 §4, friction 1.5): a path below
// the hive root, or the same behind HKLM\SYSTEM / HKEY_LOCAL_MACHINE\SYSTEM (the --root prefix),
// with CurrentControlSet standing for the ControlSet that Select\Current (or --control-set) names,
// since an offline hive has no CurrentControlSet key. The path found is the stored one, so the
// output never shows the typed case (friction 1.6).
StartKey resolve_start(const ExportConfig& config, const hive::HiveReader& reader, Output& output) {
  const hive::KeyPath typed = hive::KeyPath::parse(config.key_path);
  if (auto found = reader.key(typed))
    return {found->path, found->last_written};  // a key of that name wins
  std::vector<std::string> parts = typed.components();
  if (auto rest = strip_root(parts, config.root)) parts = std::move(*rest);
  std::string resolved_note;
  if (!parts.empty() && same_word(parts[0], "CurrentControlSet")) {
    const rules::ControlSetChoice choice =
        rules::parse_control_set_choice(config.control_set.value_or("current"));
    if (choice.selector == rules::ControlSetSelector::kAll)
      throw UsageError(
          "--control-set all: export resolves CurrentControlSet to one set; give current, default, "
          "lastknowngood, failed or N");
    const rules::Resolution resolution =
        rules::resolve_control_sets(reader, choice);  // ControlSetError: exit 3
    const rules::ResolvedControlSet& set = resolution.sets.at(0);
    parts[0] = set.name;
    resolved_note = "CurrentControlSet is " + set.name + " (" + set.source + ")";
  }
  const hive::KeyPath path{parts};
  const std::optional<hive::KeyInfo> found = reader.key(path);
  if (!found) {
    std::string hint;
    if (resolved_note.empty() && typed.str() != path.str())
      hint = " (looked for \"" + path.str() + "\")";
    if (!resolved_note.empty()) hint = "; " + resolved_note;
    throw UsageError("key \"" + config.key_path + "\" is not in " + config.hive + hint);
  }
  if (!resolved_note.empty()) output.diag() << "hivelint: note: " << resolved_note << "\n";
  return {found->path, found->last_written};
}

report::RegEncoding encoding_of(const ExportConfig& config, bool to_terminal) {
  if (config.encoding)
    return *config.encoding == "utf8" ? report::RegEncoding::kUtf8 : report::RegEncoding::kUtf16le;
  // UTF-16LE on a terminal is unreadable (friction 1.11): a terminal gets UTF-8 unless --encoding
  // says otherwise.
  return to_terminal ? report::RegEncoding::kUtf8 : report::RegEncoding::kUtf16le;
}

// fix --reg-comments' counterpart: where the export came from (issue 17 §4, friction 1.11).
std::vector<std::string> reg_comments(const ExportConfig& config, const hive::OpenedHive& opened,
                                      const StartKey& start, const std::string& start_reg_path) {
  std::vector<std::string> c;
  c.push_back("hivelint " + std::string(kVersion) + " export of hive " + config.hive + " (" +
              opened.reader->backend_name() + " reader)");
  c.push_back("hive SHA-256 " + opened.inputs.hive.sha256.hex() + ", " +
              std::to_string(opened.inputs.hive.size) + " bytes");
  for (const auto& log : opened.inputs.logs)
    c.push_back("transaction log " + log.file.path + " SHA-256 " + log.file.sha256.hex());
  c.push_back("key " + start_reg_path + " last written " +
              hive::filetime_to_iso8601(start.last_written));
  return c;
}

ExitCode walk(const ExportConfig& config, const hive::OpenedHive& opened, const StartKey& start,
              std::ostream& out, const Output& output, bool to_terminal) {
  bool found = false;
  if (config.format == "json") {
    report::JsonExportWriter writer(out,
                                    {config.hive, opened.reader->backend_name(), start.path.str(),
                                     run_provenance(output, config.backend), opened.inputs});
    found = opened.reader->visit(start.path, writer);
    if (found) writer.finish();
  } else {
    std::string root = config.root;
    while (!root.empty() && root.back() == '\\') root.pop_back();
    const std::string path = start.path.is_root() ? root : root + "\\" + start.path.str();
    report::RegExportOptions options;
    options.encoding = encoding_of(config, to_terminal);
    if (config.reg_comments) options.comments = reg_comments(config, opened, start, path);
    // UTF-8 for a terminal passes the control-character filter like every other text hivelint
    // prints (D18).
    std::optional<TerminalSafe> safe;
    if (to_terminal && options.encoding == report::RegEncoding::kUtf8) safe.emplace(out);
    report::RegExportWriter writer(out, util::utf8_to_utf16(path), options);
    found = opened.reader->visit(start.path, writer);
    if (found) writer.finish();
  }
  if (!found) throw UsageError("key \"" + start.path.str() + "\" is not in " + config.hive);
  return ExitCode::kOk;
}

}  // namespace

ExitCode run_export(const ExportConfig& config, Output& output) {
  hive::OpenedHive opened =
      hive::open_hive(config.hive, open_options(config.backend, config.logs, config.no_logs, 1));
  for (const auto& w : opened.warnings) output.diag() << "hivelint: warning: " << w << "\n";
  // KEYPATH matches case-insensitively, as Windows does; what is written is the path as stored in
  // the hive (docs/json.md: keys[].path), so an export never shows a spelling the hive does not
  // hold.
  const StartKey start =
      config.key_path.empty() || hive::KeyPath::parse(config.key_path).is_root()
          ? StartKey{hive::KeyPath{}, opened.reader->key(hive::KeyPath{})
                                          ? opened.reader->key(hive::KeyPath{})->last_written
                                          : 0}
          : resolve_start(config, *opened.reader, output);
  if (!config.output || *config.output == "-") {
    const bool to_terminal = config.stdout_is_terminal;
    return walk(config, opened, start, output.out, output, to_terminal);
  }

  // Written through the one atomic writer (util::AtomicFileWrite): a unique temporary file beside
  // the output, renamed when complete; never a partial export, never through a planted name, never
  // over an input.
  const std::filesystem::path target = *config.output;
  std::vector<std::filesystem::path> inputs{config.hive};
  for (const auto& log : opened.sibling_logs) inputs.emplace_back(log);
  for (const auto& log : config.logs) inputs.emplace_back(log);
  util::refuse_overwriting_inputs(target, inputs);
  util::AtomicFileWrite file(target, util::AtomicWriteOptions{config.force});
  const ExitCode code = walk(config, opened, start, file.stream(), output, false);
  file.commit([](std::span<const std::uint8_t>) {
  });  // the size read back is checked; the text was streamed
  return code;
}

}  // namespace hivelint::cli
