#include "hive/caching_reader.hpp"

#include "util/upcase.hpp"
#include "util/utf16.hpp"

namespace hivelint::hive {
namespace {

// Each name upcased and prefixed by its length (two units), so no two different paths or (path,
// value name) pairs share a key whatever units the names hold (a hostile hive's names may contain
// '\\' or NUL). Fixed overhead charged per remembered entry besides its strings and data (node,
// hash bucket, optional).
constexpr std::size_t kEntryOverhead = 96;

std::u16string path_key(const KeyPath& path) {
  std::u16string k;
  for (const auto& c : path.components()) util::append_counted_upcased(k, c);
  return k;
}

std::u16string value_key(const KeyPath& path, std::string_view name) {
  std::u16string k;
  util::append_counted_upcased(k, std::to_string(path.components().size()));
  k += path_key(path);
  util::append_counted_upcased(k, name);
  return k;
}

std::size_t size_of(const KeyInfo& k) {
  std::size_t n = k.name.size();
  for (const auto& c : k.path.components()) n += c.size();
  return n;
}

}  // namespace

bool CachingReader::room_for(std::size_t n) const {
  if (bytes_ + n + kEntryOverhead > max_bytes_) return false;
  bytes_ += n + kEntryOverhead;
  return true;
}

std::optional<KeyInfo> CachingReader::key(const KeyPath& path) const {
  std::u16string k = path_key(path);
  if (const auto it = keys_.find(k); it != keys_.end()) {
    ++hits_;
    return it->second;
  }
  auto answer = backend_.key(path);
  if (room_for(k.size() * 2 + (answer ? size_of(*answer) : 0))) keys_.emplace(std::move(k), answer);
  return answer;
}

std::vector<std::string> CachingReader::subkey_names(const KeyPath& path) const {
  std::u16string k = path_key(path);
  if (const auto it = subkeys_.find(k); it != subkeys_.end()) {
    ++hits_;
    return it->second;
  }
  auto answer = backend_.subkey_names(path);
  std::size_t n = k.size() * 2;
  for (const auto& s : answer) n += s.size() + sizeof(std::string);
  if (room_for(n)) subkeys_.emplace(std::move(k), answer);
  return answer;
}

std::optional<Value> CachingReader::value(const KeyPath& path, std::string_view name) const {
  std::u16string k = value_key(path, name);
  if (const auto it = values_.find(k); it != values_.end()) {
    ++hits_;
    return it->second;
  }
  auto answer = backend_.value(path, name);
  if (room_for(k.size() * 2 + (answer ? answer->name.size() + answer->data.size() : 0)))
    values_.emplace(std::move(k), answer);
  return answer;
}

}  // namespace hivelint::hive
