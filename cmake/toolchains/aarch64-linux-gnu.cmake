# Cross toolchain for static aarch64 (arm64) builds on a Debian x86-64 host: Debian's cross compilers
# (crossbuild-essential-arm64) and the multiarch :arm64 development packages in
# /usr/lib/aarch64-linux-gnu, as `scripts/install-deps --arm64` installs them. Two archives whose
# Debian -dev packages cannot be co-installed with the amd64 ones (libyaml-cpp-dev and
# libhttp-parser-dev are not Multi-Arch: same) are unpacked by install-deps into
# third_party/arm64-sysroot/ instead, which is searched as a second root. Programs that must run at
# configure or test time (curl's try_run checks, the test executables) run under qemu-aarch64-static,
# so no binfmt registration is needed. Used by the release-arm64 preset.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_LIBRARY_ARCHITECTURE aarch64-linux-gnu)

set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER aarch64-linux-gnu-g++)
set(CMAKE_AR aarch64-linux-gnu-ar CACHE FILEPATH "")
set(CMAKE_RANLIB aarch64-linux-gnu-ranlib CACHE FILEPATH "")
set(CMAKE_STRIP aarch64-linux-gnu-strip CACHE FILEPATH "")

# FindOpenSSL asks pkg-config first; the host's would answer with /usr/lib/x86_64-linux-gnu, which
# the "/" root below cannot tell from a target directory. Debian's cross wrapper answers for arm64.
find_program(PKG_CONFIG_EXECUTABLE aarch64-linux-gnu-pkg-config REQUIRED)

find_program(GANTRY_QEMU_AARCH64 qemu-aarch64-static REQUIRED)
# The tools are static; the unit-test executable links libstdc++ statically (tests/CMakeLists.txt)
# and loads glibc from the multiarch libc6:arm64 under /lib. No -L /usr/aarch64-linux-gnu: that
# would pair the cross toolchain's dynamic loader with libc6:arm64's C library, two builds of glibc
# that must not be mixed.
set(CMAKE_CROSSCOMPILING_EMULATOR "${GANTRY_QEMU_AARCH64}")

# "/" is the multiarch root (libraries under /usr/lib/aarch64-linux-gnu, where find_library looks
# first because of CMAKE_LIBRARY_ARCHITECTURE); the unpacked archives are the second root.
get_filename_component(_gantry_arm64_sysroot "${CMAKE_CURRENT_LIST_DIR}/../../third_party/arm64-sysroot" ABSOLUTE)
set(CMAKE_FIND_ROOT_PATH "${_gantry_arm64_sysroot}" "/")
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
