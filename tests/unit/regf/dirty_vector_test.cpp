#include <catch2/catch.hpp>

#include "regf/builder.hpp"
#include "regf/dirty_vector.hpp"
#include "regf/format.hpp"
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

TEST_CASE("dirty vector: pages go where their bits say", "[unit][regf]") {
  const auto v0 = build(0);
  std::vector<test::Page> pages{{512, std::vector<std::uint8_t>(512, 2)},
                                {4096 + 1024, std::vector<std::uint8_t>(512, 3)}};
  const auto log = test::old_log(v0, 1, 8192, pages);
  const auto v = regf::parse_dirty_vector(log, 8192);
  REQUIRE(v.pages.size() == 2);
  CHECK(v.pages[0].offset == 512);
  CHECK(v.pages[1].offset == 4096 + 1024);
  CHECK(v.pages[1].data[0] == 3);
  CHECK(v.pages_offset == 1024);  // 512 + "DIRT" + 2 bitmap bytes, rounded up to a sector
  auto wrong = log;
  wrong[512] = 'X';
  REQUIRE_THROWS_WITH(regf::parse_dirty_vector(wrong, 8192),
                      Contains("dirty vector (DIRT) at 0x00000200"));
}
