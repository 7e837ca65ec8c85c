#include "regf/builder.hpp"

#include <algorithm>
#include <array>

#include "regf/checksum.hpp"
#include "regf/format.hpp"
#include "regf/key_node.hpp"
#include "regf/subkey_list.hpp"
#include "util/error.hpp"
#include "util/upcase.hpp"
#include "util/utf16.hpp"

namespace hivelint::regf {
namespace {

using util::ByteWriter;

std::size_t align_up(std::size_t v, std::size_t a) { return (v + a - 1) / a * a; }

std::string utf8(std::u16string_view s) { return util::utf16_to_utf8(s).text; }

void append_sid(std::vector<std::uint8_t>& out, std::uint8_t authority,
                std::initializer_list<std::uint32_t> sub) {
  out.push_back(1);  // revision
  out.push_back(static_cast<std::uint8_t>(sub.size()));
  for (int i = 0; i < 5; ++i) out.push_back(0);
  out.push_back(authority);  // identifier authority, big-endian 48-bit
  for (std::uint32_t s : sub)
    for (int i = 0; i < 4; ++i) out.push_back(static_cast<std::uint8_t>(s >> (8 * i)));
}

class Builder {
 public:
  explicit Builder(const BuildOptions& options) : options_(options) {
    if (options.minor_version < 3 || options.minor_version > 6)
      throw UsageError("regf minor version " + std::to_string(options.minor_version) +
                       " is not supported (3 to 6)");
    out_.resize(kBaseBlockSize, 0);
  }

  BuildResult run(const TreeKey& root) {
    const CellOffset root_offset = build_key(root, kNoCell, true, 0);
    close_bin();
    write_base_block(root_offset);
    return BuildResult{std::move(out_), keys_, values_};
  }

 private:
  // ---- allocation -------------------------------------------------------------------------------
  // Allocates an allocated cell for `data_size` bytes; returns its offset (relative to the hive
  // bins).
  CellOffset alloc(std::size_t data_size) {
    const std::size_t size = align_up(kCellHeaderSize + data_size, kCellAlignment);
    if (size > 0x7FFFFFF8)
      throw UsageError("a cell of " + std::to_string(size) + " bytes is too large for a hive");
    if (bin_end_ == 0 || pos_ + size > bin_end_) {
      close_bin();
      open_bin(size);
    }
    const std::size_t at = pos_;
    ByteWriter(out_).put_i32(at, -static_cast<std::int32_t>(size));
    pos_ += size;
    return CellOffset{static_cast<std::uint32_t>(at - kBaseBlockSize)};
  }

  std::size_t data_at(CellOffset c) const { return kBaseBlockSize + c.value + kCellHeaderSize; }

  void open_bin(std::size_t cell_size) {
    const std::size_t size =
        align_up(std::max(kHbinSizeAlignment, cell_size + kHbinHeaderSize), kHbinSizeAlignment);
    const std::size_t start = out_.size();
    if (start - kBaseBlockSize + size > 0x7FFFF000)
      throw UsageError("the hive would exceed the 2 GiB regf limit");
    out_.resize(start + size, 0);
    ByteWriter w(out_);
    w.put_bytes(start,
                std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>("hbin"), 4));
    w.put_u32(kHbinOffset, start, static_cast<std::uint32_t>(start - kBaseBlockSize));
    w.put_u32(kHbinSize, start, static_cast<std::uint32_t>(size));
    // The spec defines the timestamp for the first hive bin only (a backup of the base block's).
    if (start == kBaseBlockSize) w.put_u64(kHbinTimestamp, start, options_.timestamp);
    bin_end_ = start + size;
    pos_ = start + kHbinHeaderSize;
  }

  void close_bin() {
    if (bin_end_ != 0 && pos_ < bin_end_)
      ByteWriter(out_).put_i32(pos_, static_cast<std::int32_t>(bin_end_ - pos_));
    pos_ = bin_end_;
  }

  // ---- cells ------------------------------------------------------------------------------------
  CellOffset security_cell(CellOffset first_key) {
    (void)first_key;
    const auto sd = default_security_descriptor();
    const CellOffset c = alloc(kSkFixedSize + sd.size());
    const std::size_t d = data_at(c);
    ByteWriter w(out_);
    w.put_bytes(d, std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>("sk"), 2));
    w.put_u32(kSkFlink, d, c.value);  // a list of one: flink and blink point to itself
    w.put_u32(kSkBlink, d, c.value);
    w.put_u32(kSkDescriptorSize, d, static_cast<std::uint32_t>(sd.size()));
    w.put_bytes(d + kSkFixedSize, sd);
    return c;
  }

