#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "util/error.hpp"
#include "util/sha256.hpp"

using namespace hivelint;
using util::Sha256Engine;

namespace {

// Every engine this machine runs: the portable one always, SHA-NI where the CPU has it (the test
// machines do: a CPU without it would leave that engine untested, so say so).
std::vector<Sha256Engine> engines_here() {
  std::vector<Sha256Engine> e{Sha256Engine::kPortable};
  if (util::sha256_engine_available(Sha256Engine::kShaNi))
    e.push_back(Sha256Engine::kShaNi);
  else
    WARN("this CPU has no SHA extensions: the SHA-NI engine is not tested here");
  return e;
}

const char* name_of(Sha256Engine e) {
  return e == Sha256Engine::kShaNi ? "SHA-NI" : e == Sha256Engine::kPortable ? "portable" : "auto";
}

// The bytes of tests' messages: byte i = i * 7 + 3 (mod 256). The expected digests below are what
// coreutils `sha256sum` prints for the same bytes, written by
//   python3 -c 'import sys; sys.stdout.buffer.write(bytes((i*7+3)&255 for i in range(1048583)))' >
//   pattern.bin
std::vector<std::uint8_t> pattern(std::size_t size) {
  std::vector<std::uint8_t> bytes(size);
  for (std::size_t i = 0; i < size; ++i) bytes[i] = static_cast<std::uint8_t>(i * 7 + 3);
  return bytes;
}

}  // namespace

// FIPS 180-4's examples (NIST "SHA256.pdf", "SHA2_Additional.pdf") and the empty message, through
// each engine.
TEST_CASE("SHA-256 of the FIPS 180-4 test vectors", "[unit][util]") {
  for (const Sha256Engine engine : engines_here()) {
    INFO("engine " << name_of(engine));
    CHECK(util::sha256_hex(std::string_view("abc"), engine) ==
          "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    CHECK(util::sha256_hex(std::string_view(""), engine) ==
          "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    // The 448-bit and the 896-bit message.
    CHECK(util::sha256_hex(
              std::string_view("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
              engine) == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    CHECK(util::sha256_hex(
              std::string_view("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmno"
                               "ijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu"),
              engine) == "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
    CHECK(util::sha256_hex(std::string(1000000, 'a'), engine) ==
          "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    // 55, 56 and 64 bytes: the padding needs one block, two blocks, and a whole block of its own.
    CHECK(util::sha256_hex(std::string(55, 'a'), engine) ==
          "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318");
    CHECK(util::sha256_hex(std::string(56, 'a'), engine) ==
          "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a");
    CHECK(util::sha256_hex(std::string(64, 'a'), engine) ==
          "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb");
  }
}

// Every length from 0 to 130 bytes (zero, one and two whole blocks, and each padding case around
// them).
TEST_CASE("SHA-256 of 0 to 130 bytes matches sha256sum and the other engine", "[unit][util]") {
  const std::vector<std::uint8_t> bytes = pattern(130);
  // The 131 digests as `for n in $(seq 0 130); do head -c $n pattern.bin | sha256sum | cut -c1-64;
  // done` prints them, one line each, hashed by `sha256sum` in turn: one digest stands for all 131,
  // checked per engine.
  const std::string expected_lines_digest =
      "8dfe500a652f7e2e1cd54d2a2b27982e4e333d450892d899fbedf398b08cef84";
  for (const Sha256Engine engine : engines_here()) {
    INFO("engine " << name_of(engine));
    std::string lines;
    for (std::size_t n = 0; n <= 130; ++n)
      lines += util::sha256_hex(std::span<const std::uint8_t>(bytes.data(), n), engine) + "\n";
    CHECK(util::sha256_hex(lines, Sha256Engine::kPortable) == expected_lines_digest);
    // Spot checks straight from sha256sum, so that a failure above can be told apart from one in
    // the line digest.
    CHECK(util::sha256_hex(std::span<const std::uint8_t>(bytes.data(), 1), engine) ==
          "084fed08b978af4d7d196a7446a86b58009e636b611db16211b65a9aadff29c5");
    CHECK(util::sha256_hex(std::span<const std::uint8_t>(bytes.data(), 55), engine) ==
          "e7313d333c272e639f790978283f9eb392e843d0f29b7016828bb1daa4aac70b");
    CHECK(util::sha256_hex(std::span<const std::uint8_t>(bytes.data(), 56), engine) ==
          "4324d65f3c103567f5589c710bc08f8523f929a9272e3af36fc968e52abc6c27");
  }
  // Length by length, the engines agree (names the first length where they do not).
  const std::vector<Sha256Engine> engines = engines_here();
  for (std::size_t n = 0; n <= 130; ++n) {
    INFO(n << " bytes");
    const std::span<const std::uint8_t> message(bytes.data(), n);
    for (const Sha256Engine engine : engines)
      CHECK(util::sha256_hex(message, engine) ==
            util::sha256_hex(message, Sha256Engine::kPortable));
  }
}

TEST_CASE("SHA-256 of 1 MiB + 7 bytes, whole, in pieces and unaligned", "[unit][util]") {
  const std::vector<std::uint8_t> bytes = pattern((std::size_t{1} << 20) + 7);
  // sha256sum pattern.bin
  const std::string expected = "d66748f132ea9164919c3bc3f127603f3216ea88a1df2f6f250e362dc5379d13";
  for (const Sha256Engine engine : engines_here()) {
    INFO("engine " << name_of(engine));
    CHECK(util::sha256_hex(bytes, engine) == expected);
    // Pieces of every shape: a byte at a time for a while, then ragged pieces that leave the buffer
    // part-full and start the whole-block run at addresses that are not 16-byte aligned.
    const std::size_t pieces[] = {1, 63, 64, 65, 1000, 4096 + 3};
    for (const std::size_t piece : pieces) {
      INFO("pieces of " << piece << " bytes");
      util::Sha256 h(engine);
      for (std::size_t at = 0; at < bytes.size(); at += piece)
        h.update(
            std::span<const std::uint8_t>(bytes.data() + at, std::min(piece, bytes.size() - at)));
      CHECK(h.hex() == expected);
    }
  }
}

TEST_CASE("SHA-256 fed in pieces equals the one-shot digest", "[unit][util]") {
  const std::vector<std::uint8_t> bytes = pattern(1000);
  for (const Sha256Engine engine : engines_here()) {
    INFO("engine " << name_of(engine));
    const std::string whole = util::sha256_hex(bytes, engine);
    for (std::size_t cut : {std::size_t{0}, std::size_t{1}, std::size_t{63}, std::size_t{64},
                            std::size_t{65}, std::size_t{500}, std::size_t{999}}) {
      util::Sha256 h(engine);
      h.update(std::span<const std::uint8_t>(bytes.data(), cut));
      h.update(std::span<const std::uint8_t>(bytes.data() + cut, bytes.size() - cut));
      CHECK(h.hex() == whole);
    }
  }
}

TEST_CASE("SHA-256 engine selection", "[unit][util]") {
  CHECK(util::sha256_engine_available(Sha256Engine::kPortable));
  CHECK(util::sha256_engine_available(Sha256Engine::kAuto));
  // kAuto is SHA-NI exactly when the CPU has it, so that reports get the fast path.
  CHECK(util::sha256_auto_engine() == (util::sha256_engine_available(Sha256Engine::kShaNi)
                                           ? Sha256Engine::kShaNi
                                           : Sha256Engine::kPortable));
  if (!util::sha256_engine_available(Sha256Engine::kShaNi))
    CHECK_THROWS_AS(util::Sha256(Sha256Engine::kShaNi), Error);
}
