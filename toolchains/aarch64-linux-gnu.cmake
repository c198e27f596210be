# aarch64-linux-gnu.cmake - CMake toolchain file for cross-building for
# aarch64 on a Debian 12 amd64 host using multiarch :arm64 packages
# (toolchains/setup.sh --test installs them). Tests and try_run go through
# qemu-aarch64-static.
#
#   cmake --preset aarch64      (or -DCMAKE_TOOLCHAIN_FILE=toolchains/aarch64-linux-gnu.cmake)
#
# Do NOT set CMAKE_SYSROOT: with Debian multiarch the arm64 libraries live in
# the host's own /usr/lib/aarch64-linux-gnu, not in a separate sysroot.

set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)

set(_triple aarch64-linux-gnu)
set(CMAKE_C_COMPILER   ${_triple}-gcc)
set(CMAKE_CXX_COMPILER ${_triple}-g++)   # the one C++ file: the Draco wrapper
set(CMAKE_LIBRARY_ARCHITECTURE ${_triple})

# Search roots: the host root (where the multiarch arm64 libs live in
# lib/aarch64-linux-gnu) plus the dpkg-cross libc tree. Because
# CMAKE_LIBRARY_ARCHITECTURE is aarch64-linux-gnu, find_library()/
# find_package() look in /usr/lib/aarch64-linux-gnu (and .../cmake) and never
# in /usr/lib/x86_64-linux-gnu. Programs (host tools) are searched on the host.
set(CMAKE_FIND_ROOT_PATH / /usr/${_triple})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# pkg-config: only arm64 .pc files (+ arch-independent /usr/share/pkgconfig).
# pkgconf:arm64 provides the aarch64-linux-gnu-pkg-config wrapper (right
# system dirs for the target); fall back to the host pkg-config otherwise.
# PKG_CONFIG_LIBDIR replaces (not extends) the default search path.
find_program(_cross_pkg_config ${_triple}-pkg-config)
if(_cross_pkg_config)
  set(PKG_CONFIG_EXECUTABLE ${_cross_pkg_config} CACHE FILEPATH "pkg-config for ${_triple}")
endif()
set(ENV{PKG_CONFIG_LIBDIR} "/usr/local/lib/${_triple}/pkgconfig:/usr/lib/${_triple}/pkgconfig:/usr/share/pkgconfig")
set(ENV{PKG_CONFIG_PATH} "")
unset(ENV{PKG_CONFIG_SYSROOT_DIR})

# Run target binaries (ctest, try_run, add_custom_command on targets) under
# qemu. "-L /" = use the host root as the guest prefix: the arm64 loader is
# /lib/ld-linux-aarch64.so.1 (from libc6:arm64), which finds libc and all
# multiarch libs via /etc/ld.so.conf.d/aarch64-linux-gnu.conf. Passing -L
# explicitly also overrides any QEMU_LD_PREFIX in the environment.
# Do NOT use -L /usr/aarch64-linux-gnu: qemu then takes ld.so from the
# dpkg-cross libc (libc6-arm64-cross 2.36-8cross1) but libc.so.6 etc. from
# libc6:arm64 (2.36-9+deb12u14); the mismatched glibc pair hangs (100% CPU,
# forever) once Mesa/llvmpipe starts its threads.
# Override with -DCMAKE_CROSSCOMPILING_EMULATOR=... if needed.
if(NOT DEFINED CMAKE_CROSSCOMPILING_EMULATOR)
  find_program(_qemu_aarch64 qemu-aarch64-static)
  if(_qemu_aarch64)
    set(CMAKE_CROSSCOMPILING_EMULATOR ${_qemu_aarch64};-L;/)
  else()
    message(WARNING "qemu-aarch64-static not found: ctest/try_run cannot run aarch64 binaries")
  endif()
endif()
