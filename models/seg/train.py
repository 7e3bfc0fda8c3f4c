#!/usr/bin/python3
"""Trains Vigil's gland segmentation U-Net on GlaS and exports it to ONNX.

The model sees an RGB image resized (OpenCV INTER_AREA) to 384x256, scaled to [0, 1], NCHW, and
returns the gland probability per pixel (1x1x256x384, after a Sigmoid). `vigil seg` does exactly
the same preprocessing in C++ (apps/seg_viewer/gland_segmenter.cc); the probability map is resized
back to the frame (bilinear) and thresholded at 0.5.

Splits: GlaS `train` minus a validation hold-out (every image whose number is a multiple of 6)
trains the model; the hold-out picks the checkpoint; `testA` is used only for the final report.

Runs on CPU with Debian's torch 1.13 (slow: use --steps to shorten) and on CUDA with newer torch.

  # pack the data once (resized images and masks), then train and export:
  /usr/bin/python3 models/seg/train.py pack --data ../shared/data/glas/Warwick_QU_Dataset -o glas.npz
  /usr/bin/python3 models/seg/train.py train --pack glas.npz --out runs/seg --steps 6000
  /usr/bin/python3 models/seg/train.py export --checkpoint runs/seg/best.pt -o models/seg/seg.onnx
"""
import argparse
import json
import math
import os
import re
import sys
import time

import cv2
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

INPUT_H, INPUT_W = 256, 384
DEFAULT_WIDTHS = (8, 16, 32, 64, 128)


# ---------------------------------------------------------------------------------------------
# Data

def preprocess(rgb):
    """RGB uint8 HxWx3 -> float32 3xINPUT_HxINPUT_W in [0, 1]; mirrors vigil seg's C++ code."""
    small = cv2.resize(rgb, (INPUT_W, INPUT_H), interpolation=cv2.INTER_AREA)
    return np.ascontiguousarray(small.transpose(2, 0, 1)).astype(np.float32) / 255.0


def list_split(data_dir, split):
    pattern = re.compile(r"^%s_(\d+)\.png$" % re.escape(split))
    numbers = sorted(int(m.group(1)) for m in map(pattern.match, os.listdir(data_dir)) if m)
    if not numbers:
        sys.exit("no %s_<n>.png images in %s" % (split, data_dir))
    return numbers


def load_pair(data_dir, split, n):
    bgr = cv2.imread(os.path.join(data_dir, "%s_%d.png" % (split, n)), cv2.IMREAD_COLOR)
    labels = cv2.imread(os.path.join(data_dir, "%s_%d_anno.png" % (split, n)), cv2.IMREAD_UNCHANGED)
    if bgr is None or labels is None or labels.shape != bgr.shape[:2]:
        sys.exit("cannot read %s_%d (image, mask or their sizes)" % (split, n))
    return cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB), labels


def pack(args):
    """Writes the network inputs, resized soft masks and full-size binary masks of both splits."""
    out = {}
    for split in ("train", "testA"):
        numbers = list_split(args.data, split)
        images, soft, full = [], [], []
        for n in numbers:
            rgb, labels = load_pair(args.data, split, n)
            images.append((preprocess(rgb) * 255.0 + 0.5).astype(np.uint8))
            gland = (labels > 0).astype(np.float32)
            soft.append(cv2.resize(gland, (INPUT_W, INPUT_H), interpolation=cv2.INTER_AREA))
            full.append(np.packbits(labels > 0, axis=None))
            out["%s_%d_shape" % (split, n)] = np.array(labels.shape, np.int32)
        out[split + "_numbers"] = np.array(numbers, np.int32)
        out[split + "_images"] = np.stack(images)
        out[split + "_soft_masks"] = (np.stack(soft) * 255 + 0.5).astype(np.uint8)
        for n, bits in zip(numbers, full):
            out["%s_%d_bits" % (split, n)] = bits
    np.savez_compressed(args.output, **out)
    print("packed %d train and %d testA images into %s" %
          (len(out["train_numbers"]), len(out["testA_numbers"]), args.output))


class Split:
    def __init__(self, packed, split, keep):
        numbers = packed[split + "_numbers"]
        index = [i for i, n in enumerate(numbers) if keep(int(n))]
        self.numbers = [int(numbers[i]) for i in index]
        self.images = torch.from_numpy(packed[split + "_images"][index].astype(np.float32) / 255.0)
        self.soft_masks = torch.from_numpy(packed[split + "_soft_masks"][index].astype(np.float32) / 255.0)
        self.full_masks = []
        for n in self.numbers:
            shape = tuple(packed["%s_%d_shape" % (split, n)])
            bits = np.unpackbits(packed["%s_%d_bits" % (split, n)])[: shape[0] * shape[1]]
            self.full_masks.append(bits.reshape(shape).astype(bool))


