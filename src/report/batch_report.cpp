#include "report/batch_report.hpp"

#include "report/json_common.hpp"
#include "report/json_text.hpp"

namespace hivelint::report {
namespace {

using rules::Status;

std::string plural(std::size_t n, const std::string& one, const std::string& many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

const char* brief_status(Status s) {
  switch (s) {
    case Status::kPass:
      return "PASS ";
    case Status::kFail:
      return "FAIL ";
    case Status::kNotApplicable:
      return "N/A  ";
    case Status::kError:
      return "ERROR";
  }
  return "ERROR";
}

// A message on one line: a batch log is read with grep, one result per line.
std::string one_line(std::string s) {
  for (char& c : s)
    if (c == '\n' || c == '\r') c = ' ';
  return s;
}

Json batch_json(const BatchSummary& s) {
  Json j;
  j["hives"] = s.hives;
  j["checked"] = s.checked;
  j["unreadable"] = s.hives - s.checked;
  j["by_status"] = Json{
      {"fail", s.fail}, {"pass", s.pass}, {"not_applicable", s.not_applicable}, {"error", s.error}};
  Json counts;
  for (auto r : {SkippedInput::Reason::kTransactionLog, SkippedInput::Reason::kNoRegfSignature,
                 SkippedInput::Reason::kNotRegularFile})
    counts[skipped_reason_name(r)] = s.skipped_count(r);
  j["skipped"] = counts;
  Json files = Json::array();
  for (const auto& f : s.skipped)
    files.push_back(
        Json{{"path", f.path}, {"reason", skipped_reason_name(f.reason)}, {"detail", f.detail}});
  j["skipped_files"] = files;
  j["min_hives"] = s.min_hives;
  j["strict"] = s.strict;
  j["too_few_hives"] = s.too_few();
  j["exit_code"] = to_int(s.exit_code);
  return j;
}

}  // namespace

const char* skipped_reason_name(SkippedInput::Reason r) {
  switch (r) {
    case SkippedInput::Reason::kTransactionLog:
      return "transaction_log";
    case SkippedInput::Reason::kNoRegfSignature:
      return "no_regf_signature";
    case SkippedInput::Reason::kNotRegularFile:
      return "not_regular_file";
  }
  return "not_regular_file";
}

Status hive_status(const CheckReport& one_hive) {
  const Counts c = count(one_hive);
  if (c.error > 0) return Status::kError;
  if (c.fail > 0) return Status::kFail;
  if (c.pass > 0) return Status::kPass;
  return Status::kNotApplicable;
}

void BatchSummary::add(const CheckReport& one_hive) {
  ++hives;
  for (const auto& h : one_hive.hives)
    if (h.readable) {
      ++checked;
      break;
    }
  const Counts c = count(one_hive);
  results.pass += c.pass;
  results.fail += c.fail;
  results.not_applicable += c.not_applicable;
  results.error += c.error;
  switch (hive_status(one_hive)) {
    case Status::kPass:
      ++pass;
      break;
    case Status::kFail:
      ++fail;
      break;
    case Status::kNotApplicable:
      ++not_applicable;
      break;
    case Status::kError:
      ++error;
      break;
  }
}

std::size_t BatchSummary::skipped_count(SkippedInput::Reason r) const {
  std::size_t n = 0;
  for (const auto& f : skipped) n += f.reason == r ? 1 : 0;
  return n;
}

std::string verdict_counts(std::size_t fail, std::size_t pass, std::size_t not_applicable,
                           std::size_t error) {
  return std::to_string(fail) + " fail, " + std::to_string(pass) + " pass, " +
         std::to_string(not_applicable) + " not applicable, " + plural(error, "error", "errors");
}

std::string skipped_text(const BatchSummary& s) {
  std::string out;
  const auto add = [&](std::size_t n, const std::string& one, const std::string& many) {
    if (n == 0) return;
    out += (out.empty() ? "" : ", ") + plural(n, one, many);
  };
  add(s.skipped_count(SkippedInput::Reason::kTransactionLog), "transaction log",
      "transaction logs");
  add(s.skipped_count(SkippedInput::Reason::kNoRegfSignature), "file without a regf signature",
      "files without a regf signature");
  add(s.skipped_count(SkippedInput::Reason::kNotRegularFile), "entry that is not a regular file",
      "entries that are not regular files");
  return out;
}

namespace {

std::string checked_text(const BatchSummary& s) {
  std::string out = "checked " + std::to_string(s.checked);
  if (s.checked != s.hives) out += " of " + std::to_string(s.hives);
  out += s.hives == 1 ? " hive" : " hives";
  if (s.checked != s.hives)
    out += ", " + std::to_string(s.hives - s.checked) + " could not be read";
  return out;
}

}  // namespace

std::string too_few_text(const BatchSummary& s) {
  return "fewer hives checked than --min-hives " + std::to_string(s.min_hives) +
         (s.checked == 0 ? ": nothing was checked" : "");
}

std::string strict_text(const BatchSummary& s) {
  std::string what;
  const auto add = [&](std::size_t n, const std::string& one, const std::string& many) {
    if (n == 0) return;
    what += (what.empty() ? "" : ", ") + plural(n, one, many);
  };
  add(s.skipped_count(SkippedInput::Reason::kNoRegfSignature), "file without a regf signature",
      "files without a regf signature");
  add(s.skipped_count(SkippedInput::Reason::kNotRegularFile), "entry that is not a regular file",
      "entries that are not regular files");
  return "--strict: the folders given hold " + what + " (listed in the JSON's batch.skipped_files)";
}

std::string batch_summary_line(const BatchSummary& s, const std::string& timing) {
  std::string line = "hivelint: " + checked_text(s) + " (" + timing + "): hives " +
                     verdict_counts(s.fail, s.pass, s.not_applicable, s.error);
  if (const std::string sk = skipped_text(s); !sk.empty()) line += "; skipped " + sk;
  if (s.too_few() && s.error == 0) line += "; " + too_few_text(s);
  return line + " (exit " + std::to_string(to_int(s.exit_code)) + ")\n";
}

void render_batch_text(const BatchSummary& s, std::ostream& out) {
  out << "Hives: " << checked_text(s) << ": "
      << verdict_counts(s.fail, s.pass, s.not_applicable, s.error) << "\n";
  if (const std::string sk = skipped_text(s); !sk.empty()) out << "Skipped: " << sk << "\n";
}

void render_brief_summary(const BatchSummary& s, std::ostream& out) {
  if (s.too_few() && s.error == 0) out << "Error: " << too_few_text(s) << "\n";
  out << "Summary: "
      << verdict_counts(s.results.fail, s.results.pass, s.results.not_applicable, s.results.error)
      << " (exit " << to_int(s.exit_code) << ")\n";
  render_batch_text(s, out);
}

std::string render_batch_summary_jsonl(const BatchSummary& s,
                                       const std::optional<Provenance>& provenance) {
  Json j = document("check", provenance);
  j["type"] = "summary";
  const Json batch = batch_json(s);
  for (const auto& [k, v] : batch.items()) j[k] = v;
  return json_text(j, -1) + "\n";
}

std::string render_check_json_batch(const CheckReport& report, const BatchSummary& s) {
  Json j = check_json(report);
  j["exit_code"] = to_int(s.exit_code);
  j["batch"] = batch_json(s);
  return dump(j);
}

std::string render_hive_jsonl(const CheckReport& one_hive) {
  Json j = document("check", std::nullopt);
  j.erase("provenance");  // the run's provenance is in the summary record, once
  j["type"] = "hive";
  j["hive"] = one_hive.hives.empty() ? Json(nullptr) : Json(one_hive.hives.front().hive);
  j["status"] = rules::status_name(hive_status(one_hive));
  Json doc = check_json(one_hive);
  // Moved, not copied: a hive's results with their evidence are most of the line (a deep copy of
  // them was a fifth of the allocations of a batch of small hives, perf).
  for (auto& [k, v] : doc.items())
    if (!j.contains(k) && k != "provenance") j[k] = std::move(v);
  return json_text(j, -1) + "\n";
}

void render_check_brief(const CheckReport& report, std::ostream& out) {
  for (const auto& r : report.results) {
    out << brief_status(r.status) << "  " << r.rule_id << "  " << r.hive << "  "
        << (r.control_set ? r.control_set->name : std::string("-"));
    if (r.status == Status::kFail && r.itemized) {
      // The item counts, errors first: a batch log line says how bad it is without listing hundreds
      // of items.
      std::size_t n[3] = {0, 0, 0};
      for (const auto& it : r.items) ++n[rules::severity_rank(it.severity)];
      out << "  " << n[2] << " error" << (n[2] == 1 ? "" : "s") << ", " << n[1] << " warning"
          << (n[1] == 1 ? "" : "s") << ", " << n[0] << " info";
    } else if (r.status == Status::kFail && !r.missing.empty()) {
      out << "  missing ";
      for (std::size_t i = 0; i < r.missing.size(); ++i) out << (i ? ", " : "") << r.missing[i];
    } else if (r.status != Status::kPass && !r.message.empty()) {
      out << "  " << one_line(r.message);
    }
    out << "\n";
  }
}

}  // namespace hivelint::report
