# version.hpp: the toolkit version, the commit it was built from and the library versions, for --version.
# A container build has no .git (see .dockerignore): it passes the commit as -DGANTRY_COMMIT=....
set(GANTRY_COMMIT "" CACHE STRING "Commit the build is from (default: asked from git)")
if(NOT GANTRY_COMMIT OR GANTRY_COMMIT STREQUAL "unknown")
  set(GANTRY_COMMIT "unknown")
  find_package(Git QUIET)
endif()
if(GANTRY_COMMIT STREQUAL "unknown" AND GIT_FOUND AND EXISTS "${CMAKE_SOURCE_DIR}/.git")
  execute_process(COMMAND "${GIT_EXECUTABLE}" -C "${CMAKE_SOURCE_DIR}" rev-parse --short=12 HEAD
                  OUTPUT_VARIABLE GANTRY_COMMIT OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
  if(NOT GANTRY_COMMIT)
    set(GANTRY_COMMIT "unknown")
  endif()
endif()
configure_file("${CMAKE_SOURCE_DIR}/cmake/version.hpp.in" "${CMAKE_BINARY_DIR}/generated/gantry/version.hpp" @ONLY)
