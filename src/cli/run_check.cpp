// `hivelint check`: every selected rule on every hive and ControlSet; one bad hive never stops the
// others.
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <mutex>
#include <new>
#include <optional>
#include <sstream>
#include <system_error>
#include <thread>

#include "cli/batch_inputs.hpp"
#include "cli/evaluate.hpp"
#include "cli/run.hpp"
#include "hive/open.hpp"
#include "report/batch_report.hpp"
#include "report/check_report.hpp"
#include "report/junit_report.hpp"
#include "report/sarif_report.hpp"
#include "rules/control_set.hpp"
#include "rules/rule_loader.hpp"

namespace hivelint::cli {
namespace {

// One hive's results and the stderr text it produced, rendered in input order whatever finishes
// first.
struct HiveOutcome {
  report::CheckReport report;
  std::string diagnostics;
  std::string
      rendered;  // its JSONL line or --format brief lines, written as soon as it is next in order
};

// An input that cannot even be listed (a directory without read permission): an error line like an
// unreadable hive.
HiveEvaluation unlistable(const HiveInput& input, const std::vector<rules::Rule>& rules,
                          Output& output) {
  HiveEvaluation ev;
  ev.summary.hive = input.path;
  ev.summary.error = *input.error;
  output.diag() << about_input(input.path, *input.error);
  for (const auto& rule : rules) {
    rules::RuleResult r;
    r.rule_id = rule.id;
    r.rule_title = rule.title;
    r.severity = rule.severity;
    r.hive = input.path;
    r.status = rules::Status::kError;
    r.message = *input.error;
    ev.results.push_back(std::move(r));
  }
  return ev;
}

// Whether anyone reads the report: not under -q without -o FILE (cli.cpp then points stdout at
// nothing), where rendering it would be wasted and the hive's SHA-256 it shows need not be
// computed.
bool report_is_read(const CheckConfig& config) {
  return !config.quiet || (config.output && *config.output != "-");
}

HiveOutcome check_isolated(const HiveInput& input, const std::vector<rules::Rule>& rules,
                           const rules::ControlSetChoice& choice, const hive::OpenOptions& options,
                           const CheckConfig& config, bool only_hive) {
  HiveOutcome o;
  std::ostringstream out, err;
  Output output{out, err, config.quiet, {}, {}};
  HiveEvaluation evaluation =
      input.error
          ? unlistable(input, rules, output)
          : evaluate_hive(input.path, rules, choice, options, output,
                          EventsOptions{config.events, config.no_events, config.events_detail},
                          SeverityOptions{config.min_severity, config.fail_on});
  o.report.results = std::move(evaluation.results);
  for (auto& r : o.report.results)
    rules::apply_min_severity(r, config.min_severity, config.fail_on);
  o.report.hives.push_back(std::move(evaluation.summary));
  o.diagnostics = err.str();
  if (report_is_read(config)) {  // under -q too when -o FILE gets the report
    if (config.format == Format::kJsonl) o.rendered = report::render_hive_jsonl(o.report);
    if (config.format == Format::kBrief) {
      std::ostringstream brief;
      report::render_check_brief(o.report, brief);
      o.rendered = brief.str();
    }
  }
  if (only_hive) keep_until_exit(evaluation);
  return o;
}

// Progress on stderr. kBar: "[#########           ] 452/1000 hives  3 fail  1 error  310/s" on one
// terminal line, redrawn at most ten times a second. kPlain: "hivelint: progress: 452/1000 hives, 3
// fail, 1 error (12 s)" on its own line every `interval` seconds, for CI logs that are not
// terminals (and jobs killed when silent).
class Progress {
 public:
  enum class Mode { kNone, kBar, kPlain };
  Progress(std::ostream& err, std::size_t total, Mode mode, double interval)
      : err_(err), total_(total), mode_(mode), interval_(interval) {}
  void update(const report::BatchSummary& s, bool force = false) {
    if (mode_ == Mode::kNone) return;
    const auto now = std::chrono::steady_clock::now();
    const double since_last = std::chrono::duration<double>(now - last_).count();
    const double secs = std::chrono::duration<double>(now - start_).count();
    const std::size_t done = s.hives;
    if (mode_ == Mode::kPlain) {
      if (since_last < interval_ || (force && done == last_done_)) return;
      last_ = now;
      last_done_ = done;
      char elapsed[32];
      std::snprintf(elapsed, sizeof elapsed, "%.0f s", secs);
      err_ << "hivelint: progress: " << done << "/" << total_ << " hives, " << s.fail << " fail, "
           << s.error << " error" << (s.error == 1 ? "" : "s") << " (" << elapsed << ")\n"
           << std::flush;
      return;
    }
    if (!force && since_last < 0.1) return;
    last_ = now;
    constexpr std::size_t kWidth = 30;
    const std::size_t filled = total_ == 0 ? kWidth : done * kWidth / total_;
    char rate[32];
    std::snprintf(rate, sizeof rate, "%.0f/s", secs > 0 ? static_cast<double>(done) / secs : 0.0);
    std::ostream raw(
        TerminalSafe::unfiltered(err_));  // the bar's own CR and ESC [K, past the control filter
    raw << "\r[" << std::string(filled, '#') << std::string(kWidth - filled, ' ') << "] " << done
        << "/" << total_ << " hives  " << s.fail << " fail  " << s.error << " error"
        << (s.error == 1 ? "" : "s") << "  " << rate << "\x1b[K" << std::flush;
    shown_ = true;
  }
  /// Erases the bar so that other stderr text starts on a clean line.
  void clear() {
    if (mode_ == Mode::kBar && shown_)
      std::ostream(TerminalSafe::unfiltered(err_)) << "\r\x1b[K" << std::flush;
    shown_ = false;
  }

