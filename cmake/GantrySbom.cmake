# GantrySbom: a CycloneDX 1.5 SBOM per shipped tool, build/<preset>/sbom/<tool>.cdx.json, from the
# build itself so that it cannot drift from what is compiled in.
#
# At configure time (this file, included once every tool target exists) each tool's link graph is
# walked through the targets' LINK_LIBRARIES / INTERFACE_LINK_LIBRARIES, as the linker will see it:
#   - a target compiled from a Debian source tree under third_party/ (simdjson, fmt, curl, libgit2:
#     its sources or include folders lie there) -> that source package, its exact version read from
#     the tree's debian/changelog: pkg:deb/debian/<source>@<version>?arch=source;
#   - a static archive (an IMPORTED target's location or a plain path: libssl.a, libz.a, libcares.a,
#     ...) -> the Debian binary package that holds the file and its version, asked from dpkg:
#     pkg:deb/debian/<package>@<version>?arch=<arch>&upstream=<source>;
#   - a header-only package target (nlohmann_json, CLI11) -> the package of its CMake package file;
#   - with a static link, the C and C++ runtimes the compiler links in (libc.a, libstdc++.a, libgcc.a).
# Our own targets (sources under src/) are the tool itself. A third-party target this file cannot
# place stops the configure, so a new dependency cannot ship without a line in the SBOM.
#
# At build time (one custom command per tool, after the tool is linked) cmake/GantrySbomWrite.cmake
# adds the tool as metadata.component (pkg:generic/gantry-<tool>@<project version>, with the SHA-256
# of the binary) and writes the document atomically. The output is deterministic: components sorted
# by purl, the timestamp from SOURCE_DATE_EPOCH (else the commit's date), the serialNumber a
# name-based UUID of the content. The SBOMs install with the `tools` component under share/gantry/sbom.
include_guard(GLOBAL)

# "Debian 12" as purl distro qualifier (debian-12), from the build machine's os-release.
set(_gantry_sbom_distro "")
if(EXISTS /etc/os-release)
  file(STRINGS /etc/os-release _gantry_os_id REGEX "^ID=")
  file(STRINGS /etc/os-release _gantry_os_version REGEX "^VERSION_ID=")
  string(REGEX REPLACE "^ID=\"?([^\"]*)\"?$" "\\1" _gantry_os_id "${_gantry_os_id}")
  string(REGEX REPLACE "^VERSION_ID=\"?([^\"]*)\"?$" "\\1" _gantry_os_version "${_gantry_os_version}")
  if(_gantry_os_id AND _gantry_os_version)
    set(_gantry_sbom_distro "${_gantry_os_id}-${_gantry_os_version}")
  endif()
endif()
# The Debian architecture the archives are for (amd64, arm64): what dpkg names them with.
if(CMAKE_LIBRARY_ARCHITECTURE MATCHES "^aarch64")
  set(_gantry_sbom_debian_arch arm64)
elseif(CMAKE_LIBRARY_ARCHITECTURE MATCHES "^x86_64")
  set(_gantry_sbom_debian_arch amd64)
