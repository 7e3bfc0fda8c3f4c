"""Inputs for golden cases and the fused activations, shared by the case modules.

Inputs are multiples of 1/4 (or small integers) so products and sums of a few hundred terms are
exact in float32 as well as float64: a kernel that gets the indexing right matches the reference to
the last bit, and the generated files do not depend on the CPU's summation order.
"""

import numpy as np

from golden_emit import Enum


def rng_for(name):
    """A generator seeded by the case name, so adding a case does not change the others."""
    return np.random.default_rng(abs(hash_name(name)))


def hash_name(name):
    h = 2166136261
    for ch in name.encode():
        h = ((h ^ ch) * 16777619) % (1 << 32)
    return h


def quarters(name, shape, low=-8, high=8):
    """Values k/4 for integers k in [low, high], float64."""
    return np.asarray(rng_for(name).integers(low, high + 1, size=shape).astype(np.float64) / 4.0)


def integers(name, shape, low=-100, high=100):
    """Integer values that fit int8, so data-movement cases also run as int8 and int32."""
    return np.asarray(rng_for(name).integers(low, high + 1, size=shape).astype(np.float64))


def activation(kind="None", min=0.0, max=0.0, alpha=0.01):
    return {"kind": Enum("schema::ActivationKind::" + kind), "min": float(min),
            "max": float(max), "alpha": float(alpha)}


def apply_activation(y, act):
    kind = act["kind"].text.rsplit(":", 1)[1]
    if kind == "Relu":
        return np.maximum(y, 0.0)
    if kind == "Clip":
        return np.minimum(np.maximum(y, act["min"]), act["max"])
    if kind == "LeakyRelu":
        alpha = float(np.float32(act["alpha"]))  # the model stores alpha as float32
        return np.where(y >= 0.0, y, y * alpha)
    return y
