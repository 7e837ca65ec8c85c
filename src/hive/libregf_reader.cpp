#include "hive/libregf_reader.hpp"

#include <libbfio.h>
#include <libregf.h>

#include <algorithm>
#include <cassert>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <unordered_set>

#include "hive/error.hpp"
#include "hive/libregf_key_flag.hpp"
#include "hive/stored_name.hpp"
#include "hive/subkey_index_hint.hpp"
#include "regf/format.hpp"
#include "util/bytes.hpp"
#include "util/upcase.hpp"
#include "util/utf16.hpp"

namespace hivelint::hive {

std::string libregf_version() { return libregf_get_version(); }

namespace {

// ---- RAII over libregf/libbfio handles ----------------------------------------------------------
class ErrorChain {
 public:
  ErrorChain() = default;
  ErrorChain(const ErrorChain&) = delete;
  ErrorChain& operator=(const ErrorChain&) = delete;
  ~ErrorChain() {
    if (error_) libregf_error_free(&error_);
  }
  libregf_error_t** out() { return &error_; }
  std::string message() const {
    if (!error_) return "";
    char buf[2048];
    if (libregf_error_sprint(error_, buf, sizeof buf) < 0) return "(no detail)";
    std::string text(buf);
    // libregf prints one line per frame of its call chain; keep them on one line, innermost last.
    for (auto& c : text)
      if (c == '\n') c = ';';
    while (!text.empty() && (text.back() == ';' || text.back() == ' ' || text.back() == '.'))
      text.pop_back();
    return text;
  }

 private:
  libregf_error_t* error_ = nullptr;
};

class BfioError {
 public:
  ~BfioError() {
    if (error_) libbfio_error_free(&error_);
  }
  libbfio_error_t** out() { return &error_; }

