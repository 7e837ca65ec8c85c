#include "support/tree_reader.hpp"

#include "hive/error.hpp"
#include "hive/value.hpp"
#include "rules/control_set.hpp"
#include "util/utf16.hpp"

namespace hivelint::test {
namespace {

std::vector<std::uint8_t> utf16z(const std::string& text) {
  std::u16string units = util::utf8_to_utf16(text);
  units += u'\0';
  const std::string bytes = util::utf16le_bytes(units);
  return {bytes.begin(), bytes.end()};
}

hive::Value to_value(const regf::TreeValue& v) {
  hive::Value out;
  out.name = util::utf16_to_utf8(v.name).text;
  out.type = v.type;
  out.data = v.data;
  return out;
}

}  // namespace

const regf::TreeKey* TreeReader::find(const hive::KeyPath& path,
                                      std::vector<std::string>* stored) const {
  const regf::TreeKey* k = &root_;
  for (const auto& c : path.components()) {
    k = k->find_subkey(util::utf8_to_utf16(c));
    if (!k) return nullptr;
    if (stored) stored->push_back(util::utf16_to_utf8(k->name).text);
  }
  return k;
}

std::optional<hive::KeyInfo> TreeReader::key(const hive::KeyPath& path) const {
  std::vector<std::string> stored;
  const regf::TreeKey* k = find(path, &stored);
  if (!k) return std::nullopt;
  hive::KeyInfo info;
  info.path = hive::KeyPath(stored);
  info.name = util::utf16_to_utf8(k->name).text;
  info.last_written = 127'305'216'000'000'000ull;  // 2004-06-01T00:00:00Z
  info.subkey_count = static_cast<std::uint32_t>(k->subkeys.size());
  info.value_count = static_cast<std::uint32_t>(k->values.size());
  return info;
}

std::vector<std::string> TreeReader::subkey_names(const hive::KeyPath& path) const {
  std::vector<std::string> out;
  if (const regf::TreeKey* k = find(path, nullptr))
    for (const auto& s : k->subkeys) out.push_back(util::utf16_to_utf8(s.name).text);
  return out;
}

std::optional<hive::Value> TreeReader::value(const hive::KeyPath& path,
                                             std::string_view name) const {
  const regf::TreeKey* k = find(path, nullptr);
  if (!k) return std::nullopt;
  const regf::TreeValue* v = k->find_value(util::utf8_to_utf16(name));
  if (!v) return std::nullopt;
  return to_value(*v);
}

std::vector<hive::Value> TreeReader::values(const hive::KeyPath& path) const {
  std::vector<hive::Value> out;
  if (const regf::TreeKey* k = find(path, nullptr))
    for (const auto& v : k->values) out.push_back(to_value(v));
  return out;
}

Tree::Tree() { root_.name = u"ROOT"; }

Tree& Tree::key(const std::string& path) {
  regf::TreeKey* k = &root_;
  const hive::KeyPath parsed = hive::KeyPath::parse(path);
  for (const auto& c : parsed.components()) k = &k->ensure_subkey(util::utf8_to_utf16(c));
  current_ = path;
  return *this;
}

Tree& Tree::raw(const std::string& name, std::uint32_t type, std::vector<std::uint8_t> data) {
  regf::TreeKey* k = &root_;
  const hive::KeyPath parsed = hive::KeyPath::parse(current_);
  for (const auto& c : parsed.components()) k = &k->ensure_subkey(util::utf8_to_utf16(c));
  k->set_value(regf::TreeValue{util::utf8_to_utf16(name), type, std::move(data)});
  return *this;
}

Tree& Tree::dword(const std::string& name, std::uint32_t v) {
  return raw(name, 4,
             {static_cast<std::uint8_t>(v), static_cast<std::uint8_t>(v >> 8),
              static_cast<std::uint8_t>(v >> 16), static_cast<std::uint8_t>(v >> 24)});
}
Tree& Tree::sz(const std::string& name, const std::string& text) {
  return raw(name, 1, utf16z(text));
}
Tree& Tree::expand_sz(const std::string& name, const std::string& text) {
  return raw(name, 2, utf16z(text));
}
Tree& Tree::multi_sz(const std::string& name, const std::vector<std::string>& entries) {
  return raw(name, 7, hive::encode_multi_string(entries));
}

Tree exchange_system(std::initializer_list<unsigned> sets, unsigned current, unsigned lkg) {
  Tree t;
  t.key("Select")
      .dword("Current", current)
      .dword("Default", current)
      .dword("LastKnownGood", lkg)
      .dword("Failed", 0);
  for (unsigned n : sets) {
    const std::string cs = rules::control_set_name(n);
    for (const char* svc : {"SMTPSVC", "NntpSvc", "POP3Svc", "IMAP4Svc", "RESvc"})
      t.key(cs + "\\Services\\" + svc)
          .expand_sz("ImagePath", "%SystemRoot%\\System32\\inetsrv\\inetinfo.exe")
          .dword("Start", 2);
    t.key(cs + "\\Services\\IISADMIN")
        .expand_sz("ImagePath", "%SystemRoot%\\System32\\inetsrv\\inetinfo.exe");
  }
  return t;
}

}  // namespace hivelint::test

namespace hivelint::test {

std::optional<hive::KeyInfo> CountingReader::key(const hive::KeyPath& path) const {
  ++calls;
  if (throw_next) {
    throw_next = false;
    throw hive::BackendError("test", "key lookup failed at 0x1000", "");
  }
  return inner_.key(path);
}

}  // namespace hivelint::test
