#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "util/sha256.hpp"

using namespace hivelint;

// FIPS 180-4's examples (NIST "SHA256.pdf", "SHA2_Additional.pdf") and the empty message.
TEST_CASE("SHA-256 of the FIPS 180-4 test vectors", "[unit][util]") {
  CHECK(util::sha256_hex(std::string_view("abc")) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(util::sha256_hex(std::string_view("")) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(util::sha256_hex(std::string_view("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")) ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  CHECK(util::sha256_hex(std::string(1000000, 'a')) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  // 55, 56 and 64 bytes: the padding needs one block, two blocks, and a whole block of its own.
  CHECK(util::sha256_hex(std::string(55, 'a')) == "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318");
  CHECK(util::sha256_hex(std::string(56, 'a')) == "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a");
  CHECK(util::sha256_hex(std::string(64, 'a')) == "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb");
}

TEST_CASE("SHA-256 fed in pieces equals the one-shot digest", "[unit][util]") {
  std::vector<std::uint8_t> bytes(1000);
  for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<std::uint8_t>(i * 7 + 3);
  const std::string whole = util::sha256_hex(bytes);
  for (std::size_t cut : {std::size_t{0}, std::size_t{1}, std::size_t{63}, std::size_t{64}, std::size_t{65},
                          std::size_t{500}, std::size_t{999}}) {
    util::Sha256 h;
    h.update(std::span<const std::uint8_t>(bytes.data(), cut));
    h.update(std::span<const std::uint8_t>(bytes.data() + cut, bytes.size() - cut));
    CHECK(h.hex() == whole);
  }
}
