// `hivelint fix HIVE [-o OUT] [--reg FILE]`: evaluate the rules, and for every failing one write
// what its fix plans, as a patched copy of the hive and/or a .reg file. The input is only ever
// read; each output is written to a temporary file, verified, and renamed into place.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string_view>

#include "cli/evaluate.hpp"
#include "cli/evidence_logs.hpp"
#include "cli/run.hpp"
#include "cli/timestamp.hpp"
#include "hive/caching_reader.hpp"
#include "hive/libregf_reader.hpp"
#include "patch/apply.hpp"
#include "patch/verify.hpp"
#include "regfile/reg_parser.hpp"
#include "regfile/reg_writer.hpp"
#include "report/fix_report.hpp"
#include "rules/evaluator.hpp"
#include "util/atomic_file.hpp"
#include "util/error.hpp"
#include "util/upcase.hpp"
#include "util/utf16.hpp"

namespace hivelint::cli {
namespace {

using rules::Status;

// Where the .reg file's keys live: on the running server, or under a hive mounted with `reg load
// HKLM\NAME`.
struct RegRoot {
  bool live = true;
  std::string mount;  // offline: NAME

  std::string prefix() const {
    return live ? "HKEY_LOCAL_MACHINE\\SYSTEM" : "HKEY_LOCAL_MACHINE\\" + mount;
  }
  std::string label() const { return live ? "live" : "offline:" + mount; }
};

RegRoot parse_reg_root(const std::string& text) {
  if (text == "live") return RegRoot{};
  const std::string tag = "offline:";
  if (text.compare(0, tag.size(), tag) == 0) {
    const std::string name = text.substr(tag.size());
    if (!name.empty() && name.find_first_of("\\/[]\"") == std::string::npos)
      return RegRoot{false, name};
  }
  throw UsageError("--reg-root \"" + text +
                   "\" is not live or offline:NAME (NAME as in `reg load HKLM\\NAME`)");
}

// The .reg path of a hive-relative key: below HKLM\SYSTEM\CurrentControlSet when it lies in the
// ControlSet that is current on that machine (live), else the hive-relative path under the root.
std::string reg_path(const RegRoot& root, const rules::RuleResult& result,
                     const hive::KeyPath& key) {
  const auto& parts = key.components();
  if (root.live && result.control_set && result.control_set->is_current && !parts.empty() &&
      util::names_equal_utf8(parts.front(), result.control_set->name)) {
    std::string path = root.prefix() + "\\CurrentControlSet";
    for (std::size_t i = 1; i < parts.size(); ++i) path += "\\" + parts[i];
    return path;
  }
  return key.is_root() ? root.prefix() : root.prefix() + "\\" + key.str();
}

std::vector<regfile::RegKeyBlock> reg_blocks(const RegRoot& root,
                                             const std::vector<const rules::RuleResult*>& failing,
                                             const hive::HiveReader& reader) {
  std::vector<regfile::RegKeyBlock> blocks;
  const auto block = [&](const std::string& path) -> regfile::RegKeyBlock& {
    for (auto& b : blocks)
      if (util::names_equal_utf8(b.path, path)) return b;
    blocks.push_back(regfile::RegKeyBlock{path, {}});
    return blocks.back();
  };
  for (const auto* r : failing)
    for (const auto& e : r->planned_edits) {
      if (e.kind == hive::Edit::Kind::kCreateKey) {
        // regedit creates missing parents by itself, hivexregedit --merge does not: give each its
        // own block.
        hive::KeyPath path;
        for (const auto& part : e.key.components()) {
          path = path / part;
          if (!reader.key(path)) block(reg_path(root, *r, path));
        }
        continue;
      }
      block(reg_path(root, *r, e.key))
          .values.push_back(regfile::RegValue{e.value_name, e.type, e.data,
                                              e.kind == hive::Edit::Kind::kDeleteValue});
    }
  return blocks;
}

// Reads the .reg bytes back with our parser and checks each planned value is there, exactly.
std::string verify_reg(std::span<const std::uint8_t> bytes, const RegRoot& root,
                       const std::vector<regfile::RegKeyBlock>& blocks) {
  regfile::RegParseOptions options;
  options.prefix = root.prefix();
  const auto parsed = regfile::parse_reg(bytes, options, "the .reg file");
  std::size_t values = 0;
  for (const auto& b : blocks) {
    const regf::TreeKey* key = &parsed.root;
    const hive::KeyPath below = hive::KeyPath::parse(b.path.substr(root.prefix().size()));
    for (const auto& part : below.components())
      key = key ? key->find_subkey(util::utf8_to_utf16(part)) : nullptr;
    if (!key) throw RefusedError("the .reg file does not read back: key " + b.path + " is missing");
    for (const auto& v : b.values) {
      const regf::TreeValue* got = key->find_value(util::utf8_to_utf16(v.name));
      if (v.remove) {  // a deletion line leaves no value behind in the parsed tree
        if (got)
          throw RefusedError("the .reg file does not read back: " + b.path + "\\" + v.name +
                             " is set, planned deleted");
        ++values;
        continue;
      }
      if (!got || got->type != v.type || got->data != v.data)
        throw RefusedError("the .reg file does not read back: " + b.path + "\\" + v.name +
                           " differs from the plan");
      ++values;
    }
  }
  // Defence in depth (D5 of the adversarial review): any key line the plan did not make, a deletion
  // line
  // `[-...]` above all, is refused even though it changes nothing in the parsed tree.
  if (parsed.key_lines != blocks.size())
    throw RefusedError("the .reg file does not read back: " + std::to_string(parsed.key_lines) +
                       " key lines, planned " + std::to_string(blocks.size()));
  if (parsed.value_lines != values)
    throw RefusedError("the .reg file does not read back: " + std::to_string(parsed.value_lines) +
                       " value lines, planned " + std::to_string(values));
  return "read back by hivelint's .reg parser (" + parsed.format + ", " + parsed.encoding +
         "): " + std::to_string(blocks.size()) + " key block" + (blocks.size() == 1 ? "" : "s") +
         ", " + std::to_string(values) + " value" + (values == 1 ? "" : "s") +
         " exactly as planned";
}

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

namespace fs = std::filesystem;

// A regular file that starts with "regf" (a hive, or a transaction log).
bool is_hive_file(const fs::path& path) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) return false;
  std::ifstream in(path, std::ios::binary);
  char signature[4] = {};
  return in.read(signature, 4) && std::string_view(signature, 4) == "regf";
}

