"""Quantize and Dequantize goldens: docs/int8_spec.md section 4 evaluated with NumPy's float32
arithmetic (x / s and s * (q - zp) are single float32 operations there), rounding halves away
from zero. Non-finite inputs (NaN maps to the zero point, infinities saturate) are tested by hand
in quantize_test.cc, since goldens hold finite values only."""

import numpy as np

from golden_inputs import quarters, integers


def _round_half_away(v):
    return np.sign(v) * np.floor(np.abs(v) + 0.5)


def quantize_case(name, x, scale, zero_point):
    v = (x.astype(np.float32) / np.float32(scale)).astype(np.float64)
    q = np.clip(_round_half_away(v) + zero_point, -128, 127)
    return {"reference": "NumPy: clamp(round_half_away(float32(x) / float32(s)) + zp, -128, 127)",
            "name": name, "x": x, "scale": float(scale), "zero_point": zero_point, "y": q}


def quantize_cases():
    ties = np.array([0.25, -0.25, 0.75, -0.75, 1.25, -1.25, 0.0, -0.0, 0.5, -0.5])  # x / 0.5: halves
    return [
        quantize_case("scale_quarter_zero_point_3", quarters("q1", [2, 3, 4], -40, 40), 0.25, 3),
        quantize_case("halves_round_away_from_zero", ties, 0.5, 0),
        quantize_case("saturates_at_both_ends", np.array([-1e10, -1e6, -40.0, -32.25, 31.75, 32.0, 1e6, 1e10]), 0.25, 0),
        quantize_case("negative_zero_point", quarters("q2", [7], -20, 20), 0.1, -128),
        quantize_case("inexact_scale", quarters("q3", [3, 3], -30, 30), 0.3, 17),
    ]


def dequantize_case(name, q, scale, zero_point):
    x = np.float32(scale) * (q - zero_point).astype(np.float32)
    return {"reference": "NumPy: float32(s) * float32(q - zp)", "name": name, "x": q,
            "scale": float(scale), "zero_point": zero_point, "y": x.astype(np.float64)}


def dequantize_cases():
    return [
        dequantize_case("scale_quarter_zero_point_3", integers("d1", [2, 3, 4], -128, 127), 0.25, 3),
        dequantize_case("extremes", np.array([-128.0, -1.0, 0.0, 1.0, 127.0]), 0.0078125, -128),
        dequantize_case("inexact_scale", integers("d2", [3, 4], -128, 127), 0.3, -5),
    ]
