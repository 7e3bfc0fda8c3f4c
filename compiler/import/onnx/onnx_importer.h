// Reads an ONNX model (protobuf, through Debian's libonnx) into the compiler's graph IR.
//
// The model is checked with ONNX's own checker first. Initializers become constants; graph inputs
// get static shapes (a symbolic batch dimension at axis 0 becomes 1; any other symbolic dimension
// needs an explicit --input-shape); inputs named in `frozen_inputs` become constants (the ONNX node
// tests pass shape-like parameters as inputs). Only the default ONNX domain, opsets 1 to 17; ops
// whose meaning changed between opsets are lowered by the version the model imports.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include <onnx/onnx_pb.h>

#include "compiler/ir/graph.h"

namespace vigil::onnx_import {

struct ImportOptions {
  std::map<std::string, std::vector<int64_t>> input_shapes;
  std::map<std::string, ir::TensorData> frozen_inputs;
};

constexpr int64_t kMinOpset = 1;
constexpr int64_t kMaxOpset = 17;

ir::Graph ImportModel(const onnx::ModelProto& model, const ImportOptions& options);
// Parses and imports a file; `sha256_hex` (optional) receives the file's SHA-256.
ir::Graph ImportFile(const std::string& path, const ImportOptions& options,
                     std::string* sha256_hex = nullptr);

// One ONNX node in IR form; `value_of` maps a value name to its id (creating it if new).
ir::Node ConvertNode(const onnx::NodeProto& proto,
                     const std::function<int(const std::string&)>& value_of,
                     const std::string& fallback_name);

ir::TensorData DecodeTensor(const onnx::TensorProto& tensor);
ir::ElementType FromOnnxType(int32_t onnx_type);
int32_t ToOnnxType(ir::ElementType type);
void EncodeTensor(const ir::TensorData& data, const std::string& name, onnx::TensorProto* out);

}  // namespace vigil::onnx_import
