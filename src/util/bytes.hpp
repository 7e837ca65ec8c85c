// Bounds-checked little-endian access to file bytes: the one way hivelint reads (and writes)
// structures. A ByteReader is a span plus the absolute file offset of its first byte and the name
// of the structure it holds, so that every failure names structure, field and file offset
// (CONTRIBUTING.md §3).
#pragma once
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "util/error.hpp"

namespace hivelint::util {

/// One row of a specification table: offset and size inside the structure, and the spec's field
/// name.
struct Field {
  std::size_t offset;
  std::size_t size;  // 0 for variable-length fields
  const char* name;
};

/// "0x0001f2a8" style rendering used in every message.
std::string hex_offset(std::uint64_t value);
/// "0x4c" style rendering for offsets inside a structure.
std::string hex_short(std::uint64_t value);

class ByteReader {
 public:
  /// data: the structure's bytes; file_offset: absolute offset of data[0] in the file; structure:
  /// e.g. "key node (nk)".
  ByteReader(std::span<const std::uint8_t> data, std::uint64_t file_offset, std::string structure)
      : data_(data), file_offset_(file_offset), structure_(std::move(structure)) {}

  std::size_t size() const noexcept { return data_.size(); }
  std::uint64_t file_offset() const noexcept { return file_offset_; }
  const std::string& structure() const noexcept { return structure_; }
  std::span<const std::uint8_t> data() const noexcept { return data_; }

  // Fixed-size fields; throw FormatError "<structure> at 0x..: <field> at +0x.. needs N bytes, only
  // M left".
  std::uint8_t u8(const Field& f) const {
    return static_cast<std::uint8_t>(read_le(f.offset, 1, f.name));
  }
  std::uint16_t u16(const Field& f) const {
    return static_cast<std::uint16_t>(read_le(f.offset, 2, f.name));
  }
  std::uint32_t u32(const Field& f) const {
    return static_cast<std::uint32_t>(read_le(f.offset, 4, f.name));
  }
  std::uint64_t u64(const Field& f) const { return read_le(f.offset, 8, f.name); }
  std::int32_t i32(const Field& f) const { return static_cast<std::int32_t>(u32(f)); }

  // Reads at a computed offset (array elements); `what` names the element for messages.
  std::uint16_t u16_at(std::size_t offset, const char* what) const {
    return static_cast<std::uint16_t>(read_le(offset, 2, what));
  }
  std::uint32_t u32_at(std::size_t offset, const char* what) const {
    return static_cast<std::uint32_t>(read_le(offset, 4, what));
  }
  std::uint64_t u64_at(std::size_t offset, const char* what) const {
    return read_le(offset, 8, what);
  }

  /// `length` bytes starting at field f (its size is ignored); throws if they overrun the
  /// structure.
  std::span<const std::uint8_t> bytes(const Field& f, std::size_t length) const {
    return take(f.offset, length, f.name);
  }
  /// `length` bytes at offset; throws if they overrun the structure.
  std::span<const std::uint8_t> take(std::size_t offset, std::size_t length,
                                     const char* what) const {
    // Written so that offset + length cannot overflow. Inline: every field of every cell comes
    // through here.
    if (offset > data_.size() || length > data_.size() - offset) [[unlikely]]
      overrun(offset, length, what);
    return data_.subspan(offset, length);
  }
  /// A reader over a part of this one, for a nested structure.
  ByteReader sub(std::size_t offset, std::size_t length, std::string structure) const;

  /// Throws unless the bytes at 0 equal `signature` (e.g. "nk").
  void require_signature(std::string_view signature) const;
  bool has_signature(std::string_view signature) const noexcept;

  /// Builds "<structure> at 0x<offset>: <message>" for callers that detect a semantic problem.
  std::string describe(const std::string& message) const;
  [[noreturn]] void fail(const std::string& message) const;
  /// Like fail(), for one field found other than `expected`: the error carries the three.
  [[noreturn]] void fail_field(const char* field, std::string expected, std::string actual,
                               const std::string& message) const;

 private:
  std::uint64_t read_le(std::size_t offset, std::size_t width, const char* what) const {
    const auto b = take(offset, width, what);
    std::uint64_t v = 0;
    for (std::size_t i = width; i-- > 0;) v = (v << 8) | b[i];
    return v;
  }
  [[noreturn]] void overrun(std::size_t offset, std::size_t length, const char* what) const;

  std::span<const std::uint8_t> data_;
  std::uint64_t file_offset_;
  std::string structure_;
};

/// Little-endian writes into a growable byte buffer, or into a fixed run of bytes (which cannot
/// grow); writes past the end throw (they are our bugs, not input).
class ByteWriter {
 public:
  explicit ByteWriter(std::vector<std::uint8_t>& out) : vector_(&out) {}
  explicit ByteWriter(std::span<std::uint8_t> out) : fixed_(out) {}
  void put_u8(std::size_t offset, std::uint8_t v) { put_le(offset, v, 1); }
  void put_u16(std::size_t offset, std::uint16_t v) { put_le(offset, v, 2); }
  void put_u32(std::size_t offset, std::uint32_t v) { put_le(offset, v, 4); }
  void put_i32(std::size_t offset, std::int32_t v) {
    put_le(offset, static_cast<std::uint32_t>(v), 4);
  }
  void put_u64(std::size_t offset, std::uint64_t v) { put_le(offset, v, 8); }
  void put_u16(const Field& f, std::size_t base, std::uint16_t v) { put_u16(base + f.offset, v); }
  void put_u32(const Field& f, std::size_t base, std::uint32_t v) { put_u32(base + f.offset, v); }
  void put_u64(const Field& f, std::size_t base, std::uint64_t v) { put_u64(base + f.offset, v); }
  void put_bytes(std::size_t offset, std::span<const std::uint8_t> bytes);
  std::size_t size() const noexcept { return out().size(); }
  /// Appends `count` zero bytes and returns the offset of the first (a growable buffer only).
  std::size_t grow(std::size_t count);

 private:
  std::span<std::uint8_t> out() const noexcept {
    return vector_ ? std::span<std::uint8_t>(*vector_) : fixed_;
  }
  void put_le(std::size_t offset, std::uint64_t v, std::size_t width);
  std::vector<std::uint8_t>* vector_ = nullptr;
  std::span<std::uint8_t> fixed_;
};

/// Little-endian helpers for values that are not inside a structure (e.g. decoding REG_DWORD data).
std::uint32_t le_u32(std::span<const std::uint8_t> bytes, std::size_t offset = 0);
std::uint64_t le_u64(std::span<const std::uint8_t> bytes, std::size_t offset = 0);

}  // namespace hivelint::util