  // A cell holding data[from, from + len), with room for `capacity` bytes (the rest zero).
  CellOffset data_cell(const std::vector<std::uint8_t>& data, std::size_t from, std::size_t len,
                       std::size_t capacity) {
    const CellOffset c = alloc(capacity);
    ByteWriter(out_).put_bytes(data_at(c), std::span<const std::uint8_t>(data).subspan(from, len));
    return c;
  }

  CellOffset value_cell(const TreeValue& v, const std::string& key_path) {
    const auto [name, compressed] = encode_name(v.name);
    if (v.name.size() > kMaxNameUnits)
      throw UsageError("value name under \"" + key_path + "\" is longer than 16383 characters");
    const CellOffset c = alloc(kVkFixedSize + name.size());
    std::uint32_t size_field = static_cast<std::uint32_t>(v.data.size());
    std::uint32_t offset_field = 0;
    if (v.data.size() > 0x7FFFFFFF)
      throw UsageError("value data over 2 GiB under \"" + key_path + "\"");
    if (v.data.size() <= kVkMaxResidentSize) {
      size_field |= kVkDataResidentBit;
      for (std::size_t i = 0; i < v.data.size(); ++i)
        offset_field |= static_cast<std::uint32_t>(v.data[i]) << (8 * i);
    } else if (v.data.size() <= kMaxDataWithoutBigData) {
      offset_field = data_cell(v.data, 0, v.data.size(), v.data.size()).value;
    } else {
      // The format has db cells from 1.4 on, but libregf 20201007 reads them only in 1.5+ hives (it
      // returns the 12-byte db record as the data): a 1.4 hive with big data would not survive our
      // own verification.
      if (options_.minor_version < kMinMinorVersionForHashLeaf)
        throw UsageError("value \"" + utf8(v.name) + "\" under \"" + key_path + "\" has " +
                         std::to_string(v.data.size()) +
                         " bytes: data over 16344 bytes needs big-data cells, which regf 1." +
                         std::to_string(options_.minor_version) +
                         (options_.minor_version < kMinMinorVersionForBigData
                              ? " does not have"
                              : " has but libregf cannot read") +
                         " (use --minor-version 5 or later)");
      offset_field = big_data(v.data).value;
    }
    const std::size_t d = data_at(c);
    ByteWriter w(out_);
    w.put_bytes(d, std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>("vk"), 2));
    w.put_u16(kVkNameLength, d, static_cast<std::uint16_t>(name.size()));
    w.put_u32(kVkDataSize, d, size_field);
    w.put_u32(kVkDataOffset, d, offset_field);
    w.put_u32(kVkDataType, d, v.type);
    w.put_u16(kVkFlags, d, compressed ? kValueCompName : 0);
    w.put_bytes(d + kVkFixedSize, name);
    ++values_;
    return c;
  }

  CellOffset big_data(const std::vector<std::uint8_t>& data) {
    const std::size_t segments = (data.size() + kDbSegmentSize - 1) / kDbSegmentSize;
    if (segments > 0xFFFF)
      throw UsageError("value data of " + std::to_string(data.size()) +
                       " bytes needs too many segments");
    const CellOffset db = alloc(8);
    std::vector<std::uint32_t> offsets;
    // Every segment cell is full size, the last one zero-padded: Windows writes them so (seen in
    // every db cell of the real hives in hives-real/), and libregf reads a segment as its whole
    // cell.
    for (std::size_t i = 0; i < segments; ++i) {
      const std::size_t from = i * kDbSegmentSize;
      offsets.push_back(
          data_cell(data, from, std::min(kDbSegmentSize, data.size() - from), kDbSegmentSize)
              .value);
    }
    const CellOffset list = alloc(4 * segments);
    ByteWriter w(out_);
    for (std::size_t i = 0; i < segments; ++i) w.put_u32(data_at(list) + 4 * i, offsets[i]);
    const std::size_t d = data_at(db);
    w.put_bytes(d, std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>("db"), 2));
    w.put_u16(kDbNumberOfSegments, d, static_cast<std::uint16_t>(segments));
    w.put_u32(kDbSegmentsList, d, list.value);
    return db;
  }

  struct Child {
    CellOffset offset;
    std::u16string name;
  };

  // One leaf (lh for 1.5+, lf before) over children[from, from + count).
  CellOffset leaf(const std::vector<Child>& children, std::size_t from, std::size_t count) {
    const bool hash = options_.minor_version >= kMinMinorVersionForHashLeaf;
    const CellOffset c = alloc(kListHeaderSize + kLfElementSize * count);
    const std::size_t d = data_at(c);
    ByteWriter w(out_);
    w.put_bytes(d, std::span<const std::uint8_t>(
                       reinterpret_cast<const std::uint8_t*>(hash ? "lh" : "lf"), 2));
    w.put_u16(kListCount, d, static_cast<std::uint16_t>(count));
    for (std::size_t i = 0; i < count; ++i) {
      const Child& ch = children[from + i];
      const std::size_t e = d + kListHeaderSize + kLfElementSize * i;
      w.put_u32(e, ch.offset.value);
      if (hash) {
        w.put_u32(e + 4, lh_hash(ch.name));
      } else {
        const auto hint = lf_hint(ch.name);
        w.put_bytes(e + 4, hint);
      }
    }
    return c;
  }

  CellOffset subkey_list(const std::vector<Child>& children, const std::string& key_path) {
    if (children.size() <= kBuilderLeafCapacity) return leaf(children, 0, children.size());
    std::vector<CellOffset> leaves;
    for (std::size_t from = 0; from < children.size(); from += kBuilderLeafCapacity)
      leaves.push_back(
          leaf(children, from, std::min(kBuilderLeafCapacity, children.size() - from)));
    if (leaves.size() > 0xFFFF)
      throw UsageError("\"" + key_path + "\" has too many subkeys for one index root");
    const CellOffset ri = alloc(kListHeaderSize + kLiElementSize * leaves.size());
    const std::size_t d = data_at(ri);
    ByteWriter w(out_);
    w.put_bytes(d, std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>("ri"), 2));
    w.put_u16(kListCount, d, static_cast<std::uint16_t>(leaves.size()));
    for (std::size_t i = 0; i < leaves.size(); ++i)
      w.put_u32(d + kListHeaderSize + kLiElementSize * i, leaves[i].value);
    return ri;
  }

  CellOffset build_key(const TreeKey& key, CellOffset parent, bool is_root, std::size_t depth) {
    const std::string path = is_root ? std::string("(root)") : utf8(key.name);
    if (depth > kMaxDepth)
      throw UsageError("the tree is deeper than " + std::to_string(kMaxDepth) + " levels");
    if (key.name.size() > 255 && !is_root)
      throw UsageError("key name \"" + utf8(key.name.substr(0, 40)) +
                       "...\" is longer than 255 characters");
    if (key.name.empty() && !is_root) throw UsageError("a key with an empty name cannot be stored");
    const auto [name, compressed] = encode_name(key.name);
    const CellOffset nk = alloc(kNkFixedSize + name.size());
    ++keys_;
    if (is_root) security_ = security_cell(nk);

    CellOffset class_cell = kNoCell;
    std::size_t class_bytes = 0;
    if (key.class_name) {
      const std::string bytes = util::utf16le_bytes(*key.class_name);
      class_bytes = bytes.size();
      if (class_bytes > 0xFFFF) throw UsageError("class name of \"" + path + "\" is too long");
      class_cell = alloc(class_bytes);
      ByteWriter(out_).put_bytes(
          data_at(class_cell),
          std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(bytes.data()),
                                        bytes.size()));
    }

    // Values, in the tree's order (hives keep value lists unsorted).
    std::uint32_t max_value_name = 0, max_value_data = 0;
    std::vector<std::uint32_t> value_offsets;
    for (std::size_t i = 0; i < key.values.size(); ++i) {
      const TreeValue& v = key.values[i];
      for (std::size_t j = 0; j < i; ++j)
        if (util::names_equal(key.values[j].name, v.name))
          throw UsageError("key \"" + path + "\" has two values named \"" + utf8(v.name) + "\"");
      value_offsets.push_back(value_cell(v, path).value);
      max_value_name =
          std::max<std::uint32_t>(max_value_name, static_cast<std::uint32_t>(v.name.size() * 2));
      max_value_data =
          std::max<std::uint32_t>(max_value_data, static_cast<std::uint32_t>(v.data.size()));
    }
    if (value_offsets.size() > kMaxValues)
      throw UsageError("key \"" + path + "\" has too many values");
    CellOffset values_list = kNoCell;
    if (!value_offsets.empty()) {
      values_list = alloc(4 * value_offsets.size());
      for (std::size_t i = 0; i < value_offsets.size(); ++i)
        ByteWriter(out_).put_u32(data_at(values_list) + 4 * i, value_offsets[i]);
    }

    // Subkeys in Windows' order: upcased UTF-16 units compared one by one.
    std::vector<const TreeKey*> order;
    for (const auto& s : key.subkeys) order.push_back(&s);
    std::stable_sort(order.begin(), order.end(), [](const TreeKey* a, const TreeKey* b) {
      return util::compare_names(a->name, b->name) < 0;
    });
    for (std::size_t i = 1; i < order.size(); ++i)
      if (util::compare_names(order[i - 1]->name, order[i]->name) == 0)
        throw UsageError("key \"" + path + "\" has two subkeys named \"" + utf8(order[i]->name) +
                         "\"");
    if (order.size() > kMaxSubkeys) throw UsageError("key \"" + path + "\" has too many subkeys");
    std::vector<Child> children;
    std::uint32_t max_subkey_name = 0, max_subkey_class = 0;
    for (const TreeKey* s : order) {
      children.push_back({build_key(*s, nk, false, depth + 1), s->name});
      max_subkey_name =
          std::max<std::uint32_t>(max_subkey_name, static_cast<std::uint32_t>(s->name.size() * 2));
      if (s->class_name)
        max_subkey_class = std::max<std::uint32_t>(
            max_subkey_class, static_cast<std::uint32_t>(s->class_name->size() * 2));
    }
    const CellOffset subkeys_list = children.empty() ? kNoCell : subkey_list(children, path);

    const std::size_t d = data_at(nk);
    ByteWriter w(out_);
    w.put_bytes(d, std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>("nk"), 2));
    std::uint16_t flags = compressed ? kKeyCompName : 0;
    if (is_root) flags |= kKeyHiveEntry | kKeyNoDelete;
    w.put_u16(kNkFlags, d, flags);
    w.put_u64(kNkLastWritten, d, options_.timestamp);
    w.put_u32(kNkParent, d, parent.value);
    w.put_u32(kNkNumberOfSubkeys, d, static_cast<std::uint32_t>(children.size()));
    w.put_u32(kNkSubkeysList, d, subkeys_list.value);
    w.put_u32(kNkVolatileSubkeysList, d, kNoCell.value);
    w.put_u32(kNkNumberOfValues, d, static_cast<std::uint32_t>(value_offsets.size()));
    w.put_u32(kNkValuesList, d, values_list.value);
    w.put_u32(kNkKeySecurity, d, security_.value);
    w.put_u32(kNkClassName, d, class_cell.value);
    w.put_u32(kNkLargestSubkeyNameLength, d, max_subkey_name);
    w.put_u32(kNkLargestSubkeyClassLength, d, max_subkey_class);
    w.put_u32(kNkLargestValueNameLength, d, max_value_name);
    w.put_u32(kNkLargestValueDataSize, d, max_value_data);
    w.put_u16(kNkKeyNameLength, d, static_cast<std::uint16_t>(name.size()));
    w.put_u16(kNkClassNameLength, d, static_cast<std::uint16_t>(class_bytes));
    w.put_bytes(d + kNkFixedSize, name);
    ++security_references_;
    return nk;
  }

  void write_base_block(CellOffset root) {
    ByteWriter w(out_);
    // The security cell's reference count is the number of keys using it, known only now.
    w.put_u32(kSkReferenceCount, data_at(security_), security_references_);
    w.put_bytes(0, std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>("regf"), 4));
    w.put_u32(kBbPrimarySequence, 0, 1);
    w.put_u32(kBbSecondarySequence, 0, 1);
    w.put_u64(kBbLastWritten, 0, options_.timestamp);
    w.put_u32(kBbMajorVersion, 0, kMajorVersion);
    w.put_u32(kBbMinorVersion, 0, options_.minor_version);
    w.put_u32(kBbFileType, 0, kFileTypePrimary);
    w.put_u32(kBbFileFormat, 0, kFileFormatDirectMemoryLoad);
    w.put_u32(kBbRootCell, 0, root.value);
    w.put_u32(kBbHiveBinsDataSize, 0, static_cast<std::uint32_t>(out_.size() - kBaseBlockSize));
    w.put_u32(kBbClusteringFactor, 0, 1);
    const std::u16string name = options_.file_name.substr(0, 31);
    for (std::size_t i = 0; i < name.size(); ++i) w.put_u16(kBbFileName.offset + 2 * i, name[i]);
    w.put_u32(kBbChecksum, 0,
              base_block_checksum(std::span<const std::uint8_t>(out_).first(kBaseBlockSize)));
  }

  const BuildOptions& options_;
  std::vector<std::uint8_t> out_;
  std::size_t pos_ = 0;
  std::size_t bin_end_ = 0;
  CellOffset security_ = kNoCell;
  std::uint32_t security_references_ = 0;
  std::size_t keys_ = 0;
  std::size_t values_ = 0;
};

}  // namespace

