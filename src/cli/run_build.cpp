// `hivelint build SOURCE.reg -o HIVE`: compile a .reg file into a fresh hive, verified by reading it back
// through libregf before it is renamed into place.
#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "cli/run.hpp"
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

// Days from 1601-01-01 to y-m-d (proleptic Gregorian).
std::int64_t days_since_1601(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? static_cast<unsigned>(-3) : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468 + 134774;  // days since 1970, shifted to 1601
}

// "2004-06-01T00:00:00Z" (or "now") as a FILETIME.
std::uint64_t parse_timestamp(const std::optional<std::string>& text) {
  if (!text || *text == "now") {
    const auto now = std::chrono::system_clock::now().time_since_epoch();
    const auto ticks = std::chrono::duration_cast<std::chrono::nanoseconds>(now).count() / 100;
    return static_cast<std::uint64_t>(ticks) + 116444736000000000ull;
  }
  int y = 0;
  unsigned mo = 0, d = 0, h = 0, mi = 0, s = 0;
  char tail = 0;
  if (std::sscanf(text->c_str(), "%4d-%2u-%2uT%2u:%2u:%2u%c", &y, &mo, &d, &h, &mi, &s, &tail) != 7 || tail != 'Z' ||
      text->size() != 20 || y < 1601 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59)
    throw UsageError("--timestamp \"" + *text + "\" is not of the form 2004-06-01T00:00:00Z (UTC) or \"now\"");
  const std::int64_t days = days_since_1601(y, mo, d);
  return (static_cast<std::uint64_t>(days) * 86400 + h * 3600ull + mi * 60ull + s) * 10'000'000ull;
}

void refuse_unless_equal(const std::string& output, const char* reader, const regf::TreeKey& expected,
                         const regf::TreeKey& actual, const hive::DiffOptions& options = {}) {
  const auto diffs = hive::diff_trees(expected, actual, options);
  if (diffs.empty()) return;
  std::string message = std::string("verification failed: ") + reader + " reads the new hive differently:";
  for (const auto& d : diffs) message += "\n  " + d;
  throw RefusedError(output + ": " + message);
}

}  // namespace

int run_build(const BuildConfig& config, Output& output) {
  util::refuse_overwriting_inputs(config.output, {config.source});
  regfile::RegParseOptions parse_options;
  parse_options.prefix = config.prefix;
  if (config.root_name) parse_options.root_name = util::utf8_to_utf16(*config.root_name);
  const auto parsed = regfile::parse_reg(read_file(config.source), parse_options, config.source);
  for (const auto& w : parsed.warnings) output.diag() << "hivelint: warning: " << w << "\n";

  regf::BuildOptions build_options;
  build_options.timestamp = parse_timestamp(config.timestamp);
  build_options.minor_version = config.minor_version;
  build_options.file_name = util::utf8_to_utf16(std::filesystem::path(config.output).filename().string());
  const regf::BuildResult built = regf::build_hive(parsed.root, build_options);

  util::write_file_atomically(config.output, built.bytes, util::AtomicWriteOptions{config.force},
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
                                  throw RefusedError(config.output + ": verification failed: " + ours.diagnostics()[0].structure +
                                                     " at " + util::hex_offset(ours.diagnostics()[0].file_offset) + ": " +
                                                     ours.diagnostics()[0].message);
                                refuse_unless_equal(config.output, "hivelint's regf reader", parsed.root, ours.read_tree());
                              });
  output.diag() << "hivelint: wrote " << config.output << ": " << built.keys << " keys, " << built.values << " values, "
                << built.bytes.size() << " bytes (regf 1." << config.minor_version << ", root \""
                << util::utf16_to_utf8(parsed.root.name).text << "\", prefix " << parsed.prefix << "), verified with libregf and hivelint's reader\n";
  return 0;
}

}  // namespace hivelint::cli
