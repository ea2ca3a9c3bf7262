"""Train the disc-grading CNN (MobileNetV2, 1-channel 128x128 crop -> 11 classes) from scratch.

  /usr/bin/python3 train_grading.py --data /work/shared/data/spider-t2space --ckpt-dir /work/ckpt-cnn

Runs in chunks: it resumes from <ckpt-dir>/last.pt (model, optimiser, step, RNG states), stops after
--max-minutes, and writes <ckpt-dir>/final.pt when all --steps are done. Training data: the train
patients of split.json, each graded disc on the centre slice and the slices within +-2 (the grade
belongs to the disc), crops sampled with random rotation, scale, shift, gamma and noise. Class
imbalance: discs are drawn with probability proportional to count(class)^-0.5 (so a class is drawn
in proportion to the square root of its size; full balancing would over-fit the one-disc classes).
"""
from __future__ import annotations

import argparse
import os
import random
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision

import crops
import grading_data as gd
import spoils_data as sd

NUM_CLASSES = len(sd.DISC_CLASSES)


def build_model(dropout: float = 0.2) -> nn.Module:
    """MobileNetV2 (no pretrained weights) with a 1-channel stem and 11 outputs (logits)."""
    model = torchvision.models.mobilenet_v2(weights=None, num_classes=NUM_CLASSES, dropout=dropout)
    model.features[0][0] = nn.Conv2d(1, 32, kernel_size=3, stride=2, padding=1, bias=False)
    return model


def seed_everything(seed: int) -> np.random.Generator:
    random.seed(seed)
    torch.manual_seed(seed)
    return np.random.default_rng(seed)


def sampling_weights(samples: list[gd.DiscSample]) -> np.ndarray:
    counts = np.bincount([s.cls for s in samples], minlength=NUM_CLASSES).astype(np.float64)
    w = np.array([counts[s.cls] ** -0.5 for s in samples])
    return w / w.sum()


def random_crop(s: gd.DiscSample, grey: np.ndarray, spacing, rng: np.random.Generator) -> np.ndarray:
    row_mm, col_mm = spacing
    return crops.augmented_crop(
        grey, s.cx, s.cy, row_mm, col_mm,
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


def centre_crops(data_dir: str, patients: list[int]):
    """Contract crops of the graded discs on the centre slices: (samples, tensor [N,1,128,128])."""
    samples = gd.disc_samples(data_dir, patients, max_offset=0)
    greys = gd.load_greys(data_dir, samples)
    spacing = sd.spacing(data_dir)
    x = np.stack([crops.disc_crop(greys[(s.patient, s.slice)], s.cx, s.cy, *spacing[s.patient])
                  for s in samples])
    return samples, torch.from_numpy(x).unsqueeze(1)


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
    ap.add_argument("--data", required=True)
    ap.add_argument("--ckpt-dir", required=True)
    ap.add_argument("--steps", type=int, default=2600)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--weight-decay", type=float, default=5e-2)
    ap.add_argument("--max-offset", type=int, default=3)
    ap.add_argument("--dropout", type=float, default=0.5)
    ap.add_argument("--mixup", type=float, default=0.4, help="Beta(a, a) mixup of crops and labels; 0 = off")
    ap.add_argument("--max-minutes", type=float, default=40.0)
    ap.add_argument("--seed", type=int, default=20240)
    ap.add_argument("--log-every", type=int, default=50)
    ap.add_argument("--val-every", type=int, default=500)
    args = ap.parse_args()

    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    os.makedirs(args.ckpt_dir, exist_ok=True)
    start = time.time()
    rng = seed_everything(args.seed)
    split = sd.load_split()
    samples = gd.disc_samples(args.data, split["train"], args.max_offset)
    greys = gd.load_greys(args.data, samples)
    spacing = sd.spacing(args.data)
    probs = sampling_weights(samples)
    val_samples, val_x = centre_crops(args.data, split["validation"])
    val_y = torch.tensor([s.cls for s in val_samples])
    print(f"train crops sources: {len(samples)} (discs x slices), validation discs: {len(val_samples)}",
          flush=True)

    model = build_model(args.dropout)
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
        x = torch.from_numpy(np.stack([random_crop(s, greys[(s.patient, s.slice)], spacing[s.patient], rng)
                                       for s in batch])).unsqueeze(1)
        y = torch.tensor([s.cls for s in batch])
        for g in opt.param_groups:
            g["lr"] = lr_at(step, args.steps, args.lr)
        if args.mixup > 0:
            # mixup: the 193 training discs are memorised within a few hundred steps without it
            lam = float(rng.beta(args.mixup, args.mixup))
            perm = torch.from_numpy(rng.permutation(len(batch)))
            logits = model(lam * x + (1.0 - lam) * x[perm])
            loss = (lam * F.cross_entropy(logits, y, label_smoothing=0.05)
                    + (1.0 - lam) * F.cross_entropy(logits, y[perm], label_smoothing=0.05))
        else:
            logits = model(x)
            loss = F.cross_entropy(logits, y, label_smoothing=0.05)
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
            print(f"step {step} val-acc {(p.argmax(1) == val_y).float().mean().item():.3f} "
                  f"val-nll {F.nll_loss(p.clamp_min(1e-8).log(), val_y).item():.3f}", flush=True)
        if step % 200 == 0:
            checkpoint()
        if step < args.steps and time.time() - start > args.max_minutes * 60:
            checkpoint()
            print(f"time limit reached at step {step}; rerun to resume", flush=True)
            return
    checkpoint()
    save(os.path.join(args.ckpt_dir, "final.pt"), {"model": model.state_dict(), "step": step,
                                                     "args": vars(args)})
    print(f"done: {step} steps, final model {os.path.join(args.ckpt_dir, 'final.pt')}", flush=True)


if __name__ == "__main__":
    main()
