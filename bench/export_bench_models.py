#!/usr/bin/python3
"""Exports the benchmark models to ONNX (opset 13): the 1-d ECG CNN and the U-Net of the whole-model
tests (testing/torch_models/export_models.py), the U-Net at 256x256.

Usage: /usr/bin/python3 export_bench_models.py OUTPUT_DIR
"""
import os
import sys

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "testing", "torch_models"))
from export_models import Cnn1d, UNet, randomize_batchnorm  # noqa: E402

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
torch.manual_seed(0)
generator = torch.Generator().manual_seed(0)
for name, model, shape in (("ecg_cnn1d", Cnn1d(), (1, 1, 256)), ("unet256", UNet(), (1, 3, 256, 256))):
    model.eval()
    randomize_batchnorm(model, generator)
    torch.onnx.export(model, torch.randn(*shape), os.path.join(out, name + ".onnx"), opset_version=13)
