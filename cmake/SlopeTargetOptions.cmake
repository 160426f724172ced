# Helpers applied to Slope's own targets only: nothing here touches global flags, so a parent
# project that adds Slope with add_subdirectory keeps its own settings.

# Warnings are PRIVATE: they apply when Slope's own sources compile, never to its users.
function(slope_enable_warnings target)
  if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
    target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wconversion
                           -Wno-sign-conversion -Wnon-virtual-dtor -Wold-style-cast)
  elseif(MSVC)
    target_compile_options(${target} PRIVATE /W4)
  endif()
endfunction()

# SLOPE_SANITIZE (e.g. "address;undefined") instruments a target and its link.
function(slope_enable_sanitizers target)
  if(SLOPE_SANITIZE)
    list(JOIN SLOPE_SANITIZE "," sanitizers)
    target_compile_options(${target} PRIVATE -fsanitize=${sanitizers} -fno-omit-frame-pointer
                           -fno-sanitize-recover=all)
    target_link_options(${target} PRIVATE -fsanitize=${sanitizers})
  endif()
endfunction()

# SLOPE_NATIVE compiles a target for the building machine (-march=native). benchmarks/run.sh
# turns it on so that the library is measured with the same flags as the header-only peers it
# is compared with (LBFGSpp, Eigen), which the benchmark executables compile natively.
function(slope_enable_native target)
  if(SLOPE_NATIVE AND CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
    target_compile_options(${target} PRIVATE -march=native)
  endif()
endfunction()

# Warnings, sanitizers and the native option for one of Slope's targets.
function(slope_target_defaults target)
  slope_enable_warnings(${target})
  slope_enable_sanitizers(${target})
  slope_enable_native(${target})
endfunction()