// The entry of `dir` named `name` in any case (a listing of at most 10000 entries: a user's folder,
// not a scan).
std::optional<fs::path> child_named(const fs::path& dir, std::string_view name) {
  std::error_code ec;
  fs::directory_iterator it(dir, ec);
  for (std::size_t seen = 0; !ec && it != fs::directory_iterator() && seen < 10000;
       it.increment(ec), ++seen)
    if (util::names_equal_utf8(it->path().filename().string(), name)) return it->path();
  return std::nullopt;
}

// The SYSTEM hive of a folder given in its place: the folder itself, config\, System32\config\ or
// Windows\System32\config\ below it (any case), as collected evidence and mounted Windows volumes
// lay it out.
std::optional<fs::path> system_hive_below(const fs::path& dir) {
  const std::vector<std::vector<std::string_view>> layouts = {
      {}, {"config"}, {"System32", "config"}, {"Windows", "System32", "config"}};
  for (const auto& layout : layouts) {
    std::optional<fs::path> at = dir;
    for (const auto part : layout)
      if (at) at = child_named(*at, part);
    if (!at) continue;
    if (const auto hive = child_named(*at, "SYSTEM"); hive && is_hive_file(*hive)) return hive;
  }
  return std::nullopt;
}

// The slips an administrator makes with paths, answered before anything is read or planned: a
// folder as the hive or as an output, and HIVE and -o OUT swapped (the hive missing while -o names
// an existing hive).
void check_paths(const FixConfig& config) {
  std::error_code ec;
  const auto status = fs::status(config.hive, ec);
  if (fs::is_directory(status)) {
    std::string message = "fix takes one hive file, and " + config.hive + " is a directory";
    if (const auto found = system_hive_below(config.hive))
      message += ": did you mean " + found->string() + "?";
    throw UsageError(message);
  }
  if (status.type() == fs::file_type::not_found) {
    std::string message = config.hive + ": no such file";
    if (config.output && is_hive_file(*config.output))
      message += "; " + *config.output +
                 " (given to -o) is an existing hive: did you swap them? The hive comes first: "
                 "hivelint fix " +
                 *config.output + " -o " + config.hive;
    throw InputError(message);
  }
  const auto refuse_directory = [&ec](const std::optional<std::string>& path, const char* option,
                                      const char* example) {
    if (path && fs::is_directory(*path, ec))
      throw UsageError(std::string(option) + " " + *path + ": is a directory; " + option +
                       " needs a file name, e.g. " + option + " " +
                       (fs::path(*path) / example).string());
  };
  refuse_directory(config.output, "-o", "SYSTEM.fixed");
  refuse_directory(config.reg, "--reg", "fix.reg");
}

