// Geometry of sliding-window ops (Conv, ConvTranspose, MaxPool, AveragePool) over 1 or 2 spatial
// dimensions. 1-d windows are handled as 2-d windows of height 1, so every kernel has one loop nest.
#pragma once

#include <cstdint>

#include "vgl_generated.h"
#include "vigil/tensor.h"

namespace vigil::kernels {

struct WindowGeometry {
  int32_t in_h = 1, in_w = 1;
  int32_t out_h = 1, out_w = 1;
  int32_t kernel_h = 1, kernel_w = 1;
  int32_t stride_h = 1, stride_w = 1;
  int32_t dilation_h = 1, dilation_w = 1;
  int32_t pad_top = 0, pad_left = 0, pad_bottom = 0, pad_right = 0;
  int32_t output_pad_h = 0, output_pad_w = 0;  // ConvTranspose only
};

// Reads the per-spatial-dimension parameters of an op whose data tensors have rank `rank`
// (3 = 1-d, 4 = 2-d). Returns false when an array has the wrong length or a value is out of range
// (strides and dilations >= 1, pads >= 0 unless `negative_pads_allowed`: ConvTranspose reads a
// negative pad as extra output, as ONNX derives from an output_shape larger than the input gives).
bool ReadWindowParams(int rank, const flatbuffers::Vector<int32_t>* strides,
                      const flatbuffers::Vector<int32_t>* pads,
                      const flatbuffers::Vector<int32_t>* dilations,
                      const flatbuffers::Vector<int32_t>* output_padding, WindowGeometry* g,
                      bool negative_pads_allowed = false);

// Spatial sizes of a rank-3 or rank-4 NC... shape, as (h, w).
inline void SpatialDims(const Shape& s, int32_t* h, int32_t* w) {
  *h = s.rank == 4 ? s.dims[2] : 1;
  *w = s.dims[s.rank - 1];
}

// Output length of a forward window (Conv, pools): floor, or ceil when `ceil_mode`.
inline int64_t WindowOutputLength(int64_t in, int64_t kernel, int64_t stride, int64_t dilation,
                                  int64_t pad_begin, int64_t pad_end, bool ceil_mode) {
  int64_t span = in + pad_begin + pad_end - dilation * (kernel - 1) - 1;
  if (span < 0) return 0;
  return (ceil_mode ? (span + stride - 1) / stride : span / stride) + 1;
}

}  // namespace vigil::kernels
