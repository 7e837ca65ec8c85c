#include "cli/evidence_logs.hpp"

#include <map>
#include <mutex>
#include <system_error>
#include <utility>

#include "events/error.hpp"
#include "events/scm_failure.hpp"
#include "rules/control_set.hpp"
#include "util/upcase.hpp"
#include "util/utf16.hpp"

namespace hivelint::cli {
namespace {

// The entry of `dir` whose name equals `name` in any case (Windows' folding), or nullopt.
std::optional<std::filesystem::path> find_any_case(const std::filesystem::path& dir,
                                                   const std::string& name) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) return std::nullopt;
  const auto wanted = util::utf8_to_utf16(name);
  std::optional<std::filesystem::path> found;
  for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (!util::names_equal(util::utf8_to_utf16(it->path().filename().string()), wanted)) continue;
    // Several spellings of one name (possible on Linux): the first in name order, so the choice is
    // stable.
    if (!found || it->path().filename() < found->filename()) found = it->path();
  }
  return found;
}

// find_any_case, remembered per folder, name and the folder's modification time: a batch checks
// thousands of hives in one directory, and listing that directory again for every hive's
// SysEvent.Evt made a 1,001-hive batch take 2.6 times as long as with --no-events (bench/bench.py
// "batch" row). Checks run on several threads.
std::optional<std::filesystem::path> find_any_case_remembered(const std::filesystem::path& dir,
                                                              const std::string& name) {
  struct Found {
    std::filesystem::file_time_type modified;
    std::optional<std::filesystem::path> path;
  };
  static std::mutex mutex;
  static std::map<std::pair<std::filesystem::path, std::string>, Found> cache;
  std::error_code ec;
  const auto modified = std::filesystem::last_write_time(dir, ec);
  if (ec) return std::nullopt;  // no such folder (find_any_case would say the same)
  auto key = std::make_pair(dir, name);
  {
    std::lock_guard lock(mutex);
    const auto it = cache.find(key);
    if (it != cache.end() && it->second.modified == modified) return it->second.path;
  }
  auto found = find_any_case(dir, name);
  std::lock_guard lock(mutex);
  cache[std::move(key)] = Found{modified, found};
  return found;
}

}  // namespace

std::vector<std::string> sibling_event_logs(const std::filesystem::path& hive_path) {
  std::vector<std::string> logs;
  const auto folder =
      hive_path.parent_path().empty() ? std::filesystem::path(".") : hive_path.parent_path();
  std::error_code ec;
  if (auto evt = find_any_case_remembered(folder, "SysEvent.Evt");
      evt && std::filesystem::is_regular_file(*evt, ec))
    logs.push_back((hive_path.parent_path() / evt->filename()).string());
  if (auto winevt = find_any_case_remembered(folder / "..", "winevt"))
    if (auto logs_dir = find_any_case_remembered(*winevt, "Logs"))
      if (auto evtx = find_any_case_remembered(*logs_dir, "System.evtx");
          evtx && std::filesystem::is_regular_file(*evtx, ec))
        logs.push_back(evtx->lexically_normal().string());
  return logs;
}

report::LogReport read_evidence_log(const std::string& path,
                                    const events::ServiceDirectory* directory) {
  try {
    return report::log_report(events::read_event_log(path, events::scm_failure_filter()),
                              directory);
  } catch (const events::EventLogError& e) {
    report::LogReport failed;
    failed.log = path;
    failed.error = e.what();
    return failed;
  }
}

ServiceLookup services_of(const hive::HiveReader& reader, const std::string& choice) {
  auto parsed = rules::parse_control_set_choice(choice);
  if (parsed.selector == rules::ControlSetSelector::kAll)
    parsed.selector = rules::ControlSetSelector::kCurrent;
  const auto resolution = rules::resolve_control_sets(reader, parsed);
  ServiceLookup lookup;
  if (resolution.sets.empty()) return lookup;
  const hive::KeyPath services = hive::KeyPath{{resolution.sets.front().name, "Services"}};
  lookup.services_key = services.str();
  lookup.directory = events::ServiceDirectory::read(reader, services);
  return lookup;
}

}  // namespace hivelint::cli

