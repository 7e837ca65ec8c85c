#include "events/shared_library.hpp"

#include <catch2/catch.hpp>

#include "events/error.hpp"
#include "events/event_log.hpp"

using namespace hivelint;
using Catch::Matchers::Contains;

TEST_CASE("the event-log libraries load by soname, and what cannot be loaded is an error naming it",
          "[unit][events]") {
  // The libraries the build was made against, by the sonames CMake found (that nothing loads them
  // before a log is read: tests/scripts/lazy_event_libraries.sh).
  void* evt = events::detail::load_library(HIVELINT_LIBEVT_SONAME);
  REQUIRE(evt != nullptr);
  CHECK(events::detail::find_symbol(evt, HIVELINT_LIBEVT_SONAME, "libevt_get_version") != nullptr);
  CHECK_FALSE(events::libevt_version().empty());
  CHECK_FALSE(events::libevtx_version().empty());

  CHECK_THROWS_AS(events::detail::load_library("libhivelint-absent.so.9"), events::EventLogError);
  CHECK_THROWS_WITH(events::detail::load_library("libhivelint-absent.so.9"),
                    Contains("libhivelint-absent.so.9 cannot be loaded") &&
                        Contains("is its Debian package installed?"));
  CHECK_THROWS_WITH(events::detail::find_symbol(evt, HIVELINT_LIBEVT_SONAME, "libevt_no_such_call"),
                    Contains(std::string(HIVELINT_LIBEVT_SONAME) + " has no libevt_no_such_call"));
}