def is_validation(n):
    return n % 6 == 0


# ---------------------------------------------------------------------------------------------
# Model: a U-Net with four 2x2 max-pool steps, transposed-conv upsampling and skip concatenation.

class ConvBlock(nn.Sequential):
    def __init__(self, cin, cout):
        super().__init__(
            nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True),
            nn.Conv2d(cout, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True))


class UNet(nn.Module):
    def __init__(self, widths=DEFAULT_WIDTHS):
        super().__init__()
        self.widths = list(widths)
        self.encoders = nn.ModuleList()
        cin = 3
        for w in widths:
            self.encoders.append(ConvBlock(cin, w))
            cin = w
        self.upsamplers = nn.ModuleList()
        self.decoders = nn.ModuleList()
        for w_deep, w in zip(widths[::-1][:-1], widths[::-1][1:]):
            self.upsamplers.append(nn.ConvTranspose2d(w_deep, w, 2, stride=2))
            self.decoders.append(ConvBlock(2 * w, w))
        self.head = nn.Conv2d(widths[0], 1, 1)

    def logits(self, x):
        skips = []
        for i, encoder in enumerate(self.encoders):
            if i:
                x = F.max_pool2d(x, 2)
            x = encoder(x)
            skips.append(x)
        for upsample, decoder, skip in zip(self.upsamplers, self.decoders, skips[::-1][1:]):
            x = decoder(torch.cat([upsample(x), skip], dim=1))
        return self.head(x)

    def forward(self, x):
        return torch.sigmoid(self.logits(x))


def count_macs(model):
    """Multiply-accumulates of one 1x3x256x384 inference, counted from the conv layers' shapes."""
    macs = [0]

    def hook(module, inputs, output):
        if isinstance(module, nn.Conv2d):  # each output element: in/groups x kh x kw
            macs[0] += output.numel() * module.weight[0].numel()
        else:  # transposed: each input element meets out x kh x kw weights
            macs[0] += inputs[0].numel() * module.weight[0].numel()

    handles = [m.register_forward_hook(hook) for m in model.modules()
               if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d))]
    with torch.no_grad():
        model(torch.zeros(1, 3, INPUT_H, INPUT_W, device=next(model.parameters()).device))
    for h in handles:
        h.remove()
    return macs[0]


# ---------------------------------------------------------------------------------------------
# Augmentation on whole batches (on the training device): rotation, scale, flips by an affine
# resampling with reflection; colour (brightness, contrast, saturation, per-channel stain gain);
# occasional mild blur and sensor noise.

def augment(images, masks, generator):
    n, dev = images.shape[0], images.device

    def uniform(lo, hi, *shape):
        return lo + (hi - lo) * torch.rand(n, *shape, generator=generator, device=dev)

    angle = uniform(-math.pi, math.pi)
    scale = torch.exp(uniform(math.log(0.75), math.log(1.33)))
    flip = torch.where(uniform(0, 1) < 0.5, -1.0, 1.0)
    cos, sin = torch.cos(angle) / scale, torch.sin(angle) / scale
    aspect = INPUT_H / INPUT_W
    theta = torch.stack([torch.stack([cos * flip, -sin * aspect, uniform(-0.2, 0.2)], 1),
                         torch.stack([sin * flip / aspect, cos, uniform(-0.2, 0.2)], 1)], 1)
    grid = F.affine_grid(theta, list(images.shape), align_corners=False)
    images = F.grid_sample(images, grid, mode="bilinear", padding_mode="reflection", align_corners=False)
    masks = F.grid_sample(masks, grid, mode="bilinear", padding_mode="reflection", align_corners=False)

    gray = images.mean(dim=1, keepdim=True)
    images = gray + (images - gray) * uniform(0.7, 1.3, 1, 1, 1)
    mean = images.mean(dim=(1, 2, 3), keepdim=True)
    images = mean + (images - mean) * uniform(0.75, 1.25, 1, 1, 1)
    images = images * uniform(0.88, 1.12, 3, 1, 1) + uniform(-0.1, 0.1, 1, 1, 1)

    blur = uniform(0, 1) < 0.2
    if blur.any():
        kernel = torch.tensor([1.0, 4.0, 6.0, 4.0, 1.0], device=dev) / 16.0
        k2 = (kernel[:, None] * kernel[None, :]).expand(3, 1, 5, 5)
        blurred = F.conv2d(F.pad(images, (2, 2, 2, 2), mode="reflect"), k2, groups=3)
        images = torch.where(blur[:, None, None, None], blurred, images)
    noise = (uniform(0, 1) < 0.2).float()[:, None, None, None] * uniform(0, 0.04, 1, 1, 1)
    images = images + noise * torch.randn(images.shape, generator=generator, device=dev)
    return images.clamp(0, 1), masks.clamp(0, 1)


