#include "cli/evaluate.hpp"

#include <filesystem>
#include <future>
#include <memory>
#include <set>
#include <sstream>
#include <system_error>

#include "cli/vocab.hpp"

#include <algorithm>
#include <ctime>
#include <mutex>

#include "hive/libregf_reader.hpp"
#include "hive/regf_reader.hpp"

#include "cli/evidence_logs.hpp"
#include "hive/caching_reader.hpp"
#include "rules/confirm.hpp"
#include "rules/evaluator.hpp"
#include "rules/hive_kind.hpp"
#include "rules/previous_values.hpp"
#include "rules/rule_loader.hpp"
#include "util/upcase.hpp"
#include "util/utf16.hpp"
#include "util/version.hpp"

namespace hivelint::cli {
namespace {

rules::RuleResult error_result(const rules::Rule& rule, const std::string& hive,
                               const std::string& message,
                               const std::optional<rules::ResolvedControlSet>& set = std::nullopt) {
  rules::RuleResult r;
  r.rule_id = rule.id;
  r.rule_title = rule.title;
  r.severity = rule.severity;
  r.hive = hive;
  r.control_set = set;
  r.status = rules::Status::kError;
  r.message = message;
  return r;
}

// details.previous_values (issue 13 §2): one carve of the hive's free cells when some result fails
// on a value it checks: the question "what did it hold before?" follows a failure. A passing hive
// is not carved (the carve walks every hive bin, which a check of a few keys otherwise never does);
// its results say previous_values null, "not searched". The carve reads the bytes the rules read
// (after log replay). A hive whose bins cannot be walked gets none, and a note on stderr; the
// results stand.
//
// On a big hive the carve, which reads only the image, runs on its own thread from the moment the
// rules are evaluated, while libregf confirms the results and Last Known Good is evaluated; what it
// finds is attached afterwards to the results that still fail. A small hive is carved then, in
// line.
std::vector<std::u16string> failing_value_names(const std::vector<rules::RuleResult>& results) {
  std::vector<std::u16string> names;
  for (const auto& r : results) {
    if (r.status != rules::Status::kFail) continue;
    for (const auto& name : rules::checked_value_names(r))
      names.push_back(util::utf8_to_utf16(name));
  }
  return names;
}

struct PreviousValuesSearch {
  std::vector<std::u16string> names;  // what it searches for
  std::future<regf::CarveResult> carved;
};

std::future<regf::CarveResult> carve_for(std::vector<std::u16string> names,
                                         const hive::OpenedHive& opened) {
  regf::CarveLimits limits;
  limits.only_values_named = std::move(names);
  auto carve = [image = opened.image, limits = std::move(limits)] {
    std::vector<regf::Diagnostic> ignored;  // the backend reported the hive's damage already
    // The carve reads every hive bin while the readers read a few keys: the pages it has passed are
    // let go as it goes (each reader maps again what it reads next), so the carve does not make
    // the whole file resident on top of what the results and libregf's cache take.
    return regf::carve_hive(image->bytes(), ignored, limits, image->releasing_behind());
  };
  if (opened.image->bytes().size() >= hive::kSideWorkOnThreadsFrom) {
    try {
      // A copy: when no thread can be had, std::async has already taken what it was given.
      return std::async(std::launch::async, carve);
    } catch (const std::system_error&) {
      // No thread to be had (a ulimit): carved when asked.
    }
  }
  return std::async(std::launch::deferred, std::move(carve));
}

PreviousValuesSearch search_previous_values(const std::vector<rules::RuleResult>& results,
                                            const hive::OpenedHive& opened) {
  PreviousValuesSearch search;
  search.names = failing_value_names(results);
  if (!search.names.empty()) search.carved = carve_for(search.names, opened);
  return search;
}

void attach_previous_values(std::vector<rules::RuleResult>& results, PreviousValuesSearch search,
                            const hive::OpenedHive& opened, Output& output) {
  // Confirmation may have turned failures into errors: then the names searched for are not the
  // ones still asked, and the search is made again (its limits count what it keeps).
  std::vector<std::u16string> names = failing_value_names(results);
  if (names.empty()) return;
  if (names != search.names) search.carved = carve_for(std::move(names), opened);
  try {
    const regf::CarveResult carved = search.carved.get();
    for (auto& r : results) {
      if (r.status != rules::Status::kFail) continue;
      rules::attach_previous_values(r, carved);
      r.previous_values_searched = true;
    }
  } catch (const Error& e) {
    output.diag() << "hivelint: note: " << opened.label
                  << ": free cells not searched for previous values: " << e.what() << "\n";
  }
}

// passes_in (issue 17 §2): under a fail on the current set, the other sets of the run where the
// same rule passes, so "would Last Known Good have booted with it?" needs no second run. When the
// run did not check the LastKnownGood set (the default: only Current), the rule is evaluated on it
// too, for this line only: the verdict and the exit code stay those of the selected sets. A
// LastKnownGood that cannot be resolved or evaluated says nothing. Whether a result passes once
// --min-severity and --fail-on are applied, as the caller will (an itemized result whose worst item
// is a warning passes under the default --fail-on error).
bool passes(rules::RuleResult r, const SeverityOptions& severity) {
  rules::apply_min_severity(r, severity.min_severity, severity.fail_on);
  return r.status == rules::Status::kPass;
}

// What Last Known Good says of each rule failing on the current set: its verdict is evaluated once
// the rules are, and on a big hive read by both readers on a thread of its own, with a hivelint
// reader of its own (a reader's caches are not shared between threads), while libregf confirms the
// results on this one. The damage that reader finds on the way is reported with the hive's.
struct LastKnownGood {
  std::optional<rules::ResolvedControlSet> set;  // when the run did not check it already
  std::set<std::string> passes;                  // rule ids that pass there
  std::vector<regf::Diagnostic> diagnostics;     // found by a reader of its own
};

LastKnownGood evaluate_last_known_good(const std::vector<std::pair<std::string, unsigned>>& failing,
                                       const std::vector<rules::Rule>& rules,
                                       const hive::HiveReader& reader, const std::string& path,
                                       const rules::Resolution& resolution,
                                       const SeverityOptions& severity) {
  LastKnownGood out;
  try {
    const rules::Resolution l =
        rules::resolve_control_sets(reader, {rules::ControlSetSelector::kLastKnownGood, 0});
    const bool checked = std::any_of(
        resolution.sets.begin(), resolution.sets.end(),
        [&](const rules::ResolvedControlSet& s) { return s.number == l.sets.front().number; });
    if (!checked) out.set = l.sets.front();
  } catch (const Error&) {}
  if (!out.set) return out;
  for (const auto& [id, number] : failing) {
    if (out.set->number == number) continue;
    const auto rule =
        std::find_if(rules.begin(), rules.end(), [&](const rules::Rule& x) { return x.id == id; });
    if (rule == rules.end()) continue;
    try {
      // The verdict alone first: most rules that fail on the current set fail here too. One that
      // passes is evaluated again whole, so that damage in what its evidence reads still makes it
      // an error (as `--control-set all` reports it), not a pass.
      if (passes(rules::evaluate_rule(*rule, reader, path, out.set, rules::ResultDetail::kVerdict),
                 severity) &&
          passes(rules::evaluate_rule(*rule, reader, path, out.set), severity))
        out.passes.insert(id);
    } catch (const Error&) {}
  }
  return out;
}

std::future<LastKnownGood> last_known_good(const std::vector<rules::RuleResult>& results,
                                           const std::vector<rules::Rule>& rules,
                                           const hive::OpenedHive& opened,
                                           const hive::HiveReader& reader, const std::string& path,
                                           const rules::Resolution& resolution,
                                           const SeverityOptions& severity) {
  std::vector<std::pair<std::string, unsigned>> failing;
  for (const auto& r : results)
    if (r.status == rules::Status::kFail && r.control_set && r.control_set->is_current)
      failing.emplace_back(r.rule_id, r.control_set->number);
  if (failing.empty()) return {};
  if (opened.confirmer && opened.image->bytes().size() >= hive::kSideWorkOnThreadsFrom) {
    // Lazy whatever the hive's reader is: it only looks keys up (a full scan of every cell, as
    // fix's reader makes, cost fix a second of CPU on the bench hive); the damage it meets is
    // reported when the hive's reader did not (a full scan already did). Built here, on this
    // thread, from the hive bins hivelint's reader already walked (with a confirmer, the hive's
    // reader is hivelint's): walking them again on the other thread mapped every page of a big
    // hive once more (the opening's were let go), 6 % of the CPU samples of every rule on the
    // hivex13 shape.
    const auto* ours = dynamic_cast<const hive::RegfReader*>(opened.reader.get());
    const auto own = ours
                         ? std::make_shared<const hive::RegfReader>(*ours, regf::Reader::SameBins{})
                         : std::make_shared<const hive::RegfReader>(opened.image->bytes(), true);
    try {
      return std::async(std::launch::async, [=, &rules, image = opened.image] {
        LastKnownGood out =
            evaluate_last_known_good(failing, rules, *own, path, resolution, severity);
        out.diagnostics = own->diagnostics();
        return out;
      });
    } catch (const std::system_error&) {
      // No thread to be had (a ulimit): evaluated when asked, with the hive's reader.
    }
  }
  return std::async(std::launch::deferred, [=, &rules, &reader] {
    return evaluate_last_known_good(failing, rules, reader, path, resolution, severity);
  });
}

// Returns the damage Last Known Good's own reader found (empty when it used the hive's reader).
std::vector<regf::Diagnostic> attach_passes_in(std::vector<rules::RuleResult>& results,
                                               std::future<LastKnownGood> lkg_verdicts,
                                               const SeverityOptions& severity) {
  const bool any_current_fail =
      std::any_of(results.begin(), results.end(), [](const rules::RuleResult& r) {
        return r.status == rules::Status::kFail && r.control_set && r.control_set->is_current;
      });
  if (!any_current_fail || !lkg_verdicts.valid()) return {};
  LastKnownGood lkg = lkg_verdicts.get();
  for (auto& r : results) {
    if (r.status != rules::Status::kFail || !r.control_set || !r.control_set->is_current) continue;
    for (const auto& other : results)
      if (other.rule_id == r.rule_id && other.control_set &&
          other.control_set->number != r.control_set->number && passes(other, severity))
        r.passes_in.push_back({other.control_set->name, other.control_set->roles});
    if (lkg.set && lkg.set->number != r.control_set->number && lkg.passes.count(r.rule_id))
      r.passes_in.push_back({lkg.set->name, lkg.set->roles});
  }
  return std::move(lkg.diagnostics);
}

// --backend both (rules/confirm.hpp): libregf re-reads what each result shows and resolves the
// ControlSets again; a disagreement makes the result an error naming both readings (and a line on
// stderr).
void confirm_results(std::vector<rules::RuleResult>& results, const std::vector<rules::Rule>& rules,
                     const hive::HiveReader& first, const hive::HiveReader& second,
                     const rules::ControlSetChoice& choice,
                     const std::optional<rules::Resolution>& resolution, const std::string& path,
                     Output& output) {
  std::optional<std::string> sets;
  try {
    if (auto d = rules::root_disagreement(first, second)) sets = *d;
  } catch (const Error& e) {
    sets = std::string("libregf cannot re-read the root key: ") + e.what();
  }
  if (!sets && resolution) {
    try {
      const rules::Resolution again = rules::resolve_control_sets(second, choice);
      std::string a, b;
      for (const auto& s : resolution->sets) a += (a.empty() ? "" : ", ") + s.name;
      for (const auto& s : again.sets) b += (b.empty() ? "" : ", ") + s.name;
      if (a != b)
        sets = "the ControlSets to check: hivelint's reader resolved " + a + ", libregf " + b;
    } catch (const Error& e) {
      sets = std::string("the ControlSets to check: libregf cannot resolve them: ") + e.what();
    }
  }
  for (auto& r : results) {
    if (sets && r.status != rules::Status::kError) {
      r.status = rules::Status::kError;
      r.message = "hivelint's reader and libregf disagree: " + *sets;
      r.planned_edits.clear();
    } else {
      const auto rule = std::find_if(rules.begin(), rules.end(),
                                     [&](const rules::Rule& x) { return x.id == r.rule_id; });
      if (rule == rules.end() || !rules::confirm_result(r, *rule, first, second)) continue;
    }
    output.diag() << "hivelint: " << path << ": " << r.rule_id << ": " << r.message << "\n";
  }
}

// What confirm_results will ask libregf, asked beforehand on the thread that opened libregf while
// hivelint's reader reads the hive (hive::OpenOptions::confirmer_read_ahead): the root's subkeys,
// the ControlSets, and every rule without for_each evaluated again. libregf's reader keeps the keys
// it opened, so confirmation then finds them read.
void read_ahead_for_confirmation(const hive::HiveReader& libregf,
                                 const std::vector<rules::Rule>& rules,
                                 const rules::ControlSetChoice& choice, const std::string& path) {
  (void)libregf.subkey_names(hive::KeyPath{});
  std::optional<rules::Resolution> sets;
  for (const auto& rule : rules) {
    if (rule.itemized) continue;
    if (rule.scope == rules::Scope::kRoot) {
      (void)rules::evaluate_rule(rule, libregf, path, std::nullopt);
      continue;
    }
    if (!sets) sets = rules::resolve_control_sets(libregf, choice);
    for (const auto& set : sets->sets) (void)rules::evaluate_rule(rule, libregf, path, set);
  }
}

// Issue 17 §2: after log replay the evidence offsets are offsets in the recovered image, not in the
// file, and the page holding each cell came either from the file or from one log entry: the
// evidence says which.
void attach_page_sources(std::vector<rules::RuleResult>& results, const hive::OpenedHive& opened) {
  if (!opened.recovery.recovered) return;
  const auto source =
      [&](const std::optional<std::uint64_t>& offset) -> std::optional<rules::PageSource> {
    if (!offset) return std::nullopt;
    const regf::PageRun* run = regf::page_source(opened.page_runs, *offset);
    if (!run || run->log >= opened.recovery.logs.size())
      return rules::PageSource{opened.label, std::nullopt};
    return rules::PageSource{opened.recovery.logs[run->log].label, run->sequence};
  };
  for (auto& r : results) {
    for (auto& it : r.items) it.recovered_image = true;
    for (auto& e : r.evidence) {
      e.recovered_image = true;
      e.page_source = source(e.cell_file_offset);
      for (auto& v : e.values) {
        v.page_source = source(v.cell_file_offset);
        v.data_page_source = source(v.data_cell_file_offset);
      }
    }
  }
}

}  // namespace

std::string utc_now_iso8601() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  ::gmtime_r(&now, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return text;
}

report::Provenance run_provenance(const Output& output, const std::string& backend,
                                  std::optional<rules::RuleSource> rules) {
  report::Provenance p;
  p.tool_version = kVersion;
  p.generated_at = output.started_at.empty() ? utc_now_iso8601() : output.started_at;
  p.argv = output.argv;
  p.reader = backend == "both" ? hive::backend_label(hive::Backend::kBoth) : backend;
  p.reader_version = backend == "libregf" ? hive::libregf_version()
                     : backend == "both"  ? std::string(kVersion) + "+" + hive::libregf_version()
                                          : std::string(kVersion);
  p.rules = std::move(rules);
  return p;
}

std::vector<rules::Rule> load_rules(const std::optional<std::string>& rules_path) {
  std::error_code ec;
  if (rules_path && !std::filesystem::exists(*rules_path, ec)) {
    // `--rules KB277770`: a rule id where a file was meant (issue 17 §4); say which option takes
    // it.
    std::vector<std::string> ids;
    for (const auto& r : rules::select_rules(std::nullopt)) ids.push_back(r.id);
    if (auto id = match_ignoring_case(*rules_path, ids))
      throw UsageError("--rules takes a rule file or folder; for the built-in rule " + *id +
                       " use --rule " + *id);
  }
  return rules::select_rules(rules_path);
}

const rules::Rule& find_rule(const std::vector<rules::Rule>& all, const std::string& id,
                             const std::string& what) {
  std::vector<std::string> ids;
  for (const auto& r : all) ids.push_back(r.id);
  // Rule ids match in any case, as --control-set words do (`--rule kb277770`).
  const auto match = match_ignoring_case(id, ids);
  if (!match)
    throw UsageError(what + ": no such rule" + did_you_mean(id, ids) +
                     " (see `hivelint rules list`)");
  return *std::find_if(all.begin(), all.end(),
                       [&](const rules::Rule& r) { return r.id == *match; });
}

std::vector<rules::Rule> chosen_rules(const std::optional<std::string>& rules_path,
                                      const std::vector<std::string>& only,
                                      rules::RuleSource* source) {
  if (!rules_path && !only.empty()) {
    // `--rule ID` of the built-in rules: only those are parsed.
    if (auto named = rules::builtin_rules_named(only)) {
      if (source) *source = rules::describe_builtin_rule_source();
      return std::move(*named);
    }
  }
  std::vector<rules::Rule> all = load_rules(rules_path);
  if (source) *source = rules::describe_rule_source(rules_path, all);
  if (only.empty()) return all;
  std::vector<rules::Rule> out;
  for (const auto& id : only) out.push_back(find_rule(all, id, "--rule " + id));
  return out;
}

namespace {

// Whether `c` walks the subkeys of a key named Services: a long check that reads much of a big
// hive (CLASS-FILTER-MISSING walks Control\Class only, where letting opening's pages go only
// costs).
bool walks_services(const rules::Condition& c) {
  if (c.kind == rules::ConditionKind::kForEachSubkey) {
    const std::string_view key = c.key;
    const auto slash = key.find_last_of('\\');
    if (util::names_equal_utf8(slash == std::string_view::npos ? key : key.substr(slash + 1),
                               "Services"))
      return true;
  }
  return std::any_of(c.children.begin(), c.children.end(),
                     [](const rules::Condition& child) { return walks_services(child); });
}

}  // namespace

void keep_until_exit(HiveEvaluation& ev) {
  if (!ev.opened || ev.opened->image->bytes().size() < hive::kSideWorkOnThreadsFrom) return;
  static std::mutex mutex;
  static auto* const kept = new std::vector<hive::OpenedHive>();  // never freed, on purpose
  const std::lock_guard lock(mutex);
  kept->push_back(std::move(*ev.opened));
  ev.opened.reset();
}

HiveEvaluation evaluate_hive(const std::string& path, const std::vector<rules::Rule>& rules,
                             const rules::ControlSetChoice& choice,
                             const hive::OpenOptions& options, Output& output,
                             const EventsOptions& events, const SeverityOptions& severity) {
  HiveEvaluation ev;
  report::HiveSummary& summary = ev.summary;
  summary.hive = path;
  summary.backend = hive::backend_label(options.backend);
  hive::OpenOptions open_options = options;
  open_options.let_opening_pages_go = std::any_of(
      rules.begin(), rules.end(),
      [](const rules::Rule& r) { return walks_services(r.check) || walks_services(r.applies_if); });
  if (options.backend == hive::Backend::kBoth) {
    open_options.confirmer_read_ahead = [&](const hive::HiveReader& libregf) {
      read_ahead_for_confirmation(libregf, rules, choice, path);
    };
    // On a big hive libregf opens on its own thread: the rules are evaluated with hivelint's reader
    // meanwhile, and libregf is waited for before the results are confirmed.
    open_options.defer_confirmer = true;
  }
  const auto cannot_open = [&](const Error& e) {
    ev.opened.reset();
    ev.results.clear();
    summary = report::HiveSummary{};
    summary.hive = path;
    summary.backend = hive::backend_label(options.backend);
    summary.error = e.what();
    output.diag() << about_input(path, e.what());
    for (const auto& rule : rules) ev.results.push_back(error_result(rule, path, e.what()));
  };
  try {
    ev.opened = hive::open_hive(path, open_options);
  } catch (const Error& e) {
    cannot_open(e);
    return ev;
  }
  hive::OpenedHive& opened = *ev.opened;
  // What the evaluation prints waits until libregf has opened the hive too: a hive libregf refuses
  // says only libregf's error, as when it refused before hivelint's reader read anything.
  std::ostringstream held;
  std::ostream& diag = opened.pending ? static_cast<std::ostream&>(held) : output.diag();
  summary.readable = true;
  summary.dirty = opened.recovery.dirty;
  summary.primary_sequence = opened.recovery.primary_sequence;
  summary.secondary_sequence = opened.recovery.secondary_sequence;
  summary.logs = opened.sibling_logs;
  summary.recovery = opened.recovery;
  summary.inputs = opened.inputs;
  for (const auto& w : opened.warnings) diag << "hivelint: warning: " << w << "\n";
  // Every rule and ControlSet of this hive asks through one cache: the service-start rules ask the
  // same questions per service, per dependency and per set (hive/caching_reader.hpp). hivelint's
  // own reader remembers each key it resolved and its value keys itself, so it is asked directly.
  const hive::CachingReader caching(*opened.reader);
  const hive::HiveReader& reader = opened.reader->remembers_lookups()
                                       ? *opened.reader
                                       : static_cast<const hive::HiveReader&>(caching);

  std::optional<rules::Resolution> resolution;
  std::string resolution_error;
  const auto evaluate_rules = [&] {
    const bool needs_set = std::any_of(rules.begin(), rules.end(), [](const rules::Rule& r) {
      return r.scope == rules::Scope::kControlSet;
    });
    // A hive that is not a SYSTEM hive (no Select, no ControlSetNNN: a user's NTUSER.DAT, SAM,
    // SOFTWARE, Amcache ... found beside it in an evidence folder) has no ControlSet to check: not
    // applicable, naming its kind. A hive with ControlSetNNN but no Select still goes through
    // resolution below and stays an error.
    std::string not_system;
    if (needs_set) {
      try {
        if (!rules::looks_like_system(reader)) {
          const std::string kind =
              rules::classify_hive(reader, util::utf16_to_utf8(opened.base_block.file_name).text);
          not_system = "not a SYSTEM hive (kind: " + kind +
                       "): the root has no Select key and no ControlSetNNN key, "
                       "so there is no ControlSet to check";
        }
      } catch (const Error&) {
        // A root that cannot be listed: resolution below meets the same damage and reports it as
        // the error.
      }
    }
    if (needs_set && not_system.empty()) {
      try {
        resolution = rules::resolve_control_sets(reader, choice);
        summary.control_set_notes = resolution->notes;
        for (const auto& n : resolution->notes)
          diag << "hivelint: note: " << path << ": " << n << "\n";
      } catch (const Error& e) {
        resolution_error = e.what() + hive::damage_detail(opened.image->bytes(), e);
        summary.error = resolution_error;
        diag << "hivelint: " << path << ": " << resolution_error << "\n";
      }
    }

    for (const auto& rule : rules) {
      if (rule.scope == rules::Scope::kRoot) {
        try {
          ev.results.push_back(rules::evaluate_rule(rule, reader, path, std::nullopt));
        } catch (const Error& e) {
          ev.results.push_back(error_result(rule, path, e.what()));
        }
        continue;
      }
      if (!not_system.empty()) {
        rules::RuleResult r = error_result(rule, path, not_system);
        r.status = rules::Status::kNotApplicable;
        r.applicability.push_back(not_system);
        ev.results.push_back(std::move(r));
        continue;
      }
      if (!resolution) {
        ev.results.push_back(error_result(rule, path, resolution_error));
        continue;
      }
      for (const auto& set : resolution->sets) {
        try {
          ev.results.push_back(rules::evaluate_rule(rule, reader, path, set));
        } catch (const Error& e) {
          const std::string message = e.what() + hive::damage_detail(opened.image->bytes(), e);
          ev.results.push_back(error_result(rule, path, message, set));
          diag << "hivelint: " << path << ": " << set.name << ": " << message << "\n";
        }
      }
    }
  };
  // False when libregf, waited for now, refuses the hive (the result is then cannot_open's).
  const auto libregf_opened = [&] {
    try {
      hive::finish_opening(opened);
      return true;
    } catch (const Error& e) {
      cannot_open(e);
      return false;
    }
  };
  try {
    evaluate_rules();
  } catch (...) {
    // libregf still opening: a hive it refuses says only libregf's error, whatever failed here.
    if (!opened.pending) throw;
    if (!libregf_opened()) return ev;
    throw;
  }
  if (!libregf_opened()) return ev;
  output.diag() << held.str();
  if (options.backend == hive::Backend::kBoth && !opened.confirmer)
    summary.backend = "libregf";  // fell back
  PreviousValuesSearch previous_values = search_previous_values(ev.results, opened);
  std::future<LastKnownGood> lkg;
  if (resolution)
    lkg = last_known_good(ev.results, rules, opened, reader, path, *resolution, severity);
  if (opened.confirmer)
    confirm_results(ev.results, rules, reader, *opened.confirmer, choice, resolution, path, output);
  const std::vector<regf::Diagnostic> lkg_diagnostics =
      attach_passes_in(ev.results, std::move(lkg), severity);
  attach_event_evidence(ev, event_log_paths(path, events), events.detail, output);
  summary.diagnostics = opened.diagnostics;
  for (const auto& d : opened.reader->diagnostics()) summary.diagnostics.push_back(d);
  // What Last Known Good's own reader found that the hive's reader did not (it read other bins).
  const auto reader_found = summary.diagnostics.size();
  for (const auto& d : lkg_diagnostics) {
    const auto end = summary.diagnostics.begin() + static_cast<std::ptrdiff_t>(reader_found);
    if (std::find(summary.diagnostics.begin(), end, d) == end) summary.diagnostics.push_back(d);
  }
  if (opened.confirmer)
    for (const auto& d : opened.confirmer->diagnostics()) summary.diagnostics.push_back(d);
  attach_previous_values(ev.results, std::move(previous_values), opened, output);
  attach_page_sources(ev.results, opened);
  return ev;
}

}  // namespace hivelint::cli
