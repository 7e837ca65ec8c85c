// SHA-256 (FIPS 180-4), for the provenance of a report: the hash of the hive, of each transaction log and of
// the rule files, so that a reviewer can tie a report to the exact bytes it is about (`sha256sum FILE`).
// Our own, small and dependency-free: hivelint links no crypto library, and a digest of public bytes needs none
// of a crypto library's hardening.
#pragma once
#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace hivelint::util {

/// Incremental SHA-256: update() any number of times, then hex() (or digest()) once.
class Sha256 {
 public:
  Sha256();
  void update(std::span<const std::uint8_t> bytes);
  void update(std::string_view text);
  /// The 32-byte digest; the object is finished afterwards (further update() calls are a bug).
  std::array<std::uint8_t, 32> digest();
  /// The digest as 64 lowercase hex digits, as sha256sum prints it.
  std::string hex();

 private:
  void block(const std::uint8_t* p);
  std::array<std::uint32_t, 8> state_;
  std::array<std::uint8_t, 64> buffer_{};
  std::size_t buffered_ = 0;
  std::uint64_t length_ = 0;  // bytes hashed so far
};

/// One-shot forms.
std::string sha256_hex(std::span<const std::uint8_t> bytes);
std::string sha256_hex(std::string_view text);

}  // namespace hivelint::util
