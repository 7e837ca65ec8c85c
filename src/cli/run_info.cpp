// `hivelint info`: header, root, control sets and Select values of each hive.
#include <filesystem>

#include "cli/evaluate.hpp"
#include "cli/run.hpp"
#include "hive/open.hpp"
#include "report/info_report.hpp"
#include "rules/control_set.hpp"
#include "rules/hive_kind.hpp"
#include "rules/machine_identity.hpp"
#include "util/utf16.hpp"

namespace hivelint::cli {
namespace {

report::HiveInfo gather(const std::string& path, const hive::OpenOptions& options) {
  report::HiveInfo info;
  info.hive = path;
  info.backend = options.backend == hive::Backend::kHivelint ? "hivelint" : "libregf";
  const hive::OpenedHive h = hive::open_hive(path, options);
  const auto& bb = h.base_block;
  info.file_size = h.image->bytes().size();
  info.major_version = bb.major_version;
  info.minor_version = bb.minor_version;
  info.primary_sequence = h.recovery.primary_sequence;
  info.secondary_sequence = h.recovery.secondary_sequence;
  info.dirty = h.recovery.dirty;
  info.last_written = hive::filetime_to_iso8601(bb.last_written);
  info.file_type = bb.file_type;
  info.file_format = bb.file_format;
  info.root_cell_offset = bb.root_cell.value;
  info.hive_bins_data_size = bb.hive_bins_data_size;
  info.stored_checksum = bb.stored_checksum;
  info.computed_checksum = bb.computed_checksum;
  info.embedded_file_name = util::utf16_to_utf8(bb.file_name).text;
  if (auto root = h.reader->key(hive::KeyPath{})) info.root_name = root->name;
  info.root_subkeys = h.reader->subkey_names(hive::KeyPath{});
  for (unsigned n : rules::list_control_sets(*h.reader))
    info.control_sets.push_back(rules::control_set_name(n));
  const auto select = rules::read_select(*h.reader);
  info.select_present = select.key_present;
  info.select_current = select.current;
  info.select_default = select.default_set;
  info.select_failed = select.failed;
  info.select_last_known_good = select.last_known_good;
  // The same kinds `check` names when it finds no ControlSet (rules/hive_kind.hpp).
  info.hive_kind = rules::classify_hive(*h.reader, info.embedded_file_name);
  if (info.hive_kind == "SYSTEM") info.machine = rules::read_machine_identity(*h.reader);
  info.logs = h.sibling_logs;
  info.recovery = h.recovery;
  info.inputs = h.inputs;
  info.warnings = h.warnings;
  info.diagnostics = h.diagnostics;
  for (const auto& d : h.reader->diagnostics()) info.diagnostics.push_back(d);
  return info;
}

}  // namespace

ExitCode run_info(const InfoConfig& config, Output& output) {
  std::vector<report::HiveInfo> infos;
  ExitCode code = ExitCode::kOk;
  const hive::OpenOptions options =
      open_options(config.backend, config.logs, config.no_logs, config.hives.size());
  for (const auto& path : config.hives) {
    try {
      infos.push_back(gather(path, options));
    } catch (const Error& e) {
      report::HiveInfo failed;
      failed.hive = path;
      failed.error = e.what() + hive::damage_detail(path, e);
      output.diag() << about_input(path, failed.error);
      infos.push_back(std::move(failed));
      code = ExitCode::kInput;
    }
  }
  if (config.format == Format::kJson)
    output.out << report::render_info_json(infos, run_provenance(output, config.backend));
  else
    report::render_info_text(infos, output.out);
  return code;
}

}  // namespace hivelint::cli
