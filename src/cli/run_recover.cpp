// `hivelint recover HIVE -o OUT`: the hive recovered from its transaction logs in memory (as every
// other command reads it), written alone and clean, verified by reading it back with hivelint's
// reader and libregf before it is renamed into place. The input files are never written.
#include "cli/run.hpp"
#include "hive/libregf_reader.hpp"
#include "hive/tree_walk.hpp"
#include "regf/base_block.hpp"
#include "regf/reader.hpp"
#include "util/atomic_file.hpp"
#include "util/error.hpp"

namespace hivelint::cli {

hive::OpenOptions open_options(const std::string& backend, const std::vector<std::string>& logs,
                               bool no_logs, std::size_t hive_count) {
  hive::OpenOptions o;
  o.backend = hive::parse_backend(backend);
  if (!logs.empty() && hive_count > 1)
    throw UsageError("--log names the logs of one hive; give a single hive with it");
  if (!logs.empty() && no_logs) throw UsageError("--log and --no-logs contradict each other");
  for (const auto& l : logs) o.logs.emplace_back(l);
  o.no_logs = no_logs;
  return o;
}

namespace {

void verify_recovered(const std::string& output, std::span<const std::uint8_t> expected,
                      std::span<const std::uint8_t> written) {
  if (written.size() != expected.size() ||
      !std::equal(written.begin(), written.end(), expected.begin()))
    throw RefusedError(output +
                       ": verification failed: the bytes read back differ from the recovered hive");
  std::vector<regf::Diagnostic> diags;
  const regf::BaseBlock bb = regf::parse_base_block(written, diags);
  if (bb.is_dirty() || !bb.checksum_ok())
    throw RefusedError(
        output + ": verification failed: the written base block is not clean (sequence " +
        std::to_string(bb.primary_sequence) + "/" + std::to_string(bb.secondary_sequence) + ")");
  const regf::Reader ours(written);
  regf::TreeKey tree;
  try {
    tree = ours.read_tree();
  } catch (const FormatError& e) {
    throw RefusedError(
        output +
        ": verification failed: hivelint's reader cannot read the recovered hive: " + e.what());
  }
  const auto libregf = hive::LibregfReader::open_memory(written, output);
  hive::DiffOptions options;
  options.libregf_quirks = true;
  const auto diffs = hive::diff_trees(tree, hive::read_whole_tree(*libregf), options);
  if (!diffs.empty()) {
    std::string message =
        output +
        ": verification failed: libregf and hivelint's reader read the recovered hive differently:";
    for (const auto& d : diffs) message += "\n  " + d;
    throw RefusedError(message);
  }
}

}  // namespace

ExitCode run_recover(const RecoverConfig& config, Output& output) {
  std::vector<std::filesystem::path> inputs{config.hive};
  for (const auto& l : config.logs) inputs.emplace_back(l);
  util::refuse_overwriting_inputs(config.output, inputs);
  const hive::OpenOptions options = open_options("libregf", config.logs, false, 1);
  const hive::OpenedHive h = hive::open_hive(config.hive, options);
  for (const auto& sibling : h.sibling_logs) inputs.emplace_back(sibling);
  util::refuse_overwriting_inputs(config.output, inputs);

  const auto& r = h.recovery;
  if (!r.recovered) {
    // Nothing to write that the input does not already hold: a copy would only look like a
    // recovery.
    std::string why = !r.dirty
                          ? "the hive is clean (sequence " + std::to_string(r.primary_sequence) +
                                "): there is nothing to recover; use it as it is"
                          : "the hive is dirty but no transaction log could be applied";
    for (const auto& s : r.skipped) why += "\n  " + s;
    if (r.dirty && r.logs.empty()) why += " (none found beside it; name them with --log)";
    throw RefusedError(config.hive + ": " + why);
  }
  const auto bytes = h.image->bytes();
  util::write_file_atomically(config.output, bytes, util::AtomicWriteOptions{config.force},
                              [&](std::span<const std::uint8_t> written) {
                                verify_recovered(config.output, bytes, written);
                              });
  output.diag() << "hivelint: wrote " << config.output << ": " << r.summary()
                << "; verified with hivelint's reader and libregf\n";
  for (const auto& s : r.skipped) output.diag() << "hivelint: note: transaction log " << s << "\n";
  output.diag() << "hivelint: warning: " << hive::old_logs_warning(h, config.output) << "\n";
  return ExitCode::kOk;
}

}  // namespace hivelint::cli
