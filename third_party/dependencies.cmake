# Build glue for the external dependencies; every one of them comes from a Debian package
# (libregf-dev libevt-dev libevtx-dev libbfio-dev libcli11-dev nlohmann-json3-dev catch2 libre2-dev). Nothing is downloaded.
find_package(PkgConfig REQUIRED)
pkg_check_modules(LIBREGF REQUIRED IMPORTED_TARGET libregf)
pkg_check_modules(LIBBFIO REQUIRED IMPORTED_TARGET libbfio)
add_library(hivelint_libregf INTERFACE)
target_link_libraries(hivelint_libregf INTERFACE PkgConfig::LIBREGF PkgConfig::LIBBFIO)
add_library(hivelint::libregf ALIAS hivelint_libregf)
# The System event log (SysEvent.Evt, System.evtx) as evidence beside a hive: the same libyal shape as libregf.
# Not linked: src/events/shared_library.hpp loads them by soname when the first log is read (binding their
# symbols at every start cost 1.5 ms a run). Their headers declare the functions; the sonames come from the
# libraries pkg-config finds, so the build and the loader agree on the ABI. The .deb depends on them
# explicitly (packaging/cpack.cmake): dpkg-shlibdeps cannot see a library that is not linked. The loader finds
# them where the system's dynamic loader looks (Debian's multiarch directory), not in a private prefix.
pkg_check_modules(LIBEVT REQUIRED IMPORTED_TARGET libevt)
pkg_check_modules(LIBEVTX REQUIRED IMPORTED_TARGET libevtx)
# The soname of lib<name>'s shared library among the paths pkg-config gives.
function(hivelint_soname out_var name library_paths)
  set(found "${library_paths}")
  list(FILTER library_paths INCLUDE REGEX "/lib${name}\\.so(\\.[0-9.]+)?$")
  if(NOT library_paths)
    message(FATAL_ERROR "no shared lib${name} found (pkg-config gives: ${found}); hivelint loads the "
                        "shared library at run time, a static one will not do (Debian: lib${name}-dev)")
  endif()
  list(GET library_paths 0 path)
  if(NOT CMAKE_OBJDUMP)
    message(FATAL_ERROR "objdump (binutils) is needed to read the soname of ${path}")
  endif()
  execute_process(COMMAND ${CMAKE_OBJDUMP} -p ${path} OUTPUT_VARIABLE dump RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0 OR NOT dump MATCHES "SONAME +(lib${name}\\.so\\.[0-9]+)")
    message(FATAL_ERROR "cannot read a soname lib${name}.so.N from ${path} with ${CMAKE_OBJDUMP}")
  endif()
  set(${out_var} ${CMAKE_MATCH_1} PARENT_SCOPE)
endfunction()
hivelint_soname(HIVELINT_LIBEVT_SONAME evt "${LIBEVT_LINK_LIBRARIES}")
hivelint_soname(HIVELINT_LIBEVTX_SONAME evtx "${LIBEVTX_LINK_LIBRARIES}")
add_library(hivelint_libevt INTERFACE)
# SYSTEM, as an imported target's would be: the project's -Werror is not for libyal's headers.
target_include_directories(hivelint_libevt SYSTEM INTERFACE ${LIBEVT_INCLUDE_DIRS} ${LIBEVTX_INCLUDE_DIRS})
target_compile_options(hivelint_libevt INTERFACE ${LIBEVT_CFLAGS_OTHER} ${LIBEVTX_CFLAGS_OTHER})
target_compile_definitions(hivelint_libevt INTERFACE HIVELINT_LIBEVT_SONAME="${HIVELINT_LIBEVT_SONAME}"
                                                     HIVELINT_LIBEVTX_SONAME="${HIVELINT_LIBEVTX_SONAME}")
target_link_libraries(hivelint_libevt INTERFACE ${CMAKE_DL_LIBS})
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