else()
  execute_process(COMMAND dpkg --print-architecture OUTPUT_VARIABLE _gantry_sbom_debian_arch
                  OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
endif()

find_program(GANTRY_DPKG_QUERY dpkg-query)
if(NOT GANTRY_DPKG_QUERY)
  message(FATAL_ERROR "GantrySbom: dpkg-query is needed to name the Debian packages the tools link")
endif()

# purl percent-encoding of a version (the purl spec: '+' and ':' are not left bare).
function(_gantry_purl_escape text out)
  string(REPLACE "%" "%25" text "${text}")
  string(REPLACE "+" "%2B" text "${text}")
  string(REPLACE ":" "%3A" text "${text}")
  set(${out} "${text}" PARENT_SCOPE)
endfunction()

# _gantry_sbom_component(OUT NAME VERSION PURL ORIGIN): one CycloneDX component object (JSON text).
function(_gantry_sbom_component out name version purl origin)
  set(json "{}")
  string(JSON json SET "${json}" type "\"library\"")
  string(JSON json SET "${json}" bom-ref "\"${purl}\"")
  string(JSON json SET "${json}" name "\"${name}\"")
  string(JSON json SET "${json}" version "\"${version}\"")
  string(JSON json SET "${json}" purl "\"${purl}\"")
  string(JSON json SET "${json}" properties "[{\"name\": \"gantry:origin\", \"value\": \"${origin}\"}]")
  set(${out} "${json}" PARENT_SCOPE)
endfunction()

# A Debian source tree under third_party/ (as `apt-get source` unpacks it): the package and the exact
# version from the first line of debian/changelog, "curl (7.88.1-10+deb12u15) bookworm; ...".
function(_gantry_sbom_source_tree tree out)
  set(changelog "${tree}/debian/changelog")
  if(NOT EXISTS "${changelog}")
    message(FATAL_ERROR "GantrySbom: ${tree} has no debian/changelog: is it a Debian source tree?")
  endif()
  set_property(DIRECTORY "${CMAKE_SOURCE_DIR}" APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${changelog}")
  file(STRINGS "${changelog}" first LIMIT_COUNT 1)
  if(NOT first MATCHES "^([a-z0-9][a-z0-9+.-]*) \\(([^)]+)\\)")
    message(FATAL_ERROR "GantrySbom: ${changelog}: the first line is not `package (version) ...`")
  endif()
  set(package "${CMAKE_MATCH_1}")
  set(version "${CMAKE_MATCH_2}")
  _gantry_purl_escape("${version}" escaped)
  set(purl "pkg:deb/debian/${package}@${escaped}?arch=source")
  if(_gantry_sbom_distro)
    string(APPEND purl "&distro=${_gantry_sbom_distro}")
  endif()
  file(RELATIVE_PATH where "${CMAKE_SOURCE_DIR}" "${tree}")
  _gantry_sbom_component(json "${package}" "${version}" "${purl}" "compiled from the Debian source package in ${where}")
  set(${out} "${json}" PARENT_SCOPE)
endfunction()

# The Debian binary package holding FILE: dpkg's database, or for the archives install-deps unpacked
# into third_party/arm64-sysroot (not installed, so unknown to dpkg) the package that holds the same
# path natively, with the version of the unpacked copy's usr/share/doc/<package>/changelog.Debian.gz.
function(_gantry_sbom_package_file file out)
  get_filename_component(file "${file}" REALPATH)
  execute_process(COMMAND "${GANTRY_DPKG_QUERY}" -S "${file}" OUTPUT_VARIABLE owner
                  RESULT_VARIABLE failed OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
  set(sysroot "")
  if(failed AND file MATCHES "^(.*/third_party/arm64-sysroot)(/.*)$")
    set(sysroot "${CMAKE_MATCH_1}")
    get_filename_component(base "${CMAKE_MATCH_2}" NAME)
    execute_process(COMMAND "${GANTRY_DPKG_QUERY}" -S "*/${base}" OUTPUT_VARIABLE owner
                    RESULT_VARIABLE failed OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
  endif()
  if(failed OR NOT owner MATCHES "^([^:,]+)(:[a-z0-9]+)?: ")
    message(FATAL_ERROR "GantrySbom: no Debian package holds ${file}; the SBOM cannot name it")
  endif()
  set(package "${CMAKE_MATCH_1}")
  set(qualified "${CMAKE_MATCH_1}${CMAKE_MATCH_2}")
  if(sysroot)
    set(changelog "${sysroot}/usr/share/doc/${package}/changelog.Debian.gz")
    execute_process(COMMAND gzip -dc "${changelog}" OUTPUT_VARIABLE text RESULT_VARIABLE failed ERROR_QUIET)
    if(failed OR NOT text MATCHES "^([a-z0-9][a-z0-9+.-]*) \\(([^)]+)\\)")
      message(FATAL_ERROR "GantrySbom: cannot read the version of ${package} from ${changelog}")
    endif()
    set(source "${CMAKE_MATCH_1}")
    set(version "${CMAKE_MATCH_2}")
    set(arch "${_gantry_sbom_debian_arch}")
  else()
    execute_process(COMMAND "${GANTRY_DPKG_QUERY}" -W -f "\${source:Package}\n\${Version}\n\${Architecture}"
                            "${qualified}"
                    OUTPUT_VARIABLE fields RESULT_VARIABLE failed ERROR_QUIET)
    string(REPLACE "\n" ";" fields "${fields}")
    list(LENGTH fields count)
    if(failed OR NOT count EQUAL 3)
      message(FATAL_ERROR "GantrySbom: dpkg-query cannot describe ${qualified} (holding ${file})")
    endif()
    list(GET fields 0 source)
    list(GET fields 1 version)
    list(GET fields 2 arch)
  endif()
  _gantry_purl_escape("${version}" escaped)
  set(purl "pkg:deb/debian/${package}@${escaped}?arch=${arch}")
  if(_gantry_sbom_distro)
    string(APPEND purl "&distro=${_gantry_sbom_distro}")
  endif()
  if(NOT source STREQUAL package)
    string(APPEND purl "&upstream=${source}")
  endif()
  get_filename_component(name "${file}" NAME)
  _gantry_sbom_component(json "${source}" "${version}" "${purl}" "${name} from the Debian package ${package}")
  set(${out} "${json}" PARENT_SCOPE)
endfunction()

# The Debian source tree under third_party/ that PATH lies in (empty: none). The arm64 sysroot holds
# unpacked binary packages, not a source tree.
function(_gantry_sbom_third_party_tree path out)
  set(${out} "" PARENT_SCOPE)
  string(LENGTH "${GANTRY_THIRD_PARTY_DIR}/" length)
  string(SUBSTRING "${path}" 0 ${length} head)
  if(head STREQUAL "${GANTRY_THIRD_PARTY_DIR}/")
    string(SUBSTRING "${path}" ${length} -1 rest)
    string(REGEX REPLACE "/.*" "" top "${rest}")
    if(top AND NOT top STREQUAL "arm64-sysroot")
      set(${out} "${GANTRY_THIRD_PARTY_DIR}/${top}" PARENT_SCOPE)
    endif()
  endif()
endfunction()

# Header-only package targets: the CMake package variable whose folder a Debian package holds.
set(_gantry_sbom_header_packages "nlohmann_json::nlohmann_json=nlohmann_json_DIR" "CLI11::CLI11=CLI11_DIR")

# Imported targets that find modules define in a vendored project's own folder, and the cache
# variables that hold their archive (the first one set wins).
set(_gantry_sbom_scoped_targets "OpenSSL::SSL=OPENSSL_SSL_LIBRARY" "OpenSSL::Crypto=OPENSSL_CRYPTO_LIBRARY"
    "ZLIB::ZLIB=ZLIB_LIBRARY_RELEASE" "ZLIB::ZLIB=ZLIB_LIBRARY")

# _gantry_sbom_walk(ITEM): adds ITEM's components to the caller's `components` and its targets to
# `visited` (both set in the caller's scope: CMake functions see and PARENT_SCOPE-set them).
function(_gantry_sbom_walk item)
  # $<LINK_ONLY:x> and $<BUILD_INTERFACE:x> name x; any other generator expression is not a library.
  if(item MATCHES "^\\$<(LINK_ONLY|BUILD_INTERFACE|BUILD_LOCAL_INTERFACE):(.*)>$")
    set(item "${CMAKE_MATCH_2}")
  endif()
  if(item MATCHES "^\\$<" OR item MATCHES "^-" OR item STREQUAL "")
    return()  # -ldl, -pthread and the like: part of the C library below
  endif()
  if(TARGET "${item}")
    get_target_property(aliased "${item}" ALIASED_TARGET)
    if(aliased)
      set(item "${aliased}")
    endif()
    if(item IN_LIST visited)
      return()
    endif()
    list(APPEND visited "${item}")
    set(found "")
    get_target_property(imported "${item}" IMPORTED)
    get_target_property(kind "${item}" TYPE)
    if(imported)
      foreach(property IMPORTED_LOCATION IMPORTED_LOCATION_RELEASE IMPORTED_LOCATION_NOCONFIG)
        get_target_property(location "${item}" ${property})
        if(location)
          _gantry_sbom_package_file("${location}" found)
          break()
        endif()
      endforeach()
      if(NOT found)
        foreach(entry IN LISTS _gantry_sbom_header_packages)
          string(REPLACE "=" ";" entry "${entry}")
          list(GET entry 0 header_target)
          list(GET entry 1 package_variable)
          if(header_target STREQUAL item AND ${package_variable})
            _gantry_sbom_package_file("${${package_variable}}" found)
          endif()
        endforeach()
      endif()
      if(NOT found AND NOT kind STREQUAL "INTERFACE_LIBRARY")
        message(FATAL_ERROR "GantrySbom: the imported target ${item} has no location this file can place")
      endif()
      set(links "")
    else()
      # Where its code comes from: a Debian source tree under third_party/, or ours.
      get_target_property(sources "${item}" SOURCES)
      get_target_property(includes "${item}" INTERFACE_INCLUDE_DIRECTORIES)
      get_target_property(source_dir "${item}" SOURCE_DIR)
      foreach(path IN LISTS source_dir sources includes)
        _gantry_sbom_third_party_tree("${path}" tree)
        if(tree)
          _gantry_sbom_source_tree("${tree}" found)
          break()
        endif()
      endforeach()
      set(links "")
      if(NOT kind STREQUAL "INTERFACE_LIBRARY")
        get_target_property(links "${item}" LINK_LIBRARIES)
      endif()
    endif()
    if(found)
      list(APPEND components "${found}")
    endif()
    get_target_property(interface_links "${item}" INTERFACE_LINK_LIBRARIES)
    foreach(link IN LISTS links interface_links)
      if(link AND NOT link MATCHES "-NOTFOUND$")
        _gantry_sbom_walk("${link}")
      endif()
    endforeach()
  elseif(IS_ABSOLUTE "${item}" AND EXISTS "${item}")
    if(item IN_LIST visited)
      return()
    endif()
    list(APPEND visited "${item}")
    _gantry_sbom_package_file("${item}" found)
    list(APPEND components "${found}")
  elseif(item MATCHES "::")
    # An imported target of a find module run inside a vendored project's folder (curl's
    # find_package(OpenSSL)) is visible only there; the module's cache variables name its archive.
    set(location "")
    foreach(entry IN LISTS _gantry_sbom_scoped_targets)
      string(REPLACE "=" ";" entry "${entry}")
      list(GET entry 0 scoped_target)
      list(GET entry 1 scoped_variable)
      if(scoped_target STREQUAL item AND NOT location AND ${scoped_variable})
        set(location "${${scoped_variable}}")
      endif()
    endforeach()
    if(item STREQUAL "Threads::Threads")
      return()  # -pthread: part of the C library below
    endif()
    if(NOT location)
      message(FATAL_ERROR "GantrySbom: cannot place the link item `${item}` in the SBOM")
    endif()
    _gantry_sbom_walk("${location}")
  else()
    # A bare name (dl, pthread, rt, m): a part of the C library, which is listed below.
    if(NOT item MATCHES "^(dl|pthread|rt|m|c)$")
      message(FATAL_ERROR "GantrySbom: cannot place the link item `${item}` in the SBOM")
    endif()
  endif()
  set(components "${components}" PARENT_SCOPE)
  set(visited "${visited}" PARENT_SCOPE)
endfunction()

# The runtimes a fully static link takes from the compiler: glibc, libstdc++, libgcc.
set(_gantry_sbom_runtime_components "")
if(GANTRY_STATIC AND GANTRY_STATIC_LINK)
  foreach(archive libc.a libstdc++.a libgcc.a libgcc_eh.a)
    execute_process(COMMAND "${CMAKE_CXX_COMPILER}" -print-file-name=${archive}
                    OUTPUT_VARIABLE location OUTPUT_STRIP_TRAILING_WHITESPACE)
    if(NOT IS_ABSOLUTE "${location}" OR NOT EXISTS "${location}")
      message(FATAL_ERROR "GantrySbom: ${CMAKE_CXX_COMPILER} does not name its ${archive}")
    endif()
    _gantry_sbom_package_file("${location}" found)
    list(APPEND _gantry_sbom_runtime_components "${found}")
  endforeach()
endif()

# The build-time step and its timestamp: SOURCE_DATE_EPOCH when the build sets it (reproducible
# builds), else the commit's date, so that two builds of one commit write the same bytes.
set(GANTRY_SBOM_EPOCH "$ENV{SOURCE_DATE_EPOCH}")
if(NOT GANTRY_SBOM_EPOCH AND EXISTS "${CMAKE_SOURCE_DIR}/.git")
  find_package(Git QUIET)
  if(GIT_FOUND)
    execute_process(COMMAND "${GIT_EXECUTABLE}" -C "${CMAKE_SOURCE_DIR}" log -1 --format=%ct
                    OUTPUT_VARIABLE GANTRY_SBOM_EPOCH OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
  endif()
endif()

# gantry_sbom(TOOL): build/<preset>/sbom/<TOOL>.cdx.json, written when TOOL is (re)linked.
function(gantry_sbom tool)
  set(components "${_gantry_sbom_runtime_components}")
  set(visited "${tool}")
  get_target_property(links "${tool}" LINK_LIBRARIES)
  foreach(link IN LISTS links)
    _gantry_sbom_walk("${link}")
  endforeach()
  # One component per purl (libssl.a and libcrypto.a are both libssl-dev), sorted by purl.
  set(by_purl "")
  foreach(component IN LISTS components)
    string(JSON purl GET "${component}" purl)
    if(NOT "${purl}" IN_LIST by_purl)
      list(APPEND by_purl "${purl}")
      string(SHA1 key "${purl}")
      set(_component_${key} "${component}")
    endif()
  endforeach()
  list(SORT by_purl)
  set(array "[]")
  set(index 0)
  foreach(purl IN LISTS by_purl)
    string(SHA1 key "${purl}")
    string(JSON array SET "${array}" ${index} "${_component_${key}}")
    math(EXPR index "${index} + 1")
  endforeach()
  set(input "${CMAKE_BINARY_DIR}/sbom/input/${tool}.components.json")
  file(CONFIGURE OUTPUT "${input}" CONTENT "${array}\n" @ONLY)
  set(output "${CMAKE_BINARY_DIR}/sbom/${tool}.cdx.json")
  add_custom_command(
    OUTPUT "${output}"
    COMMAND "${CMAKE_COMMAND}" -D "TOOL=${tool}" -D "VERSION=${PROJECT_VERSION}"
            -D "BINARY=$<TARGET_FILE:${tool}>" -D "COMPONENTS=${input}" -D "OUTPUT=${output}"
            -D "EPOCH=${GANTRY_SBOM_EPOCH}" -D "COMMIT=${GANTRY_COMMIT}"
            -P "${CMAKE_SOURCE_DIR}/cmake/GantrySbomWrite.cmake"
    DEPENDS ${tool} "${input}" "${CMAKE_SOURCE_DIR}/cmake/GantrySbomWrite.cmake"
    COMMENT "CycloneDX SBOM of ${tool}"
    VERBATIM)
  add_custom_target(${tool}-sbom ALL DEPENDS "${output}")
  install(FILES "${output}" DESTINATION share/gantry/sbom COMPONENT tools)
endfunction()
