# A Debian package from CPack's DEB generator: `cpack -G DEB --config BUILD/CPackConfig.cmake` (or
# `cmake --build BUILD --target package`) writes hivelint_VERSION_ARCH.deb. Dependencies are computed by
# dpkg-shlibdeps from the binary (libregf, libbfio, ...), so they match what it was linked against; the
# two libraries loaded on first use are added below.
# tests/scripts/package.sh builds it, runs lintian over it and installs it into a minimal Debian 12.
set(HIVELINT_DEB_MAINTAINER "hivelint developers <hivelint@localhost>"
    CACHE STRING "Maintainer field of the Debian package (Name <address>)")

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME hivelint)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "${HIVELINT_DEB_MAINTAINER}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "offline analysis and repair of Windows registry hives")
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION "hivelint reads Windows registry hives offline, through libregf, replaying
transaction logs when a hive is dirty. It evaluates declarative rules, such
as Microsoft KB277770 and the offline causes of Service Control Manager
events 7000-7003, with exact evidence, and writes a verified corrected copy
of the hive or a .reg file. The input is never opened for writing.")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# libevt and libevtx are loaded when a log is read, not linked (src/events/shared_library.hpp), so
# dpkg-shlibdeps cannot see them: their packages, named from their sonames as Debian names library
# packages (libevt.so.1 -> libevt1), at least at the versions built against.
set(hivelint_loaded_deps "")
foreach(lib IN ITEMS LIBEVT LIBEVTX)
  if(NOT HIVELINT_${lib}_SONAME MATCHES "^(lib.*[^0-9])\\.so\\.([0-9]+)$")
    # (libfoo2.so.3 would be Debian's libfoo2-3: not a name these libraries have)
    message(FATAL_ERROR "no Debian package name for the soname ${HIVELINT_${lib}_SONAME}")
  endif()
  list(APPEND hivelint_loaded_deps "${CMAKE_MATCH_1}${CMAKE_MATCH_2} (>= ${${lib}_VERSION})")
endforeach()
list(JOIN hivelint_loaded_deps ", " CPACK_DEBIAN_PACKAGE_DEPENDS)
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "bash-completion")
set(CPACK_STRIP_FILES ON)
include(CPack)
