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
