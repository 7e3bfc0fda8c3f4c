#!/usr/bin/python3
"""Exports whole PyTorch models to ONNX (opset 13) with an input and PyTorch's own output, as golden
data for the compiler + runtime tests.

Usage: /usr/bin/python3 export_models.py OUTPUT_DIR [--random N]

Each model goes to OUTPUT_DIR/<name>/{model.onnx, input_0.npy, expected_0.npy}. The fixed models are
the three the core issue names (a 1-d CNN, a small U-Net with ConvTranspose and bilinear Resize, a
depthwise/grouped net) and one with the layout ops; --random N adds N nets drawn at random from the
supported ops, which no test was written for, to catch what the fixed ones miss.
"""
import argparse
import os
import random

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


class Cnn1d(nn.Module):
    """An ECG-style beat classifier (~45 k parameters): strided and dilated 1-d convolutions, BN,
    pooling, two fully connected layers, softmax."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv1d(1, 16, 7, padding=3)
        self.bn1 = nn.BatchNorm1d(16)
        self.conv2 = nn.Conv1d(16, 32, 5, padding=2)
        self.bn2 = nn.BatchNorm1d(32)
        self.conv3 = nn.Conv1d(32, 32, 3, dilation=2, padding=2)
        self.conv4 = nn.Conv1d(32, 64, 3, stride=2, padding=1)
        self.pool = nn.MaxPool1d(2)
        self.avg = nn.AvgPool1d(2)
        self.fc1 = nn.Linear(64 * 16, 32)
        self.fc2 = nn.Linear(32, 5)

    def forward(self, x):
        x = F.relu(self.bn1(self.conv1(x)))
        x = self.pool(F.relu(self.bn2(self.conv2(x))))
        x = self.pool(F.leaky_relu(self.conv3(x), 0.1))
        x = self.avg(F.relu(self.conv4(x)))
        return F.softmax(self.fc2(F.relu(self.fc1(x.flatten(1)))), dim=1)


def block(cin, cout):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1), nn.BatchNorm2d(cout), nn.ReLU(),
                         nn.Conv2d(cout, cout, 3, padding=1), nn.BatchNorm2d(cout), nn.ReLU())


class UNet(nn.Module):
    """A two-level U-Net: one ConvTranspose up-path and one bilinear up-path, skip concatenations."""

    def __init__(self):
        super().__init__()
        self.enc1, self.enc2, self.mid = block(3, 8), block(8, 16), block(16, 32)
        self.up2 = nn.ConvTranspose2d(32, 16, 2, stride=2)
        self.dec2 = block(32, 16)
        self.dec1 = block(24, 8)
        self.head = nn.Conv2d(8, 1, 1)

    def forward(self, x):
        e1 = self.enc1(x)
        e2 = self.enc2(F.max_pool2d(e1, 2))
        m = self.mid(F.max_pool2d(e2, 2))
        d2 = self.dec2(torch.cat([self.up2(m), e2], 1))
        u1 = F.interpolate(d2, scale_factor=2, mode="bilinear", align_corners=False)
        d1 = self.dec1(torch.cat([u1, e1], 1))
        return torch.sigmoid(self.head(d1))


class Depthwise(nn.Module):
    """MobileNet-style: depthwise and grouped convolutions, ReLU6 (Clip), hardtanh, global pooling."""

    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(3, 16, 3, stride=2, padding=1)
        self.dw = nn.Conv2d(16, 16, 3, padding=1, groups=16)
        self.pw = nn.Conv2d(16, 32, 1)
        self.grouped = nn.Conv2d(32, 32, 3, padding=(1, 2), dilation=(1, 2), groups=4)
        self.fc = nn.Linear(32, 10)

    def forward(self, x):
        x = F.relu6(self.stem(x))
        x = F.relu6(self.pw(self.dw(x)))
        x = F.hardtanh(self.grouped(x), -0.5, 0.5)
        x = F.adaptive_avg_pool2d(x, 1).flatten(1)
        return torch.tanh(self.fc(x))


class Layout(nn.Module):
    """Pad, slice, permute, matmul, broadcasting arithmetic, nearest upsampling."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(4, 4, 3)
        self.weight = nn.Parameter(torch.randn(8, 6))

    def forward(self, x):
        y = F.pad(x, (1, 1, 2, 0), mode="reflect")
        y = self.conv(y)[:, :, 1:, ::2]
        y = F.pad(y, (0, 1, 1, 0), mode="replicate") * 0.5 - F.adaptive_avg_pool2d(x, 1)
        z = y.permute(0, 2, 3, 1).reshape(1, -1, 4)
        z = torch.matmul(z.transpose(1, 2), torch.ones(z.shape[1], 8)) @ self.weight
        up = F.interpolate(y, scale_factor=2, mode="nearest")
        return torch.sigmoid(z), up[:, 1:3].squeeze(0)


