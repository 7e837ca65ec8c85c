#include <catch2/catch.hpp>

#include <memory>

#include "hive/file_facts.hpp"
#include "hive/open.hpp"
#include "support/real_hives.hpp"
#include "util/sha256.hpp"

using namespace hivelint;

TEST_CASE("file facts: the hash computed beside the evaluation is the hash of the bytes, and outlives the image",
          "[unit][hive]") {
  std::vector<std::uint8_t> bytes(9 * 1024 * 1024 + 17);  // over the 8 MiB from which a thread hashes
  for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<std::uint8_t>(i * 31 + (i >> 12));
  const std::string expected = util::sha256_hex(std::span<const std::uint8_t>(bytes));

  auto image = std::make_shared<const regf::HiveImage>(regf::HiveImage::from_bytes(bytes, "memory"));
  hive::FileFacts facts = hive::file_facts_async(image);
  image.reset();  // the thread keeps the bytes it hashes alive
  const hive::FileFacts copy = facts;
  CHECK(facts.size == bytes.size());
  CHECK(facts.path == "memory");
  CHECK(copy.sha256.hex() == expected);
  CHECK(facts.sha256.hex() == expected);

  CHECK(hive::file_facts(regf::HiveImage::from_bytes(bytes, "memory")).sha256.hex() == expected);
  CHECK(hive::Sha256Hex("ab").hex() == "ab");
  CHECK(hive::Sha256Hex().hex().empty());
}

TEST_CASE("real: a dirty hive's hash is the file's, not the image recovered from its logs", "[unit][hive][real]") {
  if (!test::have_real_hives()) return;
  const auto path = test::real_hives_dir() / "regipy" / "SYSTEM_B";
  const auto opened = hive::open_hive(path, hive::OpenOptions{});
  REQUIRE(opened.recovery.entries_applied > 0);
  const auto file = regf::HiveImage::load(path);
  CHECK(opened.inputs.hive.sha256.hex() == util::sha256_hex(file.bytes()));
  CHECK(opened.inputs.hive.sha256.hex() != util::sha256_hex(opened.image->bytes()));
}
