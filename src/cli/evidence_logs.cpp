#include "cli/evidence_logs.hpp"

#include <system_error>

#include "events/error.hpp"
#include "events/scm_failure.hpp"
#include "rules/control_set.hpp"
#include "util/upcase.hpp"
#include "util/utf16.hpp"

namespace hivelint::cli {
namespace {

// The entry of `dir` whose name equals `name` in any case (Windows' folding), or nullopt.
std::optional<std::filesystem::path> find_any_case(const std::filesystem::path& dir, const std::string& name) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) return std::nullopt;
  const auto wanted = util::utf8_to_utf16(name);
  std::optional<std::filesystem::path> found;
  for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (!util::names_equal(util::utf8_to_utf16(it->path().filename().string()), wanted)) continue;
    // Several spellings of one name (possible on Linux): the first in name order, so the choice is stable.
    if (!found || it->path().filename() < found->filename()) found = it->path();
  }
  return found;
}

}  // namespace

std::vector<std::string> sibling_event_logs(const std::filesystem::path& hive_path) {
  std::vector<std::string> logs;
  const auto folder = hive_path.parent_path().empty() ? std::filesystem::path(".") : hive_path.parent_path();
  std::error_code ec;
  if (auto evt = find_any_case(folder, "SysEvent.Evt"); evt && std::filesystem::is_regular_file(*evt, ec))
    logs.push_back((hive_path.parent_path() / evt->filename()).string());
  if (auto winevt = find_any_case(folder / "..", "winevt"))
    if (auto logs_dir = find_any_case(*winevt, "Logs"))
      if (auto evtx = find_any_case(*logs_dir, "System.evtx"); evtx && std::filesystem::is_regular_file(*evtx, ec))
        logs.push_back(evtx->lexically_normal().string());
  return logs;
}

report::LogReport read_evidence_log(const std::string& path, const events::ServiceDirectory* directory) {
  try {
    return report::log_report(events::read_event_log(path, events::scm_failure_filter()), directory);
  } catch (const events::EventLogError& e) {
    report::LogReport failed;
    failed.log = path;
    failed.error = e.what();
    return failed;
  }
}

ServiceLookup services_of(const hive::HiveReader& reader, const std::string& choice) {
  auto parsed = rules::parse_control_set_choice(choice);
  if (parsed.selector == rules::ControlSetSelector::kAll) parsed.selector = rules::ControlSetSelector::kCurrent;
  const auto resolution = rules::resolve_control_sets(reader, parsed);
  ServiceLookup lookup;
  if (resolution.sets.empty()) return lookup;
  const hive::KeyPath services = hive::KeyPath{{resolution.sets.front().name, "Services"}};
  lookup.services_key = services.str();
  lookup.directory = events::ServiceDirectory::read(reader, services);
  return lookup;
}

}  // namespace hivelint::cli
