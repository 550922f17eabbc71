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

file(GLOB _gantry_curl_candidates LIST_DIRECTORIES true "${GANTRY_THIRD_PARTY_DIR}/curl-*")
set(_gantry_curl_dirs "")
foreach(candidate IN LISTS _gantry_curl_candidates)
  if(IS_DIRECTORY "${candidate}" AND EXISTS "${candidate}/CMakeLists.txt")
    list(APPEND _gantry_curl_dirs "${candidate}")
  endif()
endforeach()
if(NOT _gantry_curl_dirs)
  message(FATAL_ERROR "GANTRY_WITH_CURL=ON but no curl source under ${GANTRY_THIRD_PARTY_DIR}. "
                      "Run `scripts/fetch-sources curl` (it runs `apt-get source curl` there).")
endif()
list(SORT _gantry_curl_dirs COMPARE NATURAL)
list(POP_BACK _gantry_curl_dirs GANTRY_CURL_SOURCE_DIR)
string(REGEX REPLACE ".*/curl-" "" GANTRY_CURL_VERSION "${GANTRY_CURL_SOURCE_DIR}")
message(STATUS "gantry: static libcurl ${GANTRY_CURL_VERSION} from ${GANTRY_CURL_SOURCE_DIR}")

# Curl's own switches. FORCE, because curl declares most of them as options with other defaults
# and a stale cache from an earlier configure must not bring a dependency back.
function(_gantry_curl_set name value)
  set(${name} "${value}" CACHE INTERNAL "gantry: static libcurl setting" FORCE)
endfunction()
_gantry_curl_set(BUILD_SHARED_LIBS OFF)
_gantry_curl_set(BUILD_CURL_EXE OFF)
_gantry_curl_set(BUILD_TESTING OFF)
_gantry_curl_set(ENABLE_MANUAL OFF)
_gantry_curl_set(PICKY_COMPILER OFF)
_gantry_curl_set(CURL_ENABLE_EXPORT_TARGET OFF)
_gantry_curl_set(CURL_USE_OPENSSL ON)
_gantry_curl_set(ENABLE_ARES ON)
_gantry_curl_set(USE_NGHTTP2 ON)
_gantry_curl_set(CURL_DISABLE_LDAP ON)
_gantry_curl_set(CURL_DISABLE_LDAPS ON)
_gantry_curl_set(USE_LIBIDN2 OFF)
_gantry_curl_set(CURL_USE_LIBPSL OFF)
_gantry_curl_set(CURL_USE_LIBSSH2 OFF)
_gantry_curl_set(CURL_USE_LIBSSH OFF)
_gantry_curl_set(CURL_USE_GSSAPI OFF)
_gantry_curl_set(CURL_BROTLI OFF)
_gantry_curl_set(CURL_ZSTD OFF)
_gantry_curl_set(CURL_CA_BUNDLE "/etc/ssl/certs/ca-certificates.crt")
_gantry_curl_set(CURL_CA_PATH "none")
# A static tool must not read the host's openssl.cnf: it may name engines/providers to dlopen.
_gantry_curl_set(CURL_DISABLE_OPENSSL_AUTO_LOAD_CONFIG ON)
_gantry_curl_set(OPENSSL_USE_STATIC_LIBS ON)
_gantry_curl_set(ZLIB_USE_STATIC_LIBS ON)

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
