#include "regf/builder.hpp"

#include <algorithm>
#include <array>

#include "regf/checksum.hpp"
#include "regf/format.hpp"
#include "regf/key_node.hpp"
#include "regf/security_key.hpp"
#include "regf/subkey_list.hpp"
#include "regf/value_key.hpp"
#include "regf/value_list.hpp"
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

// The builder's policy: what a tree may hold (refused with UsageError naming the key), the order
// cells are laid out in (a key's nk, its values, their list, its subkeys depth first, their list),
// and the fields only a whole tree knows (largest names, the security cell's reference count). The
// records' bytes are the encoders' (write_key_node and its kin, beside their parsers).
class Builder final : public CellAllocator {
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

  // ---- allocation (CellAllocator): cells one after the other, a new hive bin when one is full ---
  CellOffset allocate(std::size_t data_size, std::string /*structure*/) override {
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

  std::vector<std::uint8_t>& bytes() override { return out_; }

 private:
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

  // ---- records ----------------------------------------------------------------------------------
  // What a value may hold in this hive's version; refused before anything is allocated for it.
  void check_value(const TreeValue& v, const std::string& key_path) const {
    if (v.name.size() > kMaxNameUnits)
      throw UsageError("value name under \"" + key_path + "\" is longer than 16383 characters");
    if (v.data.size() > 0x7FFFFFFF)
      throw UsageError("value data over 2 GiB under \"" + key_path + "\"");
    if (v.data.size() <= kMaxDataWithoutBigData) return;
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
    if ((v.data.size() + kDbSegmentSize - 1) / kDbSegmentSize > 0xFFFF)
      throw UsageError("value data of " + std::to_string(v.data.size()) +
                       " bytes needs too many segments");
  }

  CellOffset value_cell(const TreeValue& v, const std::string& key_path) {
    check_value(v, key_path);
    ValueKey vk;
    vk.offset = allocate_value_key(*this, v.name);
    const StoredData stored = store_value_data(*this, v.data, options_.minor_version);
    vk.name = v.name;
    vk.type = v.type;
    vk.stored_size = stored.size_field;
    vk.data_offset_field = stored.offset_field;
    write_value_key(*this, vk);
    ++values_;
    return vk.offset;
  }

  struct Child {
    CellOffset offset;
    std::u16string name;
  };

  // One leaf (lh for 1.5+, lf before) over children[from, from + count).
  CellOffset leaf(const std::vector<Child>& children, std::size_t from, std::size_t count) {
    const ListKind kind = options_.minor_version >= kMinMinorVersionForHashLeaf
                              ? ListKind::kHashLeaf
                              : ListKind::kFastLeaf;
    std::vector<ListElement> elements;
    elements.reserve(count);
    for (std::size_t i = from; i < from + count; ++i)
      elements.push_back({children[i].offset, list_element_check(kind, children[i].name)});
    return write_subkey_list(*this, kind, elements);
  }

  // One leaf when the children fit in one, else leaves of kBuilderLeafCapacity under an index root.
  CellOffset subkey_list(const std::vector<Child>& children, const std::string& key_path) {
    if (children.size() <= kBuilderLeafCapacity) return leaf(children, 0, children.size());
    std::vector<ListElement> leaves;
    for (std::size_t from = 0; from < children.size(); from += kBuilderLeafCapacity)
      leaves.push_back(
          {leaf(children, from, std::min(kBuilderLeafCapacity, children.size() - from)), 0});
    if (leaves.size() > 0xFFFF)
      throw UsageError("\"" + key_path + "\" has too many subkeys for one index root");
    return write_subkey_list(*this, ListKind::kIndexRoot, leaves);
  }

  CellOffset class_name_cell(const TreeKey& key, const std::string& path,
                             std::uint16_t& class_bytes) {
    if (!key.class_name) return kNoCell;
    const std::string bytes = util::utf16le_bytes(*key.class_name);
    if (bytes.size() > 0xFFFF) throw UsageError("class name of \"" + path + "\" is too long");
    class_bytes = static_cast<std::uint16_t>(bytes.size());
    const CellOffset cell = allocate(bytes.size(), kClassNameStructure);
    ByteWriter(out_).put_bytes(
        cell_data_at(cell), std::span<const std::uint8_t>(
                                reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()));
    return cell;
  }

  CellOffset build_key(const TreeKey& key, CellOffset parent, bool is_root, std::size_t depth) {
    const std::string path = is_root ? std::string("(root)") : utf8(key.name);
    if (depth > kMaxDepth)
      throw UsageError("the tree is deeper than " + std::to_string(kMaxDepth) + " levels");
    if (key.name.size() > 255 && !is_root)
      throw UsageError("key name \"" + utf8(key.name.substr(0, 40)) +
                       "...\" is longer than 255 characters");
    if (key.name.empty() && !is_root) throw UsageError("a key with an empty name cannot be stored");
    KeyNode nk;
    nk.offset = allocate_key_node(*this, key.name);
    nk.name = key.name;
    ++keys_;
    if (is_root) {
      security_.offset = allocate_security_key(*this, security_.descriptor.size());
      security_.flink = security_.offset;  // a list of one: flink and blink point to itself
      security_.blink = security_.offset;
    }
    nk.class_name = class_name_cell(key, path, nk.class_name_length);

    // Values, in the tree's order (hives keep value lists unsorted).
    std::vector<CellOffset> value_offsets;
    for (std::size_t i = 0; i < key.values.size(); ++i) {
      const TreeValue& v = key.values[i];
      for (std::size_t j = 0; j < i; ++j)
        if (util::names_equal(key.values[j].name, v.name))
          throw UsageError("key \"" + path + "\" has two values named \"" + utf8(v.name) + "\"");
      value_offsets.push_back(value_cell(v, path));
      nk.largest_value_name = std::max<std::uint32_t>(
          nk.largest_value_name, static_cast<std::uint32_t>(v.name.size() * 2));
      nk.largest_value_data =
          std::max<std::uint32_t>(nk.largest_value_data, static_cast<std::uint32_t>(v.data.size()));
    }
    if (value_offsets.size() > kMaxValues)
      throw UsageError("key \"" + path + "\" has too many values");
    nk.value_count = static_cast<std::uint32_t>(value_offsets.size());
    nk.values_list = write_value_list(*this, value_offsets);

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
    for (const TreeKey* s : order) {
      children.push_back({build_key(*s, nk.offset, false, depth + 1), s->name});
      nk.largest_subkey_name = std::max<std::uint32_t>(
          nk.largest_subkey_name, static_cast<std::uint32_t>(s->name.size() * 2));
      if (s->class_name)
        nk.largest_subkey_class = std::max<std::uint32_t>(
            nk.largest_subkey_class, static_cast<std::uint32_t>(s->class_name->size() * 2));
    }
    nk.subkey_count = static_cast<std::uint32_t>(children.size());
    nk.subkeys_list = children.empty() ? kNoCell : subkey_list(children, path);

    nk.flags = is_root ? kKeyHiveEntry | kKeyNoDelete : 0;
    nk.last_written = options_.timestamp;
    nk.parent = parent;
    nk.security = security_.offset;
    write_key_node(*this, nk);
    ++security_.reference_count;
    return nk.offset;
  }

  void write_base_block(CellOffset root) {
    // The security cell's reference count is the number of keys using it, known only now.
    write_security_key(*this, security_);
    ByteWriter w(out_);
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
  SecurityKey security_{kNoCell, kNoCell, kNoCell, 0, default_security_descriptor()};
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
