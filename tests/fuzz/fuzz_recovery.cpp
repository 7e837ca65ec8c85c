// Fuzz target: transaction-log replay. A small hive is made dirty by one edit whose pages go into a
// valid log (new HvLE format or old DIRT format, chosen by the first byte); the rest of the input
// either flips bytes of that log (pairs of position and mask) or, when the first byte says so, is
// the log itself. Replay must end in a recovered image hivelint's reader can open (or refuse with a
// FormatError), or in a report of what it skipped; only a hivelint::Error may escape.
#include <algorithm>
#include <string>

#include "fuzz/fuzz_targets.hpp"
#include "regf/builder.hpp"
#include "regf/clean_pages.hpp"
#include "regf/editor.hpp"
#include "regf/reader.hpp"
#include "regf/recovery.hpp"
#include "regf/verify.hpp"
#include "support/log_builder.hpp"
#include "util/bytes.hpp"

namespace hivelint::fuzz {
namespace {

struct Fixture {
  std::vector<std::uint8_t> primary;  // dirty: its last write is only in the log
  std::vector<std::uint8_t> new_log;
  std::vector<std::uint8_t> old_log;
};

const Fixture& fixture() {
  static const Fixture f = [] {
    regf::TreeKey root;
    root.name = u"ROOT";
    auto& params = root.ensure_subkey(u"ControlSet001")
                       .ensure_subkey(u"Services")
                       .ensure_subkey(u"InetInfo")
                       .ensure_subkey(u"Parameters");
    params.values.push_back(regf::TreeValue{u"DispatchEntries", 7, {'L', 0, 0, 0, 0, 0}});
    regf::BuildOptions options;
    options.timestamp = 127305216000000000ull;
    const auto before = regf::build_hive(root, options).bytes;
    regf::Editor editor(before, regf::EditorOptions{133485408000000000ull});
    editor.set_value(u"ControlSet001\\Services\\InetInfo\\Parameters", u"DispatchEntries", 7,
                     std::vector<std::uint8_t>(64, 'x'));
    const auto after = editor.commit();
    // Every page of the bin the edit appended goes into the logs (padding with 0xFF makes the zero
    // ones differ too): a log that grows the hive must carry all of the growth, or replay rightly
    // refuses it. changed_pages takes whole files and reports offsets relative to the hive bins.
    std::vector<std::uint8_t> before_padded = before;
    before_padded.resize(after.size(), 0xFF);
    const auto bins_size = static_cast<std::uint32_t>(after.size() - regf::kBaseBlockSize);
    Fixture made;
    made.primary = before;
    test::set_sequences(made.primary, 2, 1);
    made.new_log = test::new_log(
        made.primary,
        {test::EntrySpec{1, bins_size, test::changed_pages(before_padded, after, 4096), 0}});
    made.old_log =
        test::old_log(made.primary, 1, bins_size, test::changed_pages(before_padded, after, 512));
    // The unmutated logs must replay to exactly the edited hive bins: mutations of logs that never
    // worked would only ever exercise the refusal paths (the old-format seed did, until its pages
    // were taken from the right offsets).
    for (const auto* log : {&made.new_log, &made.old_log}) {
      const auto result = regf::recover_hive(made.primary, {regf::LogInput{"seed.LOG1", *log}});
      if (!result.bytes || result.bytes->size() != after.size() ||
          !std::equal(after.begin() + regf::kBaseBlockSize, after.end(),
                      result.bytes->begin() + regf::kBaseBlockSize))
        fail("recovery", std::string("the seed's ") + (log == &made.new_log ? "new" : "old") +
                             "-format log does not replay to the edited hive");
    }
    return made;
  }();
  return f;
}

}  // namespace

void recovery(std::span<const std::uint8_t> data) {
  if (data.empty()) return;
  const Fixture& f = fixture();
  const std::uint8_t mode = data[0];
  std::vector<std::uint8_t> log;
  if (mode & 2) {
    log.assign(data.begin() + 1, data.end());
  } else {
    log = mode & 1 ? f.old_log : f.new_log;
    for (std::size_t i = 1; i + 2 < data.size(); i += 3) {
      const std::size_t at =
          (static_cast<std::size_t>(data[i]) | static_cast<std::size_t>(data[i + 1]) << 8) %
          log.size();
      log[at] ^= data[i + 2];
    }
  }
  try {
    const auto result = regf::recover_hive(f.primary, {regf::LogInput{"fuzz.LOG1", log}});
    if (!result.bytes) return;
    // Whatever the replay wrote is what CleanPages keeps in the image: every page it sends to the
    // file must hold the image's bytes (clean_pages.hpp).
    const std::span<const std::uint8_t> image = *result.bytes;
    const regf::CleanPages clean(image, f.primary, result.page_runs, result.smallest_size);
    for (std::size_t at = 0; at < image.size(); at += 512) {
      const std::size_t n = std::min<std::size_t>(4096, image.size() - at);
      const auto v = clean.view(at, n);
      if (!std::equal(v.begin(), v.end(), image.begin() + static_cast<std::ptrdiff_t>(at)))
        fail("recovery", "a page the replay changed is read in the file");
    }
    try {
      const regf::Reader r(*result.bytes);
      if (r.base_block().is_dirty()) fail("recovery", "the recovered image is still dirty");
      (void)r.read_tree();
      (void)regf::verify_hive(*result.bytes);
    } catch (const FormatError&) {
      // a log with valid hashes over garbage pages can describe a broken hive; refusing it clearly
      // is right
    }
  } catch (const Error&) {}
}

}  // namespace hivelint::fuzz

HIVELINT_FUZZ_ENTRY(recovery)
