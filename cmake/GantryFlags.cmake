# Compiler and linker flags shared by every target.

function(gantry_apply_flags target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wno-missing-field-initializers)
  if(GANTRY_SANITIZE)
    target_compile_options(${target} PRIVATE -fsanitize=address,undefined -fno-omit-frame-pointer
                                             -fno-sanitize-recover=undefined)
    target_link_options(${target} PRIVATE -fsanitize=address,undefined)
  endif()
  if(GANTRY_FUZZ)
    target_compile_options(${target} PRIVATE -fsanitize=fuzzer-no-link,address,undefined)
    target_link_options(${target} PRIVATE -fsanitize=address,undefined)
  endif()
  if(GANTRY_STATIC)
    target_compile_options(${target} PRIVATE -ffunction-sections -fdata-sections)
  endif()
endfunction()

# Our libraries compile as unity batches: most of a file's compile time here is code generation for
# the header-only templates every file instantiates again (nlohmann/json, fmt, simdjson), so eight
# files per batch cost about a quarter of the CPU time of eight separate files (gantry_core: 611 s of
# compile jobs one by one, about 150 s in batches). The tests stay one file per job: doctest files
# repeat helper names freely, and a developer edits them most.
option(GANTRY_UNITY_BUILD "Compile gantry's libraries in unity batches (faster first builds)" ON)
function(gantry_unity_build target)
  if(GANTRY_UNITY_BUILD)
    set_target_properties(${target} PROPERTIES UNITY_BUILD ON UNITY_BUILD_BATCH_SIZE 8)
  endif()
endfunction()

# Shipped executables: fully static and stripped in the release preset. They install as the
# component `tools`, which is what the container images take (`cmake --install --component tools`).
function(gantry_link_executable target)
  if(GANTRY_STATIC AND GANTRY_STATIC_LINK)
    target_link_options(${target} PRIVATE -static -Wl,--gc-sections -s)
  endif()
  install(TARGETS ${target} RUNTIME DESTINATION bin COMPONENT tools)
endfunction()

# Sets a switch of a vendored CMake project (libcurl, libgit2) before it is added. FORCE, because
# those projects declare their switches as options with other defaults, and a stale cache from an
# earlier configure must not bring a dependency back.
function(gantry_force_setting name value)
  set(${name} "${value}" CACHE INTERNAL "gantry: setting of a vendored library" FORCE)
endfunction()
