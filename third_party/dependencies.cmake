# Build glue for the external dependencies; every one of them comes from a Debian package
# (libregf-dev libevt-dev libevtx-dev libbfio-dev libcli11-dev nlohmann-json3-dev catch2 libre2-dev). Nothing is downloaded.
find_package(PkgConfig REQUIRED)
pkg_check_modules(LIBREGF REQUIRED IMPORTED_TARGET libregf)
pkg_check_modules(LIBBFIO REQUIRED IMPORTED_TARGET libbfio)
add_library(hivelint_libregf INTERFACE)
target_link_libraries(hivelint_libregf INTERFACE PkgConfig::LIBREGF PkgConfig::LIBBFIO)
add_library(hivelint::libregf ALIAS hivelint_libregf)
# The System event log (SysEvent.Evt, System.evtx) as evidence beside a hive: the same libyal shape as libregf.
pkg_check_modules(LIBEVT REQUIRED IMPORTED_TARGET libevt)
pkg_check_modules(LIBEVTX REQUIRED IMPORTED_TARGET libevtx)
add_library(hivelint_libevt INTERFACE)
target_link_libraries(hivelint_libevt INTERFACE PkgConfig::LIBEVT PkgConfig::LIBEVTX)
add_library(hivelint::libevt ALIAS hivelint_libevt)
# RE2 runs rule regexes over hive data: linear time, no recursion on the input (std::regex overflowed the stack).
pkg_check_modules(RE2 REQUIRED IMPORTED_TARGET re2)
add_library(hivelint::re2 ALIAS PkgConfig::RE2)

find_package(CLI11 REQUIRED CONFIG)
find_package(nlohmann_json 3.10 REQUIRED CONFIG)
if(HIVELINT_TESTS)
  find_package(Catch2 2.13 REQUIRED CONFIG)
  include(Catch)
endif()