def loss_fn(logits, target):
    bce = F.binary_cross_entropy_with_logits(logits, target)
    p = torch.sigmoid(logits)
    dice = 1 - (2 * (p * target).sum() + 1) / (p.sum() + target.sum() + 1)
    return bce + dice


# ---------------------------------------------------------------------------------------------
# Evaluation exactly as vigil seg does it: probability resized to the image (bilinear), > 0.5.

def full_size_masks(model, split, device, batch=8):
    model.eval()
    out = []
    with torch.no_grad():
        for i in range(0, len(split.numbers), batch):
            probs = model(split.images[i:i + batch].to(device)).cpu().numpy()[:, 0]
            for p, truth in zip(probs, split.full_masks[i:i + batch]):
                h, w = truth.shape
                out.append(cv2.resize(p, (w, h), interpolation=cv2.INTER_LINEAR) > 0.5)
    model.train()
    return out


def pixel_dice(predicted, truth):
    inter = sum(int((p & t).sum()) for p, t in zip(predicted, truth))
    total = sum(int(p.sum()) + int(t.sum()) for p, t in zip(predicted, truth))
    return 2.0 * inter / total if total else 1.0


def train(args):
    torch.manual_seed(args.seed)
    np.random.seed(args.seed)
    device = torch.device(args.device or ("cuda" if torch.cuda.is_available() else "cpu"))
    torch.backends.cudnn.benchmark = True
    packed = np.load(args.pack)
    train_split = Split(packed, "train", lambda n: not is_validation(n))
    val_split = Split(packed, "train", is_validation)
    widths = tuple(int(w) for w in args.widths.split(","))
    model = UNet(widths).to(device)
    params = sum(p.numel() for p in model.parameters())
    macs = count_macs(model)
    print("U-Net widths %s: %d parameters, %.3f GMAC; %d train, %d validation images on %s" %
          (widths, params, macs / 1e9, len(train_split.numbers), len(val_split.numbers), device), flush=True)
    optimizer = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=1e-4)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=args.lr, total_steps=args.steps,
                                                   pct_start=0.05)
    generator = torch.Generator(device=device)
    generator.manual_seed(args.seed)
    images, masks = train_split.images.to(device), train_split.soft_masks[:, None].to(device)
    os.makedirs(args.out, exist_ok=True)
    history, best, start = [], -1.0, time.time()
    for step in range(1, args.steps + 1):
        out_of_time = time.time() - start > args.max_seconds
        pick = torch.randint(0, images.shape[0], (args.batch,), generator=generator, device=device)
        x, y = augment(images[pick], masks[pick], generator)
        loss = loss_fn(model.logits(x), y)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        schedule.step()
        if step % args.eval_every == 0 or step == args.steps or out_of_time:
            dice = pixel_dice(full_size_masks(model, val_split, device), val_split.full_masks)
            history.append({"step": step, "loss": float(loss.detach()), "validation_dice": dice})
            print("step %d loss %.4f validation dice %.4f (%.0f s)" % (step, float(loss.detach()), dice,
                                                                     time.time() - start), flush=True)
            if dice > best:
                best = dice
                torch.save({"widths": widths, "state_dict": model.state_dict(), "step": step,
                            "validation_dice": dice}, os.path.join(args.out, "best.pt"))
        if out_of_time:
            print("stopping at step %d: --max-seconds reached" % step)
            break
    result = {"widths": list(widths), "parameters": params, "macs": macs, "seed": args.seed,
              "steps": args.steps, "batch": args.batch, "lr": args.lr, "best_validation_dice": best,
              "validation_images": ["train_%d" % n for n in val_split.numbers], "history": history,
              "torch": torch.__version__, "device": str(device), "seconds": time.time() - start}
    if args.report_test:  # final report only: never used to choose anything
        checkpoint = torch.load(os.path.join(args.out, "best.pt"), map_location=device)
        model.load_state_dict(checkpoint["state_dict"])
        test = Split(packed, "testA", lambda n: True)
        result["testA_dice_torch"] = pixel_dice(full_size_masks(model, test, device), test.full_masks)
        print("testA pixel dice (PyTorch, best checkpoint): %.4f" % result["testA_dice_torch"])
    with open(os.path.join(args.out, "training_log.json"), "w") as f:
        json.dump(result, f, indent=2)


