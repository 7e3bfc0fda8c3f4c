"""Resize goldens from ONNX's own reference implementation (onnx.backend.test.case.node.resize,
shipped with Debian's python3-onnx), in float64, for every mode, coordinate transformation and
nearest rounding the runtime supports; the modes PyTorch exports are also checked against
torch.nn.functional.interpolate (torch 1.13 exports bilinear as half_pixel or align_corners,
nearest as asymmetric + floor).

Scales are exactly representable (0.5, 0.75, 1.5, 2, 2.5, 3) so that float32 and float64 agree on
which side of a rounding tie a source coordinate falls.
"""

import numpy as np
import torch
import torch.nn.functional as F
from onnx.backend.test.case.node.resize import interpolate_nd, linear_coeffs, nearest_coeffs

from golden_emit import Enum
from golden_inputs import quarters

_TRANSFORMS = {"half_pixel": "HalfPixel", "asymmetric": "Asymmetric", "align_corners": "AlignCorners",
               "pytorch_half_pixel": "PytorchHalfPixel"}
_ROUNDINGS = {"round_prefer_floor": "RoundPreferFloor", "round_prefer_ceil": "RoundPreferCeil",
              "floor": "Floor", "ceil": "Ceil"}


def _onnx_resize(x, mode, transform, rounding, scales):
    if mode == "nearest":
        def coeffs(ratio):
            return nearest_coeffs(ratio, mode=rounding)
    else:
        coeffs = linear_coeffs
    out_size = [int(round(d * s)) for d, s in zip(x.shape, scales)]
    return interpolate_nd(x, coeffs, output_size=out_size, scale_factors=np.array(scales, dtype=np.float64),
                          coordinate_transformation_mode=transform)


def _torch_resize(x, mode, transform, rounding, scales):
    """What torch computes for the ONNX modes it exports, or None."""
    if list(scales[:2]) != [1.0, 1.0]:
        return None  # torch resizes spatial axes only
    spatial = [int(round(d * s)) for d, s in zip(x.shape[2:], scales[2:])]
    xt = torch.from_numpy(x)
    if mode == "nearest" and transform == "asymmetric" and rounding == "floor":
        return F.interpolate(xt, scale_factor=scales[2:], mode="nearest").numpy()
    torch_mode = "linear" if x.ndim == 3 else "bilinear"
    if mode == "linear" and transform in ("half_pixel", "align_corners"):  # torch exports these
        return F.interpolate(xt, size=spatial, mode=torch_mode,
                             align_corners=transform == "align_corners").numpy()
    return None


def resize_case(name, shape, mode, transform, rounding, scales):
    x = quarters(name, shape)
    y = _onnx_resize(x, mode, transform, rounding, scales)
    how = "onnx reference interpolate_nd(%s, %s%s) in float64" % (
        mode, transform, ", " + rounding if mode == "nearest" else "")
    torch_y = _torch_resize(x, mode, transform, rounding, scales)
    if torch_y is not None:
        assert np.allclose(torch_y, y, rtol=0, atol=1e-12), name
        how += "; torch interpolate agrees"
    return {"reference": how, "name": name, "x": x, "mode": Enum("schema::ResizeMode::" + mode.title()),
            "transform": Enum("schema::CoordinateTransform::" + _TRANSFORMS[transform]),
            "rounding": Enum("schema::NearestRounding::" + _ROUNDINGS[rounding]),
            "scales": [float(s) for s in scales], "y": y}


def resize_cases():
    cases = []
    for transform in _TRANSFORMS:
        for rounding in _ROUNDINGS:
            cases.append(resize_case("nearest_up_%s_%s" % (transform, rounding), [1, 1, 3, 4], "nearest",
                                     transform, rounding, [1.0, 1.0, 2.0, 1.5]))
            cases.append(resize_case("nearest_down_%s_%s" % (transform, rounding), [1, 1, 4, 6], "nearest",
                                     transform, rounding, [1.0, 1.0, 0.75, 0.5]))
        cases.append(resize_case("linear_up_" + transform, [1, 2, 3, 4], "linear", transform,
                                 "round_prefer_floor", [1.0, 1.0, 2.0, 1.5]))
        cases.append(resize_case("linear_down_" + transform, [1, 1, 4, 6], "linear", transform,
                                 "round_prefer_floor", [1.0, 1.0, 0.75, 0.5]))
    cases += [
        resize_case("nearest_torch_upsample_x3", [1, 2, 2, 3], "nearest", "asymmetric", "floor",
                    [1.0, 1.0, 3.0, 3.0]),
        resize_case("linear_1d_x2_5_pytorch_half_pixel", [1, 2, 4], "linear", "pytorch_half_pixel",
                    "round_prefer_floor", [1.0, 1.0, 2.5]),
        resize_case("linear_1d_align_corners", [1, 1, 5], "linear", "align_corners", "round_prefer_floor",
                    [1.0, 1.0, 2.0]),
        resize_case("linear_to_length_1_pytorch_half_pixel", [1, 1, 2, 4], "linear", "pytorch_half_pixel",
                    "round_prefer_floor", [1.0, 1.0, 0.5, 0.25]),
        resize_case("linear_to_length_1_half_pixel", [1, 1, 2, 4], "linear", "half_pixel",
                    "round_prefer_floor", [1.0, 1.0, 0.5, 0.25]),
        resize_case("nearest_channel_axis_scaled", [1, 2, 2, 2], "nearest", "asymmetric", "floor",
                    [1.0, 2.0, 1.0, 1.0]),
    ]
    return cases
