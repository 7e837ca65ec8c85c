// Fuzz target: the bytes are a sequence of edits (create a key, set a value, delete a value) on a
// small SYSTEM-like hive built in memory, at regf 1.3 or 1.5; the edited hive must verify clean and
// read back, through hivelint's reader exactly and through libregf within its documented
// normalisations, as the same edits applied to the tree.
#include <string>

#include "fuzz/fuzz_targets.hpp"
#include "hive/libregf_reader.hpp"
#include "hive/tree_walk.hpp"
#include "patch/apply.hpp"
#include "regf/builder.hpp"
#include "regf/editor.hpp"
#include "regf/reader.hpp"
#include "regf/verify.hpp"
#include "util/bytes.hpp"
#include "util/upcase.hpp"
#include "util/utf16.hpp"

namespace hivelint::fuzz {
namespace {

regf::TreeKey base_tree() {
  regf::TreeKey root;
  root.name = u"ROOT";
  auto& services = root.ensure_subkey(u"ControlSet001").ensure_subkey(u"Services");
  for (const char16_t* name : {u"Alpha", u"InetInfo", u"SMTPSVC", u"Zulu"})
    services.ensure_subkey(name);
  auto& params = services.find_subkey(u"InetInfo")->ensure_subkey(u"Parameters");
  params.values.push_back(
      regf::TreeValue{u"DispatchEntries", 7, hive::encode_multi_string({"Ldapsvc", "Smtpsvc"})});
  params.values.push_back(regf::TreeValue{u"ListenBackLog", 4, {25, 0, 0, 0}});
  for (int i = 0; i < 600; ++i)
    services.ensure_subkey(u"Many").ensure_subkey(util::utf8_to_utf16("S" + std::to_string(i * 3)));
  return root;
}

class Bytes {
 public:
  explicit Bytes(std::span<const std::uint8_t> d) : d_(d) {}
  bool more() const { return at_ < d_.size(); }
  std::uint8_t next() { return more() ? d_[at_++] : 0; }

 private:
  std::span<const std::uint8_t> d_;
  std::size_t at_ = 0;
};

// A name from a small alphabet (so that names collide, sort in odd ways and leave ASCII now and
// then).
std::u16string name(Bytes& in) {
  static const char16_t kUnits[] = u"aBzZ_09\u00E4\u00C4\u0436\u4E2D\\";
  std::u16string out;
  const std::size_t n = in.next() % 12;
  for (std::size_t i = 0; i < n; ++i)
    out += kUnits[in.next() % (sizeof kUnits / sizeof kUnits[0] - 1)];
  return out;
}

const char16_t* const kKeys[] = {u"",
                                 u"ControlSet001",
                                 u"ControlSet001\\Services",
                                 u"ControlSet001\\Services\\InetInfo\\Parameters",
                                 u"ControlSet001\\Services\\Many",
                                 u"ControlSet001\\Services\\Alpha"};

}  // namespace

void editor(std::span<const std::uint8_t> data) {
  Bytes in(data);
  const std::uint32_t minor = in.next() % 2 ? 5 : 3;
  regf::TreeKey expected = base_tree();
  regf::BuildOptions options;
  options.timestamp = 127305216000000000ull;
  options.minor_version = minor;
  const auto hive = regf::build_hive(expected, options).bytes;
  regf::Editor ed(hive, regf::EditorOptions{133485408000000000ull});
  for (int ops = 0; in.more() && ops < 24; ++ops) {
    const std::u16string parent = kKeys[in.next() % (sizeof kKeys / sizeof kKeys[0])];
    const std::u16string n = name(in);
    const std::u16string path = parent.empty() ? n : parent + u"\\" + n;
    hive::KeyPath key_path = hive::KeyPath::parse(util::utf16_to_utf8(path).text);
    try {
      const std::uint8_t op = in.next() % 3;
      if (op == 0) {
        ed.create_key(path);
        patch::apply_to_tree(
            expected,
            {hive::Edit{hive::Edit::Kind::kCreateKey, key_path, {}, 0, {}, std::nullopt}});
      } else if (op == 2) {  // delete a value: one the base hive has, or a fuzzed name (absent ones
                             // are refused)
        const std::u16string value_name =
            in.next() % 2 ? std::u16string(in.next() % 2 ? u"DispatchEntries" : u"ListenBackLog")
                          : name(in);
        const hive::KeyPath owner = hive::KeyPath::parse(util::utf16_to_utf8(parent).text);
        ed.delete_value(parent, value_name);
        patch::apply_to_tree(expected, {hive::Edit{hive::Edit::Kind::kDeleteValue,
                                                   owner,
                                                   util::utf16_to_utf8(value_name).text,
                                                   0,
                                                   {},
                                                   std::nullopt}});
      } else {
        const std::uint32_t type = in.next() % 12;
        const std::size_t sizes[] = {0, 1, 3, 4, 5, 16, 100, 16344, 16345, 40000};
        std::vector<std::uint8_t> value(sizes[in.next() % 10], in.next());
        const std::u16string value_name = name(in);
        const hive::KeyPath owner = hive::KeyPath::parse(util::utf16_to_utf8(parent).text);
        ed.set_value(parent, value_name, type, value);
        patch::apply_to_tree(expected, {hive::Edit{hive::Edit::Kind::kSetValue, owner,
                                                   util::utf16_to_utf8(value_name).text, type,
                                                   value, std::nullopt}});
      }
    } catch (const Error&) {
      continue;  // refused before anything changed: the editor must still be consistent
    }
  }
  const auto out = ed.commit();
  const auto verified = regf::verify_hive(out);
  for (const auto& f : verified.findings)
    if (f.severity == regf::Severity::kError)
      fail("editor",
           "verify: " + f.structure + " at " + util::hex_offset(f.file_offset) + ": " + f.message);
  auto diffs = hive::diff_trees(expected, regf::Reader(out).read_tree());
  if (!diffs.empty()) fail("editor", "hivelint's reader: " + diffs.front());
  const auto lib = hive::LibregfReader::open_memory(out, "edited");
  hive::DiffOptions quirks;
  quirks.libregf_quirks = true;
  diffs = hive::diff_trees(expected, hive::read_whole_tree(*lib), quirks);
  if (!diffs.empty()) fail("editor", "libregf: " + diffs.front());
}

}  // namespace hivelint::fuzz

HIVELINT_FUZZ_ENTRY(editor)