def export(args):
    checkpoint = torch.load(args.checkpoint, map_location="cpu")
    model = UNet(tuple(checkpoint["widths"]))
    model.load_state_dict(checkpoint["state_dict"])
    model.eval()
    kwargs = {}
    if "dynamo" in torch.onnx.export.__code__.co_varnames:
        kwargs["dynamo"] = False  # torch >= 2.5: keep the TorchScript exporter, as in torch 1.13
    torch.onnx.export(model, torch.zeros(1, 3, INPUT_H, INPUT_W), args.output, opset_version=13,
                      input_names=["image"], output_names=["gland_probability"],
                      do_constant_folding=True, **kwargs)
    print("wrote %s (%d parameters, %.3f GMAC)" % (args.output, sum(p.numel() for p in model.parameters()),
                                                   count_macs(model) / 1e9))


def golden(args):
    """Writes the PyTorch probability map of one image, the independent truth for vigil's C++ path."""
    checkpoint = torch.load(args.checkpoint, map_location="cpu")
    model = UNet(tuple(checkpoint["widths"]))
    model.load_state_dict(checkpoint["state_dict"])
    model.eval()
    bgr = cv2.imread(args.image, cv2.IMREAD_COLOR)
    with torch.no_grad():
        p = model(torch.from_numpy(preprocess(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)))[None]).numpy()
    np.save(args.output, p.astype(np.float32))
    print("wrote %s: %s, mean probability %.4f" % (args.output, p.shape, p.mean()))


def calib(args):
    """Writes INT8 calibration inputs [N, 3, 256, 384]: every --every-th training image (hold-out excluded)."""
    numbers = [n for n in list_split(args.data, "train") if not is_validation(n)][::args.every]
    inputs = [preprocess(load_pair(args.data, "train", n)[0]) for n in numbers]
    np.save(args.output, np.stack(inputs).astype(np.float32))
    print("wrote %s: %d train images (%s)" % (args.output, len(numbers), ", ".join("train_%d" % n for n in numbers)))


GLAS = {"source_url": "https://warwick.ac.uk/fac/cross_fac/tia/data/glascontest/",
        "license": "GlaS challenge terms: research purposes only, commercial uses not allowed",
        "citation": "K. Sirinukunwattana et al., Gland segmentation in colon histology images: The GlaS "
                    "challenge contest, Medical Image Analysis 35:489-502, 2017, doi:10.1016/j.media.2016.08.008"}


def split_manifest_sha256(sums_path, split):
    """SHA-256 of the sorted lines of shared/data/glas/SHA256SUMS that list `split`'s images and masks."""
    import hashlib
    pattern = re.compile(r"(^|/)%s_\d+(_anno)?\.png$" % split)
    with open(sums_path) as f:
        lines = sorted(line for line in f if pattern.search(line.split()[-1]))
    return hashlib.sha256("".join(lines).encode()).hexdigest()


