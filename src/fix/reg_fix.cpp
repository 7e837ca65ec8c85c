#include "fix/reg_fix.hpp"

#include "regfile/reg_parser.hpp"
#include "util/error.hpp"
#include "util/upcase.hpp"
#include "util/utf16.hpp"

namespace hivelint::fix {
namespace {

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

std::vector<std::string> comment_lines(const RegRoot& root,
                                       const std::vector<const rules::RuleResult*>& failing,
                                       const std::string& hive) {
  std::vector<std::string> comments;
  for (const auto* r : failing)
    comments.push_back("hivelint fix for rule " + r->rule_id +
                       (r->control_set
                            ? " on " + r->control_set->name + " (" + r->control_set->source + ")"
                            : "") +
                       " of hive " + hive);
  comments.push_back(root.live
                         ? "Import on the running server as administrator: regedit /s <this file>"
                         : "Import after `reg load HKLM\\" + root.mount +
                               " <hive>`, then `reg unload HKLM\\" + root.mount + "`");
  return comments;
}

}  // namespace

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

RegFix prepare_reg(const RegRoot& root, const std::vector<const rules::RuleResult*>& failing,
                   const hive::HiveReader& reader, const std::string& hive, bool comments,
                   const std::string& path) {
  RegFix fix;
  fix.blocks = reg_blocks(root, failing, reader);
  // chntpw's `reged -I` fails on any ';' line (before, between or after the key blocks): by default
  // the file holds only the header and the key blocks, which regedit, hivexregedit --merge and
  // reged -I all import.
  report::FixRegOutput& reg = fix.output;
  reg.path = path;
  reg.root = root.label();
  reg.text = regfile::format_reg_file(
      comments ? comment_lines(root, failing, hive) : std::vector<std::string>{}, fix.blocks);
  fix.bytes = regfile::encode_utf16le_with_bom(reg.text);
  reg.key_blocks = fix.blocks.size();
  for (const auto& b : fix.blocks) reg.values += b.values.size();
  reg.verification.push_back(verify_reg(fix.bytes, root, fix.blocks));
  return fix;
}

}  // namespace hivelint::fix
