#include "vigil/status.h"

#include "vigil/tensor.h"

namespace vigil {

const char* StatusName(Status status) {
  switch (status) {
    case Status::kOk: return "ok";
    case Status::kInvalidModel: return "invalid model";
    case Status::kUnsupportedModel: return "unsupported model";
    case Status::kArenaTooSmall: return "arena too small";
    case Status::kInvalidArgument: return "invalid argument";
    case Status::kNotReady: return "not ready";
    case Status::kInvalidTensorData: return "invalid tensor data";
  }
  return "unknown status";
}

const char* DTypeName(DType dtype) {
  switch (dtype) {
    case DType::kFloat32: return "float32";
    case DType::kInt8: return "int8";
    case DType::kInt32: return "int32";
  }
  return "unknown";
}

}  // namespace vigil
