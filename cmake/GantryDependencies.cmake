# Third-party libraries, all from Debian 12. Every target here is an IMPORTED/INTERFACE target named
# gantry::<name>, so the rest of the build does not care where a library came from.
#
# - nlohmann/json, CLI11, doctest: Debian's -dev packages.
# - fmt: from `apt-get source fmtlib` (scripts/fetch-sources); Debian ships only the shared libfmt.
#   Every build compiles it once: header-only mode compiles fmt's implementation into every one of
#   our ~150 files, about a third of each file's compile time (measured on
#   src/core/findings/cyclonedx_report.cpp: 11.1 s -> 6.7 s under ASan, 8.3 s -> 5.7 s at -O2).
# - yaml-cpp: Debian's libyaml-cpp.a (its CMake package points at the .so, which a static build
#   cannot use).
# - zlib: Debian's libz.a, for gzip-compressed SARIF and GitHub's gzipped-size limit.
# - pcre2: Debian's libpcre2-8.a, for the regexes of check files (gantry_regex).
# - simdjson: Debian ships only a shared library, so its single-file source from `apt-get source
#   simdjson` (scripts/fetch-sources) is compiled into the build. It is the reason reports of
#   hundreds of MB are read in a fraction of a second (see bench/scan-gate).

include(GantryFetchedSource)

find_package(nlohmann_json 3.10 REQUIRED)
add_library(gantry::json INTERFACE IMPORTED)
target_link_libraries(gantry::json INTERFACE nlohmann_json::nlohmann_json)
set(GANTRY_NLOHMANN_JSON_VERSION "${nlohmann_json_VERSION}")

find_package(CLI11 2.1 REQUIRED)
add_library(gantry::cli11 INTERFACE IMPORTED)
target_link_libraries(gantry::cli11 INTERFACE CLI11::CLI11)
set(GANTRY_CLI11_VERSION "${CLI11_VERSION}")

gantry_fetched_source(fmtlib src/format.cc GANTRY_FMT_DIR GANTRY_FMT_VERSION)
string(REGEX REPLACE "\\+.*" "" GANTRY_FMT_VERSION "${GANTRY_FMT_VERSION}")  # 9.1.0+ds1 -> 9.1.0
add_library(gantry_fmt STATIC "${GANTRY_FMT_DIR}/src/format.cc" "${GANTRY_FMT_DIR}/src/os.cc")
target_include_directories(gantry_fmt SYSTEM PUBLIC "${GANTRY_FMT_DIR}/include")
# Like simdjson: always optimised, it is a dependency. Function and data sections let --gc-sections
# keep only the formatting code a tool calls.
target_compile_options(gantry_fmt PRIVATE -O2 -w -ffunction-sections -fdata-sections)
if(GANTRY_FUZZ)
  target_compile_options(gantry_fmt PRIVATE -fsanitize=address)
endif()
add_library(gantry::fmt ALIAS gantry_fmt)

find_path(YAMLCPP_INCLUDE_DIR yaml-cpp/yaml.h REQUIRED)
find_library(YAMLCPP_STATIC_LIBRARY NAMES libyaml-cpp.a REQUIRED)
add_library(gantry::yaml-cpp STATIC IMPORTED)
set_target_properties(gantry::yaml-cpp PROPERTIES IMPORTED_LOCATION "${YAMLCPP_STATIC_LIBRARY}"
                      INTERFACE_INCLUDE_DIRECTORIES "${YAMLCPP_INCLUDE_DIR}")
find_package(yaml-cpp QUIET)
set(GANTRY_YAMLCPP_VERSION "${yaml-cpp_VERSION}")
if(NOT GANTRY_YAMLCPP_VERSION)
  set(GANTRY_YAMLCPP_VERSION "0.7")
endif()

