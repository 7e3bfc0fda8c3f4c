# The sanitizer pass of CI (the `asan` presets) covers the code that meets untrusted bytes and the
# code that runs on the device: the runtime and signal chains, and every parser of input a user or
# an attacker controls (model files, .npy tensors, WFDB records, TUF metadata and packages, the
# audit log, requirement and JUnit files, change records, masks). Every fuzz target's replay is in
# it (vigil_fuzz_target). Host tools that only read what the project itself wrote (the compiler's
# ONNX passes on trusted models, reports, the trace) run once, in the main pass.
#
# A test executable named here gets the ctest label `sanitize`; the build target
# `vigil_sanitizer_suite` builds exactly these, so the sanitizer build compiles what they link and
# nothing else.
set(VIGIL_SANITIZER_SUITE
  # runtime and signal chains
  vigil_kernel_tests vigil_model_verifier_tests vigil_interpreter_tests vigil_interpreter_heap_tests
  vigil_ecg_signal_tests vigil_image_tests
  # parsers of untrusted input: tensors and command lines, update metadata, packages and the device
  vigil_host_tests vigil_ota_package_tests vigil_ota_tuf_tests vigil_ota_device_tests
  vigil_ota_attack_tests)

# vigil_sanitizer_suite_add(TARGET): `TARGET` belongs to the sanitizer pass.
function(vigil_sanitizer_suite_add target)
  set_property(GLOBAL APPEND PROPERTY VIGIL_SANITIZER_TARGETS ${target})
endfunction()

# vigil_sanitizer_suite_label(TARGET OUT_VAR): `sanitize` when TARGET is in the suite, else empty.
function(vigil_sanitizer_suite_label target out_var)
  if(target IN_LIST VIGIL_SANITIZER_SUITE)
    vigil_sanitizer_suite_add(${target})
    set(${out_var} sanitize PARENT_SCOPE)
  else()
    set(${out_var} "" PARENT_SCOPE)
  endif()
endfunction()

# Called once every area is added: the target the sanitizer build presets build.
function(vigil_sanitizer_suite_finish)
  get_property(targets GLOBAL PROPERTY VIGIL_SANITIZER_TARGETS)
  add_custom_target(vigil_sanitizer_suite)
  if(targets)
    add_dependencies(vigil_sanitizer_suite ${targets})
  endif()
endfunction()
