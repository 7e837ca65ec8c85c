#include "regf/security_key.hpp"

namespace hivelint::regf {

CellOffset allocate_security_key(CellAllocator& cells, std::size_t descriptor_size) {
  return cells.allocate(kSkFixedSize + descriptor_size, kSkStructure);
}

void write_security_key(CellAllocator& cells, const SecurityKey& sk) {
  util::ByteWriter w(cells.bytes());
  const std::size_t d = cell_data_at(sk.offset);
  w.put_bytes(d, std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>("sk"), 2));
  w.put_u32(kSkFlink, d, sk.flink.value);
  w.put_u32(kSkBlink, d, sk.blink.value);
  w.put_u32(kSkReferenceCount, d, sk.reference_count);
  w.put_u32(kSkDescriptorSize, d, static_cast<std::uint32_t>(sk.descriptor.size()));
  w.put_bytes(d + kSkFixedSize, sk.descriptor);
}

SecurityKey parse_security_key(const util::ByteReader& cell, CellOffset offset) {
  cell.require_signature("sk");
  SecurityKey sk;
  sk.offset = offset;
  sk.flink = CellOffset{cell.u32(kSkFlink)};
  sk.blink = CellOffset{cell.u32(kSkBlink)};
  sk.reference_count = cell.u32(kSkReferenceCount);
  const auto bytes = cell.bytes(kSkDescriptor, cell.u32(kSkDescriptorSize));
  sk.descriptor.assign(bytes.begin(), bytes.end());
  // SECURITY_DESCRIPTOR_RELATIVE: revision (1 byte) = 1, control (2 bytes at +2) has
  // SE_SELF_RELATIVE (0x8000).
  const util::ByteReader sd(bytes, cell.file_offset() + kSkDescriptor.offset,
                            "security descriptor");
  const Field revision{0, 1, "revision"};
  const Field control{2, 2, "control"};
  if (sd.u8(revision) != 1)
    sd.fail("revision is " + std::to_string(sd.u8(revision)) + ", expected 1");
  if ((sd.u16(control) & 0x8000) == 0)
    sd.fail("control is " + util::hex_short(sd.u16(control)) +
            ", without SE_SELF_RELATIVE (0x8000)");
  return sk;
}

}  // namespace hivelint::regf
