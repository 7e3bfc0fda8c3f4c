# Warnings and sanitizers shared by every Vigil target.

# ccache, where installed, makes rebuilds and the second (sanitizer) configuration of CI cheaper;
# VIGIL_CCACHE=OFF builds without it.
option(VIGIL_CCACHE "Compile through ccache when it is installed" ON)
find_program(VIGIL_CCACHE_PROGRAM ccache)
if(VIGIL_CCACHE AND VIGIL_CCACHE_PROGRAM)
  set(CMAKE_C_COMPILER_LAUNCHER ${VIGIL_CCACHE_PROGRAM})
  set(CMAKE_CXX_COMPILER_LAUNCHER ${VIGIL_CCACHE_PROGRAM})
endif()

add_library(vigil_warnings INTERFACE)
target_compile_options(vigil_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion -Werror=return-type)

if(VIGIL_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=undefined
                      -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()

if(VIGIL_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "VIGIL_FUZZ needs clang (use the 'fuzz' preset)")
  endif()
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()

# vigil_freestanding_library(TARGET): compiles a device library without exceptions or RTTI and, in a
# firmware (cross) build, fails the build when its objects refer to the heap or to exceptions
# (cmake/check_freestanding.cmake).
function(vigil_freestanding_library target)
  target_compile_options(${target} PRIVATE -fno-exceptions -fno-rtti)
  if(CMAKE_CROSSCOMPILING)
    add_custom_command(TARGET ${target} POST_BUILD
      COMMAND ${CMAKE_COMMAND} -DNM=${CMAKE_NM} -DLIBRARY=$<TARGET_FILE:${target}>
              -P ${CMAKE_SOURCE_DIR}/cmake/check_freestanding.cmake
      VERBATIM)
  endif()
endfunction()

# vigil_fuzz_target(NAME SOURCES ... LIBS ... [SEEDS path ...] [REQUIREMENTS id ...]): a fuzz target
# for a parser of untrusted input (LLVMFuzzerTestOneInput). With VIGIL_FUZZ it is a libFuzzer
# binary for open-ended campaigns; in every other build it links testing/fuzz_replay's driver and a
# ctest `NAME_replay` runs it on the seeds and deterministic mutations of them (under ASan+UBSan in
# the sanitizer pass).
function(vigil_fuzz_target name)
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBS;SEEDS;REQUIREMENTS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_LIBS})
  if(VIGIL_FUZZ)
    target_link_options(${name} PRIVATE -fsanitize=fuzzer)
    return()
  endif()
  target_sources(${name} PRIVATE ${CMAKE_SOURCE_DIR}/testing/fuzz_replay/replay_main.cc)
  if(COMMAND vigil_add_cli_test)
    vigil_sanitizer_suite_add(${name})
    vigil_add_cli_test(${name}_replay COMMAND $<TARGET_FILE:${name}> ${ARG_SEEDS}
                       REQUIREMENTS ${ARG_REQUIREMENTS} LABELS fuzz sanitize TIMEOUT 300)
  endif()
endfunction()
