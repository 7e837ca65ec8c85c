// `hivelint export`: a whole hive or one subtree as a .reg file (regedit's format) or JSON, streamed while the
// tree is walked so that memory stays flat on any size of hive.
#include <cstdio>
#include <filesystem>
#include <memory>

#include "cli/evaluate.hpp"
#include "cli/run.hpp"
#include "hive/open.hpp"
#include "report/export_writer.hpp"
#include "util/atomic_file.hpp"
#include "util/error.hpp"
#include "util/utf16.hpp"

namespace hivelint::cli {
namespace {

int walk(const ExportConfig& config, const hive::OpenedHive& opened, const hive::KeyPath& start, std::ostream& out,
         const Output& output) {
  bool found = false;
  if (config.format == "json") {
    report::JsonExportWriter writer(out, {config.hive, opened.reader->backend_name(), start.str(),
                                          run_provenance(output, config.backend), opened.inputs});
    found = opened.reader->visit(start, writer);
    if (found) writer.finish();
  } else {
    std::string root = config.root;
    while (!root.empty() && root.back() == '\\') root.pop_back();
    const std::string path = start.is_root() ? root : root + "\\" + start.str();
    report::RegExportWriter writer(out, util::utf8_to_utf16(path));
    found = opened.reader->visit(start, writer);
    if (found) writer.finish();
  }
  if (!found) throw UsageError("key \"" + start.str() + "\" is not in " + config.hive);
  return 0;
}

}  // namespace

int run_export(const ExportConfig& config, Output& output) {
  const hive::KeyPath typed = hive::KeyPath::parse(config.key_path);
  hive::OpenedHive opened = hive::open_hive(config.hive, open_options(config.backend, config.logs, config.no_logs, 1));
  // KEYPATH matches case-insensitively, as Windows does; what is written is the path as stored in the hive
  // (docs/json.md: keys[].path), so an export never shows a spelling the hive does not hold.
  const std::optional<hive::KeyInfo> found = typed.is_root() ? std::nullopt : opened.reader->key(typed);
  const hive::KeyPath start = found ? found->path : typed;
  for (const auto& w : opened.warnings) output.diag() << "hivelint: warning: " << w << "\n";
  if (!config.output || *config.output == "-") return walk(config, opened, start, output.out, output);

  // Written through the one atomic writer (util::AtomicFileWrite): a unique temporary file beside the output,
  // renamed when complete; never a partial export, never through a planted name, never over an input.
  const std::filesystem::path target = *config.output;
  std::vector<std::filesystem::path> inputs{config.hive};
  for (const auto& log : opened.sibling_logs) inputs.emplace_back(log);
  for (const auto& log : config.logs) inputs.emplace_back(log);
  util::refuse_overwriting_inputs(target, inputs);
  util::AtomicFileWrite file(target, util::AtomicWriteOptions{config.force});
  const int code = walk(config, opened, start, file.stream(), output);
  file.commit([](std::span<const std::uint8_t>) {});  // the size read back is checked; the text was streamed
  return code;
}

}  // namespace hivelint::cli
