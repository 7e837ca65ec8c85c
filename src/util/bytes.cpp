#include "util/bytes.hpp"

#include <cstdio>
#include <cstring>

namespace hivelint::util {

std::string hex_offset(std::uint64_t value) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "0x%08llx", static_cast<unsigned long long>(value));
  return buf;
}

std::string hex_short(std::uint64_t value) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(value));
  return buf;
}

std::string ByteReader::describe(const std::string& message) const {
  return structure_ + " at " + hex_offset(file_offset_) + ": " + message;
}

void ByteReader::fail(const std::string& message) const {
  throw FormatError(FormatLocation{structure_, file_offset_, "", "", ""}, message);
}

void ByteReader::fail_field(const char* field, std::string expected, std::string actual,
                            const std::string& message) const {
  throw FormatError(
      FormatLocation{structure_, file_offset_, field, std::move(expected), std::move(actual)},
      message);
}

void ByteReader::overrun(std::size_t offset, std::size_t length, const char* what) const {
  const std::size_t left = offset > data_.size() ? 0 : data_.size() - offset;
  fail_field(what, std::to_string(length) + " bytes", std::to_string(left) + " bytes",
             std::string(what) + " needs " + std::to_string(length) + " bytes at +" +
                 hex_short(offset) + ", only " + std::to_string(left) + " left");
}

ByteReader ByteReader::sub(std::size_t offset, std::size_t length, std::string structure) const {
  auto bytes = take(offset, length, structure.c_str());
  return ByteReader(bytes, file_offset_ + offset, std::move(structure));
}

bool ByteReader::has_signature(std::string_view signature) const noexcept {
  if (data_.size() < signature.size()) return false;
  for (std::size_t i = 0; i < signature.size(); ++i)
    if (data_[i] != static_cast<std::uint8_t>(signature[i])) return false;
  return true;
}

void ByteReader::require_signature(std::string_view signature) const {
  if (has_signature(signature)) return;
  std::string actual;
  for (std::size_t i = 0; i < signature.size() && i < data_.size(); ++i) {
    const auto c = data_[i];
    if (c >= 0x20 && c < 0x7f) {
      actual += static_cast<char>(c);
    } else {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      actual += buf;
    }
  }
  fail_field("signature", "\"" + std::string(signature) + "\"", "\"" + actual + "\"",
             "signature is \"" + actual + "\", expected \"" + std::string(signature) + "\"");
}

void ByteWriter::put_le(std::size_t offset, std::uint64_t v, std::size_t width) {
  const std::span<std::uint8_t> out = this->out();
  if (offset > out.size() || width > out.size() - offset)
    throw Error("internal: write of " + std::to_string(width) + " bytes at " + hex_offset(offset) +
                " past the end of a " + std::to_string(out.size()) + "-byte buffer");
  for (std::size_t i = 0; i < width; ++i) out[offset + i] = static_cast<std::uint8_t>(v >> (8 * i));
}

void ByteWriter::put_bytes(std::size_t offset, std::span<const std::uint8_t> bytes) {
  const std::span<std::uint8_t> out = this->out();
  if (offset > out.size() || bytes.size() > out.size() - offset)
    throw Error("internal: write of " + std::to_string(bytes.size()) + " bytes at " +
                hex_offset(offset) + " past the end of a " + std::to_string(out.size()) +
                "-byte buffer");
  // One memmove, not a byte loop (the compiler cannot prove the two ranges apart, so it did not
  // vectorise the loop): log replay copies every dirty page of a hive through here. The ranges may
  // overlap.
  if (!bytes.empty()) std::memmove(out.data() + offset, bytes.data(), bytes.size());
}

std::size_t ByteWriter::grow(std::size_t count) {
  if (!vector_) throw Error("internal: a fixed run of bytes cannot grow");
  const std::size_t at = vector_->size();
  vector_->resize(at + count, 0);
  return at;
}

std::uint32_t le_u32(std::span<const std::uint8_t> bytes, std::size_t offset) {
  ByteReader r(bytes, 0, "value data");
  return r.u32_at(offset, "32-bit value");
}

std::uint64_t le_u64(std::span<const std::uint8_t> bytes, std::size_t offset) {
  ByteReader r(bytes, 0, "value data");
  return r.u64_at(offset, "64-bit value");
}

}  // namespace hivelint::util
