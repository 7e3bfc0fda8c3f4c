"""Whole-model goldens: a tiny U-Net and a small ECG 1-d CNN, run by torch in float64.

The C++ side (golden_models.cc) builds the same graphs op by op with OpTestModel; these goldens
check the ops together (planner reuse, in-place chains, skip connections) and give the interpreter
tests realistic multi-op models. Weights are multiples of 1/16 or 1/8, so most sums stay exact.
"""

import torch
import torch.nn.functional as F

from golden_inputs import quarters


def _param(name, shape, divisor):
    return torch.from_numpy(quarters(name, shape) / divisor)


def tiny_unet_case():
    """x[1,1,8,8] -> conv+relu -> maxpool -> conv+relu -> {convtranspose x2, bilinear x2 + 1x1 conv}
    -> concat skip -> conv+relu -> add -> 1x1 conv -> sigmoid."""
    p = {name: _param("unet" + name, shape, 4.0) for name, shape in [
        ("enc1_w", [4, 1, 3, 3]), ("enc1_b", [4]), ("enc2_w", [8, 4, 3, 3]), ("enc2_b", [8]),
        ("up_w", [8, 4, 2, 2]), ("up_b", [4]), ("dec_w", [4, 8, 3, 3]), ("dec_b", [4]),
        ("side_w", [4, 8, 1, 1]), ("side_b", [4]), ("head_w", [1, 4, 1, 1]), ("head_b", [1])]}
    x = torch.from_numpy(quarters("unet_x", [1, 1, 8, 8]))
    e1 = F.relu(F.conv2d(x, p["enc1_w"], p["enc1_b"], padding=1))
    e2 = F.relu(F.conv2d(F.max_pool2d(e1, 2), p["enc2_w"], p["enc2_b"], padding=1))
    up = F.conv_transpose2d(e2, p["up_w"], p["up_b"], stride=2)
    dec = F.relu(F.conv2d(torch.cat([up, e1], dim=1), p["dec_w"], p["dec_b"], padding=1))
    side = F.conv2d(F.interpolate(e2, scale_factor=2, mode="bilinear", align_corners=False),
                    p["side_w"], p["side_b"])
    y = torch.sigmoid(F.conv2d(dec + side, p["head_w"], p["head_b"]))
    case = {"reference": "torch float64 forward of the same graph", "name": "tiny_unet", "x": x.numpy()}
    case.update({name: value.numpy() for name, value in p.items()})
    case["y"] = y.numpy()
    return case


def ecg_cnn_case():
    """x[1,1,64] -> conv1d+relu -> maxpool1d -> conv1d(stride 2)+relu -> global avg pool -> flatten
    -> linear -> softmax."""
    p = {name: _param("ecg" + name, shape, 2.0) for name, shape in [
        ("conv1_w", [4, 1, 5]), ("conv1_b", [4]), ("conv2_w", [8, 4, 3]), ("conv2_b", [8]),
        ("fc_w", [3, 8]), ("fc_b", [3])]}
    x = torch.from_numpy(quarters("ecg_x", [1, 1, 64]))
    h = F.max_pool1d(F.relu(F.conv1d(x, p["conv1_w"], p["conv1_b"], padding=2)), 2)
    h = F.relu(F.conv1d(h, p["conv2_w"], p["conv2_b"], stride=2, padding=1))
    h = F.adaptive_avg_pool1d(h, 1).flatten(1)
    y = torch.softmax(F.linear(h, p["fc_w"], p["fc_b"]), dim=1)
    case = {"reference": "torch float64 forward of the same graph", "name": "ecg_cnn", "x": x.numpy()}
    case.update({name: value.numpy() for name, value in p.items()})
    case["y"] = y.numpy()
    return case
