"""Train the disc-grading CNN (MobileNetV2, 1-channel 128x128 crop -> 11 classes).

  /usr/bin/python3 train_grading.py --discs DISCS.json --ckpt-dir /work/ckpt-cnn
      [--width 0.35|1.0] [--init scratch|imagenet] [--ordinal-weight 0.5]

Runs in chunks: it resumes from <ckpt-dir>/last.pt (model, optimiser, step, RNG states), stops after
--max-minutes, and writes <ckpt-dir>/final.pt when all --steps are done. Training data: the discs of
the training patients in DISCS.json (grading_discs.py: midsag T2 TSE and T2 SPACE slices located by
the segmentation model, and the spider-t2space slices near the centre from the reference masks),
crops sampled with random rotation, scale, shift, gamma and noise. Class imbalance: discs are drawn
with probability proportional to count(class)^-0.5. Loss: cross-entropy (label smoothing 0.05, mixup)
plus --ordinal-weight x the squared error of the expected Pfirrmann grade (grades are ordered: a
3 mistaken for a 4 costs less than a 1 mistaken for a 5). --init imagenet starts the encoder from
the ImageNet MobileNetV2 0.35 weights in ../shared/pretrained (Keras layout, converted here).
"""
from __future__ import annotations

import argparse
import json
import os
import random
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision

import crops
import spoils_data as sd

NUM_CLASSES = len(sd.DISC_CLASSES)


PFIRRMANN_OF_CLASS = torch.tensor([float(c[0]) for c in sd.DISC_CLASSES])
PRETRAINED = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared",
                          "pretrained", "mobilenet_v2_035_imagenet", "weights.npz")


def build_model(dropout: float = 0.2, width: float = 1.0) -> nn.Module:
    """MobileNetV2 (width multiplier `width`) with a 1-channel stem and 11 outputs (logits)."""
    model = torchvision.models.mobilenet_v2(weights=None, num_classes=NUM_CLASSES, dropout=dropout,
                                            width_mult=width)
    first = model.features[0][0]
    model.features[0][0] = nn.Conv2d(1, first.out_channels, kernel_size=3, stride=2, padding=1, bias=False)
    return model


def load_imagenet(model: nn.Module, path: str = PRETRAINED) -> int:
    """Copy the Keras MobileNetV2-0.35 ImageNet tensors into `model` (width 0.35); returns tensors set.

    Conv kernels [kh, kw, in, out] -> [out, in, kh, kw]; depthwise [kh, kw, c, 1] -> [c, 1, kh, kw];
    the RGB stem is summed over its input channels (a grey image replicated to RGB); batch norms
    take gamma, beta, moving mean and variance, and Keras' epsilon 1e-3.
    """
    z = np.load(path)
    convs = [m for m in model.features.modules() if isinstance(m, nn.Conv2d)]
    bns = [m for m in model.features.modules() if isinstance(m, nn.BatchNorm2d)]
    names = ["Conv1"]
    bn_names = ["bn_Conv1"]
    names += ["expanded_conv_depthwise", "expanded_conv_project"]
    bn_names += ["expanded_conv_depthwise_BN", "expanded_conv_project_BN"]
    for b in range(1, 17):
        for part in ("expand", "depthwise", "project"):
            names.append(f"block_{b}_{part}")
            bn_names.append(f"block_{b}_{part}_BN")
    names.append("Conv_1")
    bn_names.append("Conv_1_bn")
    if len(names) != len(convs) or len(bn_names) != len(bns):
        raise ValueError(f"architecture mismatch: {len(convs)} convs for {len(names)} Keras layers")
    n = 0
    with torch.no_grad():
        for conv, name in zip(convs, names):
            k = z[f"{name}/depthwise_kernel"] if "depthwise" in name else z[f"{name}/kernel"]
            w = torch.from_numpy(k)
            w = w.permute(2, 3, 0, 1) if "depthwise" in name else w.permute(3, 2, 0, 1)
            if name == "Conv1":
                w = w.sum(1, keepdim=True)
            if tuple(w.shape) != tuple(conv.weight.shape):
                raise ValueError(f"{name}: {tuple(w.shape)} vs {tuple(conv.weight.shape)}")
            conv.weight.copy_(w)
            n += 1
        for bn, name in zip(bns, bn_names):
            bn.weight.copy_(torch.from_numpy(z[f"{name}/gamma"]))
            bn.bias.copy_(torch.from_numpy(z[f"{name}/beta"]))
            bn.running_mean.copy_(torch.from_numpy(z[f"{name}/moving_mean"]))
            bn.running_var.copy_(torch.from_numpy(z[f"{name}/moving_variance"]))
            bn.eps = 1e-3
            n += 1
    return n


