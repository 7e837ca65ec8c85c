#include <catch2/catch.hpp>

#include "regf/builder.hpp"
#include "regf/format.hpp"
#include "regf/log_file.hpp"
#include "support/log_builder.hpp"
#include "util/bytes.hpp"

using namespace hivelint;
using Catch::Matchers::Contains;
using test::EntrySpec;

namespace {

// A small valid hive to copy base blocks from.
std::vector<std::uint8_t> build(int) {
  regf::TreeKey root;
  root.name = u"ROOT";
  root.ensure_subkey(u"Select");
  return regf::build_hive(root, regf::BuildOptions{}).bytes;
}

}  // namespace

TEST_CASE("log files: a primary hive or a foreign file is not a transaction log", "[unit][regf]") {
  const auto v0 = build(0);
  REQUIRE_THROWS_WITH(regf::parse_log_file(v0, "x"),
                      Contains("a primary hive file, not a transaction log"));
  const std::vector<std::uint8_t> junk(600, 'A');
  REQUIRE_THROWS_WITH(regf::parse_log_file(junk, "x"), Contains("signature is \"AAAA\""));
  const auto log = test::new_log(
      v0, {EntrySpec{1, 4096, {test::Page{0, std::vector<std::uint8_t>(4096, 1)}}, 0}});
  const auto parsed = regf::parse_log_file(log, "x");
  CHECK(parsed.format == regf::LogFormat::kNew);
  CHECK(parsed.usable());
}
