// Status values returned by every fallible runtime call.
//
// The runtime never throws and never aborts: a function that can fail returns a Status, and the
// Interpreter keeps a human-readable message for the last failure (Interpreter::error()).
#pragma once

#include <cstdint>

namespace vigil {

enum class [[nodiscard]] Status : uint8_t{
    kOk = 0,
    kInvalidModel,       // the model file failed verification (structure, plan, shapes, types)
    kUnsupportedModel,   // well-formed, but needs an op, dtype or format version this build lacks
    kArenaTooSmall,      // the caller's arena is smaller than the model's plan
    kInvalidArgument,    // a bad pointer, index, size or alignment from the caller
    kNotReady,           // Invoke or tensor access before a successful Init
    kInvalidTensorData,  // tensor contents an op cannot accept (an index out of range)
};

// Short stable name of a status ("ok", "invalid model", ...), for logs.
const char* StatusName(Status status);

}  // namespace vigil
