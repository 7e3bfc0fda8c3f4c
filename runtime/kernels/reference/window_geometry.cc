#include "kernels/reference/window_geometry.h"

namespace vigil::kernels {
namespace {

// Copies n values (or `fallback` when the array is absent) into out[2 - n .. 1].
bool ReadPair(const flatbuffers::Vector<int32_t>* v, int n, int32_t fallback, int32_t min_value,
              int32_t out[2]) {
  if (v != nullptr && static_cast<int>(v->size()) != n) return false;
  for (int i = 0; i < n; ++i) {
    int32_t x = v ? v->Get(static_cast<uint32_t>(i)) : fallback;
    if (x < min_value || x > (1 << 20)) return false;
    out[2 - n + i] = x;
  }
  return true;
}

}  // namespace

bool ReadWindowParams(int rank, const flatbuffers::Vector<int32_t>* strides,
                      const flatbuffers::Vector<int32_t>* pads,
                      const flatbuffers::Vector<int32_t>* dilations,
                      const flatbuffers::Vector<int32_t>* output_padding, WindowGeometry* g,
                      bool negative_pads_allowed) {
  if (rank != 3 && rank != 4) return false;
  const int n = rank - 2;
  int32_t s[2] = {1, 1}, d[2] = {1, 1}, op[2] = {0, 0};
  if (!ReadPair(strides, n, 1, 1, s) || !ReadPair(dilations, n, 1, 1, d) ||
      !ReadPair(output_padding, n, 0, 0, op)) {
    return false;
  }
  int32_t begin[2] = {0, 0}, end[2] = {0, 0};
  if (pads != nullptr) {
    if (static_cast<int>(pads->size()) != 2 * n) return false;
    for (int i = 0; i < n; ++i) {
      begin[2 - n + i] = pads->Get(static_cast<uint32_t>(i));
      end[2 - n + i] = pads->Get(static_cast<uint32_t>(n + i));
      const int32_t lowest = negative_pads_allowed ? -(1 << 20) : 0;
      if (begin[2 - n + i] < lowest || end[2 - n + i] < lowest || begin[2 - n + i] > (1 << 20) ||
          end[2 - n + i] > (1 << 20)) {
        return false;
      }
    }
  }
  g->stride_h = s[0];
  g->stride_w = s[1];
  g->dilation_h = d[0];
  g->dilation_w = d[1];
  g->pad_top = begin[0];
  g->pad_left = begin[1];
  g->pad_bottom = end[0];
  g->pad_right = end[1];
  g->output_pad_h = op[0];
  g->output_pad_w = op[1];
  return true;
}

}  // namespace vigil::kernels