def ordinal_loss(logits: torch.Tensor, grade: torch.Tensor) -> torch.Tensor:
    """Squared error of the expected Pfirrmann grade under the predicted class probabilities."""
    expected = logits.softmax(1) @ PFIRRMANN_OF_CLASS
    return ((expected - grade) ** 2).mean()


def seed_everything(seed: int) -> np.random.Generator:
    random.seed(seed)
    torch.manual_seed(seed)
    return np.random.default_rng(seed)


def sampling_weights(samples: list[dict]) -> np.ndarray:
    counts = np.bincount([s["cls"] for s in samples], minlength=NUM_CLASSES).astype(np.float64)
    w = np.array([counts[s["cls"]] ** -0.5 for s in samples])
    return w / w.sum()


def random_crop(s: dict, grey: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    return crops.augmented_crop(
        grey, s["cx"], s["cy"], s["row_mm"], s["col_mm"],
        angle_deg=rng.uniform(-15.0, 15.0),
        scale=rng.uniform(0.85, 1.15),
        shift_mm=tuple(np.clip(rng.normal(0.0, 1.5, 2), -4.0, 4.0)),
        gamma=float(np.exp(rng.uniform(-0.3, 0.3))),
        noise_sd=rng.uniform(0.0, 0.08), rng=rng)


def lr_at(step: int, total: int, base: float, warmup: int = 100) -> float:
    if step < warmup:
        return base * (step + 1) / warmup
    t = (step - warmup) / max(1, total - warmup)
    return base * 0.5 * (1.0 + np.cos(np.pi * min(1.0, t)))


def load_discs(path: str) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return json.load(f)["discs"]


def load_greys(samples: list[dict]) -> dict[str, np.ndarray]:
    return {f: sd.read_grey(f) for f in sorted({s["file"] for s in samples})}


def contract_crops(samples: list[dict], greys: dict[str, np.ndarray]) -> torch.Tensor:
    """Contract crops (no augmentation) [N, 1, 128, 128]."""
    x = np.stack([crops.disc_crop(greys[s["file"]], s["cx"], s["cy"], s["row_mm"], s["col_mm"]) for s in samples])
    return torch.from_numpy(x).unsqueeze(1)


@torch.no_grad()
def predict(model: nn.Module, x: torch.Tensor, batch: int = 32) -> torch.Tensor:
    model.eval()
    out = torch.cat([F.softmax(model(x[i:i + batch]), dim=1) for i in range(0, len(x), batch)])
    model.train()
    return out


def save(path: str, state: dict) -> None:
    tmp = path + ".tmp"
    torch.save(state, tmp)
    os.replace(tmp, path)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--discs", required=True, help="grading_discs.py output")
    ap.add_argument("--ckpt-dir", required=True)
    ap.add_argument("--width", type=float, default=0.35)
    ap.add_argument("--init", choices=["scratch", "imagenet"], default="imagenet")
    ap.add_argument("--ordinal-weight", type=float, default=0.5)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--steps", type=int, default=2600)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--weight-decay", type=float, default=5e-2)
    ap.add_argument("--dropout", type=float, default=0.5)
    ap.add_argument("--mixup", type=float, default=0.4, help="Beta(a, a) mixup of crops and labels; 0 = off")
    ap.add_argument("--max-minutes", type=float, default=40.0)
    ap.add_argument("--seed", type=int, default=20240)
    ap.add_argument("--log-every", type=int, default=50)
    ap.add_argument("--val-every", type=int, default=500)
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    torch.use_deterministic_algorithms(True)
    os.makedirs(args.ckpt_dir, exist_ok=True)
    start = time.time()
    rng = seed_everything(args.seed)
    split = sd.load_split()
    discs = load_discs(args.discs)
    train_ids = set(split["train"])
    samples = [d for d in discs if d["set"] == "train" and d["patient"] in train_ids]
    # monitoring only: the validation patients' midsag T2 TSE discs
    val_samples = [d for d in discs if d["set"] == "validation" and d["sequence"] == "t2"]
    greys = load_greys(samples + val_samples)
    probs = sampling_weights(samples)
    val_x = contract_crops(val_samples, greys)
    val_y = torch.tensor([s["cls"] for s in val_samples])
    print(f"train crops sources: {len(samples)} (discs x slices), validation discs: {len(val_samples)}",
          flush=True)

    model = build_model(args.dropout, args.width)
    if args.init == "imagenet":
        if args.width != 0.35:
            raise SystemExit("--init imagenet needs --width 0.35 (the pretrained weights are MobileNetV2 0.35)")
        print(f"ImageNet initialisation: {load_imagenet(model)} tensors", flush=True)
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=args.weight_decay)
    step = 0
    last = os.path.join(args.ckpt_dir, "last.pt")
    if os.path.exists(last):
        ck = torch.load(last)
        model.load_state_dict(ck["model"])
        opt.load_state_dict(ck["optimizer"])
        step = ck["step"]
        random.setstate(ck["python_rng"])
        torch.set_rng_state(ck["torch_rng"])
        rng.bit_generator.state = ck["numpy_rng"]
        print(f"resumed at step {step}", flush=True)

    def checkpoint():
        save(last, {"model": model.state_dict(), "optimizer": opt.state_dict(), "step": step,
                    "python_rng": random.getstate(), "torch_rng": torch.get_rng_state(),
                    "numpy_rng": rng.bit_generator.state, "args": vars(args)})

    model.train()
    run_loss, run_acc, run_n = 0.0, 0.0, 0
    while step < args.steps:
        idx = rng.choice(len(samples), size=args.batch_size, p=probs)
        batch = [samples[i] for i in idx]
        x = torch.from_numpy(np.stack([random_crop(s, greys[s["file"]], rng) for s in batch])).unsqueeze(1).float()
        y = torch.tensor([s["cls"] for s in batch])
        grade = PFIRRMANN_OF_CLASS[y]
        for g in opt.param_groups:
            g["lr"] = lr_at(step, args.steps, args.lr)
        if args.mixup > 0:
            # mixup: the 193 training discs are memorised within a few hundred steps without it
            lam = float(rng.beta(args.mixup, args.mixup))
            perm = torch.from_numpy(rng.permutation(len(batch)))
            logits = model(lam * x + (1.0 - lam) * x[perm])
            loss = (lam * F.cross_entropy(logits, y, label_smoothing=0.05)
                    + (1.0 - lam) * F.cross_entropy(logits, y[perm], label_smoothing=0.05)
                    + args.ordinal_weight * ordinal_loss(logits, lam * grade + (1.0 - lam) * grade[perm]))
        else:
            logits = model(x)
            loss = (F.cross_entropy(logits, y, label_smoothing=0.05)
                    + args.ordinal_weight * ordinal_loss(logits, grade))
        opt.zero_grad()
        loss.backward()
        opt.step()
        step += 1
        run_loss += loss.item()
        run_acc += (logits.argmax(1) == y).float().mean().item()
        run_n += 1
        if step % args.log_every == 0:
            print(f"step {step} loss {run_loss / run_n:.4f} train-acc {run_acc / run_n:.3f} "
                  f"lr {lr_at(step - 1, args.steps, args.lr):.2e} {time.time() - start:.0f}s", flush=True)
            run_loss, run_acc, run_n = 0.0, 0.0, 0
        if step % args.val_every == 0 or step == args.steps:
            # monitoring only: the final model is used whatever these numbers are (no selection on val)
            p = predict(model, val_x)
            pg = (p @ PFIRRMANN_OF_CLASS.new_tensor(np.eye(5)[[int(c[0]) - 1 for c in sd.DISC_CLASSES]])).argmax(1) + 1
            print(f"step {step} val-acc {(p.argmax(1) == val_y).float().mean().item():.3f} "
                  f"pfirrmann-exact {(pg.float() == PFIRRMANN_OF_CLASS[val_y]).float().mean().item():.3f} "
                  f"val-nll {F.nll_loss(p.clamp_min(1e-8).log(), val_y).item():.3f}", flush=True)
        if step % 200 == 0:
            checkpoint()
        if step < args.steps and time.time() - start > args.max_minutes * 60:
            checkpoint()
            print(f"time limit reached at step {step}; rerun to resume", flush=True)
            return
    checkpoint()
    save(os.path.join(args.ckpt_dir, "final.pt"), {"model": model.state_dict(), "step": step,
                                                     "width": args.width, "init": args.init,
                                                     "args": vars(args)})
    print(f"done: {step} steps, final model {os.path.join(args.ckpt_dir, 'final.pt')}", flush=True)


if __name__ == "__main__":
    main()