 private:
  libbfio_error_t* error_ = nullptr;
};

struct KeyFree {
  void operator()(libregf_key_t* k) const noexcept { libregf_key_free(&k, nullptr); }
};
struct ValueFree {
  void operator()(libregf_value_t* v) const noexcept { libregf_value_free(&v, nullptr); }
};
using KeyPtr = std::unique_ptr<libregf_key_t, KeyFree>;
using ValuePtr = std::unique_ptr<libregf_value_t, ValueFree>;

// libregf reports the file offset of a cell's data; hivelint reports cells by the offset of their
// size field.
std::optional<std::uint64_t> data_to_cell_offset(off64_t data_offset) {
  if (data_offset < 4) return std::nullopt;
  return static_cast<std::uint64_t>(data_offset) - 4;
}

std::optional<std::uint64_t> cell_offset_of(libregf_key_t* key) {
  off64_t offset = 0;
  if (libregf_key_get_offset(key, &offset, nullptr) != 1) return std::nullopt;
  return data_to_cell_offset(offset);
}

// The caller (the CLI) names the file; messages name what failed and libregf's own reason.
[[noreturn]] void fail(const std::string& what, const ErrorChain& err) {
  throw BackendError("libregf", what, err.message());
}

std::string shown(const KeyPath& path) {
  return path.is_root() ? std::string("the root key") : "\"" + path.str() + "\"";
}

// Names come from libregf, except that a stored name holding a NUL is taken from hivelint's own
// parse of the image (stored_name.hpp): libregf would cut it there, and Windows compares the whole
// counted name.
std::u16string stored_if_nul(std::u16string libregf_name,
                             const std::optional<std::u16string>& stored) {
  if (stored && stored->find(u'\0') != std::u16string::npos) return *stored;
  return libregf_name;
}

std::u16string utf16_name_of_key(libregf_key_t* key, std::span<const std::uint8_t> image) {
  ErrorChain err;
  size_t size = 0;
  if (libregf_key_get_utf16_name_size(key, &size, err.out()) != 1)
    fail("cannot read a key name size", err);
  std::u16string units(size, u'\0');
  if (size > 0) {
    std::vector<uint16_t> buf(size);
    if (libregf_key_get_utf16_name(key, buf.data(), size, err.out()) != 1)
      fail("cannot read a key name", err);
    for (size_t i = 0; i < size; ++i) units[i] = static_cast<char16_t>(buf[i]);
  }
  while (!units.empty() && units.back() == u'\0') units.pop_back();
  if (image.empty()) return units;
  const auto cell = cell_offset_of(key);
  return cell ? stored_if_nul(std::move(units), stored_key_name(image, *cell)) : units;
}

std::u16string utf16_name_of_value(libregf_value_t* value, std::span<const std::uint8_t> image) {
  ErrorChain err;
  size_t size = 0;
  // A value without a name (the default value) reports size 0 or fails on some versions: treat both
  // as "".
  if (libregf_value_get_utf16_name_size(value, &size, err.out()) != 1) return u"";
  std::u16string units;
  if (size > 0) {
    std::vector<uint16_t> buf(size);
    if (libregf_value_get_utf16_name(value, buf.data(), size, err.out()) != 1)
      fail("cannot read a value name", err);
    for (size_t i = 0; i < size; ++i) units += static_cast<char16_t>(buf[i]);
  }
  while (!units.empty() && units.back() == u'\0') units.pop_back();
  off64_t offset = 0;
  if (image.empty() || libregf_value_get_offset(value, &offset, nullptr) != 1) return units;
  const auto cell = data_to_cell_offset(offset);
  return cell ? stored_if_nul(std::move(units), stored_value_name(image, *cell)) : units;
}

// A read-only libbfio I/O handle over bytes in memory that never reads past their end. libbfio's
// own memory range (20170123, Debian 12) copies whatever size it is asked for: a hive whose hive
// bin claims more bytes than the buffer holds made libregf read past it (heap-buffer-overflow found
// by fuzz_libregf_rules, input in tests/fuzz/regressions/libregf_rules/). Here a read is cut at the
// end, as a file read would be.
struct BoundedMemory {
  const std::uint8_t* data = nullptr;
  std::size_t size = 0;
  std::size_t offset = 0;
  bool open = false;
  std::shared_ptr<const regf::CleanPages> clean;  // its image is [data, data + size)
};

BoundedMemory* as_memory(intptr_t* io) { return reinterpret_cast<BoundedMemory*>(io); }

int memory_free(intptr_t** io, libbfio_error_t**) {
  delete as_memory(*io);
  *io = nullptr;
  return 1;
}
int memory_clone(intptr_t** destination, intptr_t* source, libbfio_error_t**) {
  auto* copy = new BoundedMemory(*as_memory(source));
  copy->open = false;
  copy->offset = 0;
  *destination = reinterpret_cast<intptr_t*>(copy);
  return 1;
}
int memory_open(intptr_t* io, int, libbfio_error_t**) {
  as_memory(io)->open = true;
  as_memory(io)->offset = 0;
  return 1;
}
int memory_close(intptr_t* io, libbfio_error_t**) {
  as_memory(io)->open = false;
  return 0;
}
ssize_t memory_read(intptr_t* io, uint8_t* buffer, size_t size, libbfio_error_t**) {
  BoundedMemory& m = *as_memory(io);
  if (!m.open) return -1;
  const std::size_t n = m.offset >= m.size ? 0 : std::min(size, m.size - m.offset);
  if (n == 0) return 0;  // at or past the end (a seek may go there)
  std::copy_n(m.clean ? m.clean->view(m.offset, n).data() : m.data + m.offset, n, buffer);
  m.offset += n;
  return static_cast<ssize_t>(n);
}
ssize_t memory_write(intptr_t*, const uint8_t*, size_t, libbfio_error_t**) {
  return -1;
}  // read-only
off64_t memory_seek(intptr_t* io, off64_t offset, int whence, libbfio_error_t**) {
  BoundedMemory& m = *as_memory(io);
  const off64_t base = whence == SEEK_SET   ? 0
                       : whence == SEEK_CUR ? static_cast<off64_t>(m.offset)
                       : whence == SEEK_END ? static_cast<off64_t>(m.size)
                                            : -1;
  if (base < 0 || offset < -base) return -1;
  m.offset = static_cast<std::size_t>(base + offset);
  return base + offset;
}
int memory_exists(intptr_t*, libbfio_error_t**) { return 1; }
int memory_is_open(intptr_t* io, libbfio_error_t**) { return as_memory(io)->open ? 1 : 0; }
int memory_get_size(intptr_t* io, size64_t* size, libbfio_error_t**) {
  *size = as_memory(io)->size;
  return 1;
}

}  // namespace

struct LibregfReader::State {
  std::string label;  // file path or memory label, for messages
  libregf_file_t* file = nullptr;
  libbfio_handle_t* io = nullptr;  // only for memory opens
  std::span<const std::uint8_t>
      image;  // the bytes of a memory open (for subkey_index_hint); empty for file opens
  mutable std::optional<SubkeyHints> hints;  // over `image`, made at the first hinted lookup
  KeyPtr root;
  mutable std::mutex mutex;  // libregf handles are not shared across threads without it
  mutable std::vector<regf::Diagnostic> diagnostics;
  mutable std::set<std::uint64_t> reported;  // cell offsets already in `diagnostics`

