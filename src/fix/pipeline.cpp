#include "fix/pipeline.hpp"

#include <algorithm>
#include <fstream>
#include <string_view>

#include "hive/caching_reader.hpp"
#include "patch/apply.hpp"
#include "patch/verify.hpp"
#include "rules/control_set.hpp"
#include "rules/evaluator.hpp"
#include "util/atomic_file.hpp"
#include "util/error.hpp"

namespace hivelint::fix {

bool is_hive_file(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) return false;
  std::ifstream in(path, std::ios::binary);
  char signature[4] = {};
  return in.read(signature, 4) && std::string_view(signature, 4) == "regf";
}

namespace {

namespace fs = std::filesystem;
using rules::Status;

// The failing rules evaluated again on the patched bytes (through libregf): each must now pass.
std::vector<std::string> recheck(const hive::HiveReader& libregf,
                                 const std::vector<rules::Rule>& rules,
                                 const std::vector<const rules::RuleResult*>& failing) {
  std::vector<std::string> lines;
  const hive::CachingReader reader(libregf);
  for (const auto* before : failing) {
    const auto rule = std::find_if(rules.begin(), rules.end(),
                                   [&](const rules::Rule& r) { return r.id == before->rule_id; });
    const auto after = rules::evaluate_rule(*rule, reader, before->hive, before->control_set);
    const std::string where =
        before->rule_id + (before->control_set ? " on " + before->control_set->name : "");
    if (after.status != Status::kPass)
      throw RefusedError("verification of the patched hive failed: " + where + " is " +
                         rules::status_name(after.status) + " after the fix: " + after.message);
    lines.push_back(where + ": pass");
  }
  return lines;
}

void refuse_existing(const std::optional<std::string>& path, const FixRequest& config) {
  std::error_code ec;
  if (!path || config.dry_run || config.force || !fs::exists(*path, ec)) return;
  // An existing hive as the output is more often the original given in the wrong place than an old
  // output: no --force hint then, which would replace it.
  if (is_hive_file(*path) && path == config.output)
    throw RefusedError(
        *path +
        ": already exists and is a registry hive: did you swap HIVE and -o OUT? (`hivelint fix "
        "HIVE -o OUT` reads HIVE and writes the fixed copy to OUT); nothing written");
  throw RefusedError(*path + ": already exists (use --force to replace it)");
}

// The set Select\LastKnownGood names, when it differs from every fixed set and every failing rule
// passes there: the fallback an administrator can boot if the fixed hive disappoints.
std::optional<std::string> last_known_good_passing(
    const std::vector<rules::Rule>& rules, const std::vector<const rules::RuleResult*>& failing,
    const hive::HiveReader& reader, const FixRequest& config) {
  try {
    const auto lkg =
        rules::resolve_control_sets(reader, rules::parse_control_set_choice("lastknowngood"))
            .sets.at(0);
    for (const auto* f : failing) {
      if (!f->control_set || f->control_set->number == lkg.number) return std::nullopt;
      const auto rule = std::find_if(rules.begin(), rules.end(),
                                     [&](const rules::Rule& r) { return r.id == f->rule_id; });
      auto r = rules::evaluate_rule(*rule, reader, f->hive, lkg);
      rules::apply_min_severity(r, config.min_severity, config.fail_on);
      if (r.status != Status::kPass) return std::nullopt;
    }
    return lkg.name;
  } catch (const Error&) {
    return std::nullopt;  // no usable Select\LastKnownGood: nothing to suggest
  }
}

// What the administrator does after a fix was written: keep the original, put the copy in place
// while Windows is offline, how to undo, and for a .reg file how to import it and what to restart.
std::vector<std::string> next_steps(const FixRequest& config, const report::FixReport& report,
                                    const RegRoot& root,
                                    const std::vector<const rules::RuleResult*>& failing,
                                    const std::optional<std::string>& lkg, bool has_logs) {
  std::vector<std::string> steps;
  if (report.hive_output && report.hive_output->written) {
    const std::string& out = report.hive_output->path;
    steps.push_back("Keep the original: " + config.hive +
                    " was not modified; keep it (or a copy such as " + config.hive +
                    ".before-hivelint) until Windows has started from the fixed hive.");
    steps.push_back(
        "With Windows shut down (a rescue system, or its disk attached to another machine), copy " +
        out +
        " over the hive file it came from (Windows\\System32\\config\\SYSTEM for a SYSTEM hive).");
    if (has_logs)
      steps.push_back(
          "Move the old SYSTEM.LOG, SYSTEM.LOG1 and SYSTEM.LOG2 beside it away: they describe the "
          "old hive, and "
          "the fixed copy is clean and needs none.");
    steps.push_back(
        "To undo: copy the original back the same way" +
        (lkg ? ", or boot Last Known Good Configuration (F8 at boot on Windows 2000/2003): " +
                   *lkg + " passes every rule fixed here"
             : std::string()) +
        ".");
    steps.push_back(
        "Start Windows and confirm the services start: no new Service Control Manager errors "
        "(Event ID 7000-7003) "
        "in the System event log.");
  }
  if (report.reg_output && report.reg_output->written) {
    const std::string& reg = report.reg_output->path;
    const std::string instead = steps.empty() ? "" : "Or, instead of the fixed hive: ";
    if (root.live) {
      steps.push_back(instead + (instead.empty() ? "On" : "on") +
                      " the running server, as an administrator, first save what the file changes "
                      "(reg export <key> "
                      "before.reg for each key in it), then import it: reg import " +
                      reg + " (or regedit /s " + reg + ").");
    } else {
      steps.push_back(
          instead + (instead.empty() ? "On" : "on") +
          " a Windows machine holding the hive file, as an administrator: reg load HKLM\\" +
          root.mount + " <hive file>, then reg import " + reg + ", then reg unload HKLM\\" +
          root.mount + ".");
    }
    for (const auto* r : failing)
      if (root.live && !r->remedy.empty())
        steps.push_back("After the import, as " + r->rule_id + "'s remedy says: " + r->remedy);
  }
  return steps;
}

// --copy-if-clean with nothing to fix: OUT becomes the hive as read (the recovered image of a dirty
// hive), written like a fixed copy (temporary file, read back, rename), so that OUT exists whenever
// fix exits 0.
void write_clean_copy(report::FixReport& report, const hive::OpenedHive& opened,
                      const FixRequest& config, std::ostream& errors) {
  refuse_existing(config.output, config);
  const auto bytes = opened.image->bytes();
  try {
    util::write_file_atomically(
        *config.output, bytes, util::AtomicWriteOptions{config.force},
        [&](std::span<const std::uint8_t> back) {
          if (!std::equal(back.begin(), back.end(), bytes.begin(), bytes.end()))
            throw RefusedError(*config.output + ": the file read back differs from the hive");
        });
  } catch (const Error& e) {
    errors << "hivelint: " << e.what() << "\n";
    report.message = std::string("copy not written: ") + e.what() + "; nothing written";
    report.exit_code = e.exit_code();
    return;
  }
  report::FixHiveOutput out;
  out.path = *config.output;
  out.written = true;
  out.input_size = out.output_size = bytes.size();
  out.verification.push_back("read back from disk identical to the hive as read before the rename");
  report.hive_output = std::move(out);
  report.message = "nothing to fix: no rule fails on " + config.hive + "; " + *config.output +
                   " written as " +
                   (opened.recovery.recovered ? "the hive recovered from its transaction logs"
                                              : "an identical copy") +
                   " (--copy-if-clean)";
}

// What the steps share: the request, what was evaluated, and what each step leaves for the next.
struct Steps {
  const FixRequest& request;
  const std::vector<rules::Rule>& rules;
  const hive::OpenedHive* opened;
  report::FixReport& report;
  std::ostream& errors;
  std::vector<const rules::RuleResult*> failing;
  std::vector<std::uint8_t> hive_bytes;          // the patched hive, verified
  std::optional<util::AtomicFileWrite> pending;  // removes its temporary file unless committed
  std::optional<RegFix> reg;
};

// Plan: the failing results and their edits. False when the fix ends here (the report says why).
bool plan(Steps& s) {
  const FixRequest& config = s.request;
  report::FixReport& report = s.report;
  for (const auto& r : report.results) {
    if (r.status == Status::kError) {
      // Said once, without a rule label, when the hive itself could not be read (no rule was
      // involved).
      const bool names_hive = r.message.rfind(config.hive + ":", 0) == 0;
      report.message = (names_hive ? "cannot fix: " : "cannot fix " + config.hive + ": ") +
                       r.message + "; nothing written";
      report.exit_code = ExitCode::kInput;
      if (!s.opened) report.results.clear();
      return false;
    }
    if (r.status == Status::kFail) s.failing.push_back(&r);
  }
  if (s.failing.empty()) {
    if (config.copy_if_clean && config.output && !config.dry_run) {
      write_clean_copy(report, *s.opened, config, s.errors);
      return false;
    }
    report.message = "nothing to fix: no rule fails on " + config.hive + "; nothing written" +
                     (config.output && !config.dry_run
                          ? " (--copy-if-clean writes " + *config.output + " anyway)"
                          : "");
    return false;
  }
  refuse_existing(config.output, config);
  refuse_existing(config.reg, config);
  for (const auto* r : s.failing) {
    if (r->planned_edits.empty()) {
      report.message = "rule " + r->rule_id + " fails but has no automatic fix; nothing written";
      report.exit_code = ExitCode::kFail;
      return false;
    }
    for (const auto& e : r->planned_edits) report.plan.push_back(e);
  }
  return true;
}

// Patch: the plan applied to a copy, proven, and (unless a dry run) its temporary file begun, so
// that the disk writes it back while it is verified. `writing` is set while the file is begun.
void patch_hive(Steps& s, bool& writing) {
  const FixRequest& config = s.request;
  report::FixReport& report = s.report;
  const auto input = s.opened->image->bytes();
  patch::PatchResult patched =
      patch::apply_plan(input, report.plan, patch::ApplyOptions{config.timestamp});
  if (config.output && !config.dry_run) {
    writing = true;
    s.pending.emplace(*config.output, patched.bytes, util::AtomicWriteOptions{config.force});
    writing = false;
  }
  report::FixHiveOutput out;
  out.path = config.output.value_or("(dry run)");
  out.input_size = input.size();
  out.output_size = patched.bytes.size();
  out.dropped_trailing_bytes = patched.dropped_trailing_bytes;
  out.cells = patched.cells;
  out.differing = patched.differing;
  // The failing rules are evaluated again on the output by libregf, in verify_patch's libregf
  // thread.
  out.verification =
      patch::verify_patch(input, patched, report.plan, [&](const hive::HiveReader& libregf) {
        report.after = recheck(libregf, s.rules, s.failing);
        return std::vector<std::string>{};
      }).checks;
  if (patched.dropped_trailing_bytes > 0)
    report.warnings.push_back(
        std::to_string(patched.dropped_trailing_bytes) +
        " bytes past the input's hive bins data (not part of the hive) are not in the output");
  s.hive_bytes = std::move(patched.bytes);  // the same buffer: `pending` still writes from it
  report.hive_output = std::move(out);
}

// Patch and .reg, in memory. False when refused (the report says why, nothing is left behind).
bool prepare(Steps& s) {
  const FixRequest& config = s.request;
  report::FixReport& report = s.report;
  bool writing = false;
  try {
    if (config.output || !config.reg) patch_hive(s, writing);
    if (config.reg) {
      s.reg = prepare_reg(config.reg_root, s.failing, *s.opened->reader, config.hive,
                          config.reg_comments, *config.reg);
      report.reg_output = s.reg->output;
    }
  } catch (const Error& e) {
    s.pending.reset();  // the temporary file goes before anything is printed (a closed stdout can
                        // end the process)
    s.errors << "hivelint: " << config.hive << ": " << e.what() << "\n";
    report.message = std::string(writing ? "fix not written: " : "fix refused: ") + e.what() +
                     "; nothing written";
    report.exit_code = e.exit_code();
    report.hive_output.reset();
    report.reg_output.reset();
    report.after.clear();
    return false;
  }
  return true;
}

// Commit: each output flushed, read back from disk and renamed into place. False when a write
// failed (the report says which output, if any, was written).
bool commit(Steps& s) {
  const FixRequest& config = s.request;
  report::FixReport& report = s.report;
  std::string written;
  try {
    if (config.output) {
      s.pending->commit_identical(
          s.hive_bytes, *config.output + ": the file read back differs from the verified hive");
      report.hive_output->written = true;
      report.hive_output->verification.push_back(
          "read back from disk identical to the verified bytes before the rename");
      if (const std::string w = hive::old_logs_warning(*s.opened, *config.output); !w.empty())
        report.warnings.push_back(w);
      written = *config.output;
    }
    if (config.reg) {
      util::write_file_atomically(*config.reg, s.reg->bytes, util::AtomicWriteOptions{config.force},
                                  [&](std::span<const std::uint8_t> back) {
                                    (void)verify_reg(back, config.reg_root, s.reg->blocks);
                                  });
      report.reg_output->written = true;
      report.reg_output->text.clear();
    }
  } catch (const Error& e) {
    s.errors << "hivelint: " << e.what() << "\n";
    report.message =
        std::string("fix not written: ") + e.what() +
        (written.empty() ? "; nothing written" : "; " + written + " was written and verified");
    report.exit_code = e.exit_code();
    if (report.reg_output && !report.reg_output->written) report.reg_output->text.clear();
    return false;
  }
  return true;
}

}  // namespace

