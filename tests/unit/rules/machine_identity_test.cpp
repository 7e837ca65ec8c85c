#include <catch2/catch.hpp>

#include "rules/machine_identity.hpp"
#include "support/tree_reader.hpp"

using namespace hivelint;

namespace {
test::Tree system_with_current(unsigned current) {
  test::Tree t;
  t.key("Select")
      .dword("Current", current)
      .dword("Default", current)
      .dword("LastKnownGood", 1)
      .dword("Failed", 0);
  t.key("ControlSet001\\Control");
  t.key("ControlSet002\\Control");
  return t;
}
}  // namespace

TEST_CASE("the machine's identity and time zone come from the current ControlSet",
          "[unit][rules]") {
  auto t = system_with_current(2);
  t.key("ControlSet001\\Control\\ComputerName\\ComputerName").sz("ComputerName", "OLDNAME");
  t.key("ControlSet002\\Control\\ComputerName\\ComputerName").sz("ComputerName", "EXCH01");
  t.key("ControlSet002\\Control\\ProductOptions").sz("ProductType", "LanmanNT");
  t.key("ControlSet002\\Control\\Windows").dword("CSDVersion", 0x400);
  t.key("ControlSet002\\Control\\TimeZoneInformation")
      .sz("StandardName", "W. Europe Standard Time")
      .dword("Bias", 0xFFFFFFC4u)             // -60: UTC+01:00
      .dword("ActiveTimeBias", 0xFFFFFF88u);  // -120: summer time
  const auto m = rules::read_machine_identity(t.reader());
  CHECK(m.error.empty());
  CHECK(m.control_set == "ControlSet002");
  CHECK(m.computer_name.text == "EXCH01");
  CHECK(m.computer_name.key == "ControlSet002\\Control\\ComputerName\\ComputerName");
  CHECK(m.product_type.text == "LanmanNT");
  CHECK(m.product_role == "domain controller");
  CHECK(m.csd_version.number == 0x400);
  CHECK(rules::service_pack_name(0x400) == "Service Pack 4");
  CHECK(rules::service_pack_name(0) == "");
  CHECK_FALSE(m.time_zone_key_name.present);  // Windows 2000/2003 have none
  CHECK(m.standard_name.text == "W. Europe Standard Time");
  CHECK(m.bias.number == -60);
  CHECK(m.active_time_bias.number == -120);
}

TEST_CASE("absent and ill-typed identity values are reported, never misread", "[unit][rules]") {
  auto t = system_with_current(1);
  t.key("ControlSet001\\Control\\ComputerName\\ComputerName").dword("ComputerName", 7);
  t.key("ControlSet001\\Control\\ProductOptions").sz("ProductType", "Enterprise");
  t.key("ControlSet001\\Control\\Windows").sz("CSDVersion", "Service Pack 4");
  t.key("ControlSet001\\Control\\TimeZoneInformation")
      .raw("Bias", 4, {0xC4, 0xFF})                         // REG_DWORD of 2 bytes
      .raw("ActiveTimeBias", 11, {0, 0, 0, 0, 0, 0, 0, 0})  // REG_QWORD
      .raw("TimeZoneKeyName", 1, {0x41, 0x00, 0x42});       // odd-sized REG_SZ
  const auto m = rules::read_machine_identity(t.reader());
  CHECK(m.computer_name.present);
  CHECK_FALSE(m.computer_name.text);
  CHECK(m.computer_name.problem == "REG_DWORD, not REG_SZ");
  CHECK(m.product_type.text == "Enterprise");
  CHECK(m.product_role.empty());
  CHECK_FALSE(m.csd_version.number);
  CHECK(m.csd_version.problem == "REG_SZ, not REG_DWORD");
  CHECK_FALSE(m.bias.number);
  CHECK(m.bias.problem == "2 bytes, not 4");
  CHECK_FALSE(m.active_time_bias.number);
  CHECK(m.active_time_bias.problem == "REG_QWORD, not REG_DWORD");
  CHECK_FALSE(m.time_zone_key_name.text);
  CHECK(m.time_zone_key_name.problem == "3 bytes, an odd size for UTF-16");
  CHECK_FALSE(m.standard_name.present);
}

TEST_CASE("without a current ControlSet the identity says why, and reads nothing",
          "[unit][rules]") {
  test::Tree t;
  t.key("ControlSet001\\Control\\ComputerName\\ComputerName").sz("ComputerName", "X");
  const auto m = rules::read_machine_identity(t.reader());
  CHECK(m.control_set.empty());
  CHECK_THAT(m.error, Catch::Matchers::Contains("no Select key"));
  CHECK_FALSE(m.computer_name.present);
}