std::vector<std::uint8_t> default_security_descriptor() {
  constexpr std::uint32_t kKeyAllAccess = 0x000F003F;
  constexpr std::uint32_t kKeyRead = 0x00020019;
  constexpr std::uint8_t kInherit = 0x03;  // OBJECT_INHERIT_ACE | CONTAINER_INHERIT_ACE
  std::vector<std::uint8_t> owner, group;
  append_sid(owner, 5, {32, 544});  // BUILTIN\Administrators
  append_sid(group, 5, {18});       // NT AUTHORITY\SYSTEM
  std::vector<std::uint8_t> aces;
  std::size_t ace_count = 0;
  const auto ace = [&](std::uint32_t mask, std::initializer_list<std::uint32_t> sub) {
    std::vector<std::uint8_t> sid;
    append_sid(sid, 5, sub);
    const std::size_t size = 8 + sid.size();
    aces.push_back(0);  // ACCESS_ALLOWED_ACE_TYPE
    aces.push_back(kInherit);
    aces.push_back(static_cast<std::uint8_t>(size));
    aces.push_back(static_cast<std::uint8_t>(size >> 8));
    for (int i = 0; i < 4; ++i) aces.push_back(static_cast<std::uint8_t>(mask >> (8 * i)));
    aces.insert(aces.end(), sid.begin(), sid.end());
    ++ace_count;
  };
  ace(kKeyAllAccess, {18});       // SYSTEM
  ace(kKeyAllAccess, {32, 544});  // Administrators
  ace(kKeyRead, {32, 545});       // Users
  std::vector<std::uint8_t> acl{2, 0, 0, 0, static_cast<std::uint8_t>(ace_count), 0, 0, 0};
  const std::size_t acl_size = acl.size() + aces.size();
  acl[2] = static_cast<std::uint8_t>(acl_size);
  acl[3] = static_cast<std::uint8_t>(acl_size >> 8);
  acl.insert(acl.end(), aces.begin(), aces.end());

  std::vector<std::uint8_t> sd(20, 0);
  sd[0] = 1;  // revision
  const std::uint16_t control =
      0x8000 | 0x1000 | 0x0004;  // SE_SELF_RELATIVE | SE_DACL_PROTECTED | SE_DACL_PRESENT
  sd[2] = static_cast<std::uint8_t>(control);
  sd[3] = static_cast<std::uint8_t>(control >> 8);
  const auto put32 = [&](std::size_t at, std::size_t v) {
    for (int i = 0; i < 4; ++i)
      sd[at + static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(v >> (8 * i));
  };
  const std::size_t dacl_at = sd.size();
  sd.insert(sd.end(), acl.begin(), acl.end());
  const std::size_t owner_at = sd.size();
  sd.insert(sd.end(), owner.begin(), owner.end());
  const std::size_t group_at = sd.size();
  sd.insert(sd.end(), group.begin(), group.end());
  put32(4, owner_at);
  put32(8, group_at);
  put32(12, 0);  // no SACL
  put32(16, dacl_at);
  return sd;
}

BuildResult build_hive(const TreeKey& root, const BuildOptions& options) {
  return Builder(options).run(root);
}

}  // namespace hivelint::regf