def card(args):
    """Writes model_card.json (the SBOM's view of the model) from the files and the evidence."""
    import hashlib
    here = os.path.dirname(os.path.abspath(args.output))
    log = json.load(open(os.path.join(here, "training_log.json")))
    files = []
    for name in sorted(os.listdir(here)):
        if name.endswith((".onnx", ".vgl", ".pt", ".py")) or name == "checkpoint":
            paths = [os.path.join(name, n) for n in sorted(os.listdir(os.path.join(here, name)))] if name == "checkpoint" else [name]
            for rel in paths:
                digest = hashlib.sha256(open(os.path.join(here, rel), "rb").read()).hexdigest()
                files.append({"path": rel, "sha256": digest})  # relative to the card
    metrics = {"parameters": log["parameters"], "macs": log["macs"],
               "validation_pixel_dice_pytorch": log["best_validation_dice"]}
    for path in args.evidence:
        e = json.load(open(path))
        key = "testA_int8" if e.get("quantized") else "testA_fp32"
        metrics[key] = {k: e[k] for k in ("dice", "iou", "miou", "object_f1", "object_dice", "mean_infer_ms")}
        metrics[key]["evidence"] = os.path.relpath(path, os.path.join(here, "..", ".."))
    data = lambda name, split: dict(GLAS, name=name, sha256_manifest=split_manifest_sha256(args.sums, split))
    result = {
        "name": "vigil-glas-unet", "version": args.version,
        "description": "U-Net (widths %s) segmenting colon glands in H&E histology at 20x, input 1x3x%dx%d RGB "
                       "in [0, 1], output gland probability 1x1x%dx%d" % (log["widths"], INPUT_H, INPUT_W, INPUT_H, INPUT_W),
        "intended_use": "research and demonstration of the Vigil toolkit: gland segmentation of GlaS-like H&E "
                        "colon biopsy fields on a pathology camera",
        "limitations": ["research and demonstration only, not for clinical or commercial use (GlaS terms)",
                        "trained on 71 images from 15 patients of one centre and scanner; GlaS testA shares 8 "
                        "patients with train, so testA scores are optimistic for unseen patients",
                        "one class (gland); no tumour/benign distinction",
                        "degrades under blur, noise, JPEG and exposure or stain shifts: see "
                        "docs/failure_modes_segmentation.md; the focus gate catches blur only"],
        "license": "model weights: research only, not for clinical or commercial use (trained on GlaS, "
                   "whose terms allow research purposes only); code: the Vigil project licence",
        "files": files,
        "training_data": [data("GlaS train (minus every 6th image, the validation hold-out)", "train")],
        "calibration_data": [data("GlaS train: every 2nd image outside the hold-out, 36 images (train.py calib)",
                                  "train")],
        "validation_data": [data("GlaS train hold-out (train_6, 12, ..., 84)", "train"), data("GlaS testA", "testA")],
        "training_command": "/usr/bin/python3 models/seg/train.py pack --data ../shared/data/glas/Warwick_QU_Dataset "
                            "-o glas.npz && python3 models/seg/train.py train --pack glas.npz --out run --widths "
                            "8,16,32,64,128 --steps 6000 --batch 12 --eval-every 250 --report-test && /usr/bin/python3 "
                            "models/seg/train.py export --checkpoint run/best.pt -o models/seg/seg.onnx && /usr/bin/python3 "
                            "models/seg/train.py calib --data ../shared/data/glas/Warwick_QU_Dataset -o calib.npy && "
                            "build/bin/vigil compile models/seg/seg.onnx --quantize int8 --calib calib.npy -o "
                            "models/seg/seg_int8.vgl --name vigil-glas-unet-int8 --model-version 1.0.0",
        "seed": log["seed"],
        "metrics": metrics,
    }
    with open(args.output, "w") as f:
        json.dump(result, f, indent=2)
        f.write("\n")
    print("wrote %s" % args.output)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("pack", help="resize GlaS train and testA into one .npz")
    p.add_argument("--data", required=True, help="the Warwick_QU_Dataset folder")
    p.add_argument("-o", "--output", required=True)
    p = sub.add_parser("train", help="train from a pack; writes best.pt and training_log.json")
    p.add_argument("--pack", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--widths", default=",".join(map(str, DEFAULT_WIDTHS)))
    p.add_argument("--steps", type=int, default=6000)
    p.add_argument("--batch", type=int, default=8)
    p.add_argument("--lr", type=float, default=3e-3)
    p.add_argument("--eval-every", type=int, default=250)
    p.add_argument("--seed", type=int, default=5)
    p.add_argument("--device", default=None)
    p.add_argument("--max-seconds", type=float, default=float("inf"), help="stop early, keeping the best")
    p.add_argument("--report-test", action="store_true", help="score the chosen checkpoint on testA")
    p = sub.add_parser("export", help="export a checkpoint to ONNX (opset 13)")
    p.add_argument("--checkpoint", required=True)
    p.add_argument("-o", "--output", required=True)
    p = sub.add_parser("golden", help="write the PyTorch output for one image (.npy), for vigil's tests")
    p.add_argument("--checkpoint", required=True)
    p.add_argument("--image", required=True)
    p.add_argument("-o", "--output", required=True)
    p = sub.add_parser("calib", help="write INT8 calibration inputs (.npy) from GlaS train")
    p.add_argument("--data", required=True)
    p.add_argument("--every", type=int, default=2)
    p.add_argument("-o", "--output", required=True)
    p = sub.add_parser("card", help="write model_card.json from the model files and evidence JSON")
    p.add_argument("--sums", required=True, help="shared/data/glas/SHA256SUMS")
    p.add_argument("--evidence", action="append", default=[], help="a vigil seg eval JSON (repeatable)")
    p.add_argument("--version", default="1.0.0")
    p.add_argument("-o", "--output", required=True)
    args = parser.parse_args()
    {"pack": pack, "train": train, "export": export, "golden": golden, "calib": calib, "card": card}[args.command](args)


if __name__ == "__main__":
    main()
