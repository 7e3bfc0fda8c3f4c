// The beat classifier compiled into the `vigil` binary (generated at build time from the shipped
// .vgl in models/ecg/ by embed_model.cmake), so `vigil ecg monitor --synthetic` needs no file.
#pragma once

#include <cstddef>
#include <cstdint>

namespace vigil::ecg {

extern const uint8_t kDefaultModel[];  // 16-byte aligned, as the runtime requires
extern const size_t kDefaultModelBytes;
extern const char kDefaultModelName[];

}  // namespace vigil::ecg
