# gantry::curl - a minimal, fully static libcurl for the networked tools.
#
# Debian's own libcurl.a cannot be linked statically (it needs krb5/GSSAPI and p11-kit, which exist
# only as shared libraries), so libcurl is compiled here from Debian's curl source package, which
# `scripts/fetch-sources curl` unpacks into third_party/curl-<version>/. Only what an HTTP(S) client
# in a CI job needs is kept: OpenSSL (static), c-ares (DNS without glibc's NSS, which a static
# binary cannot load), nghttp2 and zlib. No LDAP, IDN, PSL, SSH, GSSAPI, brotli or zstd. The CA
# bundle is compiled in as /etc/ssl/certs/ca-certificates.crt, where Debian and the gantry images
# keep it. The settings are the ones verified in shared/design/static-build.md.
#
# The curl tree is added EXCLUDE_FROM_ALL: libcurl is compiled only when a target links gantry::curl,
# and none of curl's install rules or exported targets leak into gantry's.

gantry_fetched_source(curl CMakeLists.txt GANTRY_CURL_SOURCE_DIR GANTRY_CURL_VERSION)
message(STATUS "gantry: static libcurl ${GANTRY_CURL_VERSION} from ${GANTRY_CURL_SOURCE_DIR}")

# Its own switches (gantry_force_setting: FORCE over any stale cache).
gantry_force_setting(BUILD_SHARED_LIBS OFF)
gantry_force_setting(BUILD_CURL_EXE OFF)
gantry_force_setting(BUILD_TESTING OFF)
gantry_force_setting(ENABLE_MANUAL OFF)
gantry_force_setting(PICKY_COMPILER OFF)
gantry_force_setting(CURL_ENABLE_EXPORT_TARGET OFF)
gantry_force_setting(CURL_USE_OPENSSL ON)
gantry_force_setting(ENABLE_ARES ON)
gantry_force_setting(USE_NGHTTP2 ON)
gantry_force_setting(CURL_DISABLE_LDAP ON)
gantry_force_setting(CURL_DISABLE_LDAPS ON)
gantry_force_setting(USE_LIBIDN2 OFF)
gantry_force_setting(CURL_USE_LIBPSL OFF)
gantry_force_setting(CURL_USE_LIBSSH2 OFF)
gantry_force_setting(CURL_USE_LIBSSH OFF)
gantry_force_setting(CURL_USE_GSSAPI OFF)
gantry_force_setting(CURL_BROTLI OFF)
gantry_force_setting(CURL_ZSTD OFF)
gantry_force_setting(CURL_CA_BUNDLE "/etc/ssl/certs/ca-certificates.crt")
gantry_force_setting(CURL_CA_PATH "none")
# A static tool must not read the host's openssl.cnf: it may name engines/providers to dlopen.
gantry_force_setting(CURL_DISABLE_OPENSSL_AUTO_LOAD_CONFIG ON)
gantry_force_setting(OPENSSL_USE_STATIC_LIBS ON)
gantry_force_setting(ZLIB_USE_STATIC_LIBS ON)
# curl leaves out the checks it must run when cross-compiling (release-arm64), and would then fall
# back to select() (no descriptor above 1023) and no random file. Both hold on every Linux with glibc,
# where the native build measures them.
if(CMAKE_CROSSCOMPILING AND CMAKE_SYSTEM_NAME STREQUAL "Linux")
  gantry_force_setting(HAVE_POLL_FINE 1)
  gantry_force_setting(RANDOM_FILE "/dev/urandom")
endif()

# curl's FindCARES/FindNGHTTP2 take the first library they meet, which is the .so: point them at
# the archives first.
find_library(CARES_LIBRARY NAMES libcares.a REQUIRED)
find_library(NGHTTP2_LIBRARY NAMES libnghttp2.a REQUIRED)

add_subdirectory("${GANTRY_CURL_SOURCE_DIR}" "${CMAKE_BINARY_DIR}/_deps/curl" EXCLUDE_FROM_ALL SYSTEM)

if(NOT TARGET libcurl)
  message(FATAL_ERROR "curl ${GANTRY_CURL_VERSION} did not define the `libcurl` target")
endif()
target_compile_options(libcurl PRIVATE -w)
if(GANTRY_STATIC)
  # Lets --gc-sections drop the protocols and OpenSSL glue a tool never calls.
  target_compile_options(libcurl PRIVATE -ffunction-sections -fdata-sections)
endif()
add_library(gantry::curl ALIAS libcurl)