  ~State() {
    opened.clear();  // key handles go before the file they belong to
    root.reset();
    if (file) {
      libregf_file_close(file, nullptr);
      libregf_file_free(&file, nullptr);
    }
    if (io) libbfio_handle_free(&io, nullptr);
  }

  void note_corruption(libregf_key_t* key, const KeyPath& path) const {
    if (libregf_key_is_corrupted(key, nullptr) != 1) return;
    const std::uint64_t offset = cell_offset_of(key).value_or(0);
    // libregf flags every key without values (libregf_key_flag.hpp); only a flag with another cause
    // is news.
    if (!image.empty() && offset != 0 && libregf_flag_is_empty_values_quirk(image, offset)) return;
    if (!reported.insert(offset).second) return;
    diagnostics.push_back(regf::Diagnostic{
        regf::Severity::kWarning, regf::kNkStructure, offset,
        "libregf marks key " + (path.is_root() ? std::string("(root)") : "\"" + path.str() + "\"") +
            " as corrupted"});
  }

  // libregf opens the subkey at the position our own reading of the list suggests, and the name it
  // reads must be the wanted one (subkey_index_hint.hpp). An absent name is decided from the list
  // when it holds exactly the subkeys libregf counts and every one was read by name; anything else
  // goes to libregf's own lookup.
  struct Hinted {
    bool decided = false;  // true: `key` is the answer (null = absent)
    std::optional<KeyPtr> key;
  };
  Hinted hinted_child(libregf_key_t* parent, const std::u16string& wanted) const {
    if (image.empty()) return {};
    const auto parent_cell = cell_offset_of(parent);
    int count = 0;
    if (!parent_cell || libregf_key_get_number_of_sub_keys(parent, &count, nullptr) != 1 ||
        count < 0)
      return {};
    if (count == 0) return {true, std::nullopt};
    if (!hints) hints.emplace(image);
    const SubkeyHint hint = hints->find(*parent_cell, wanted, static_cast<std::size_t>(count));
    if (hint.kind == SubkeyHint::Kind::kAbsent) return {true, std::nullopt};
    if (hint.kind != SubkeyHint::Kind::kFound) return {};
    libregf_key_t* sub = nullptr;
    if (libregf_key_get_sub_key(parent, static_cast<int>(hint.index), &sub, nullptr) != 1)
      return {};
    KeyPtr owned{sub};
    if (!util::names_equal(utf16_name_of_key(sub, image), wanted)) return {};
    return {true, std::move(owned)};
  }

  std::optional<KeyPtr> child(libregf_key_t* parent, const std::string& name) const {
    const std::u16string wanted = util::utf8_to_utf16(name);
    if (auto hinted = hinted_child(parent, wanted); hinted.decided) return std::move(hinted.key);
    ErrorChain err;
    libregf_key_t* raw = nullptr;
    const auto* bytes = reinterpret_cast<const uint8_t*>(name.data());
    const int rc =
        libregf_key_get_sub_key_by_utf8_name(parent, bytes, name.size(), &raw, err.out());
    if (rc == 1) {
      KeyPtr found{raw};
      // libregf compares the name cut at a NUL (review D6): take its answer only when the stored
      // name matches.
      if (util::names_equal(utf16_name_of_key(found.get(), image), wanted)) return found;
    }
    if (rc == -1) fail("cannot look up subkey \"" + name + "\"", err);
    // libregf's comparison does not fold every character the way Windows does: fall back to a scan.
    int count = 0;
    ErrorChain count_err;
    if (libregf_key_get_number_of_sub_keys(parent, &count, count_err.out()) != 1)
      fail("cannot count subkeys", count_err);
    for (int i = 0; i < count; ++i) {
      ErrorChain sub_err;
      libregf_key_t* sub = nullptr;
      if (libregf_key_get_sub_key(parent, i, &sub, sub_err.out()) != 1)
        fail("cannot read a subkey", sub_err);
      KeyPtr owned{sub};
      if (util::names_equal(utf16_name_of_key(sub, image), wanted)) return owned;
    }
    return std::nullopt;
  }

