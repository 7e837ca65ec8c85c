#include "support/cell_image.hpp"

#include "regf/checksum.hpp"
#include "util/bytes.hpp"

namespace hivelint::test {

namespace {
void ensure(std::vector<std::uint8_t>& b, std::size_t size) {
  if (b.size() < size) b.resize(size, 0);
}
std::uint32_t round_up(std::size_t v, std::size_t to) {
  return static_cast<std::uint32_t>((v + to - 1) / to * to);
}
}  // namespace

Record& Record::ascii(std::size_t at, std::string_view text) {
  ensure(bytes, at + text.size());
  for (std::size_t i = 0; i < text.size(); ++i) bytes[at + i] = static_cast<std::uint8_t>(text[i]);
  return *this;
}
Record& Record::u16(std::size_t at, std::uint16_t v) {
  ensure(bytes, at + 2);
  util::ByteWriter(bytes).put_u16(at, v);
  return *this;
}
Record& Record::u32(std::size_t at, std::uint32_t v) {
  ensure(bytes, at + 4);
  util::ByteWriter(bytes).put_u32(at, v);
  return *this;
}
Record& Record::u64(std::size_t at, std::uint64_t v) {
  ensure(bytes, at + 8);
  util::ByteWriter(bytes).put_u64(at, v);
  return *this;
}
Record& Record::utf16(std::size_t at, std::u16string_view text) {
  for (std::size_t i = 0; i < text.size(); ++i) u16(at + 2 * i, text[i]);
  return *this;
}

Record nk(std::string_view name, regf::CellOffset parent, std::uint16_t flags) {
  using namespace regf;
  Record r(kNkFixedSize);
  r.ascii(0, "nk").u16(kNkFlags.offset, flags).u32(kNkParent.offset, parent.value);
  for (const Field* f :
       {&kNkSubkeysList, &kNkVolatileSubkeysList, &kNkValuesList, &kNkKeySecurity, &kNkClassName})
    r.u32(f->offset, kNoCell.value);
  r.u16(kNkKeyNameLength.offset, static_cast<std::uint16_t>(name.size()))
      .ascii(kNkKeyName.offset, name);
  return r;
}

Record nk_utf16(std::u16string_view name, regf::CellOffset parent) {
  Record r = nk("", parent, 0);
  r.u16(regf::kNkKeyNameLength.offset, static_cast<std::uint16_t>(2 * name.size()))
      .utf16(regf::kNkKeyName.offset, name);
  return r;
}

Record& with_subkeys(Record& nk, std::uint32_t count, regf::CellOffset list) {
  return nk.u32(regf::kNkNumberOfSubkeys.offset, count)
      .u32(regf::kNkSubkeysList.offset, list.value);
}

Record& with_values(Record& nk, std::uint32_t count, regf::CellOffset list) {
  return nk.u32(regf::kNkNumberOfValues.offset, count).u32(regf::kNkValuesList.offset, list.value);
}

Record vk(std::string_view name, std::uint32_t type, std::uint32_t size_field,
          std::uint32_t data_offset) {
  using namespace regf;
  Record r(kVkFixedSize);
  r.ascii(0, "vk").u16(kVkNameLength.offset, static_cast<std::uint16_t>(name.size()));
  r.u32(kVkDataSize.offset, size_field)
      .u32(kVkDataOffset.offset, data_offset)
      .u32(kVkDataType.offset, type);
  r.u16(kVkFlags.offset, kValueCompName).ascii(kVkValueName.offset, name);
  return r;
}

Record offsets_list(std::string_view signature, std::initializer_list<regf::CellOffset> offsets) {
  Record r(4);
  r.ascii(0, signature).u16(2, static_cast<std::uint16_t>(offsets.size()));
  std::size_t at = 4;
  for (auto o : offsets) r.u32(at, o.value), at += 4;
  return r;
}

Record pairs_list(std::string_view signature,
                  std::initializer_list<std::pair<regf::CellOffset, std::uint32_t>> elements) {
  Record r(4);
  r.ascii(0, signature).u16(2, static_cast<std::uint16_t>(elements.size()));
  std::size_t at = 4;
  for (const auto& [o, check] : elements) r.u32(at, o.value).u32(at + 4, check), at += 8;
  return r;
}

Record offsets(std::initializer_list<regf::CellOffset> list) {
  Record r;
  std::size_t at = 0;
  for (auto o : list) r.u32(at, o.value), at += 4;
  return r;
}

regf::CellOffset CellImage::append(std::vector<std::uint8_t> data, std::size_t size,
                                   bool allocated) {
  const regf::CellOffset at{cursor_};
  bins_.back().cells.push_back(Cell{cursor_, std::move(data), size, allocated});
  cursor_ += static_cast<std::uint32_t>(size);
  return at;
}

regf::CellOffset CellImage::add(const Record& data) { return add(data.bytes); }

regf::CellOffset CellImage::add(const std::vector<std::uint8_t>& data) {
  return append(data, round_up(data.size() + regf::kCellHeaderSize, regf::kCellAlignment), true);
}

regf::CellOffset CellImage::add_free(std::size_t size) { return append({}, size, false); }

void CellImage::new_bin() {
  const std::uint32_t start = bins_.back().start;
  const std::uint32_t end = start + round_up(cursor_ - start, regf::kHbinSizeAlignment);
  bins_.push_back(Bin{end, {}});
  cursor_ = end + static_cast<std::uint32_t>(regf::kHbinHeaderSize);
}

std::vector<std::uint8_t> CellImage::bytes() const {
  using namespace regf;
  const std::uint32_t total =
      bins_.back().start + round_up(cursor_ - bins_.back().start, kHbinSizeAlignment);
  std::vector<std::uint8_t> out(kBaseBlockSize + total, 0);
  util::ByteWriter w(out);
  for (std::size_t b = 0; b < bins_.size(); ++b) {
    const Bin& bin = bins_[b];
    const std::uint32_t end = b + 1 < bins_.size() ? bins_[b + 1].start : total;
    const std::size_t at = kBaseBlockSize + bin.start;
    w.put_bytes(at, std::vector<std::uint8_t>{'h', 'b', 'i', 'n'});
    w.put_u32(at + kHbinOffset.offset, bin.start);
    w.put_u32(at + kHbinSize.offset, end - bin.start);
    std::uint32_t last = bin.start + static_cast<std::uint32_t>(kHbinHeaderSize);
    for (const Cell& c : bin.cells) {
      const std::size_t cell_at = kBaseBlockSize + c.offset;
      const auto size = static_cast<std::int32_t>(c.size);
      w.put_i32(cell_at, c.allocated ? -size : size);
      if (!c.data.empty()) w.put_bytes(cell_at + kCellHeaderSize, c.data);
      last = c.offset + static_cast<std::uint32_t>(c.size);
    }
    if (last < end)
      w.put_i32(kBaseBlockSize + last, static_cast<std::int32_t>(end - last));  // free padding cell
  }
  w.put_bytes(0, std::vector<std::uint8_t>{'r', 'e', 'g', 'f'});
  w.put_u32(kBbPrimarySequence.offset, 1);
  w.put_u32(kBbSecondarySequence.offset, 1);
  w.put_u32(kBbMajorVersion.offset, 1);
  w.put_u32(kBbMinorVersion.offset, minor_);
  w.put_u32(kBbFileFormat.offset, 1);
  w.put_u32(kBbRootCell.offset, root_.value);
  w.put_u32(kBbHiveBinsDataSize.offset, total);
  w.put_u32(kBbClusteringFactor.offset, 1);
  w.put_u32(kBbChecksum.offset, base_block_checksum(out));
  return out;
}

void poke_u16(std::vector<std::uint8_t>& bytes, std::size_t at, std::uint16_t v) {
  util::ByteWriter(bytes).put_u16(at, v);
}
void poke_u32(std::vector<std::uint8_t>& bytes, std::size_t at, std::uint32_t v) {
  util::ByteWriter(bytes).put_u32(at, v);
}

}  // namespace hivelint::test
