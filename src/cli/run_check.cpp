// `hivelint check`: every selected rule on every hive and ControlSet; one bad hive never stops the others.
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <exception>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <optional>
#include <sstream>
#include <thread>

#include "cli/evaluate.hpp"
#include "cli/run.hpp"
#include "hive/open.hpp"
#include "report/check_report.hpp"
#include "rules/control_set.hpp"
#include "rules/rule_loader.hpp"

namespace hivelint::cli {
namespace {

// One hive's results and the stderr text it produced, rendered in input order whatever finishes first.
struct HiveOutcome {
  report::CheckReport report;
  std::string diagnostics;
  std::string jsonl;
};

HiveOutcome check_isolated(const std::string& path, const std::vector<rules::Rule>& rules,
                           const rules::ControlSetChoice& choice, const hive::OpenOptions& options, const CheckConfig& config) {
  HiveOutcome o;
  std::ostringstream out, err;
  Output output{out, err, config.quiet};
  HiveEvaluation evaluation = evaluate_hive(path, rules, choice, options, output);
  o.report.results = std::move(evaluation.results);
  o.report.hives.push_back(std::move(evaluation.summary));
  o.diagnostics = err.str();
  if (config.format == Format::kJsonl && !config.quiet) o.jsonl = report::render_check_jsonl(o.report);
  return o;
}

bool starts_with_regf(const std::filesystem::path& p) {
  std::ifstream f(p, std::ios::binary);
  char sig[4] = {};
  return f.read(sig, 4) && std::string_view(sig, 4) == "regf";
}

// Hive arguments as given; a directory stands for every regular file below it (recursively, sorted by path)
// that starts with "regf" (so transaction logs, .reg files and notes beside the hives are left out).
std::vector<std::string> expand_inputs(const std::vector<std::string>& args, bool& had_directory) {
  std::vector<std::string> out;
  for (const auto& a : args) {
    std::error_code ec;
    if (!std::filesystem::is_directory(a, ec)) {
      out.push_back(a);
      continue;
    }
    had_directory = true;
    std::vector<std::string> found;
    const auto opts = std::filesystem::directory_options::skip_permission_denied;
    for (auto it = std::filesystem::recursive_directory_iterator(a, opts, ec);
         !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
      std::error_code type_ec;
      if (it->is_regular_file(type_ec) && starts_with_regf(it->path())) found.push_back(it->path().string());
    }
    if (ec) throw InputError(a + ": cannot list the directory: " + ec.message());
    std::sort(found.begin(), found.end());
    out.insert(out.end(), found.begin(), found.end());
  }
  return out;
}

// "[#########           ] 452/1000 hives  310/s" on one terminal line, redrawn at most ten times a second.
class ProgressBar {
 public:
  ProgressBar(std::ostream& err, std::size_t total, bool enabled) : err_(err), total_(total), enabled_(enabled) {}
  void update(std::size_t done, bool force = false) {
    if (!enabled_) return;
    const auto now = std::chrono::steady_clock::now();
    if (!force && now - last_ < std::chrono::milliseconds(100)) return;
    last_ = now;
    constexpr std::size_t kWidth = 30;
    const std::size_t filled = total_ == 0 ? kWidth : done * kWidth / total_;
    const double secs = std::chrono::duration<double>(now - start_).count();
    char rate[32];
    std::snprintf(rate, sizeof rate, "%.0f/s", secs > 0 ? static_cast<double>(done) / secs : 0.0);
    std::ostream raw(TerminalSafe::unfiltered(err_));  // the bar's own CR and ESC [K, past the control filter
    raw << "\r[" << std::string(filled, '#') << std::string(kWidth - filled, ' ') << "] " << done << "/" << total_
         << " hives  " << rate << "\x1b[K" << std::flush;
    shown_ = true;
  }
  /// Erases the bar so that other stderr text starts on a clean line.
  void clear() {
    if (enabled_ && shown_) std::ostream(TerminalSafe::unfiltered(err_)) << "\r\x1b[K" << std::flush;
    shown_ = false;
  }

