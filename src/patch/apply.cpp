#include "patch/apply.hpp"

#include <cstring>

#include "regf/editor.hpp"
#include "regf/reader.hpp"
#include "util/error.hpp"
#include "util/utf16.hpp"

namespace hivelint::patch {
namespace {

std::u16string path16(const hive::KeyPath& path) { return util::utf8_to_utf16(path.str()); }

// The input's keys on the plan's paths, read before the first edit.
std::vector<KeySnapshot> snapshot(const regf::Reader& r, const PatchPlan& plan) {
  std::vector<KeySnapshot> out;
  const auto take = [&](const hive::KeyPath& path) {
    for (const auto& s : out)
      if (s.path == path) return true;
    const auto node = r.open(path16(path));
    if (!node) return false;  // created by the plan
    KeySnapshot s;
    s.path = path;
    s.node = node->offset.value;
    s.key.name = node->name;
    s.key.class_name = r.class_name(*node);
    for (auto& v : r.values(*node))
      s.key.values.push_back(regf::TreeValue{v.key.name, v.key.type, std::move(v.data)});
    for (const auto& child : r.subkeys(*node)) {
      s.key.subkeys.push_back(regf::TreeKey{child.name, std::nullopt, {}, {}});
      s.children.emplace_back(child.name, child.offset.value);
    }
    out.push_back(std::move(s));
    return true;
  };
  for (const auto& edit : plan) {
    hive::KeyPath path;
    if (!take(path)) continue;
    for (const auto& part : edit.key.components())
      if (!take(path = path / part)) break;
  }
  return out;
}

}  // namespace

PatchResult apply_plan(std::span<const std::uint8_t> input, const PatchPlan& plan,
                       const ApplyOptions& options) {
  regf::Editor editor(input, regf::EditorOptions{options.timestamp});
  PatchResult result;
  result.before = snapshot(editor.view(), plan);
  for (const auto& edit : plan) {
    if (edit.kind == hive::Edit::Kind::kCreateKey) {
      result.keys_created += editor.create_key(path16(edit.key));
      continue;
    }
    if (edit.kind == hive::Edit::Kind::kDeleteValue) {
      editor.delete_value(path16(edit.key), util::utf8_to_utf16(edit.value_name));
      continue;
    }
    editor.set_value(path16(edit.key), util::utf8_to_utf16(edit.value_name), edit.type, edit.data);
  }
  result.hive_bins = editor.view().cells().bins().size();
  result.cells = editor.changes();
  result.dropped_trailing_bytes = editor.dropped_trailing_bytes();
  result.new_bins_offset = editor.original_size();
  result.bytes = editor.commit();
  result.differing = differing_ranges(input, result.bytes);
  return result;
}

std::vector<ByteRange> differing_ranges(std::span<const std::uint8_t> before,
                                        std::span<const std::uint8_t> after) {
  std::vector<ByteRange> out;
  const std::size_t common = std::min(before.size(), after.size());
  constexpr std::size_t kBlock =
      4096;  // equal blocks (nearly all of a patched hive) are skipped by memcmp
  std::size_t i = 0;
  while (i < common) {
    const std::size_t block = std::min(kBlock, common - i);
    if (std::memcmp(before.data() + i, after.data() + i, block) == 0) {
      i += block;
      continue;
    }
    const std::size_t end = i + block;
    while (i < end) {
      if (before[i] == after[i]) {
        ++i;
        continue;
      }
      const std::size_t start = i;
      while (i < common && before[i] != after[i]) ++i;
      if (!out.empty() && out.back().offset + out.back().length == start)
        out.back().length += i - start;
      else
        out.push_back(ByteRange{start, i - start});
    }
  }
  if (after.size() > common) {
    if (!out.empty() && out.back().offset + out.back().length == common)
      out.back().length += after.size() - common;
    else
      out.push_back(ByteRange{common, after.size() - common});
  }
  return out;
}

void apply_to_tree(regf::TreeKey& tree, const PatchPlan& plan) {
  for (const auto& edit : plan) {
    regf::TreeKey* key = &tree;
    for (const auto& component : edit.key.components())
      key = &key->ensure_subkey(util::utf8_to_utf16(component));
    if (edit.kind == hive::Edit::Kind::kCreateKey) continue;
    const std::u16string name = util::utf8_to_utf16(edit.value_name);
    if (edit.kind == hive::Edit::Kind::kDeleteValue) {
      key->remove_value(name);
      continue;
    }
    if (regf::TreeValue* existing =
            key->find_value(name)) {  // the stored spelling of the name stays
      existing->type = edit.type;
      existing->data = edit.data;
    } else {
      key->values.push_back(regf::TreeValue{name, edit.type, edit.data});
    }
  }
}

}  // namespace hivelint::patch