  // libregf reads the value at the position our own reading of the values list gives, and the name
  // it reads there must be the wanted one (value_index_hint in subkey_index_hint.hpp); otherwise
  // nullopt, and libregf's by-name lookup decides.
  std::optional<ValuePtr> hinted_value(libregf_key_t* key, const std::u16string& wanted) const {
    if (image.empty()) return std::nullopt;
    const auto cell = cell_offset_of(key);
    int count = 0;
    if (!cell || libregf_key_get_number_of_values(key, &count, nullptr) != 1 || count <= 0)
      return std::nullopt;
    const auto index = value_index_hint(image, *cell, wanted, static_cast<std::size_t>(count));
    if (!index) return std::nullopt;
    libregf_value_t* raw = nullptr;
    if (libregf_key_get_value(key, static_cast<int>(*index), &raw, nullptr) != 1)
      return std::nullopt;
    ValuePtr v{raw};
    if (!util::names_equal(utf16_name_of_value(v.get(), image), wanted)) return std::nullopt;
    return v;
  }

  // Every path opened so far (upper-cased, Windows' rules), absent ones as null: rules ask for the
  // same keys many times, and each libregf step below a big key (Services) costs a read of its
  // whole subkey list.
  // A key with few subkeys is cheap to open again (its own lists only), and a rule that walks the
  // services opens thousands (each of libregf's keys holds its subkey and value lists, about 18
  // KB): only the kMaxCheapKeys used last of those stay open. A key with more subkeys stays.
  struct OpenedKey {
    std::shared_ptr<libregf_key_t> key;  // null: absent
    std::vector<std::string> stored;     // stored spelling of each component
    bool cheap = false;                  // at most kCheapSubkeys subkeys
    mutable std::uint64_t last_use = 0;
    // Its subkeys' names once listed: the root's are asked twice per hive (the readers' agreement
    // on them, then the ControlSets), and each name costs libregf a key opened (callgrind).
    mutable std::optional<std::vector<std::string>> subkey_names;
  };
  static constexpr int kCheapSubkeys = 64;
  static constexpr std::size_t kMaxCheapKeys = 512;
  mutable std::map<std::u16string, OpenedKey> opened;
  mutable std::uint64_t uses = 0;
  mutable std::size_t cheap_keys = 0;

  // Closes the older half of the cheap keys once there are twice kMaxCheapKeys of them. Called
  // where no reference into `opened` is held.
  void close_old_cheap_keys() const {
    if (cheap_keys <= 2 * kMaxCheapKeys) return;
    std::vector<std::uint64_t> stamps;
    for (const auto& [path, k] : opened)
      if (k.cheap) stamps.push_back(k.last_use);
    std::nth_element(stamps.begin(), stamps.begin() + kMaxCheapKeys, stamps.end(),
                     std::greater<>());
    const std::uint64_t keep_from = stamps[kMaxCheapKeys];
    for (auto it = opened.begin(); it != opened.end();) {
      if (it->second.cheap && it->second.last_use <= keep_from) {
        it = opened.erase(it);
        --cheap_keys;
      } else {
        ++it;
      }
    }
  }