 private:
  std::ostream& err_;
  std::size_t total_;
  bool enabled_;
  bool shown_ = false;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point last_{};
};

int combine_exit(int a, int b) {
  if (a == 3 || b == 3) return 3;
  return std::max(a, b);
}

}  // namespace

int run_check(const CheckConfig& config, Output& output) {
  const auto rules = chosen_rules(config.rules, config.only_rules);
  const auto choice = rules::parse_control_set_choice(config.control_set);
  bool had_directory = false;
  const std::vector<std::string> hives = expand_inputs(config.hives, had_directory);
  auto options = open_options(config.backend, config.logs, config.no_logs, hives.size());
  // check reads a few keys: with hivelint's reader only the hive bins its lookups reach are scanned (whole-file
  // structural damage is `verify`'s job).
  options.lazy_cells = true;
  const bool batch = config.jobs_given || had_directory || config.format == Format::kJsonl;
  unsigned jobs = config.jobs == 0 ? std::max(1u, std::thread::hardware_concurrency()) : config.jobs;
  jobs = static_cast<unsigned>(std::min<std::size_t>(jobs, std::max<std::size_t>(1, hives.size())));

  report::CheckReport merged;  // for text and json (rendered at the end, as before)
  int code = 0;
  std::size_t hives_ok = 0, hives_fail = 0, hives_error = 0;
  ProgressBar bar(output.err, hives.size(), batch && !output.quiet && ::isatty(STDERR_FILENO) == 1);
  const auto started = std::chrono::steady_clock::now();

  // Workers take the next hive index; whoever completes the next hive in input order writes it (and any that
  // were waiting behind it). A hive that throws anything hivelint::Error is already an error result inside
  // check_one; nothing a hive does stops the others.
  std::vector<std::optional<HiveOutcome>> done(hives.size());
  std::mutex mutex;
  std::size_t next_to_emit = 0;
  std::atomic<std::size_t> next_to_take{0};
  const auto emit_ready = [&] {  // caller holds `mutex`
    while (next_to_emit < done.size() && done[next_to_emit]) {
      HiveOutcome& o = *done[next_to_emit];
      if (!o.diagnostics.empty() && !output.quiet) {
        bar.clear();
        output.err << o.diagnostics;
      }
      if (!o.jsonl.empty()) output.out << o.jsonl << std::flush;
      const int c = report::exit_code(o.report);
      code = combine_exit(code, c);
      (c == 3 ? hives_error : c == 1 ? hives_fail : hives_ok)++;
      if (config.format != Format::kJsonl) {
        for (auto& h : o.report.hives) merged.hives.push_back(std::move(h));
        for (auto& r : o.report.results) merged.results.push_back(std::move(r));
      }
      done[next_to_emit].reset();
      ++next_to_emit;
      bar.update(next_to_emit);
    }
  };
  // Anything but hivelint::Error (handled per hive in evaluate_hive) is a bug: it stops the workers and is rethrown
  // here, on the main thread, so main()'s catch ladder reports it (exit 5) instead of std::terminate.
  std::exception_ptr bug;
  const auto worker = [&] {
    try {
      for (std::size_t i = next_to_take++; i < hives.size(); i = next_to_take++) {
        HiveOutcome o = check_isolated(hives[i], rules, choice, options, config);
        std::lock_guard lock(mutex);
        done[i] = std::move(o);
        emit_ready();
      }
    } catch (const std::exception&) {
      std::lock_guard lock(mutex);
      if (!bug) bug = std::current_exception();
      next_to_take = hives.size();
    }
  };
  if (jobs <= 1) {
    worker();
  } else {
    std::vector<std::thread> threads;
    for (unsigned t = 0; t < jobs; ++t) threads.emplace_back(worker);
    for (auto& t : threads) t.join();
  }
  if (bug) std::rethrow_exception(bug);
  bar.update(next_to_emit, true);
  bar.clear();

  if (!output.quiet && config.format != Format::kJsonl) {
    if (config.format == Format::kJson) output.out << report::render_check_json(merged);
    else report::render_check_text(merged, output.out);
    code = report::exit_code(merged);
  }
  if (batch && !output.quiet) {
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    char timing[96];
    std::snprintf(timing, sizeof timing, "%.2f s, %.0f hives/s, %u job%s", secs,
                  secs > 0 ? static_cast<double>(hives.size()) / secs : 0.0, jobs, jobs == 1 ? "" : "s");
    output.err << "hivelint: checked " << hives.size() << " hive" << (hives.size() == 1 ? "" : "s") << " (" << timing
               << "): " << hives_ok << " ok, " << hives_fail << " fail, " << hives_error << " error (exit " << code
               << ")\n";
  }
  return code;
}

}  // namespace hivelint::cli
