# gantry::libgit2 - a minimal, fully static libgit2 for the tools that read git data (semver-tag).
#
# Debian's own libgit2.a cannot be linked statically (it needs GSSAPI/krb5, which exists only as a
# shared library), so libgit2 is compiled here from Debian's libgit2 source package, which
# `scripts/fetch-sources libgit2` unpacks into third_party/libgit2-<version>/. The `+ds` tarball
# bundles no dependencies: the system's static pcre2, http-parser and zlib are used. HTTPS goes over
# the same static OpenSSL that libcurl links (GantryCurl.cmake is included first and sets
# OPENSSL_USE_STATIC_LIBS), so semver-tag --push git can push a tag through an https:// remote. No SSH,
# GSSAPI or NTLM: SSH would drag in libssh2 and a user's agent and keys, which a CI job's https remote
# with a token does not need. The settings are the ones verified in shared/design/static-build.md.
#
# The libgit2 tree is added EXCLUDE_FROM_ALL: it is compiled only when a target links gantry::libgit2.

gantry_fetched_source(libgit2 CMakeLists.txt GANTRY_LIBGIT2_SOURCE_DIR GANTRY_LIBGIT2_VERSION)
message(STATUS "gantry: static libgit2 ${GANTRY_LIBGIT2_VERSION} from ${GANTRY_LIBGIT2_SOURCE_DIR}")

# Its own switches (gantry_force_setting: FORCE over any stale cache).
gantry_force_setting(BUILD_SHARED_LIBS OFF)
gantry_force_setting(BUILD_TESTS OFF)
gantry_force_setting(BUILD_CLI OFF)
gantry_force_setting(BUILD_EXAMPLES OFF)
gantry_force_setting(BUILD_FUZZERS OFF)
gantry_force_setting(USE_SSH OFF)
gantry_force_setting(USE_GSSAPI OFF)
gantry_force_setting(USE_HTTPS OpenSSL)
gantry_force_setting(OPENSSL_USE_STATIC_LIBS ON)
gantry_force_setting(USE_NTLMCLIENT OFF)
gantry_force_setting(REGEX_BACKEND pcre2)
gantry_force_setting(USE_HTTP_PARSER system)
gantry_force_setting(USE_BUNDLED_ZLIB OFF)
gantry_force_setting(SONAME OFF)

# libgit2's FindHTTPParser/FindPCRE2 take the first library they meet, which is the .so: point them
# at the archives first (a static executable cannot link a shared object).
find_library(_gantry_http_parser_archive NAMES libhttp_parser.a REQUIRED)
set(HTTP_PARSER_LIBRARY "${_gantry_http_parser_archive}" CACHE FILEPATH "gantry: static http-parser" FORCE)
# The same archive gantry::pcre2 (GantryDependencies.cmake) gives gantry_core.
set(PCRE2_LIBRARY "${PCRE2_STATIC_LIBRARY}" CACHE FILEPATH "gantry: static pcre2" FORCE)

add_subdirectory("${GANTRY_LIBGIT2_SOURCE_DIR}" "${CMAKE_BINARY_DIR}/_deps/libgit2" EXCLUDE_FROM_ALL SYSTEM)

if(NOT TARGET libgit2package)
  message(FATAL_ERROR "libgit2 ${GANTRY_LIBGIT2_VERSION} did not define the `libgit2package` target")
endif()
target_compile_options(libgit2 PRIVATE -w)
target_compile_options(libgit2package PRIVATE -w)
if(GANTRY_STATIC)
  # Lets --gc-sections drop the parts of libgit2 a tool never calls (transports, merge, diff).
  target_compile_options(libgit2 PRIVATE -ffunction-sections -fdata-sections)
endif()

# libgit2package carries the archive and its system libraries but not the public include folder
# (that sits on the OBJECT library `libgit2`): one interface target gives both.
add_library(gantry_libgit2 INTERFACE)
target_link_libraries(gantry_libgit2 INTERFACE libgit2package)
target_include_directories(gantry_libgit2 SYSTEM INTERFACE "${GANTRY_LIBGIT2_SOURCE_DIR}/include")
add_library(gantry::libgit2 ALIAS gantry_libgit2)