 private:
  std::ostream& err_;
  std::size_t total_;
  Mode mode_;
  double interval_;
  bool shown_ = false;
  std::size_t last_done_ = 0;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point last_ = start_;
};

Progress::Mode progress_mode(const CheckConfig& config, const Output& output, bool batch) {
  if (output.quiet) return Progress::Mode::kNone;
  if (config.progress == "bar") return Progress::Mode::kBar;
  if (config.progress == "plain") return Progress::Mode::kPlain;
  if (config.progress == "auto" && batch && ::isatty(STDERR_FILENO) == 1)
    return Progress::Mode::kBar;
  return Progress::Mode::kNone;
}

// Under an address-space limit (ulimit -v), each worker thread costs its stack (8 MiB) and may
// cost a malloc arena (64 MiB reserved): with --jobs 250 under 1.5 GiB, the threads that could be
// started left too little for the hives, and one failed with bad_alloc halfway (exit 5, seen in
// hostile_bounds). At most as many workers as fit in half the limit run; the rest is the hives'.
unsigned jobs_within_address_space(unsigned jobs) {
  rlimit limit{};
  if (::getrlimit(RLIMIT_AS, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY) return jobs;
  constexpr std::uint64_t kPerWorker = std::uint64_t{72} << 20;
  const std::uint64_t fit = static_cast<std::uint64_t>(limit.rlim_cur) / 2 / kPerWorker;
  return static_cast<unsigned>(std::max<std::uint64_t>(1, std::min<std::uint64_t>(jobs, fit)));
}

// Runs `worker` on up to `jobs` threads (itself when jobs <= 1). The workers share one queue, so
// fewer threads than asked (the system refused more: address space or process limits) still
// check every hive; none at all means this thread does the work. Under an address-space limit
// (ulimit -v) thread stacks could take all of it and leave the hives no room: a reserve of
// untouched memory is held while the threads are created and freed before the work needs it.
void run_workers(unsigned jobs, const std::function<void()>& worker) {
  jobs = jobs_within_address_space(jobs);
  if (jobs <= 1) {
    worker();
    return;
  }
  constexpr std::size_t kWorkReserve = 96u << 20;
  std::unique_ptr<char[]> reserve(new (std::nothrow) char[kWorkReserve]);
  std::vector<std::thread> threads;
  for (unsigned t = 0; t < jobs; ++t) {
    try {
      threads.emplace_back(worker);
    } catch (const std::system_error&) {
      break;
    }
  }
  reserve.reset();
  if (threads.empty()) worker();
  for (auto& t : threads) t.join();
}

// A run that read fewer hives than --min-hives (an empty folder, a folder of logs, a missing path)
// checked nothing worth a pass: an input error of the run, exit 3. When a hive already failed to
// open (a missing path), the run exits 3 anyway: the count says it, no extra error. --strict: an
// entry of a folder given that is not a hive (nor a transaction log) is an input error too.
// Returns whether too few hives were read.
bool add_run_errors(const report::BatchSummary& tally, report::CheckReport& merged,
                    ExitCode& code) {
  const bool too_few_error = tally.too_few() && code != ExitCode::kInput;
  if (too_few_error) {
    merged.input_errors.push_back(report::too_few_text(tally));
    code = ExitCode::kInput;
  }
  if (tally.strict_refused()) {
    merged.input_errors.push_back(report::strict_text(tally));
    code = ExitCode::kInput;
  }
  return too_few_error;
}

// What the run as a whole adds to stdout in the chosen format, after the hives.
struct RunResult {
  const report::CheckReport& merged;                 // text and json
  const std::vector<report::CheckReport>& per_hive;  // sarif and junit
  const report::BatchSummary& tally;
  const report::Provenance& provenance;
  bool batch_report;
  ExitCode code;
};

void render_run(const CheckConfig& config, const std::vector<rules::Rule>& rules,
                const RunResult& run, std::ostream& out) {
  switch (config.format) {
    case Format::kJson:
      out << (run.batch_report ? report::render_check_json_batch(run.merged, run.tally)
                               : report::render_check_json(run.merged));
      break;
    case Format::kText:
      report::render_check_text(run.merged, out);
      if (run.batch_report) report::render_batch_text(run.tally, out);
      break;
    case Format::kJsonl:
      out << report::render_batch_summary_jsonl(run.tally, run.provenance);
      break;
    case Format::kBrief:
      report::render_brief_summary(run.tally, out);
      break;
    case Format::kSarif:
      out << report::render_check_sarif(run.per_hive, run.merged.input_errors, rules, run.code);
      break;
    case Format::kJunit:
      out << report::render_check_junit(run.per_hive, run.merged.input_errors);
      break;
  }
}

// The run's closing lines on stderr: the batch summary with its timing, or why too few hives were
// read, and what --strict refused.
void report_run_end(const report::BatchSummary& tally, bool batch, bool too_few_error,
                    unsigned jobs, std::chrono::steady_clock::time_point started,
                    std::ostream& err) {
  if (batch) {
    const double secs =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    char timing[96];
    // The speed counts the hives read: a path that could not be opened is no work done.
    std::snprintf(timing, sizeof timing, "%.2f s, %.0f hives/s, %u job%s", secs,
                  secs > 0 ? static_cast<double>(tally.checked) / secs : 0.0, jobs,
                  jobs == 1 ? "" : "s");
    err << report::batch_summary_line(tally, timing);
  } else if (too_few_error) {
    err << "hivelint: " << report::too_few_text(tally) << "\n";
  }
  if (tally.strict_refused()) err << "hivelint: " << report::strict_text(tally) << "\n";
}

}  // namespace

ExitCode run_check(const CheckConfig& config, Output& output) {
  rules::RuleSource rule_source;
  const auto rules = chosen_rules(config.rules, config.only_rules, &rule_source);
  const report::Provenance provenance = run_provenance(output, config.backend, rule_source);
  const auto choice = rules::parse_control_set_choice(config.control_set);
  const BatchInputs inputs = expand_inputs(config.hives);
  const std::vector<HiveInput>& hives = inputs.hives;
  auto options = open_options(config.backend, config.logs, config.no_logs, hives.size());
  // check reads a few keys: with hivelint's reader only the hive bins its lookups reach are scanned
  // (whole-file structural damage is `verify`'s job).
  options.lazy_cells = true;
  // --quiet without -o: no report is written, so nobody reads the hive's SHA-256, and it is not
  // computed (hashing every byte of the hive made a one-lookup check 1.5x hivexget on the big
  // shapes, docs/performance.md). A report that is written always has it; the exit code is the same
  // either way.
  options.hash_now = report_is_read(config);
  const bool batch = config.jobs_given || inputs.had_directory || config.format == Format::kJsonl ||
                     config.format == Format::kBrief;
  // What stdout adds for a batch (the "batch" JSON object, the Hives:/Skipped: lines) depends on
  // the inputs only, never on --jobs, so that the report is the same for any --jobs.
  const bool batch_report = inputs.had_directory || hives.size() != 1 ||
                            config.format == Format::kJsonl || config.format == Format::kBrief;
  unsigned jobs =
      config.jobs == 0 ? std::max(1u, std::thread::hardware_concurrency()) : config.jobs;
  jobs = static_cast<unsigned>(std::min<std::size_t>(jobs, std::max<std::size_t>(1, hives.size())));

  report::CheckReport merged;  // for text and json (rendered at the end, as before)
  const bool per_hive_report = config.format == Format::kSarif || config.format == Format::kJunit;
  std::vector<report::CheckReport>
      per_hive;  // for sarif and junit (a suite per hive), rendered at the end
  merged.provenance = provenance;
  merged.evidence_bytes = config.evidence_bytes;
  report::BatchSummary tally;
  tally.skipped = inputs.skipped;
  tally.min_hives = config.min_hives;
  tally.strict = config.strict;
  ExitCode code = ExitCode::kOk;
  Progress bar(output.err, hives.size(), progress_mode(config, output, batch),
               config.progress_interval);
  const auto started = std::chrono::steady_clock::now();

  // Workers take the next hive index; whoever completes the next hive in input order writes it (and
  // any that were waiting behind it). A hive that throws anything hivelint::Error is already an
  // error result inside check_one; nothing a hive does stops the others.
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
      if (!o.rendered.empty()) output.out << o.rendered << std::flush;
      code = combine(code, report::exit_code(o.report));
      tally.add(o.report);
      if (config.format == Format::kText || config.format == Format::kJson) {
        for (auto& h : o.report.hives) merged.hives.push_back(std::move(h));
        for (auto& r : o.report.results) merged.results.push_back(std::move(r));
      }
      if (per_hive_report) per_hive.push_back(std::move(o.report));
      done[next_to_emit].reset();
      ++next_to_emit;
      bar.update(tally);
    }
  };
  // Anything but hivelint::Error (handled per hive in evaluate_hive) is a bug: it stops the workers
  // and is rethrown here, on the main thread, so main()'s catch ladder reports it (exit 5) instead
  // of std::terminate.
  std::exception_ptr bug;
  const auto worker = [&] {
    try {
      for (std::size_t i = next_to_take++; i < hives.size(); i = next_to_take++) {
        HiveOutcome o = check_isolated(hives[i], rules, choice, options, config, hives.size() == 1);
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
  run_workers(jobs, worker);
  if (bug) std::rethrow_exception(bug);
  bar.update(tally, true);
  bar.clear();

  const bool too_few_error = add_run_errors(tally, merged, code);
  tally.exit_code = code;
  if (report_is_read(config))
    render_run(config, rules, RunResult{merged, per_hive, tally, provenance, batch_report, code},
               output.out);
  if (!output.quiet) report_run_end(tally, batch, too_few_error, jobs, started, output.err);
  return code;
}

}  // namespace hivelint::cli
