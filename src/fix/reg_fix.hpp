// The .reg step of a fix: the planned edits as a .reg file for the running server (live) or for a
// hive mounted with `reg load HKLM\NAME` (offline:NAME), read back by hivelint's own .reg parser
// before it may be written.
#pragma once
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "hive/hive_reader.hpp"
#include "regfile/reg_writer.hpp"
#include "report/fix_report.hpp"
#include "rules/evaluator.hpp"

namespace hivelint::fix {

/// Where the .reg file's keys live: on the running server, or under a hive mounted with `reg load
/// HKLM\NAME`.
struct RegRoot {
  bool live = true;
  std::string mount;  // offline: NAME

  std::string prefix() const {
    return live ? "HKEY_LOCAL_MACHINE\\SYSTEM" : "HKEY_LOCAL_MACHINE\\" + mount;
  }
  std::string label() const { return live ? "live" : "offline:" + mount; }
};

/// "live" or "offline:NAME"; throws UsageError otherwise (NAME without \ / [ ] ").
RegRoot parse_reg_root(const std::string& text);

/// A .reg file made and read back, not yet written.
struct RegFix {
  std::vector<regfile::RegKeyBlock> blocks;
  std::vector<std::uint8_t> bytes;  // UTF-16LE with BOM, CRLF, as regedit writes
  report::FixRegOutput output;      // path, root, counts, text and the read-back check
};

/// The .reg file for the planned edits of `failing` (the keys an edit creates get blocks of their
/// own: hivexregedit --merge does not create parents). `reader` tells which keys exist; `hive` is
/// named in the comment lines, which are written only with `comments` (chntpw's reged -I rejects
/// any). Throws RefusedError when the file does not read back exactly as planned.
RegFix prepare_reg(const RegRoot& root, const std::vector<const rules::RuleResult*>& failing,
                   const hive::HiveReader& reader, const std::string& hive, bool comments,
                   const std::string& path);

/// Reads `bytes` back with hivelint's .reg parser and checks that they hold `blocks` exactly, and
/// nothing else (no key or value line the plan did not make). Returns the check's report line;
/// throws RefusedError naming the first difference.
std::string verify_reg(std::span<const std::uint8_t> bytes, const RegRoot& root,
                       const std::vector<regfile::RegKeyBlock>& blocks);

}  // namespace hivelint::fix
