"""Conv and ConvTranspose goldens: torch.nn.functional in float64.

ONNX's asymmetric pads are applied with F.pad before a padding-free torch conv; ConvTranspose runs
unpadded and is cropped by (pad_begin, pad_end) afterwards, which is ONNX's definition.
"""

import torch
import torch.nn.functional as F

from golden_inputs import activation, apply_activation, quarters


def _torch_pad(pads):
    """ONNX pads (begins then ends, outer axis first) as F.pad's (last axis first) tuple."""
    n = len(pads) // 2
    out = []
    for axis in reversed(range(n)):
        out += [pads[axis], pads[n + axis]]
    return tuple(out)


def conv_case(name, x_shape, w_shape, strides, pads, dilations, group=1, bias=True, act=None):
    act = act or activation()
    x, w = quarters(name + "x", x_shape), quarters(name + "w", w_shape)
    b = quarters(name + "b", [w_shape[0]]) if bias else None
    conv = F.conv1d if len(x_shape) == 3 else F.conv2d
    xt = F.pad(torch.from_numpy(x), _torch_pad(pads))
    y = conv(xt, torch.from_numpy(w), None if b is None else torch.from_numpy(b),
             stride=strides, padding=0, dilation=dilations, groups=group).numpy()
    return {"reference": "torch %s(F.pad(x, pads)) in float64" % conv.__name__,
            "name": name, "x": x, "w": w, "bias": b, "strides": strides, "pads": pads,
            "dilations": dilations, "group": group, "output_padding": [0] * len(strides),
            "activation": act, "y": apply_activation(y, act)}


def conv_transpose_case(name, x_shape, w_shape, strides, pads, dilations, group=1,
                        output_padding=None, bias=True, act=None):
    act = act or activation()
    n = len(strides)
    output_padding = output_padding or [0] * n
    x, w = quarters(name + "x", x_shape), quarters(name + "w", w_shape)
    b = quarters(name + "b", [w_shape[1] * group]) if bias else None
    conv = F.conv_transpose1d if n == 1 else F.conv_transpose2d
    y = conv(torch.from_numpy(x), torch.from_numpy(w), None if b is None else torch.from_numpy(b),
             stride=strides, padding=0, output_padding=output_padding, groups=group,
             dilation=dilations).numpy()
    crop = tuple([slice(None), slice(None)] +
                 [slice(pads[d], y.shape[2 + d] - pads[n + d]) for d in range(n)])
    return {"reference": "torch %s unpadded, cropped by pads, in float64" % conv.__name__,
            "name": name, "x": x, "w": w, "bias": b, "strides": strides, "pads": pads,
            "dilations": dilations, "group": group, "output_padding": output_padding,
            "activation": act, "y": apply_activation(y[crop], act)}


def conv_cases():
    return [
        conv_case("conv2d_plain", [1, 1, 4, 4], [1, 1, 3, 3], [1, 1], [0, 0, 0, 0], [1, 1], bias=False),
        conv_case("conv2d_batch2_bias_same_pads", [2, 3, 5, 5], [4, 3, 3, 3], [1, 1], [1, 1, 1, 1], [1, 1]),
        conv_case("conv2d_stride2x3_asymmetric_pads", [1, 2, 7, 6], [3, 2, 3, 2], [2, 3], [1, 0, 2, 1], [1, 1]),
        conv_case("conv2d_dilation2x3", [1, 2, 7, 8], [2, 2, 3, 3], [1, 1], [2, 1, 0, 3], [2, 3]),
        conv_case("conv2d_groups2", [1, 4, 5, 5], [6, 2, 3, 3], [1, 1], [1, 1, 1, 1], [1, 1], group=2),
        conv_case("conv2d_depthwise_stride2", [1, 3, 6, 6], [3, 1, 3, 3], [2, 2], [1, 1, 1, 1], [1, 1], group=3),
        conv_case("conv2d_depthwise_multiplier2", [1, 2, 5, 5], [4, 1, 2, 2], [1, 1], [0, 0, 0, 0], [1, 1], group=2),
        conv_case("conv2d_pointwise", [1, 3, 3, 3], [2, 3, 1, 1], [1, 1], [0, 0, 0, 0], [1, 1]),
        conv_case("conv2d_kernel_over_input", [1, 1, 2, 2], [1, 1, 3, 3], [1, 1], [1, 1, 1, 1], [1, 1]),
        conv_case("conv2d_fused_relu", [1, 2, 4, 4], [2, 2, 3, 3], [1, 1], [1, 1, 1, 1], [1, 1],
                  act=activation("Relu")),
        conv_case("conv2d_fused_clip", [1, 2, 4, 4], [2, 2, 3, 3], [1, 1], [1, 1, 1, 1], [1, 1],
                  act=activation("Clip", min=-0.5, max=1.5)),
        conv_case("conv2d_fused_leaky_relu", [1, 2, 4, 4], [2, 2, 3, 3], [1, 1], [1, 1, 1, 1], [1, 1],
                  act=activation("LeakyRelu", alpha=0.125)),
        conv_case("conv1d_bias", [1, 2, 10], [3, 2, 3], [1], [0, 0], [1]),
        conv_case("conv1d_batch2_stride2_asymmetric_pads_dilation2", [2, 2, 16], [4, 2, 3], [2], [3, 1], [2]),
        conv_case("conv1d_depthwise_same_pads", [1, 4, 12], [4, 1, 5], [1], [2, 2], [1], group=4),
        conv_case("conv1d_groups2_stride3", [1, 4, 11], [2, 2, 4], [3], [1, 2], [1], group=2,
                  act=activation("Relu")),
    ]


def conv_transpose_cases():
    return [
        conv_transpose_case("conv_transpose2d_stride2_kernel2", [1, 2, 3, 3], [2, 3, 2, 2], [2, 2],
                            [0, 0, 0, 0], [1, 1]),
        conv_transpose_case("conv_transpose2d_stride2_pads_output_padding", [1, 1, 3, 4], [1, 2, 3, 3],
                            [2, 2], [1, 1, 1, 1], [1, 1], output_padding=[1, 1]),
        conv_transpose_case("conv_transpose2d_asymmetric_pads", [1, 2, 3, 3], [2, 1, 3, 3], [2, 1],
                            [0, 1, 2, 0], [1, 1], bias=False),
        conv_transpose_case("conv_transpose2d_dilation2", [1, 1, 3, 3], [1, 2, 2, 2], [1, 1],
                            [0, 0, 0, 0], [2, 2]),
        conv_transpose_case("conv_transpose2d_dilation2_output_padding", [1, 1, 3, 2], [1, 1, 3, 2], [1, 1],
                            [1, 0, 0, 0], [2, 2], output_padding=[1, 0]),
        conv_transpose_case("conv_transpose2d_groups2_stride2", [1, 4, 3, 3], [4, 1, 3, 3], [2, 2],
                            [1, 1, 1, 1], [1, 1], group=2),
        conv_transpose_case("conv_transpose2d_fused_relu", [1, 2, 2, 3], [2, 2, 2, 2], [2, 2],
                            [0, 0, 0, 0], [1, 1], act=activation("Relu")),
        conv_transpose_case("conv_transpose1d_stride3_pads", [1, 2, 5], [2, 3, 4], [3], [1, 2], [1]),
        conv_transpose_case("conv_transpose1d_batch2_output_padding", [2, 1, 4], [1, 2, 3], [2], [0, 0], [1],
                            output_padding=[1]),
    ]
