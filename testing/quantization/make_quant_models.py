#!/usr/bin/python3
"""Trains the 1-d CNN and the U-Net of the whole-model tests briefly on structured synthetic data and
exports them with disjoint calibration and evaluation sets, for the INT8 accuracy tests.

Usage: /usr/bin/python3 make_quant_models.py OUTPUT_DIR

- cnn1d: five waveform classes (sine, square, sawtooth, spike train, damped chirp) with random
  frequency, phase, amplitude, baseline and noise; the net learns to tell them apart, so its softmax
  is confident and argmax agreement means something.
- unet: images of random soft-edged ellipses on textured backgrounds; the net learns the masks.
Calibration and evaluation sets come from different seeds. Seeded, CPU, under a minute.
"""
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "torch_models"))
from export_models import Cnn1d, UNet  # noqa: E402

LENGTH = 256


def waveforms(n, rng):
    t = np.linspace(0.0, 1.0, LENGTH, dtype=np.float64)
    x = np.zeros((n, 1, LENGTH), dtype=np.float32)
    y = rng.integers(0, 5, n)
    for i in range(n):
        f = rng.uniform(2, 9)
        phase = rng.uniform(0, 2 * np.pi)
        kind = y[i]
        if kind == 0:
            s = np.sin(2 * np.pi * f * t + phase)
        elif kind == 1:
            s = np.sign(np.sin(2 * np.pi * f * t + phase))
        elif kind == 2:
            s = 2 * ((f * t + phase / (2 * np.pi)) % 1.0) - 1
        elif kind == 3:
            s = np.zeros_like(t)
            s[(np.arange(LENGTH) % int(LENGTH / f)) == 0] = 3.0
        else:
            s = np.exp(-3 * t) * np.sin(2 * np.pi * (f + 10 * t) * t * 3 + phase)
        s = s * rng.uniform(0.5, 2.0) + rng.uniform(-0.5, 0.5) + rng.normal(0, 0.15, LENGTH)
        x[i, 0] = s
    return x, y


def blobs(n, rng, size=64):
    yy, xx = np.mgrid[0:size, 0:size].astype(np.float32)
    images = np.zeros((n, 3, size, size), dtype=np.float32)
    masks = np.zeros((n, 1, size, size), dtype=np.float32)
    for i in range(n):
        background = rng.normal(0, 0.3, (3, 1, 1)) + 0.2 * np.sin(xx / rng.uniform(3, 8))[None]
        image = background + rng.normal(0, 0.1, (3, size, size))
        mask = np.zeros((size, size), dtype=np.float32)
        for _ in range(rng.integers(1, 4)):
            cx, cy = rng.uniform(8, size - 8, 2)
            rx, ry = rng.uniform(4, 14, 2)
            inside = ((xx - cx) / rx) ** 2 + ((yy - cy) / ry) ** 2
            mask = np.maximum(mask, (inside < 1).astype(np.float32))
            image += (1.0 / (1.0 + np.exp(8 * (inside - 1))))[None] * rng.normal(1.0, 0.2, (3, 1, 1))
        images[i] = image
        masks[i, 0] = mask
    return images, masks


def train(model, batches, loss_fn, steps, lr):
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    model.train()
    for step in range(steps):
        x, target = batches(step)
        opt.zero_grad()
        loss = loss_fn(model, x, target)
        loss.backward()
        opt.step()
    model.eval()
    return float(loss)


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    torch.manual_seed(0)
    torch.set_num_threads(1)
    rng = np.random.default_rng(0)

    cnn = Cnn1d()
    train_x, train_y = waveforms(2048, rng)

    def cnn_batch(step):
        idx = np.arange(step * 64, step * 64 + 64) % len(train_x)
        return torch.from_numpy(train_x[idx]), torch.from_numpy(train_y[idx])

    # Cnn1d ends in softmax; train on its log.
    cnn_loss = train(cnn, cnn_batch, lambda m, x, y: F.nll_loss(torch.log(m(x) + 1e-9), y), 300, 3e-3)
    calib_x, _ = waveforms(128, np.random.default_rng(1))
    eval_x, eval_y = waveforms(500, np.random.default_rng(2))
    with torch.no_grad():
        accuracy = float((cnn(torch.from_numpy(eval_x)).argmax(1).numpy() == eval_y).mean())
    torch.onnx.export(cnn, torch.from_numpy(eval_x[:1]), os.path.join(out, "cnn1d.onnx"), opset_version=13)
    np.save(os.path.join(out, "cnn1d_calib.npy"), calib_x)
    np.save(os.path.join(out, "cnn1d_eval.npy"), eval_x)

    unet = UNet()
    img, msk = blobs(256, rng)

    def unet_batch(step):
        idx = np.arange(step * 8, step * 8 + 8) % len(img)
        return torch.from_numpy(img[idx]), torch.from_numpy(msk[idx])

    unet_loss = train(unet, unet_batch, lambda m, x, y: F.binary_cross_entropy(m(x), y), 150, 3e-3)
    calib_img, _ = blobs(32, np.random.default_rng(3))
    eval_img, _ = blobs(32, np.random.default_rng(4))
    torch.onnx.export(unet, torch.from_numpy(eval_img[:1]), os.path.join(out, "unet.onnx"), opset_version=13)
    np.save(os.path.join(out, "unet_calib.npy"), calib_img)
    np.save(os.path.join(out, "unet_eval.npy"), eval_img)
    print(f"cnn1d: final loss {cnn_loss:.3f}, float accuracy on the evaluation set {accuracy:.3f}; unet: final loss {unet_loss:.3f}")


if __name__ == "__main__":
    main()
