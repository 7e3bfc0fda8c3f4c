"""Elementwise goldens: Add, Sub, Mul (NumPy broadcasting), Relu, LeakyRelu, Clip, Sigmoid, Tanh and
Softmax, all in float64 NumPy (torch agrees on these; NumPy defines the broadcasting rules)."""

import numpy as np

from golden_inputs import activation, apply_activation, quarters

_BINARY_SHAPES = [
    # name, a shape, b shape, b constant
    ("same_shape", [2, 3, 4], [2, 3, 4], False),
    ("scalar_b", [2, 3], [], False),
    ("row_b", [2, 3, 4], [4], False),
    ("column_a_row_b", [3, 1], [1, 4], False),
    ("a_broadcast_onto_b", [3], [2, 3], False),
    ("channel_constant_b", [1, 3, 2, 2], [1, 3, 1, 1], True),
    ("rank5_middle_broadcast", [2, 1, 3, 1, 2], [1, 2, 1, 2, 1], False),
]


def binary_cases(op_name, function, fused):
    cases = []
    for name, a_shape, b_shape, b_constant in _BINARY_SHAPES + [("fused_" + fused["kind"].text.rsplit(":", 1)[1].lower(),
                                                                 [2, 5], [5], True)]:
        act = fused if name.startswith("fused") else activation()
        a, b = quarters(op_name + name + "a", a_shape), quarters(op_name + name + "b", b_shape)
        y = apply_activation(function(a, b), act)
        cases.append({"reference": "NumPy float64 %s with broadcasting" % function.__name__, "name": name,
                      "a": a, "b": b, "b_constant": b_constant, "activation": act, "y": y})
    return cases


def add_cases():
    return binary_cases("add", np.add, activation("Relu"))


def sub_cases():
    return binary_cases("sub", np.subtract, activation("LeakyRelu", alpha=0.25))


def mul_cases():
    return binary_cases("mul", np.multiply, activation("Clip", min=-1.0, max=2.0))


def _unary(name, x, y, how, params=None):
    return {"reference": how, "name": name, "x": x, "params": params or {}, "y": y}


def _edges():
    """Zero, signed zero, and values large enough to overflow a naive exp."""
    return np.array([0.0, -0.0, 1.0, -1.0, 20.0, -20.0, 88.5, -88.5, 100.0, -100.0, 0.25, -0.25])


def relu_cases():
    x = quarters("relu", [2, 3, 4])
    return [_unary("mixed_signs", x, np.maximum(x, 0.0), "NumPy float64 max(x, 0)"),
            _unary("edges", _edges(), np.maximum(_edges(), 0.0), "NumPy float64 max(x, 0)")]


def leaky_relu_cases():
    cases = []
    for alpha in (0.01, 0.2):
        x = quarters("leaky%g" % alpha, [3, 5])
        y = np.where(x >= 0, x, x * float(np.float32(alpha)))
        cases.append(_unary("alpha_%s" % str(alpha).replace(".", "_"), x, y,
                            "NumPy float64 where(x >= 0, x, alpha x)", activation("None", alpha=alpha)))
    return cases


def clip_cases():
    cases = []
    for name, lo, hi in [("bounds", -1.0, 1.5), ("equal_bounds", 0.5, 0.5), ("relu6", 0.0, 6.0)]:
        x = quarters("clip" + name, [2, 2, 5], low=-40, high=40)
        cases.append(_unary(name, x, np.clip(x, lo, hi), "NumPy float64 clip",
                            activation("None", min=lo, max=hi)))
    return cases


def sigmoid_cases():
    def sigmoid(x):
        return 1.0 / (1.0 + np.exp(-x))
    x = quarters("sigmoid", [3, 4], low=-32, high=32)
    return [_unary("quarters", x, sigmoid(x), "NumPy float64 1 / (1 + exp(-x))"),
            _unary("edges", _edges(), sigmoid(_edges()), "NumPy float64 1 / (1 + exp(-x))")]


def tanh_cases():
    x = quarters("tanh", [3, 4], low=-16, high=16)
    return [_unary("quarters", x, np.tanh(x), "NumPy float64 tanh"),
            _unary("edges", _edges(), np.tanh(_edges()), "NumPy float64 tanh")]


def softmax_cases():
    def softmax(x, axis):
        e = np.exp(x - np.max(x, axis=axis, keepdims=True))
        return e / np.sum(e, axis=axis, keepdims=True)
    cases = []
    for name, shape, axis, offset in [("last_axis", [2, 5], 1, 0.0), ("first_axis", [3, 4], 0, 0.0),
                                      ("middle_axis", [2, 3, 4], 1, 0.0),
                                      ("large_values_stable", [2, 4], 1, 1000.0),
                                      ("single_element_axis", [3, 1], 1, 0.0)]:
        x = quarters("softmax" + name, shape) + offset
        cases.append({"reference": "NumPy float64 exp(x - max) / sum", "name": name, "x": x,
                      "axis": axis, "y": softmax(x, axis)})
    return cases