  const OpenedKey& open_cached(const KeyPath& path) const {
    std::u16string folded;
    for (const auto& c : path.components()) folded += u'\\' + util::upcase(util::utf8_to_utf16(c));
    if (auto it = opened.find(folded); it != opened.end()) {
      it->second.last_use = ++uses;
      return it->second;
    }
    OpenedKey result;
    result.last_use = ++uses;
    if (path.is_root()) {
      ErrorChain err;
      libregf_key_t* raw = nullptr;
      if (libregf_file_get_root_key(file, &raw, err.out()) != 1)
        fail("cannot open the root key", err);
      result.key = std::shared_ptr<libregf_key_t>(raw, KeyFree{});
    } else {
      const KeyPath parent_path(
          std::vector<std::string>(path.components().begin(), path.components().end() - 1));
      const OpenedKey& parent = open_cached(parent_path);
      if (parent.key) {
        if (auto next = child(parent.key.get(), path.components().back())) {
          result.stored = parent.stored;
          result.stored.push_back(util::utf16_to_utf8(utf16_name_of_key(next->get(), image)).text);
          result.key = std::shared_ptr<libregf_key_t>(next->release(), KeyFree{});
          int count = 0;
          result.cheap =
              libregf_key_get_number_of_sub_keys(result.key.get(), &count, nullptr) == 1 &&
              count <= kCheapSubkeys;
          if (result.cheap) ++cheap_keys;
        }
      }
    }
    return opened.emplace(std::move(folded), std::move(result)).first->second;
  }

  // The key at `path` (nullopt when absent); fills `stored` with the stored spelling of each
  // component.
  std::optional<std::shared_ptr<libregf_key_t>> open(const KeyPath& path,
                                                     std::vector<std::string>* stored) const {
    const OpenedKey* k = open_entry(path);
    if (!k) return std::nullopt;
    if (stored) *stored = k->stored;
    return k->key;
  }

  // The same, as the cache's entry (nullptr when absent); valid until the next open.
  const OpenedKey* open_entry(const KeyPath& path) const {
    close_old_cheap_keys();
    const OpenedKey& k = open_cached(path);
    if (!k.key) return nullptr;
    note_corruption(k.key.get(), path);
    return &k;
  }