namespace hivelint::cli {
namespace {

// A service a result concerns, and the key whose last-written time its failures are compared with.
struct Concern {
  std::string service;
  std::string key;
};

bool same_name(const std::string& a, const std::string& b) {
  return util::names_equal(util::utf8_to_utf16(a), util::utf8_to_utf16(b));
}

// The services of a result: its items' services (compared with the item's key) and the services its
// evidence keys name, ControlSetNNN\Services\X where present (compared with the checked key, else
// the service's own key).
std::vector<Concern> concerns_of(const rules::RuleResult& r) {
  std::vector<Concern> out;
  const auto add = [&out](const std::string& service, const std::string& key) {
    for (const auto& c : out)
      if (same_name(c.service, service)) return;
    out.push_back({service, key});
  };
  for (const auto& it : r.items)
    if (!it.service.empty()) add(it.service, it.key);
  if (!r.control_set) return out;
  std::string checked_key;
  for (const auto& e : r.evidence)
    if (e.role == rules::EvidenceRole::kCheckedValue && e.present) checked_key = e.path;
  for (const auto& e : r.evidence) {
    if (!e.present) continue;
    const hive::KeyPath path = hive::KeyPath::parse(e.path);
    const auto& parts = path.components();
    if (parts.size() != 3 || !same_name(parts[0], r.control_set->name) ||
        !same_name(parts[1], "Services"))
      continue;
    add(parts[2], checked_key.empty() ? e.path : checked_key);
  }
  return out;
}

}  // namespace

std::vector<std::string> event_log_paths(const std::string& hive_path,
                                         const EventsOptions& options) {
  if (options.none) return {};
  if (!options.files.empty()) return options.files;
  return sibling_event_logs(hive_path);
}

void attach_event_evidence(HiveEvaluation& ev, const std::vector<std::string>& log_paths,
                           bool detail, Output& output) {
  if (log_paths.empty() || !ev.opened) return;
  const hive::HiveReader& reader = *ev.opened->reader;
  std::vector<events::EventLog> logs;
  for (const auto& path : log_paths) {
    try {
      logs.push_back(events::read_event_log(path, events::scm_failure_filter()));
      ev.summary.event_logs.push_back(report::log_report(logs.back(), nullptr));
      ev.summary.event_logs.back()
          .summaries.clear();  // per result, resolved through the result's ControlSet
      for (const auto& w : logs.back().warnings)
        output.diag() << "hivelint: warning: event log " << w << "\n";
    } catch (const events::EventLogError& e) {
      report::LogReport failed;
      failed.log = path;
      failed.error = e.what();
      ev.summary.event_logs.push_back(std::move(failed));
      output.diag() << "hivelint: warning: event log not read: " << e.what() << "\n";
    }
  }
  std::map<std::string, std::vector<events::EventSummary>>
      by_set;  // ControlSet name -> summaries of every log
  for (auto& r : ev.results) {
    if (!r.control_set) continue;
    const auto concerns = concerns_of(r);
    if (concerns.empty()) continue;
    auto [it, fresh] = by_set.try_emplace(r.control_set->name);
    if (fresh) {
      const auto directory =
          events::ServiceDirectory::read(reader, hive::KeyPath{{r.control_set->name, "Services"}});
      for (const auto& log : logs)
        for (auto& s : events::summarise(log, &directory)) it->second.push_back(std::move(s));
    }
    for (const auto& c : concerns) {
      const auto key = reader.key(hive::KeyPath::parse(c.key));
      for (const auto& s : it->second) {
        if (s.source != events::ServiceSource::kRecord &&
            s.source != events::ServiceSource::kDisplayName)
          continue;
        if (!same_name(s.service, c.service)) continue;
        rules::EventEvidence e;
        e.service = s.service;
        e.display_name = s.display_name;
        e.event_id = s.event_id;
        e.error = s.error;
        e.count = s.count;
        e.first = s.first ? hive::filetime_to_iso8601(s.first) : "";
        e.last = s.last ? hive::filetime_to_iso8601(s.last) : "";
        e.log = s.log;
        e.key = key ? key->path.str() : c.key;
        e.key_last_written = key ? hive::filetime_to_iso8601(key->last_written) : "";
        e.key_last_written_filetime = key ? key->last_written : 0;
        e.first_after_key_written = key && s.first != 0 && s.first > key->last_written;
        e.detailed = detail;
        if (detail)
          for (const auto& rec : s.records)
            e.records.push_back({rec.record_number, rec.file_offset,
                                 rec.written ? hive::filetime_to_iso8601(rec.written) : "",
                                 rec.recovered});
        r.events.push_back(std::move(e));
      }
    }
  }
}

}  // namespace hivelint::cli
