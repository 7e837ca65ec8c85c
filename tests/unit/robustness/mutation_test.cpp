// Mutation tests: the bundled samples with bytes flipped, truncated, spliced and destroyed (seeded,
// so every failure replays), through everything that reads a hive in-process: verify_hive, our
// reader's strict and salvage walks, the free-cell carver (its records inside the file, recovered
// data of the stated size), and rule evaluation over both backends. Two properties:
//  1. nothing but hivelint::Error ever escapes (no std::out_of_range, bad_alloc ...; the sanitizer
//  pass of
//     scripts/test.sh turns any memory error or UB into a failure too);
//  2. a ControlSet whose DispatchEntries value had its vk record or its data destroyed never gets a
//  `pass`;
//  3. CLASS-FILTER-MISSING's fix (remove_multi_string_entries) on class filter values with damaged
//  names, vk
//     records or value lists is planned, applied and verified, or refused with a hivelint::Error,
//     and when it is written the rule passes on the output.
// HIVELINT_MUTATION_CASES=N sets the number of random cases per sample (default 200; 25 in the
// sanitizer build).
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>

#include "hive/libregf_reader.hpp"
#include "hive/regf_reader.hpp"
#include "patch/apply.hpp"
#include "patch/verify.hpp"
#include "regf/carver.hpp"
#include "regf/editor.hpp"
#include "regf/reader.hpp"
#include "regf/verify.hpp"
#include "rules/control_set.hpp"
#include "rules/evaluator.hpp"
#include "rules/rule_loader.hpp"

using namespace hivelint;

