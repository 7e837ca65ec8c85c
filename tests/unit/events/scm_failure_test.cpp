#include "events/scm_failure.hpp"

#include <catch2/catch.hpp>

using namespace hivelint::events;

namespace {
EventRecord record(std::uint32_t id, std::vector<std::string> strings) {
  EventRecord r;
  r.event_id = id;
  r.source = std::string(kScmSource);
  r.strings = std::move(strings);
  r.written = 127'316'448'000'000'000;  // 2004-06-01
  return r;
}
}  // namespace

TEST_CASE("%%N inserts give the Win32 error, anything else none", "[unit][events]") {
  CHECK(parse_error_insert("%%1083") == std::optional<std::uint32_t>(1083));
  CHECK(parse_error_insert("%%2147942414") == std::optional<std::uint32_t>(2147942414u));
  CHECK_FALSE(parse_error_insert("%%"));
  CHECK_FALSE(parse_error_insert("%%12a"));
  CHECK_FALSE(parse_error_insert("1083"));
  CHECK_FALSE(parse_error_insert("%%4294967296"));
}

TEST_CASE("Binary hex holding a UTF-16LE key name gives the name, other hex does not",
          "[unit][events]") {
  CHECK(key_name_from_binary_hex("43006C00640046006C0074000000") ==
        std::optional<std::string>("CldFlt"));
  CHECK(key_name_from_binary_hex("530070006F006F006C00650072000000") ==
        std::optional<std::string>("Spooler"));
  CHECK_FALSE(key_name_from_binary_hex("1000"));   // U+0010: not a name
  CHECK_FALSE(key_name_from_binary_hex("30000"));  // odd length
  CHECK_FALSE(key_name_from_binary_hex("0000"));   // empty name
  CHECK_FALSE(key_name_from_binary_hex("%%1083"));
  CHECK_FALSE(key_name_from_binary_hex("ZZ00"));
}

TEST_CASE("SCM failure records name their service, error and key", "[unit][events]") {
  CHECK(is_scm_failure("Service Control Manager", 7000));
  CHECK_FALSE(is_scm_failure("Service Control Manager", 7036));
  CHECK_FALSE(is_scm_failure("Tcpip", 7000));

  auto evt = scm_failures(record(7000, {"Microsoft POP3 Service", "%%1083"}));
  REQUIRE(evt.size() == 1);
  CHECK(evt[0].display_name == "Microsoft POP3 Service");
  CHECK_FALSE(evt[0].key_name);
  CHECK(evt[0].error == std::optional<std::uint32_t>(1083));

  auto evtx = scm_failures(record(7023, {"Spooler", "%%1058", "530070006F006F006C00650072000000"}));
  REQUIRE(evtx.size() == 1);
  CHECK(evtx[0].key_name == std::optional<std::string>("Spooler"));
  CHECK(evtx[0].error == std::optional<std::uint32_t>(1058));

  auto timeout = scm_failures(record(7009, {"30000", "Simple Mail Transfer Protocol (SMTP)"}));
  REQUIRE(timeout.size() == 1);
  CHECK(timeout[0].display_name == "Simple Mail Transfer Protocol (SMTP)");
  CHECK_FALSE(timeout[0].error);
  CHECK_FALSE(timeout[0].key_name);

  auto drivers = scm_failures(record(7026, {"\nCSC\ndam"}));
  REQUIRE(drivers.size() == 2);
  CHECK(drivers[0].key_name == std::optional<std::string>("CSC"));
  CHECK(drivers[1].key_name == std::optional<std::string>("dam"));

  CHECK(scm_failures(record(7000, {})).empty());
  CHECK(scm_failures(record(7009, {"30000"})).empty());
}
