# The Cortex-M firmware of the cross-backend harness, built by the host build as a nested project
# with the arm-none-eabi toolchain (build/firmware/), when that toolchain and QEMU are installed. It
# also cross-compiles the device code that the firmware does not link (signal/ecg), so that the
# compiler checks its freestanding contract in every build.
include(ExternalProject)
find_program(VIGIL_ARM_GXX arm-none-eabi-g++)
find_program(VIGIL_QEMU_ARM qemu-system-arm)
# The sanitizer build tests host code; the firmware is the same with or without it.
if(VIGIL_ARM_GXX AND VIGIL_QEMU_ARM AND NOT VIGIL_SANITIZE)
  set(VIGIL_FIRMWARE_DIR ${CMAKE_BINARY_DIR}/firmware)
  ExternalProject_Add(vigil_firmware
    SOURCE_DIR ${CMAKE_SOURCE_DIR}
    BINARY_DIR ${VIGIL_FIRMWARE_DIR}
    CMAKE_ARGS -DVIGIL_HOST=OFF -DCMAKE_BUILD_TYPE=Release
               -DCMAKE_TOOLCHAIN_FILE=${CMAKE_SOURCE_DIR}/cmake/toolchains/arm-none-eabi-cortex-m4.cmake
    BUILD_ALWAYS ON
    INSTALL_COMMAND ""
    BUILD_BYPRODUCTS ${VIGIL_FIRMWARE_DIR}/bin/vigil_model_runner.elf)
  set(VIGIL_MODEL_RUNNER_ELF ${VIGIL_FIRMWARE_DIR}/bin/vigil_model_runner.elf)
endif()
