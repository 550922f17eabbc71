# gantry_fetched_source(PACKAGE MARKER OUT_DIR OUT_VERSION): the Debian source tree that
# scripts/fetch-sources unpacked as third_party/<PACKAGE>-<version> (`apt-get source PACKAGE`).
# MARKER is a file the tree must hold (an interrupted unpack leaves a directory without it). When
# several versions are present the newest wins, so a Debian point release is picked up by fetching
# it; OUT_VERSION is the directory's <version> suffix as Debian spells it (1.5.1+ds).
# A missing tree stops the configure with the command that fetches it.
function(gantry_fetched_source package marker out_dir out_version)
  file(GLOB candidates LIST_DIRECTORIES true "${GANTRY_THIRD_PARTY_DIR}/${package}-*")
  set(trees "")
  foreach(candidate IN LISTS candidates)
    if(IS_DIRECTORY "${candidate}" AND EXISTS "${candidate}/${marker}")
      list(APPEND trees "${candidate}")
    endif()
  endforeach()
  if(NOT trees)
    message(FATAL_ERROR "no ${package} source (with ${marker}) under ${GANTRY_THIRD_PARTY_DIR}. "
                        "Run `scripts/fetch-sources ${package}` (it runs `apt-get source ${package}` there).")
  endif()
  list(SORT trees COMPARE NATURAL)
  list(POP_BACK trees tree)
  string(REGEX REPLACE ".*/${package}-" "" version "${tree}")
  set(${out_dir} "${tree}" PARENT_SCOPE)
  set(${out_version} "${version}" PARENT_SCOPE)
endfunction()