  Value read_value(libregf_value_t* v) const {
    Value out;
    auto name = util::utf16_to_utf8(utf16_name_of_value(v, image));
    out.name = std::move(name.text);
    out.name_lossy = name.lossy;
    ErrorChain err;
    if (libregf_value_get_value_type(v, &out.type, err.out()) != 1)
      fail("cannot read the type of value \"" + out.name + "\"", err);
    off64_t vk_data = 0;
    if (!image.empty() && libregf_value_get_offset(v, &vk_data, nullptr) == 1)
      if (const auto cell = data_to_cell_offset(vk_data))
        if (auto reused = big_data_reuses_a_cell(image, *cell))
          throw BackendError("libregf", "value \"" + out.name + "\": " + *reused, "");
    size_t size = 0;
    if (libregf_value_get_value_data_size(v, &size, err.out()) != 1)
      fail("cannot read the data size of value \"" + out.name + "\"", err);
    out.data.resize(size);
    if (size > 0 && libregf_value_get_value_data(v, out.data.data(), size, err.out()) != 1)
      fail("cannot read the data of value \"" + out.name + "\"", err);
    off64_t offset = 0;
    if (libregf_value_get_offset(v, &offset, nullptr) == 1)
      out.cell_file_offset = data_to_cell_offset(offset);
    // libregf 20201007 has no call for the data cell: hivelint reads it from the vk at libregf's
    // own offset.
    if (!image.empty() && out.cell_file_offset) {
      StoredData stored = stored_value_data(image, *out.cell_file_offset);
      out.data_storage = stored.storage;
      out.data_cell_file_offset = stored.data_cell;
      if (stored.bytes && *stored.bytes != out.data) out.stored_data = std::move(stored.bytes);
    }
    if (libregf_value_is_corrupted(v, nullptr) == 1 &&
        reported.insert(out.cell_file_offset.value_or(0)).second)
      diagnostics.push_back(regf::Diagnostic{
          regf::Severity::kWarning, regf::kVkStructure, out.cell_file_offset.value_or(0),
          "libregf marks value \"" + out.name + "\" as corrupted"});
    return out;
  }
};

LibregfReader::LibregfReader(std::unique_ptr<State> state) : state_(std::move(state)) {}
LibregfReader::~LibregfReader() = default;

std::string LibregfReader::library_version() { return libregf_get_version(); }

std::size_t LibregfReader::open_keys() const {
  std::size_t n = 0;
  for (const auto& [path, k] : state_->opened) n += k.key != nullptr;
  return n;
}

std::unique_ptr<LibregfReader> LibregfReader::open_file(const std::filesystem::path& path) {
  auto state = std::make_unique<State>();
  state->label = path.string();
  ErrorChain err;
  if (libregf_file_initialize(&state->file, err.out()) != 1) fail("cannot initialise", err);
  if (libregf_file_open(state->file, path.c_str(), LIBREGF_OPEN_READ, err.out()) != 1) {
    libregf_file_free(&state->file, nullptr);
    fail("cannot open the hive", err);
  }
  return std::unique_ptr<LibregfReader>(new LibregfReader(std::move(state)));
}

std::unique_ptr<LibregfReader> LibregfReader::open_memory(
    std::span<const std::uint8_t> bytes, std::string label,
    std::shared_ptr<const regf::CleanPages> clean) {
  assert(!clean ||
         (clean->image().data() == bytes.data() && clean->image().size() == bytes.size()));
  auto state = std::make_unique<State>();
  state->label = std::move(label);
  BfioError bfio_err;
  state->image =
      bytes;  // hivelint's own reading of subkey lists (find_subkey) views the same bytes
  auto* memory = new BoundedMemory{bytes.data(), bytes.size(), 0, false, std::move(clean)};
  // Managed: once the handle exists, libbfio owns `memory` and frees it through memory_free.
  if (libbfio_handle_initialize(
          &state->io, reinterpret_cast<intptr_t*>(memory), memory_free, memory_clone, memory_open,
          memory_close, memory_read, memory_write, memory_seek, memory_exists, memory_is_open,
          memory_get_size,
          LIBBFIO_FLAG_IO_HANDLE_MANAGED | LIBBFIO_FLAG_IO_HANDLE_CLONE_BY_FUNCTION,
          bfio_err.out()) != 1) {
    delete memory;
    throw BackendError("libbfio", state->label, "cannot create a memory handle");
  }
  ErrorChain err;
  if (libregf_file_initialize(&state->file, err.out()) != 1) fail("cannot initialise", err);
  if (libregf_file_open_file_io_handle(state->file, state->io, LIBREGF_OPEN_READ, err.out()) != 1) {
    libregf_file_free(&state->file, nullptr);
    fail("cannot open the hive", err);
  }
  return std::unique_ptr<LibregfReader>(new LibregfReader(std::move(state)));
}

std::optional<KeyInfo> LibregfReader::key(const KeyPath& path) const {
  std::lock_guard lock(state_->mutex);
  std::vector<std::string> stored;
  auto k = state_->open(path, &stored);
  if (!k) return std::nullopt;
  KeyInfo info;
  info.path = KeyPath(std::move(stored));
  info.name = info.path.is_root()
                  ? util::utf16_to_utf8(utf16_name_of_key(k->get(), state_->image)).text
                  : info.path.components().back();
  ErrorChain err;
  if (libregf_key_get_last_written_time(k->get(), &info.last_written, err.out()) != 1)
    fail("cannot read the last-written time of " + shown(path), err);
  info.cell_file_offset = cell_offset_of(k->get());
  int subkeys = 0, values = 0;
  if (libregf_key_get_number_of_sub_keys(k->get(), &subkeys, err.out()) != 1)
    fail("cannot count the subkeys of " + shown(path), err);
  if (libregf_key_get_number_of_values(k->get(), &values, err.out()) != 1)
    fail("cannot count the values of " + shown(path), err);
  info.subkey_count = static_cast<std::uint32_t>(subkeys);
  info.value_count = static_cast<std::uint32_t>(values);
  return info;
}

std::vector<std::string> LibregfReader::subkey_names(const KeyPath& path) const {
  std::lock_guard lock(state_->mutex);
  std::vector<std::string> names;
  const auto* k = state_->open_entry(path);
  if (!k) return names;
  if (k->subkey_names) return *k->subkey_names;
  ErrorChain err;
  int count = 0;
  if (libregf_key_get_number_of_sub_keys(k->key.get(), &count, err.out()) != 1)
    fail("cannot count the subkeys of " + shown(path), err);
  for (int i = 0; i < count; ++i) {
    libregf_key_t* raw = nullptr;
    if (libregf_key_get_sub_key(k->key.get(), i, &raw, err.out()) != 1)
      fail("cannot read subkey " + std::to_string(i) + " of " + shown(path), err);
    KeyPtr sub{raw};
    names.push_back(util::utf16_to_utf8(utf16_name_of_key(sub.get(), state_->image)).text);
  }
  k->subkey_names = names;
  return names;
}

std::optional<Value> LibregfReader::value(const KeyPath& path, std::string_view name) const {
  std::lock_guard lock(state_->mutex);
  auto k = state_->open(path, nullptr);
  if (!k) return std::nullopt;
  const std::u16string wanted = util::utf8_to_utf16(name);
  if (auto hinted = state_->hinted_value(k->get(), wanted))
    return state_->read_value(hinted->get());
  ErrorChain err;
  libregf_value_t* raw = nullptr;
  const auto* bytes = reinterpret_cast<const uint8_t*>(name.data());
  const int rc = libregf_key_get_value_by_utf8_name(k->get(), bytes, name.size(), &raw, err.out());
  if (rc == -1) fail("cannot look up value \"" + std::string(name) + "\" of " + shown(path), err);
  if (rc == 1) {
    ValuePtr v{raw};
    // libregf matched the name cut at a NUL: not the value asked for (review D6); the scan below
    // decides.
    if (util::names_equal(utf16_name_of_value(v.get(), state_->image), wanted))
      return state_->read_value(v.get());
  }
  // Fallback scan with Windows' case folding (libregf folds ASCII only).
  int count = 0;
  if (libregf_key_get_number_of_values(k->get(), &count, err.out()) != 1)
    fail("cannot count the values of " + shown(path), err);
  for (int i = 0; i < count; ++i) {
    ErrorChain item_err;
    libregf_value_t* item = nullptr;
    if (libregf_key_get_value(k->get(), i, &item, item_err.out()) != 1)
      fail("cannot read value " + std::to_string(i) + " of " + shown(path), item_err);
    ValuePtr owned{item};
    if (util::names_equal(utf16_name_of_value(item, state_->image), wanted))
      return state_->read_value(item);
  }
  return std::nullopt;
}

std::vector<Value> LibregfReader::values(const KeyPath& path) const {
  std::lock_guard lock(state_->mutex);
  std::vector<Value> out;
  auto k = state_->open(path, nullptr);
  if (!k) return out;
  ErrorChain err;
  int count = 0;
  if (libregf_key_get_number_of_values(k->get(), &count, err.out()) != 1)
    fail("cannot count the values of " + shown(path), err);
  for (int i = 0; i < count; ++i) {
    libregf_value_t* raw = nullptr;
    if (libregf_key_get_value(k->get(), i, &raw, err.out()) != 1)
      fail("cannot read value " + std::to_string(i) + " of " + shown(path), err);
    ValuePtr v{raw};
    out.push_back(state_->read_value(v.get()));
  }
  return out;
}

// The key cells a walk has entered. libregf follows subkey lists as they are, so a hive whose keys
// list one subkey twice (or share a subtree) describes exponentially many paths (review D12: 40
// keys, 2^40 paths); the hivelint reader refuses such a hive, and so does a walk through libregf,
// at the first key entered twice.
class VisitedKeys {
 public:
  void enter(libregf_key_t* key) {
    const auto offset = cell_offset_of(key);
    if (!offset)
      return;  // no offset to compare (libregf did not say): the depth cap still bounds the walk
    if (!seen_.insert(*offset).second)
      throw BackendError(
          "libregf",
          "key node (nk) at " + util::hex_offset(*offset) +
              ": listed as a subkey twice (a cycle or a shared subtree in the subkey lists)",
          "");
  }