gantry_fetched_source(simdjson singleheader/simdjson.cpp GANTRY_SIMDJSON_DIR GANTRY_SIMDJSON_VERSION)
add_library(gantry_simdjson STATIC "${GANTRY_SIMDJSON_DIR}/singleheader/simdjson.cpp")
target_include_directories(gantry_simdjson SYSTEM PUBLIC "${GANTRY_SIMDJSON_DIR}/singleheader")
# x86-64 kernels: haswell (AVX2, every x86-64 CI runner of the last decade), westmere and the
# portable fallback. The icelake (AVX-512) kernel is left out: it adds about 300 KB to each tool
# (the 4 MB image target) for a speed-up on a minority of runners where haswell already runs.
# On aarch64 (release-arm64) simdjson compiles its NEON kernel and the fallback; the define is moot there.
target_compile_definitions(gantry_simdjson PUBLIC SIMDJSON_EXCEPTIONS=1 SIMDJSON_IMPLEMENTATION_ICELAKE=0)
# simdjson is always optimised, even in debug builds: it is a dependency, not our code to step through.
target_compile_options(gantry_simdjson PRIVATE -O2 -w)
if(GANTRY_STATIC)
  target_compile_options(gantry_simdjson PRIVATE -ffunction-sections -fdata-sections)
endif()
if(GANTRY_FUZZ)
  target_compile_options(gantry_simdjson PRIVATE -fsanitize=address)
endif()
add_library(gantry::simdjson ALIAS gantry_simdjson)

# zlib: gzip-compressed SARIF in and out, and GitHub's "10 MB gzipped" upload limit measured exactly.
# The static archive, so the tools stay self-contained (the same libz.a libcurl links).
find_path(ZLIB_STATIC_INCLUDE_DIR zlib.h REQUIRED)
find_library(ZLIB_STATIC_LIBRARY NAMES libz.a REQUIRED)
add_library(gantry::zlib STATIC IMPORTED)
set_target_properties(gantry::zlib PROPERTIES IMPORTED_LOCATION "${ZLIB_STATIC_LIBRARY}"
                      INTERFACE_INCLUDE_DIRECTORIES "${ZLIB_STATIC_INCLUDE_DIR}")
file(STRINGS "${ZLIB_STATIC_INCLUDE_DIR}/zlib.h" _gantry_zlib_version REGEX "#define ZLIB_VERSION ")
string(REGEX REPLACE ".*\"([^\"]+)\".*" "\\1" GANTRY_ZLIB_VERSION "${_gantry_zlib_version}")

# PCRE2: the regexes of check files, matched on response bodies without machine-stack recursion
# (gantry/text/regex.hpp, the gantry_regex library). The static archive, the same one libgit2 links.
find_path(PCRE2_STATIC_INCLUDE_DIR pcre2.h REQUIRED)
find_library(PCRE2_STATIC_LIBRARY NAMES libpcre2-8.a REQUIRED)
add_library(gantry::pcre2 STATIC IMPORTED)
set_target_properties(gantry::pcre2 PROPERTIES IMPORTED_LOCATION "${PCRE2_STATIC_LIBRARY}"
                      INTERFACE_INCLUDE_DIRECTORIES "${PCRE2_STATIC_INCLUDE_DIR}"
                      INTERFACE_COMPILE_DEFINITIONS PCRE2_STATIC)

# libsodium: the keyed 128-bit digest (SipHash-2-4) scan-gate compares SARIF result identities by
# (gantry/findings/text_digest.hpp) - a security verdict hangs on that equality, so it must resist
# crafted collisions, and a well-kept library holds the function. The static archive: the linker
# takes only the SipHash objects from it (a few KB per tool; the key comes from getentropy).
find_path(SODIUM_STATIC_INCLUDE_DIR sodium.h REQUIRED)
find_library(SODIUM_STATIC_LIBRARY NAMES libsodium.a REQUIRED)
add_library(gantry::sodium STATIC IMPORTED)
set_target_properties(gantry::sodium PROPERTIES IMPORTED_LOCATION "${SODIUM_STATIC_LIBRARY}"
                      INTERFACE_INCLUDE_DIRECTORIES "${SODIUM_STATIC_INCLUDE_DIR}"
                      INTERFACE_COMPILE_DEFINITIONS SODIUM_STATIC)

if(GANTRY_TESTS)
  find_path(DOCTEST_INCLUDE_DIR doctest/doctest.h REQUIRED)
  add_library(gantry::doctest INTERFACE IMPORTED)
  target_include_directories(gantry::doctest INTERFACE "${DOCTEST_INCLUDE_DIR}")
endif()