void refuse_existing(const std::optional<std::string>& path, const FixConfig& config) {
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
    const hive::HiveReader& reader, const FixConfig& config) {
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
std::vector<std::string> next_steps(const FixConfig& config, const report::FixReport& report,
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

ExitCode finish(report::FixReport& report, const FixConfig& config, Output& output) {
  if (!output.quiet) {
    if (config.format == Format::kJson)
      output.out << report::render_fix_json(report);
    else
      report::render_fix_text(report, output.out);
  }
  return report.exit_code;
}

// --copy-if-clean with nothing to fix: OUT becomes the hive as read (the recovered image of a dirty
// hive), written like a fixed copy (temporary file, read back, rename), so that OUT exists whenever
// fix exits 0.
ExitCode write_clean_copy(report::FixReport& report, const hive::OpenedHive& opened,
                          const FixConfig& config, Output& output) {
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
    output.error() << "hivelint: " << e.what() << "\n";
    report.message = std::string("copy not written: ") + e.what() + "; nothing written";
    report.exit_code = e.exit_code();
    return finish(report, config, output);
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
  return finish(report, config, output);
}

}  // namespace

ExitCode run_fix(const FixConfig& config, Output& output) {
  if (!config.output && !config.reg && !config.dry_run)
    throw UsageError(
        "fix needs -o OUT (a patched copy of the hive) and/or --reg FILE (a .reg file), or "
        "--dry-run");
  check_paths(config);
  const RegRoot root = parse_reg_root(config.reg_root);
  rules::RuleSource rule_source;
  const auto rules = chosen_rules(config.rules, config.only_rules, &rule_source);
  const auto choice = rules::parse_control_set_choice(config.control_set);
  const hive::OpenOptions options = open_options(config.backend, config.logs, config.no_logs, 1);
  const std::uint64_t timestamp = parse_timestamp(config.timestamp);

  // Never write over an input (the hive, its logs, the rules), nor over an existing file without
  // --force.
  std::vector<std::filesystem::path> inputs{config.hive};
  for (const auto& log : hive::find_sibling_logs(config.hive)) inputs.emplace_back(log);
  for (const auto& log : config.logs) inputs.emplace_back(log);
  const EventsOptions events_options{config.events, config.no_events, config.events_detail};
  for (const auto& log : event_log_paths(config.hive, events_options)) inputs.emplace_back(log);
  if (config.rules) inputs.emplace_back(*config.rules);
  if (config.output) util::refuse_overwriting_inputs(*config.output, inputs);
  if (config.reg) util::refuse_overwriting_inputs(*config.reg, inputs);
  if (config.output && config.reg) util::refuse_overwriting_inputs(*config.reg, {*config.output});

  report::FixReport report;
  report.dry_run = config.dry_run;
  report.verbose = config.verbose;
  report.evidence_bytes = config.evidence_bytes;
  report.provenance = run_provenance(output, config.backend, rule_source);
  // A dirty hive is recovered from its transaction logs in memory first; the patch is made on the
  // recovered image.
  HiveEvaluation ev = evaluate_hive(config.hive, rules, choice, options, output, events_options,
                                    SeverityOptions{config.min_severity, config.fail_on});
  for (auto& r : ev.results) rules::apply_min_severity(r, config.min_severity, config.fail_on);
  report.hive = ev.summary;
  report.results = ev.results;
  if (ev.opened && ev.opened->recovery.recovered)
    report.warnings.push_back(
        "the hive was dirty and is recovered from its transaction logs in memory (" +
        ev.opened->recovery.summary() +
        "); the fix is made on the recovered image, so sizes and "
        "differing byte ranges are relative to that image, not to the file");
  std::vector<const rules::RuleResult*> failing;
  for (const auto& r : report.results) {
    if (r.status == Status::kError) {
      // Said once, without a rule label, when the hive itself could not be read (no rule was
      // involved).
      const bool names_hive = r.message.rfind(config.hive + ":", 0) == 0;
      report.message = (names_hive ? "cannot fix: " : "cannot fix " + config.hive + ": ") +
                       r.message + "; nothing written";
      report.exit_code = ExitCode::kInput;
      if (!ev.opened) report.results.clear();
      return finish(report, config, output);
    }
    if (r.status == Status::kFail) failing.push_back(&r);
  }
  if (failing.empty()) {
    if (config.copy_if_clean && config.output && !config.dry_run)
      return write_clean_copy(report, *ev.opened, config, output);
    report.message = "nothing to fix: no rule fails on " + config.hive + "; nothing written" +
                     (config.output && !config.dry_run
                          ? " (--copy-if-clean writes " + *config.output + " anyway)"
                          : "");
    return finish(report, config, output);
  }
  refuse_existing(config.output, config);
  refuse_existing(config.reg, config);
  for (const auto* r : failing) {
    if (r->planned_edits.empty()) {
      report.message = "rule " + r->rule_id + " fails but has no automatic fix; nothing written";
      report.exit_code = ExitCode::kFail;
      return finish(report, config, output);
    }
    for (const auto& e : r->planned_edits) report.plan.push_back(e);
  }

  // Everything is prepared and verified in memory first: a refusal here leaves no file behind. The
  // patched hive goes to its temporary file as soon as it exists, so that the disk writes it back
  // while it is verified; it is renamed into place only after the verification, the flush and the
  // read-back.
  std::vector<std::uint8_t> hive_bytes, reg_bytes;
  std::vector<regfile::RegKeyBlock> blocks;
  std::optional<util::AtomicFileWrite> pending;  // removes its temporary file unless committed
  bool writing = false;
  try {
    if (config.output || !config.reg) {
      const auto input = ev.opened->image->bytes();
      patch::PatchResult patched =
          patch::apply_plan(input, report.plan, patch::ApplyOptions{timestamp});
      if (config.output && !config.dry_run) {
        writing = true;
        pending.emplace(*config.output, patched.bytes, util::AtomicWriteOptions{config.force});
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
            report.after = recheck(libregf, rules, failing);
            return std::vector<std::string>{};
          }).checks;
      if (patched.dropped_trailing_bytes > 0)
        report.warnings.push_back(
            std::to_string(patched.dropped_trailing_bytes) +
            " bytes past the input's hive bins data (not part of the hive) are not in the output");
      hive_bytes = std::move(patched.bytes);  // the same buffer: `pending` still writes from it
      report.hive_output = std::move(out);
    }
    if (config.reg) {
      blocks = reg_blocks(root, failing, *ev.opened->reader);
      // chntpw's `reged -I` fails on any ';' line (before, between or after the key blocks): by
      // default the file holds only the header and the key blocks, which regedit, hivexregedit
      // --merge and reged -I all import.
      std::vector<std::string> comments;
      if (config.reg_comments) {
        for (const auto* r : failing)
          comments.push_back(
              "hivelint fix for rule " + r->rule_id +
              (r->control_set ? " on " + r->control_set->name + " (" + r->control_set->source + ")"
                              : "") +
              " of hive " + config.hive);
        comments.push_back(
            root.live ? "Import on the running server as administrator: regedit /s <this file>"
                      : "Import after `reg load HKLM\\" + root.mount +
                            " <hive>`, then `reg unload HKLM\\" + root.mount + "`");
      }
      report::FixRegOutput reg;
      reg.path = *config.reg;
      reg.root = root.label();
      reg.text = regfile::format_reg_file(comments, blocks);
      reg_bytes = regfile::encode_utf16le_with_bom(reg.text);
      reg.key_blocks = blocks.size();
      for (const auto& b : blocks) reg.values += b.values.size();
      reg.verification.push_back(verify_reg(reg_bytes, root, blocks));
      report.reg_output = std::move(reg);
    }
  } catch (const Error& e) {
    pending.reset();  // the temporary file goes before anything is printed (a closed stdout can end
                      // the process)
    output.error() << "hivelint: " << config.hive << ": " << e.what() << "\n";
    report.message = std::string(writing ? "fix not written: " : "fix refused: ") + e.what() +
                     "; nothing written";
    report.exit_code = e.exit_code();
    report.hive_output.reset();
    report.reg_output.reset();
    report.after.clear();
    return finish(report, config, output);
  }

  if (!config.dry_run) {
    std::string written;
    try {
      if (config.output) {
        pending->commit([&](std::span<const std::uint8_t> back) {
          if (!std::equal(back.begin(), back.end(), hive_bytes.begin(), hive_bytes.end()))
            throw RefusedError(*config.output +
                               ": the file read back differs from the verified hive");
        });
        report.hive_output->written = true;
        report.hive_output->verification.push_back(
            "read back from disk identical to the verified bytes before the rename");
        if (const std::string w = hive::old_logs_warning(*ev.opened, *config.output); !w.empty())
          report.warnings.push_back(w);
        written = *config.output;
      }
      if (config.reg) {
        util::write_file_atomically(
            *config.reg, reg_bytes, util::AtomicWriteOptions{config.force},
            [&](std::span<const std::uint8_t> back) { (void)verify_reg(back, root, blocks); });
        report.reg_output->written = true;
        report.reg_output->text.clear();
      }
    } catch (const Error& e) {
      output.error() << "hivelint: " << e.what() << "\n";
      report.message =
          std::string("fix not written: ") + e.what() +
          (written.empty() ? "; nothing written" : "; " + written + " was written and verified");
      report.exit_code = e.exit_code();
      if (report.reg_output && !report.reg_output->written) report.reg_output->text.clear();
      return finish(report, config, output);
    }
  }

  if (!config.dry_run) {
    const bool has_logs = !ev.opened->sibling_logs.empty() || ev.opened->recovery.dirty;
    const auto lkg = report.hive_output
                         ? last_known_good_passing(rules, failing, *ev.opened->reader, config)
                         : std::nullopt;
    report.next_steps = next_steps(config, report, root, failing, lkg, has_logs);
  }
  if (config.dry_run) {
    report.message = "dry run: " + std::to_string(report.plan.size()) + " change" +
                     (report.plan.size() == 1 ? "" : "s") +
                     " planned and verified in memory; nothing written";
    report.exit_code = ExitCode::kFail;
  } else {
    report.message = "fixed: " + std::to_string(report.plan.size()) + " change" +
                     (report.plan.size() == 1 ? "" : "s") + " written and verified; " +
                     config.hive + " was not modified";
  }
  return finish(report, config, output);
}

}  // namespace hivelint::cli