 private:
  std::unordered_set<std::uint64_t> seen_;
};

// Builds read_tree()'s TreeKey from the one libregf walk (LibregfVisitor): pre-order, so the keys
// on the way down are the only ones a new key can be added under.
class TreeBuilder final : public TreeVisitor {
 public:
  explicit TreeBuilder(regf::TreeKey& root) : root_(root) {}
  void key(const std::vector<std::u16string>& path, std::u16string_view name,
           std::uint64_t) override {
    if (path.empty()) {
      root_.name = std::u16string(name);
      open_ = {&root_};
      return;
    }
    open_.resize(path.size());  // the keys above this one
    regf::TreeKey& parent = *open_.back();
    parent.subkeys.push_back(regf::TreeKey{std::u16string(name), std::nullopt, {}, {}});
    open_.push_back(&parent.subkeys.back());
  }
  void value(std::u16string_view name, std::uint32_t type,
             std::span<const std::uint8_t> data) override {
    open_.back()->values.push_back(
        regf::TreeValue{std::u16string(name), type, {data.begin(), data.end()}});
  }

 private:
  regf::TreeKey& root_;
  std::vector<regf::TreeKey*> open_;  // the current key and its ancestors, by depth
};

struct LibregfVisitor {
  static void visit(const LibregfReader::State& state, libregf_key_t* key,
                    std::vector<std::u16string>& below, TreeVisitor& visitor,
                    VisitedKeys& visited) {
    if (below.size() > regf::kMaxDepth)
      throw BackendError(
          "libregf", "the tree is deeper than " + std::to_string(regf::kMaxDepth) + " levels", "");
    visited.enter(key);
    ErrorChain err;
    std::uint64_t last_written = 0;
    if (libregf_key_get_last_written_time(key, &last_written, err.out()) != 1)
      fail("cannot read a last-written time", err);
    visitor.key(below, utf16_name_of_key(key, state.image), last_written);
    int values = 0, subkeys = 0;
    if (libregf_key_get_number_of_values(key, &values, err.out()) != 1)
      fail("cannot count values", err);
    for (int i = 0; i < values; ++i) {
      libregf_value_t* raw = nullptr;
      if (libregf_key_get_value(key, i, &raw, err.out()) != 1) fail("cannot read a value", err);
      ValuePtr v{raw};
      const Value read = state.read_value(v.get());
      visitor.value(utf16_name_of_value(v.get(), state.image), read.type, read.data);
    }
    if (libregf_key_get_number_of_sub_keys(key, &subkeys, err.out()) != 1)
      fail("cannot count subkeys", err);
    for (int i = 0; i < subkeys; ++i) {
      libregf_key_t* raw = nullptr;
      if (libregf_key_get_sub_key(key, i, &raw, err.out()) != 1) fail("cannot read a subkey", err);
      KeyPtr sub{raw};
      below.push_back(utf16_name_of_key(sub.get(), state.image));
      visit(state, sub.get(), below, visitor, visited);
      below.pop_back();
    }
  }
};

bool LibregfReader::visit(const KeyPath& start, TreeVisitor& visitor) const {
  std::lock_guard lock(state_->mutex);
  auto k = state_->open(start, nullptr);
  if (!k) return false;
  std::vector<std::u16string> below;
  VisitedKeys visited;
  LibregfVisitor::visit(*state_, k->get(), below, visitor, visited);
  return true;
}

regf::TreeKey LibregfReader::read_tree() const {
  std::lock_guard lock(state_->mutex);
  ErrorChain err;
  libregf_key_t* raw = nullptr;
  if (libregf_file_get_root_key(state_->file, &raw, err.out()) != 1)
    fail("cannot open the root key", err);
  KeyPtr root{raw};
  regf::TreeKey tree;
  TreeBuilder builder(tree);
  std::vector<std::u16string> below;
  VisitedKeys visited;
  LibregfVisitor::visit(*state_, root.get(), below, builder, visited);
  return tree;
}

std::vector<regf::Diagnostic> LibregfReader::diagnostics() const {
  std::lock_guard lock(state_->mutex);
  std::vector<regf::Diagnostic> out = state_->diagnostics;
  if (libregf_file_is_corrupted(state_->file, nullptr) == 1)
    out.insert(out.begin(), regf::Diagnostic{regf::Severity::kWarning, "hive", 0,
                                             "libregf marks the hive as corrupted"});
  return out;
}

}  // namespace hivelint::hive
