// fix's .reg step: where the keys go, and the read-back that stands between a .reg file and disk.
#include <catch2/catch.hpp>

#include "fix/reg_fix.hpp"
#include "util/error.hpp"

using namespace hivelint;
using Catch::Matchers::Contains;

namespace {

const std::string kParams =
    "HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\InetInfo\\Parameters";

std::vector<regfile::RegKeyBlock> planned() {
  const std::vector<std::uint8_t> multi{'A', 0, 0, 0, 'B', 0, 0, 0, 0, 0};
  return {regfile::RegKeyBlock{kParams, {regfile::RegValue{"DispatchEntries", 7, multi, false}}}};
}

std::vector<std::uint8_t> file(const std::string& text) {
  return regfile::encode_utf16le_with_bom(text);
}

}  // namespace

TEST_CASE("reg roots: live, offline:NAME, and nothing else", "[unit][fix]") {
  CHECK(fix::parse_reg_root("live").live);
  CHECK(fix::parse_reg_root("live").prefix() == "HKEY_LOCAL_MACHINE\\SYSTEM");
  const fix::RegRoot offline = fix::parse_reg_root("offline:EVIDENCE");
  CHECK_FALSE(offline.live);
  CHECK(offline.prefix() == "HKEY_LOCAL_MACHINE\\EVIDENCE");
  CHECK(offline.label() == "offline:EVIDENCE");
  for (const char* bad : {"offline:", "offline:A\\B", "offline:a]b", "Live2", ""})
    CHECK_THROWS_AS(fix::parse_reg_root(bad), UsageError);
}

TEST_CASE("verify_reg accepts exactly the plan and refuses anything more or different",
          "[unit][fix]") {
  const fix::RegRoot live;
  const auto blocks = planned();
  const std::string text = regfile::format_reg_file({}, blocks);
  CHECK_THAT(fix::verify_reg(file(text), live, blocks),
             Contains("1 key block, 1 value exactly as planned"));

  // A deletion line the plan did not make changes nothing in the parsed tree: refused anyway.
  const std::string with_deletion =
      text + "[-HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\Tcpip]\r\n\r\n";
  CHECK_THROWS_WITH(fix::verify_reg(file(with_deletion), live, blocks),
                    Contains("2 key lines, planned 1"));

  std::string changed = text;
  changed.replace(changed.find("42,00"), 5, "43,00");  // "B" becomes "C"
  CHECK_THROWS_WITH(fix::verify_reg(file(changed), live, blocks),
                    Contains("DispatchEntries differs from the plan"));

  auto extra = blocks;
  extra[0].values.push_back(regfile::RegValue{"Other", 4, {1, 0, 0, 0}, false});
  CHECK_THROWS_AS(fix::verify_reg(file(text), live, extra), RefusedError);
}