class Unsupported(nn.Module):
    """Erf is not an op Vigil lowers: the compiler must say so, naming op and node."""

    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(8, 8)

    def forward(self, x):
        return torch.erf(self.fc(x))


class RandomBlock(nn.Module):
    """One randomly chosen layer of a random net; 2-d blocks keep [N, C, H, W] with C and the spatial
    size they report, so blocks chain."""

    def __init__(self, rng, channels, size, two_d):
        super().__init__()
        conv = nn.Conv2d if two_d else nn.Conv1d
        self.kind = rng.choice(["conv", "conv", "dw", "pool", "act", "bn", "residual", "concat", "pad", "slice",
                                "upsample", "transpose_conv", "permute", "softmax", "clip"])
        self.channels, self.size, self.two_d = channels, size, two_d
        if self.kind == "conv":
            out = rng.choice([4, 8, 12])
            k = rng.choice([1, 3, 5])
            stride = rng.choice([1, 1, 2]) if size >= 8 else 1
            dilation = rng.choice([1, 1, 2]) if k == 3 and size >= 8 else 1
            self.layer = conv(channels, out, k, stride=stride, padding=k // 2 * dilation, dilation=dilation)
            self.channels, self.size = out, (size + 2 * (k // 2 * dilation) - dilation * (k - 1) - 1) // stride + 1
        elif self.kind == "dw" and channels > 1:
            self.layer = conv(channels, channels, 3, padding=1, groups=channels)
        elif self.kind == "pool" and size >= 4:
            ceil = rng.random() < 0.3
            if rng.random() < 0.5:
                self.layer = (nn.MaxPool2d if two_d else nn.MaxPool1d)(2, ceil_mode=ceil)
            else:
                self.layer = (nn.AvgPool2d if two_d else nn.AvgPool1d)(3, stride=2, padding=1, ceil_mode=ceil,
                                                                       count_include_pad=rng.random() < 0.5)
            with torch.no_grad():
                probe = torch.zeros((1, channels, size, size) if two_d else (1, channels, size))
                self.size = self.layer(probe).shape[-1]
        elif self.kind == "bn":
            self.layer = (nn.BatchNorm2d if two_d else nn.BatchNorm1d)(channels)
        elif self.kind == "residual":
            self.layer = conv(channels, channels, 3, padding=1)
        elif self.kind == "concat":
            self.layer = conv(channels, 4, 1)
            self.channels = channels + 4
        elif self.kind == "pad":
            self.mode = rng.choice(["constant", "reflect", "replicate"])
            self.layer = nn.Identity()
            self.size = size + 2
        elif self.kind == "slice" and size >= 6:
            self.layer = nn.Identity()
            self.size = (size - 2 + 1) // 2
        elif self.kind == "upsample" and size <= 32:
            self.mode = rng.choice(["nearest", "bilinear", "bilinear_corners"]) if two_d else "nearest"
            self.layer = nn.Identity()
            self.size = size * 2
        elif self.kind == "transpose_conv" and two_d and size <= 32:
            self.layer = nn.ConvTranspose2d(channels, 6, rng.choice([2, 3]), stride=2, padding=0, output_padding=0)
            with torch.no_grad():
                self.size = self.layer(torch.zeros(1, channels, size, size)).shape[-1]
            self.channels = 6
        elif self.kind == "permute" and two_d:
            self.layer = nn.Identity()
        elif self.kind == "softmax":
            self.layer = nn.Softmax(dim=1)
        elif self.kind == "clip":
            self.layer = nn.Hardtanh(-0.5, 0.5)
        else:
            self.kind = "act"
            self.layer = rng.choice([nn.ReLU(), nn.LeakyReLU(0.2), nn.Sigmoid(), nn.Tanh(), nn.ReLU6()])

    def forward(self, x):
        if self.kind == "residual":
            return x + torch.relu(self.layer(x)) * 0.5
        if self.kind == "concat":
            return torch.cat([x, self.layer(x)], dim=1)
        if self.kind == "pad":
            pads = (1, 1, 1, 1) if self.two_d else (1, 1)
            return F.pad(x, pads, mode=self.mode)
        if self.kind == "slice":
            return x[..., 1:-1:2, 1:-1:2] if self.two_d else x[..., 1:-1:2]
        if self.kind == "upsample":
            if self.mode == "nearest":
                return F.interpolate(x, scale_factor=2, mode="nearest")
            return F.interpolate(x, scale_factor=2, mode="bilinear", align_corners=self.mode == "bilinear_corners")
        if self.kind == "permute":
            return x.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2) * torch.sigmoid(x[:, :1])
        return self.layer(x)


def random_model(rng):
    """A small random net over the supported ops, 1-d or 2-d."""
    two_d = rng.random() < 0.6
    channels = rng.choice([1, 2, 3])
    size = rng.choice([16, 24, 32]) if two_d else rng.choice([64, 96, 128])
    blocks = []
    c, s = channels, size
    for _ in range(rng.randint(2, 6)):
        b = RandomBlock(rng, c, s, two_d)
        blocks.append(b)
        c, s = b.channels, b.size
    net = nn.Sequential(*blocks, nn.Flatten())
    shape = (1, channels, size, size) if two_d else (1, channels, size)
    with torch.no_grad():
        features = net(torch.zeros(shape)).shape[1]
    head = [nn.Linear(features, rng.choice([3, 5]))]
    if rng.random() < 0.5:
        head.append(nn.Softmax(dim=1))
    return nn.Sequential(net, *head), shape


def randomize_batchnorm(model, generator):
    for m in model.modules():
        if isinstance(m, (nn.BatchNorm1d, nn.BatchNorm2d)):
            m.weight.data.uniform_(0.5, 1.5, generator=generator)
            m.bias.data.uniform_(-0.2, 0.2, generator=generator)
            m.running_mean.uniform_(-0.2, 0.2, generator=generator)
            m.running_var.uniform_(0.5, 2.0, generator=generator)


def export(model, shape, directory, generator):
    os.makedirs(directory, exist_ok=True)
    model.eval()
    randomize_batchnorm(model, generator)
    x = torch.randn(*shape, generator=generator)
    torch.onnx.export(model, x, os.path.join(directory, "model.onnx"), opset_version=13)
    with torch.no_grad():
        outputs = model(x)
    if not isinstance(outputs, tuple):
        outputs = (outputs,)
    np.save(os.path.join(directory, "input_0.npy"), x.numpy())
    for i, out in enumerate(outputs):
        np.save(os.path.join(directory, f"expected_{i}.npy"), out.numpy())


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("output_dir")
    parser.add_argument("--random", type=int, default=0)
    args = parser.parse_args()
    torch.manual_seed(0)
    generator = torch.Generator().manual_seed(0)
    fixed = {"cnn1d": (Cnn1d(), (1, 1, 256)), "unet": (UNet(), (1, 3, 64, 64)),
             "depthwise": (Depthwise(), (1, 3, 32, 32)), "layout": (Layout(), (1, 4, 8, 8)),
             "unsupported_erf": (Unsupported(), (1, 8))}
    for name, (model, shape) in fixed.items():
        export(model, shape, os.path.join(args.output_dir, name), generator)
    rng = random.Random(0)
    for i in range(args.random):
        model, shape = random_model(rng)
        export(model, shape, os.path.join(args.output_dir, f"random_{i:03d}"), generator)


if __name__ == "__main__":
    main()