void run_steps(const FixRequest& request, const std::vector<rules::Rule>& rules,
               const hive::OpenedHive* opened, report::FixReport& report, std::ostream& errors) {
  if (opened && opened->recovery.recovered)
    report.warnings.push_back(
        "the hive was dirty and is recovered from its transaction logs in memory (" +
        opened->recovery.summary() +
        "); the fix is made on the recovered image, so sizes and "
        "differing byte ranges are relative to that image, not to the file");
  Steps s{request, rules, opened, report, errors, {}, {}, {}, {}};
  if (!plan(s) || !prepare(s)) return;
  if (request.dry_run) {
    report.message = "dry run: " + std::to_string(report.plan.size()) + " change" +
                     (report.plan.size() == 1 ? "" : "s") +
                     " planned and verified in memory; nothing written";
    report.exit_code = ExitCode::kFail;
    return;
  }
  if (!commit(s)) return;
  const bool has_logs = !opened->sibling_logs.empty() || opened->recovery.dirty;
  const auto lkg = report.hive_output
                       ? last_known_good_passing(rules, s.failing, *opened->reader, request)
                       : std::nullopt;
  report.next_steps = next_steps(request, report, request.reg_root, s.failing, lkg, has_logs);
  report.message = "fixed: " + std::to_string(report.plan.size()) + " change" +
                   (report.plan.size() == 1 ? "" : "s") + " written and verified; " + request.hive +
                   " was not modified";
}

}  // namespace hivelint::fix
