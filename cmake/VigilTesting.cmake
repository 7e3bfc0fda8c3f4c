# Test registration. Every test names the requirements it verifies (docs/requirements/*.yaml);
# they become ctest labels, which `vigil trace` reads back from the JUnit results.

find_package(GTest REQUIRED)
include(GoogleTest)
include(${CMAKE_CURRENT_LIST_DIR}/VigilSanitizerSuite.cmake)

# vigil_add_gtest(NAME SOURCES ... [LIBS ...] [REQUIREMENTS VIG-XX-NNN ...] [LABELS ...]
#                 [WORKING_DIRECTORY dir] [TIMEOUT seconds])
function(vigil_add_gtest name)
  cmake_parse_arguments(ARG "" "WORKING_DIRECTORY;TIMEOUT" "SOURCES;LIBS;REQUIREMENTS;LABELS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE GTest::gtest GTest::gtest_main vigil_warnings ${ARG_LIBS})
  if(NOT ARG_WORKING_DIRECTORY)
    set(ARG_WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR})
  endif()
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 300)
  endif()
  # gtest_discover_tests (DISCOVERY_MODE PRE_TEST, CMake 3.25) passes PROPERTIES through several
  # list expansions, each consuming one level of escaping; unescaped, a list value keeps only its
  # first item and the rest are read as property names (so tests lost their environment and all
  # but one requirement label). Seven backslashes before each ';' is what reaches ctest as a list,
  # as `ctest --show-only=json-v1` shows; vigil_trace_tests checks the labels end to end.
  vigil_sanitizer_suite_label(${name} sanitize_label)
  set(labels ${ARG_REQUIREMENTS} ${ARG_LABELS} ${sanitize_label})
  string(REPLACE ";" "\\\\\\\\\\\\\\;" labels "${labels}")
  set(environment "VIGIL_DATA_DIR=${VIGIL_DATA_DIR};VIGIL_SOURCE_DIR=${CMAKE_SOURCE_DIR};VIGIL_BINARY_DIR=${CMAKE_BINARY_DIR}")
  string(REPLACE ";" "\\\\\\\\\\\\\\;" environment "${environment}")
  gtest_discover_tests(${name}
    WORKING_DIRECTORY ${ARG_WORKING_DIRECTORY}
    DISCOVERY_MODE PRE_TEST
    # Listing runs static initialisers; under ASan on a loaded 2-core CI machine the default 5 s
    # is not always enough.
    DISCOVERY_TIMEOUT 60
    PROPERTIES LABELS "${labels}" TIMEOUT ${ARG_TIMEOUT} ENVIRONMENT "${environment}")
endfunction()

# vigil_add_cli_test(NAME COMMAND ... [REQUIREMENTS ...] [LABELS ...] [WILL_FAIL]): a ctest that
# runs a command (usually build/bin/vigil) and checks its exit status.
function(vigil_add_cli_test name)
  cmake_parse_arguments(ARG "WILL_FAIL" "TIMEOUT" "COMMAND;REQUIREMENTS;LABELS" ${ARGN})
  add_test(NAME ${name} COMMAND ${ARG_COMMAND})
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 600)
  endif()
  set_tests_properties(${name} PROPERTIES
    LABELS "${ARG_REQUIREMENTS};${ARG_LABELS}" TIMEOUT ${ARG_TIMEOUT}
    ENVIRONMENT "VIGIL_DATA_DIR=${VIGIL_DATA_DIR};VIGIL_SOURCE_DIR=${CMAKE_SOURCE_DIR};VIGIL_BINARY_DIR=${CMAKE_BINARY_DIR}")
  if(ARG_WILL_FAIL)
    set_tests_properties(${name} PROPERTIES WILL_FAIL TRUE)
  endif()
endfunction()
