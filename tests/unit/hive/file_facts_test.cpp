#include <catch2/catch.hpp>

#include <memory>

#include "hive/file_facts.hpp"
#include "hive/open.hpp"
#include "support/real_hives.hpp"
#include "util/sha256.hpp"

using namespace hivelint;

TEST_CASE(
    "file facts: the hash computed beside the evaluation is the hash of the bytes, and outlives "
    "the image",
    "[unit][hive]") {
  std::vector<std::uint8_t> bytes(9 * 1024 * 1024 +
                                  17);  // over the 8 MiB from which a thread hashes
  for (std::size_t i = 0; i < bytes.size(); ++i)
    bytes[i] = static_cast<std::uint8_t>(i * 31 + (i >> 12));
  const std::string expected = util::sha256_hex(std::span<const std::uint8_t>(bytes));

  auto image =
      std::make_shared<const regf::HiveImage>(regf::HiveImage::from_bytes(bytes, "memory"));
  const std::weak_ptr<const regf::HiveImage> watch = image;
  hive::FileFacts facts = hive::file_facts_async(image);
  image.reset();  // the thread keeps the bytes it hashes alive
  const hive::FileFacts copy = facts;
  CHECK(facts.size == bytes.size());
  CHECK(facts.path == "memory");
  CHECK(copy.sha256.hex() == expected);
  CHECK(facts.sha256.hex() == expected);
  // ... and no longer: once hashed, the image is let go while the facts (in a batch, until its
  // report is written) live on.
  CHECK(watch.expired());

  CHECK(hive::file_facts(regf::HiveImage::from_bytes(bytes, "memory")).sha256.hex() == expected);
  CHECK(hive::Sha256Hex("ab").hex() == "ab");
  CHECK(hive::Sha256Hex().hex().empty());
}

TEST_CASE("real: a dirty hive's hash is the file's, not the image recovered from its logs",
          "[unit][hive][real]") {
  if (!test::have_real_hives()) return;
  const auto path = test::real_hives_dir() / "regipy" / "SYSTEM_B";
  const auto opened = hive::open_hive(path, hive::OpenOptions{});
  REQUIRE(opened.recovery.entries_applied > 0);
  const auto file = regf::HiveImage::load(path);
  CHECK(opened.inputs.hive.sha256.hex() == util::sha256_hex(file.bytes()));
  CHECK(opened.inputs.hive.sha256.hex() != util::sha256_hex(opened.image->bytes()));
}

TEST_CASE(
    "file facts: without hash_now nothing is hashed or kept, and asking for the digest is a logic "
    "error",
    "[unit][hive]") {
  std::vector<std::uint8_t> bytes(9 * 1024 * 1024 + 17);
  auto image =
      std::make_shared<const regf::HiveImage>(regf::HiveImage::from_bytes(bytes, "memory"));
  std::weak_ptr<const regf::HiveImage> alive = image;
  const hive::FileFacts facts = hive::file_facts_async(image, false);
  image.reset();
  CHECK(alive.expired());  // a batch under --quiet keeps no hive mapped for a digest nobody reads
  CHECK(facts.size == bytes.size());
  CHECK_FALSE(facts.sha256.computed());
  CHECK_THROWS_AS(facts.sha256.hex(), std::logic_error);
  CHECK(hive::file_facts_async(
            std::make_shared<const regf::HiveImage>(regf::HiveImage::from_bytes(bytes, "m")))
            .sha256.computed());

  // open_hive passes the option on.
  const auto sample = std::filesystem::path(HIVELINT_SOURCE_DIR) / "samples" / "hives" /
                      "dispatch-missing-names.hiv";
  hive::OpenOptions unread;
  unread.hash_now = false;
  CHECK_FALSE(hive::open_hive(sample, unread).inputs.hive.sha256.computed());
  CHECK(hive::open_hive(sample, hive::OpenOptions{}).inputs.hive.sha256.hex() ==
        util::sha256_hex(regf::HiveImage::load(sample).bytes()));
}