namespace {

using Bytes = std::vector<std::uint8_t>;

Bytes read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return Bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

std::vector<std::filesystem::path> sample_paths() {
  std::vector<std::filesystem::path> out;
  for (const auto& e : std::filesystem::directory_iterator(
           std::filesystem::path(HIVELINT_SOURCE_DIR) / "samples" / "hives"))
    if (e.path().extension() == ".hiv") out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

#ifdef HIVELINT_SANITIZED
constexpr std::size_t kDefaultCases =
    25;  // the sanitizer build (Debug, ASan, UBSan) is ~30x slower
constexpr std::size_t kDestroyCasesPerSite = 8;
#else
constexpr std::size_t kDefaultCases = 200;  // 2400 cases in ~20 s
constexpr std::size_t kDestroyCasesPerSite = 40;
#endif

std::size_t cases_per_sample() {
  const char* env = std::getenv("HIVELINT_MUTATION_CASES");
  return env ? static_cast<std::size_t>(std::strtoul(env, nullptr, 10)) : kDefaultCases;
}

// The KB277770 verdict per ControlSet name, for one backend; an unreadable hive gives {"*":
// kError}.
std::map<std::string, rules::Status> verdicts(const hive::HiveReader& reader) {
  // KB277770 only: the verdicts are keyed by ControlSet, and the sites mutated are its
  // DispatchEntries.
  static const std::vector<rules::Rule> rules = [] {
    std::vector<rules::Rule> all = rules::builtin_rules(), kb;
    for (auto& r : all)
      if (r.id == "KB277770") kb.push_back(std::move(r));
    return kb;
  }();
  std::map<std::string, rules::Status> out;
  rules::Resolution res;
  try {
    res = rules::resolve_control_sets(reader,
                                      rules::ControlSetChoice{rules::ControlSetSelector::kAll, 0});
  } catch (const Error&) {
    out["*"] = rules::Status::kError;
    return out;
  }
  for (const auto& set : res.sets) {
    for (const auto& rule : rules) {
      try {
        out[set.name] = rules::evaluate_rule(rule, reader, "mutant", set).status;
      } catch (const Error&) {
        out[set.name] = rules::Status::kError;
      }
    }
  }
  return out;
}

struct Outcome {
  std::map<std::string, rules::Status> ours, libregf;
  bool verify_readable = false;
  bool verify_clean = false;
  std::size_t carved = 0;  // key nodes and value keys the carver found in free cells
};

// Everything that reads a hive, in-process. Only hivelint::Error may be thrown by any of it.
Outcome exercise(const Bytes& bytes) {
  Outcome o;
  try {
    const auto r = regf::verify_hive(bytes);
    o.verify_readable = true;
    o.verify_clean = r.clean();
  } catch (const Error&) {}
  try {
    const regf::Reader reader(bytes);
    std::vector<regf::Diagnostic> damage;
    (void)reader.salvage_tree(damage);
    (void)reader.read_tree();
  } catch (const Error&) {}
  try {  // the free-cell carver (`deleted`, previous_values): free space is the attacker's
    std::vector<regf::Diagnostic> diagnostics;
    const regf::CarveResult carved = regf::carve_hive(bytes, diagnostics);
    o.carved = carved.keys.size() + carved.values.size();
    for (const auto& k : carved.keys)
      if (regf::to_file_offset(k.offset).value >= bytes.size())
        FAIL("carved key node outside the file");
    for (const auto& v : carved.values) {
      if (regf::to_file_offset(v.offset).value >= bytes.size())
        FAIL("carved value key outside the file");
      if (v.data_state == regf::CarvedDataState::kResident && v.data_size > 4)
        FAIL("resident data over 4 bytes");
      if ((v.data_state == regf::CarvedDataState::kResident ||
           v.data_state == regf::CarvedDataState::kFreeCell) &&
          v.data.size() != v.data_size)
        FAIL("recovered data of " << v.data.size() << " bytes for a data size of " << v.data_size);
    }
  } catch (const Error&) {}
  try {
    const hive::RegfReader ours(bytes);
    o.ours = verdicts(ours);
  } catch (const Error&) {
    o.ours["*"] = rules::Status::kError;
  }
  try {
    const auto lib = hive::LibregfReader::open_memory(bytes, "mutant");
    o.libregf = verdicts(*lib);
  } catch (const Error&) {
    o.libregf["*"] = rules::Status::kError;
  }
  return o;
}

// Where DispatchEntries lives in each ControlSet of a hive: its vk cell data and its data bytes.
struct DispatchSite {
  std::string set;
  std::size_t vk_at = 0, vk_size = 0;      // vk cell data (file offset, bytes)
  std::size_t data_at = 0, data_size = 0;  // data bytes (non-resident)
};

std::vector<DispatchSite> dispatch_sites(const Bytes& bytes) {
  std::vector<DispatchSite> out;
  const regf::Reader r(bytes);
  for (const auto& set : r.subkeys(r.root())) {
    const auto params = r.open(set.name + u"\\Services\\InetInfo\\Parameters");
    if (!params) continue;
    const auto v = r.value(*params, u"DispatchEntries");
    if (!v || v->key.resident) continue;
    DispatchSite s;
    s.set = std::string(set.name.begin(), set.name.end());
    const auto vk_cell = r.cells().get(v->key.offset, "vk");
    s.vk_at = vk_cell.file_offset();
    s.vk_size = vk_cell.size();
    const auto data_cell = r.cells().get(regf::CellOffset{v->key.data_offset_field}, "data");
    s.data_at = data_cell.file_offset();
    s.data_size = v->key.data_size;
    out.push_back(s);
  }
  return out;
}

// The sample with old records in its free cells, as a live Windows hive has them: every value of
// Select but Current deleted by the editor (their vk cells freed, not erased). The bundled samples
// are built fresh and have none, so without this the carver would read empty free space. The sample
// itself when it has no such values.
Bytes with_free_records(const Bytes& sample) {
  try {
    const regf::Reader r(sample);
    const auto select = r.open(u"Select");
    if (!select) return sample;
    regf::Editor e(sample, regf::EditorOptions{133485408000000000ull});
    bool deleted = false;
    for (const auto& v : r.values(*select))
      if (v.key.name != u"Current") {
        e.delete_value(u"Select", v.key.name);
        deleted = true;
      }
    return deleted ? e.commit() : sample;
  } catch (const Error&) {
    return sample;
  }
}

std::string describe(const std::map<std::string, rules::Status>& m) {
  std::string s;
  for (const auto& [k, v] : m) s += k + "=" + rules::status_name(v) + " ";
  return s;
}

}  // namespace

TEST_CASE(
    "mutation: flipped, truncated and spliced samples never escape as anything but hivelint::Error",
    "[mutation][robustness]") {
  const auto paths = sample_paths();
  REQUIRE(paths.size() >= 12);
  std::vector<Bytes> samples, edited;
  for (const auto& p : paths) {
    samples.push_back(read_file(p));
    edited.push_back(with_free_records(samples.back()));
  }
  std::mt19937_64 rng(20261125);
  const std::size_t n = cases_per_sample();
  std::size_t unreadable = 0, inconsistent = 0, total = 0, carved = 0;
  for (std::size_t s = 0; s < samples.size(); ++s) {
    for (std::size_t i = 0; i < n; ++i) {
      const Bytes& base = i % 8 < 4 ? samples[s] : edited[s];  // every mutation kind on both
      Bytes m = base;
      const auto pick = [&](std::size_t limit) {
        return limit == 0 ? 0 : static_cast<std::size_t>(rng() % limit);
      };
      const std::size_t kind = i % 4;
      std::string what;
      if (kind == 0) {  // flip 1..16 bytes anywhere (the base block included)
        const std::size_t flips = 1 + pick(16);
        for (std::size_t f = 0; f < flips; ++f)
          m[pick(m.size())] ^= static_cast<std::uint8_t>(1 + pick(255));
        what = "flip " + std::to_string(flips);
      } else if (kind ==
                 1) {  // flip bytes inside the hive bins only, where structure parsing happens
        const std::size_t flips = 1 + pick(8);
        for (std::size_t f = 0; f < flips; ++f)
          m[4096 + pick(m.size() - 4096)] ^= static_cast<std::uint8_t>(1 + pick(255));
        what = "flip in bins " + std::to_string(flips);
      } else if (kind == 2) {  // truncate anywhere, or (every other time) inside the base block or
                               // first hive bin
        m.resize(i % 8 == 2 ? pick(8192) : pick(m.size()));
        what = "truncate to " + std::to_string(m.size());
      } else {  // splice a run of bytes from another sample (or this one) over a random place
        const Bytes& donor = samples[pick(samples.size())];
        const std::size_t len = 1 + pick(512);
        const std::size_t from = pick(donor.size() - len);
        const std::size_t to = pick(m.size() - len);
        std::copy_n(donor.begin() + static_cast<std::ptrdiff_t>(from), len,
                    m.begin() + static_cast<std::ptrdiff_t>(to));
        what = "splice " + std::to_string(len) + " bytes to " + std::to_string(to);
      }
      INFO(paths[s].filename().string()
           << (i % 8 < 4 ? "" : " with deleted values") << " case " << i << ": " << what);
      const Outcome o = exercise(m);  // throws (and fails the test) on anything but hivelint::Error
      ++total;
      carved += o.carved;
      if (!o.verify_readable)
        ++unreadable;
      else if (!o.verify_clean)
        ++inconsistent;
    }
  }
  // The mutations must really damage hives, or the test proves nothing.
  CHECK(total == samples.size() * n);
  INFO(total << " cases: " << unreadable << " unreadable, " << inconsistent
             << " inconsistent by verify, " << carved << " records carved from free cells");
  CHECK(unreadable > total / 200);
  CHECK(inconsistent > total / 4);
  CHECK(carved >
        total /
            4);  // half the cases start from a sample with deleted values, so the carver has work
}

TEST_CASE("mutation: a destroyed DispatchEntries value never passes", "[mutation][robustness]") {
  std::mt19937_64 rng(277770);
  std::size_t sites_checked = 0;
  for (const auto& path : sample_paths()) {
    const Bytes base = read_file(path);
    const Outcome baseline = exercise(base);
    for (const auto& site : dispatch_sites(base)) {
      // Only sites that pass before the damage can show that damage never leaves a pass behind.
      if (baseline.ours.at(site.set) != rules::Status::kPass ||
          baseline.libregf.at(site.set) != rules::Status::kPass)
        continue;
      ++sites_checked;
      for (std::size_t i = 0; i < kDestroyCasesPerSite; ++i) {
        Bytes m = base;
        const std::size_t mode = i % 4;
        const bool vk = mode < 2;
        const std::size_t at = vk ? site.vk_at : site.data_at;
        const std::size_t size = vk ? site.vk_size : site.data_size;
        for (std::size_t b = 0; b < size; ++b)
          m[at + b] = mode % 2 == 0 ? static_cast<std::uint8_t>(rng()) : 0;
        INFO(path.filename().string()
             << " " << site.set << " case " << i << ": " << (vk ? "vk" : "data") << " bytes "
             << (mode % 2 == 0 ? "randomised" : "zeroed"));
        const Outcome o = exercise(m);
        INFO("hivelint backend: " << describe(o.ours) << "; libregf: " << describe(o.libregf));
        CHECK((!o.ours.contains(site.set) || o.ours.at(site.set) != rules::Status::kPass));
        CHECK((!o.libregf.contains(site.set) || o.libregf.at(site.set) != rules::Status::kPass));
        // A destroyed vk record is a structural defect verify must report (its data is just bytes).
        if (vk) CHECK((!o.verify_readable || !o.verify_clean));
      }
    }
  }
  INFO(sites_checked << " DispatchEntries sites");
  REQUIRE(sites_checked >= 2);
}

namespace {

// The cells of every UpperFilters/LowerFilters value under Control\Class\{GUID} of every
// ControlSet: vk cell data, data bytes (non-resident) and the class key's value list.
std::vector<std::pair<std::size_t, std::size_t>> class_filter_sites(const Bytes& bytes) {
  std::vector<std::pair<std::size_t, std::size_t>> out;
  const regf::Reader r(bytes);
  for (const auto& set : r.subkeys(r.root())) {
    const auto classes = r.open(set.name + u"\\Control\\Class");
    if (!classes) continue;
    for (const auto& cls : r.subkeys(*classes)) {
      const auto key = r.open(set.name + u"\\Control\\Class\\" + cls.name);
      if (!key) continue;
      for (const char16_t* name : {u"UpperFilters", u"LowerFilters"}) {
        const auto v = r.value(*key, name);
        if (!v) continue;
        const auto vk = r.cells().get(v->key.offset, "vk");
        out.emplace_back(vk.file_offset(), vk.size());
        if (!v->key.resident && v->key.data_size > 0) {
          const auto data = r.cells().get(regf::CellOffset{v->key.data_offset_field}, "data");
          out.emplace_back(data.file_offset(),
                           std::min<std::size_t>(data.size(), v->key.data_size));
        }
        const auto list = r.cells().get(key->values_list, "value list");
        out.emplace_back(list.file_offset(), list.size());
      }
    }
  }
  return out;
}

}  // namespace

TEST_CASE(
    "mutation: CLASS-FILTER-MISSING's fix on damaged filter values is proven or refused, never "
    "wrong",
    "[mutation][robustness]") {
  rules::Rule rule;
  for (auto& r : rules::builtin_rules())
    if (r.id == "CLASS-FILTER-MISSING") rule = r;
  REQUIRE(rule.fix.size() == 1);
  std::mt19937_64 rng(1107);
  std::size_t planned = 0, written = 0, refused = 0;
  for (const char* name : {"class-filter-dangling.hiv", "service-start-faults.hiv"}) {
    const Bytes base =
        read_file(std::filesystem::path(HIVELINT_SOURCE_DIR) / "samples" / "hives" / name);
    const auto sites = class_filter_sites(base);
    REQUIRE(sites.size() >= 6);
    const std::size_t n = std::max<std::size_t>(cases_per_sample() / 4, 8);
    for (std::size_t i = 0; i < n; ++i) {
      Bytes m = base;
      const auto& [at, size] = sites[static_cast<std::size_t>(rng() % sites.size())];
      const std::size_t flips = 1 + static_cast<std::size_t>(rng() % 4);
      for (std::size_t f = 0; f < flips; ++f)
        m[at + static_cast<std::size_t>(rng() % size)] ^=
            static_cast<std::uint8_t>(1 + rng() % 255);
      INFO(name << " case " << i << ": " << flips << " bytes flipped in the cell at " << at);
      try {
        const hive::RegfReader reader(m);
        const auto sets = rules::resolve_control_sets(
                              reader, rules::ControlSetChoice{rules::ControlSetSelector::kAll, 0})
                              .sets;
        for (const auto& set : sets) {
          const auto result = rules::evaluate_rule(rule, reader, "mutant", set);
          if (result.status != rules::Status::kFail || result.planned_edits.empty()) continue;
          ++planned;
          try {
            const auto patched = patch::apply_plan(m, result.planned_edits,
                                                   patch::ApplyOptions{133485408000000000ull});
            (void)patch::verify_patch(m, patched, result.planned_edits);
            const hive::RegfReader after(patched.bytes);
            const auto again = rules::evaluate_rule(rule, after, "fixed mutant", set);
            INFO("after the fix: " << again.message);
            CHECK(again.status == rules::Status::kPass);
            ++written;
          } catch (const Error&) {
            ++refused;  // a damaged hive the editor or the proof will not touch
          }
        }
      } catch (const Error&) {}
    }
  }
  INFO(planned << " fixes planned on mutants: " << written << " written and proven, " << refused
               << " refused");
  CHECK(written > 0);
  CHECK(planned > 0);
}
