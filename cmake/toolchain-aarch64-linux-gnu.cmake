# Cross build for arm64 with Debian's gcc-aarch64-linux-gnu:
#   cmake -S . -B build-arm64 -DCMAKE_TOOLCHAIN_FILE=cmake/toolchain-aarch64-linux-gnu.cmake
# Libraries come from Debian's arm64 multiarch -dev packages
# (dpkg --add-architecture arm64; apt-get install libjansson-dev:arm64 zlib1g-dev:arm64),
# and libfdt-dev:arm64 unpacked (apt-get download; dpkg-deb -x) into the
# directory given as -DBOOTBENCH_ARM64_SYSROOT=DIR.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_ASM_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_OBJCOPY aarch64-linux-gnu-objcopy CACHE FILEPATH "")
# libfdt-dev:arm64 cannot be installed beside libfdt-dev (they share
# /usr/include): ./quickstart unpacks it under BOOTBENCH_ARM64_SYSROOT
set(CMAKE_FIND_ROOT_PATH /usr/aarch64-linux-gnu /usr/lib/aarch64-linux-gnu ${BOOTBENCH_ARM64_SYSROOT})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE BOTH)
set(ENV{PKG_CONFIG_LIBDIR} /usr/lib/aarch64-linux-gnu/pkgconfig:/usr/share/pkgconfig)
