// SHA-256 (FIPS 180-4), for the provenance of a report: the hash of the hive, of each transaction
// log and of the rule files, so that a reviewer can tie a report to the exact bytes it is about
// (`sha256sum FILE`). Our own, small and dependency-free: hivelint links no crypto library, and a
// digest of public bytes needs none of a crypto library's hardening. Two implementations of the
// compression function (sha256_blocks.hpp): the portable one, and one with the x86 SHA extensions
// (SHA-NI), chosen at run time when the CPU has them; hashing a 539 MB hive was about 2 s of a 2.6
// s `check` with the portable one alone (docs/performance.md).
#pragma once
#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace hivelint::util {

/// Which compression function a Sha256 runs. kAuto: SHA-NI when this build and CPU have it, else
/// portable; the other two force one, so that tests check both on a machine that has SHA-NI.
enum class Sha256Engine { kAuto, kPortable, kShaNi };

/// Whether `engine` can run here (kShaNi: an x86-64 build on a CPU with SHA, SSSE3 and SSE4.1; the
/// others: always).
bool sha256_engine_available(Sha256Engine engine);

/// The engine kAuto resolves to on this machine (kPortable or kShaNi).
Sha256Engine sha256_auto_engine();

/// Incremental SHA-256: update() any number of times, then hex() (or digest()) once.
class Sha256 {
 public:
  /// Throws Error when `engine` is not available here (see sha256_engine_available).
  explicit Sha256(Sha256Engine engine = Sha256Engine::kAuto);
  void update(std::span<const std::uint8_t> bytes);
  void update(std::string_view text);
  /// The 32-byte digest; the object is finished afterwards (further update() calls are a bug).
  std::array<std::uint8_t, 32> digest();
  /// The digest as 64 lowercase hex digits, as sha256sum prints it.
  std::string hex();

 private:
  using Blocks = void (*)(std::uint32_t* state, const std::uint8_t* blocks, std::size_t count);
  Blocks blocks_;  // the compression function over `count` consecutive 64-byte blocks
  std::array<std::uint32_t, 8> state_;
  std::array<std::uint8_t, 64> buffer_{};
  std::size_t buffered_ = 0;
  std::uint64_t length_ = 0;  // bytes hashed so far
};

/// One-shot forms.
std::string sha256_hex(std::span<const std::uint8_t> bytes,
                       Sha256Engine engine = Sha256Engine::kAuto);
std::string sha256_hex(std::string_view text, Sha256Engine engine = Sha256Engine::kAuto);

}  // namespace hivelint::util
