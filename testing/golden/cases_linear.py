"""Gemm and MatMul goldens in float64 NumPy (np.matmul defines ONNX MatMul's semantics)."""

import numpy as np

from golden_inputs import activation, apply_activation, quarters


def gemm_case(name, m, k, n, c_shape, alpha=1.0, beta=1.0, trans_a=False, trans_b=False, act=None):
    act = act or activation()
    a = quarters(name + "a", [k, m] if trans_a else [m, k])
    b = quarters(name + "b", [n, k] if trans_b else [k, n])
    c = None if c_shape is None else quarters(name + "c", c_shape)
    y = alpha * ((a.T if trans_a else a) @ (b.T if trans_b else b))
    if c is not None:
        y = y + beta * c
    return {"reference": "NumPy float64 alpha * A' @ B' + beta * C", "name": name, "a": a, "b": b, "c": c,
            "alpha": float(alpha), "beta": float(beta), "trans_a": trans_a, "trans_b": trans_b,
            "activation": act, "y": apply_activation(y, act)}


def gemm_cases():
    return [
        gemm_case("bias_row", 2, 3, 4, [4]),
        gemm_case("linear_layer_trans_b", 3, 5, 4, [4], trans_b=True),
        gemm_case("trans_a_trans_b_alpha_beta_column_c", 4, 3, 2, [4, 1], alpha=0.5, beta=2.0,
                  trans_a=True, trans_b=True),
        gemm_case("full_c_trans_a", 3, 4, 3, [3, 3], trans_a=True, beta=-1.0),
        gemm_case("scalar_c", 2, 2, 3, []),
        gemm_case("no_c_fused_relu", 3, 4, 5, None, act=activation("Relu")),
        gemm_case("fused_clip", 2, 6, 3, [3], trans_b=True, act=activation("Clip", min=-1.0, max=1.0)),
    ]


def mat_mul_cases():
    cases = []
    for name, a_shape, b_shape, b_constant in [
        ("matrix_matrix", [3, 4], [4, 5], True),
        ("vector_matrix", [4], [4, 3], False),
        ("matrix_vector", [3, 4], [4], False),
        ("vector_vector", [4], [4], False),
        ("batched_a_constant_b", [2, 3, 4], [4, 5], True),
        ("batch_broadcast_both", [2, 1, 3, 4], [1, 3, 4, 2], False),
        ("batched_both", [2, 2, 3], [2, 3, 2], False),
        ("vector_batched_b", [4], [2, 4, 3], False),
    ]:
        a, b = quarters(name + "a", a_shape), quarters(name + "b", b_shape)
        cases.append({"reference": "NumPy float64 np.matmul", "name": name, "a": a, "b": b,
                      "b_constant": b_constant, "y": np.asarray(np.matmul(a, b))})
    return cases
