// `hivelint export`: a whole hive or one subtree as a .reg file (regedit's format) or JSON, streamed while the
// tree is walked so that memory stays flat on any size of hive.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>

#include "cli/run.hpp"
#include "hive/open.hpp"
#include "report/export_writer.hpp"
#include "util/atomic_file.hpp"
#include "util/error.hpp"
#include "util/utf16.hpp"

namespace hivelint::cli {
namespace {

int walk(const ExportConfig& config, const hive::OpenedHive& opened, const hive::KeyPath& start, std::ostream& out) {
  bool found = false;
  if (config.format == "json") {
    report::JsonExportWriter writer(out, {config.hive, opened.reader->backend_name(), start.str()});
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
  const hive::KeyPath start = hive::KeyPath::parse(config.key_path);
  hive::OpenedHive opened = hive::open_hive(config.hive, open_options(config.backend, config.logs, config.no_logs, 1));
  for (const auto& w : opened.warnings) output.diag() << "hivelint: warning: " << w << "\n";
  if (!config.output || *config.output == "-") return walk(config, opened, start, output.out);

  // Written to a temporary file beside the output and renamed when complete: never a partial export.
  const std::filesystem::path target = *config.output;
  std::vector<std::filesystem::path> inputs{config.hive};
  for (const auto& log : opened.sibling_logs) inputs.emplace_back(log);
  for (const auto& log : config.logs) inputs.emplace_back(log);
  util::refuse_overwriting_inputs(target, inputs);
  std::error_code ec;
  if (!config.force && std::filesystem::exists(target, ec))
    throw RefusedError(target.string() + ": exists (use --force to replace it)");
  const std::filesystem::path tmp = target.string() + ".tmp";
  int code = 0;
  {
    std::ofstream file(tmp, std::ios::binary | std::ios::trunc);
    if (!file) throw InputError(tmp.string() + ": cannot create");
    try {
      code = walk(config, opened, start, file);
    } catch (const Error&) {
      file.close();
      std::filesystem::remove(tmp, ec);
      throw;
    }
    file.close();
    if (!file) {
      std::filesystem::remove(tmp, ec);
      throw InputError(tmp.string() + ": write failed");
    }
  }
  std::filesystem::rename(tmp, target, ec);
  if (ec) {
    const std::string why = ec.message();
    std::filesystem::remove(tmp, ec);
    throw InputError(target.string() + ": cannot rename the temporary file: " + why);
  }
  return code;
}

}  // namespace hivelint::cli
