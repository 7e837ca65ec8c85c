// `hivelint build SOURCE.reg -o HIVE`: compile a .reg file into a fresh hive, verified by reading
// it back through libregf before it is renamed into place.
#include <fstream>
#include <sstream>

#include "cli/run.hpp"
#include "cli/timestamp.hpp"
#include "hive/libregf_reader.hpp"
#include "hive/tree_walk.hpp"
#include "regf/builder.hpp"
#include "regf/reader.hpp"
#include "regfile/reg_parser.hpp"
#include "util/atomic_file.hpp"
#include "util/error.hpp"
#include "util/utf16.hpp"

namespace hivelint::cli {
namespace {

std::vector<std::uint8_t> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path + ": cannot open the .reg file");
  std::ostringstream s;
  s << in.rdbuf();
  const std::string text = s.str();
  return {text.begin(), text.end()};
}

void refuse_unless_equal(const std::string& output, const char* reader,
                         const regf::TreeKey& expected, const regf::TreeKey& actual,
                         const hive::DiffOptions& options = {}) {
  const auto diffs = hive::diff_trees(expected, actual, options);
  if (diffs.empty()) return;
  std::string message =
      std::string("verification failed: ") + reader + " reads the new hive differently:";
  for (const auto& d : diffs) message += "\n  " + d;
  throw RefusedError(output + ": " + message);
}

}  // namespace

ExitCode run_build(const BuildConfig& config, Output& output) {
  util::refuse_overwriting_inputs(config.output, {config.source});
  regfile::RegParseOptions parse_options;
  parse_options.prefix = config.prefix;
  if (config.root_name) parse_options.root_name = util::utf8_to_utf16(*config.root_name);
  const auto parsed = regfile::parse_reg(read_file(config.source), parse_options, config.source);
  for (const auto& w : parsed.warnings) output.diag() << "hivelint: warning: " << w << "\n";
  // Windows stores such a name, but libregf and hivex cannot read it: build writes only hives every
  // reader here reads (libregf's own refusal would name neither the key nor the value).
  if (const auto bad = regf::first_invalid_utf16_name(parsed.root))
    throw InputError(config.source + ": the name of \"" + *bad +
                     "\" is not valid UTF-16 (an unpaired surrogate, shown as U+FFFD): Windows "
                     "stores it, but libregf and hivex cannot read it, so it is not built");

  regf::BuildOptions build_options;
  build_options.timestamp = parse_timestamp(config.timestamp);
  build_options.minor_version = config.minor_version;
  build_options.file_name =
      util::utf8_to_utf16(std::filesystem::path(config.output).filename().string());
  const regf::BuildResult built = regf::build_hive(parsed.root, build_options);

  util::write_file_atomically(
      config.output, built.bytes, util::AtomicWriteOptions{config.force},
      [&](std::span<const std::uint8_t> written) {
        // Two independent readers must each see the parsed tree: ours byte for byte,
        // libregf up to its documented normalisations of value data.
        const auto libregf = hive::LibregfReader::open_memory(written, config.output);
        hive::DiffOptions libregf_options;
        libregf_options.libregf_quirks = true;
        refuse_unless_equal(config.output, "libregf", parsed.root, hive::read_whole_tree(*libregf),
                            libregf_options);
        const regf::Reader ours(written);
        if (!ours.diagnostics().empty())
          throw RefusedError(config.output +
                             ": verification failed: " + ours.diagnostics()[0].structure + " at " +
                             util::hex_offset(ours.diagnostics()[0].file_offset) + ": " +
                             ours.diagnostics()[0].message);
        refuse_unless_equal(config.output, "hivelint's regf reader", parsed.root, ours.read_tree());
      });
  output.diag() << "hivelint: wrote " << config.output << ": " << built.keys << " keys, "
                << built.values << " values, " << built.bytes.size() << " bytes (regf 1."
                << config.minor_version << ", root \"" << util::utf16_to_utf8(parsed.root.name).text
                << "\", prefix " << parsed.prefix
                << "), verified with libregf and hivelint's reader\n";
  return ExitCode::kOk;
}

}  // namespace hivelint::cli
