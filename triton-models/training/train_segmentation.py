#!/usr/bin/python3
"""Train the spine_segmentation DeepLabV3+ (4 classes: background, disc, vertebra, canal).

  /usr/bin/python3 train_segmentation.py --data DIR --out CKPT_DIR [--encoder mobilenet_v3]
      [--format spider|labelme] [--resume] [--max-minutes N] [--total-steps N] [--device cpu]

--format spider (default): DIR is the SPIDER subset (images/, masks/, slices.csv); the train patients
of split.json are used, all 13 slices each. Validation patients are never read here.
--format labelme: DIR is a folder of LabelMe JSON files with their images (see labelme.py); all of
them are used for training.

Loss cross-entropy + soft Dice, AdamW with linear warm-up and cosine decay over --total-steps,
batch 4, deterministic seeds. The run checkpoints (model, optimiser, step, RNG states) to
CKPT_DIR/last.pt every --ckpt-minutes and when --max-minutes is used up; --resume continues from it.
When the last step is done the model is written to CKPT_DIR/final.pt.
"""
from __future__ import annotations

import argparse
import math
import os
import random
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import spoils_data as sd  # noqa: E402
from deeplab import ENCODERS, build_model  # noqa: E402

NUM_CLASSES = 4


def resize_mask_nearest(mask: np.ndarray, rows: int, cols: int) -> torch.Tensor:
    t = torch.from_numpy(mask).float()[None, None]
    return F.interpolate(t, size=(rows, cols), mode="nearest")[0, 0].long()


def load_pairs(data_dir: str, fmt: str) -> list[tuple[np.ndarray, np.ndarray]]:
    """(grey float32 H x W, semantic mask int64 H x W) pairs used for training."""
    if fmt == "labelme":
        import labelme
        return [(s.grey, s.mask) for s in labelme.load_folder(data_dir)]
    train = set(sd.load_split()["train"])
    refs = [r for r in sd.slices(data_dir) if r.patient in train]
    return [(sd.read_grey(os.path.join(data_dir, "images", r.file_name())),
             sd.read_semantic_mask(os.path.join(data_dir, "masks", r.file_name()))) for r in refs]


def preload(pairs) -> tuple[torch.Tensor, torch.Tensor]:
    """Grey images resized (bilinear, contract formula) to 320 x 256, not yet z-scored; masks nearest."""
    imgs = torch.stack([sd.resize_bilinear(torch.from_numpy(g), sd.SEG_ROWS, sd.SEG_COLS) for g, _ in pairs])
    masks = torch.stack([resize_mask_nearest(m, sd.SEG_ROWS, sd.SEG_COLS) for _, m in pairs])
    return imgs, masks


def augment(img: torch.Tensor, mask: torch.Tensor, gen: torch.Generator):
    """Batch [B,H,W] grey (0..255) and mask -> z-scored [B,1,H,W] input and [B,H,W] mask.

    Geometry: rotation +-10 deg, scale 0.9..1.1, translation +-6 %, left-right flip p=0.5.
    Intensity: gamma 0.7..1.5, a random upper window (contrast; saturates the brightest 0-25 %
    of the range), gaussian noise; then per-image z-score as at inference.
    """
    b = img.shape[0]
    u = lambda lo, hi: lo + (hi - lo) * torch.rand(b, generator=gen)  # noqa: E731
    ang = u(-10, 10) * math.pi / 180
    scale = u(0.9, 1.1)
    flip = torch.where(torch.rand(b, generator=gen) < 0.5, -1.0, 1.0)
    tx, ty = u(-0.06, 0.06) * 2, u(-0.06, 0.06) * 2
    cos, sin = torch.cos(ang) / scale, torch.sin(ang) / scale
    theta = torch.stack([torch.stack([cos * flip, -sin, tx], 1), torch.stack([sin * flip, cos, ty], 1)], 1)
    grid = F.affine_grid(theta, (b, 1) + tuple(img.shape[1:]), align_corners=False)
    x = F.grid_sample(img[:, None], grid, mode="bilinear", padding_mode="zeros", align_corners=False)
    y = F.grid_sample(mask[:, None].float(), grid, mode="nearest", padding_mode="zeros",
                      align_corners=False)[:, 0].long()
    x = (x / 255.0).clamp(0, 1)
    x = (x / u(0.75, 1.0).view(b, 1, 1, 1)).clamp(0, 1)
    x = x ** torch.exp(u(math.log(0.7), math.log(1.5))).view(b, 1, 1, 1)
    x = x + torch.randn(x.shape, generator=gen) * u(0, 0.03).view(b, 1, 1, 1)
    x = torch.stack([sd.zscore(xi) for xi in x])
    return x, y


def dice_loss(logits: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """1 - mean soft Dice over the foreground classes (batch-wise sums)."""
    prob = logits.softmax(1)
    onehot = F.one_hot(target, NUM_CLASSES).permute(0, 3, 1, 2).float()
    inter = (prob * onehot).sum((0, 2, 3))
    denom = prob.sum((0, 2, 3)) + onehot.sum((0, 2, 3))
    dice = (2 * inter + 1.0) / (denom + 1.0)
    return 1 - dice[1:].mean()


@torch.no_grad()
def recalibrate_bn(model: torch.nn.Module, imgs: torch.Tensor, batch: int, device) -> None:
    """Re-estimate BatchNorm running statistics on the un-augmented training images.

    torchvision's MobileNetV3 uses BatchNorm momentum 0.01, so after a short run the running
    statistics still average over ~100 steps of fast-changing weights and the model in eval mode
    predicts nothing useful. A cumulative average over one pass with the final weights (inputs
    z-scored as at inference, dropout off) fixes that; only training images are used.
    """
    bns = [m for m in model.modules() if isinstance(m, torch.nn.modules.batchnorm._BatchNorm)]
    saved = [m.momentum for m in bns]
    model.eval()
    for m in bns:
        m.reset_running_stats()
        m.momentum = None
        m.train()
    for i in range(0, imgs.shape[0], batch):
        x = torch.stack([sd.zscore(g) for g in imgs[i:i + batch]]).unsqueeze(1)
        model(x.to(device).contiguous(memory_format=torch.channels_last))
    for m, mom in zip(bns, saved):
        m.momentum = mom
    model.eval()


def lr_at(step: int, total: int, base: float, warmup: int) -> float:
    if step < warmup:
        return base * (step + 1) / warmup
    p = (step - warmup) / max(1, total - warmup)
    return base * 0.5 * (1 + math.cos(math.pi * min(1.0, p)))


def seed_all(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def save_atomic(obj, path: str) -> None:
    tmp = path + ".tmp"
    torch.save(obj, tmp)
    os.replace(tmp, path)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", required=True)
    ap.add_argument("--out", required=True, help="checkpoint folder (keep it outside the repository)")
    ap.add_argument("--format", choices=["spider", "labelme"], default="spider")
    ap.add_argument("--encoder", choices=ENCODERS, default="mobilenet_v3")
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--total-steps", type=int, default=1500)
    ap.add_argument("--batch", type=int, default=4)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--weight-decay", type=float, default=1e-4)
    ap.add_argument("--warmup", type=int, default=100)
    ap.add_argument("--seed", type=int, default=20240531)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--resume", action="store_true")
    ap.add_argument("--max-minutes", type=float, default=0, help="stop (after a checkpoint) after N minutes; 0 = no limit")
    ap.add_argument("--ckpt-minutes", type=float, default=3.0)
    ap.add_argument("--recalibrate-bn-only", action="store_true",
                    help="only re-estimate the BatchNorm statistics of OUT/final.pt (done at the end of training)")
    args = ap.parse_args(argv)

    torch.set_num_threads(args.threads)
    seed_all(args.seed)
    os.makedirs(args.out, exist_ok=True)
    last = os.path.join(args.out, "last.pt")
    device = torch.device(args.device)

    imgs, masks = preload(load_pairs(args.data, args.format))
    n = imgs.shape[0]
    if n < args.batch:
        raise SystemExit(f"need at least {args.batch} training images, found {n}")
    model = build_model(args.encoder, NUM_CLASSES).to(device)
    # channels_last makes the CPU (oneDNN) convolutions ~15 % faster; on CUDA it is harmless.
    model = model.to(memory_format=torch.channels_last)
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=args.weight_decay)
    gen = torch.Generator().manual_seed(args.seed)
    step = 0
    final = os.path.join(args.out, "final.pt")

    def write_final(state: dict) -> None:
        recalibrate_bn(model, imgs, args.batch, device)
        state.update(model=model.state_dict(), bn_recalibrated=True)
        save_atomic(state, final)
        print(f"done: {final} (BatchNorm statistics re-estimated on the training images)", flush=True)

    if args.recalibrate_bn_only:
        ck = torch.load(final, map_location="cpu")
        model.load_state_dict(ck["model"])
        write_final(ck)
        return 0
    if args.resume and os.path.exists(last):
        ck = torch.load(last, map_location="cpu")
        if ck["encoder"] != args.encoder:
            raise SystemExit(f"checkpoint encoder {ck['encoder']} != --encoder {args.encoder}")
        model.load_state_dict(ck["model"])
        opt.load_state_dict(ck["optimizer"])
        step = ck["step"]
        gen.set_state(ck["gen"])
        torch.set_rng_state(ck["torch_rng"])
        np.random.set_state(ck["np_rng"])
        random.setstate(ck["py_rng"])
        print(f"resumed at step {step}", flush=True)
    elif args.resume:
        print("no checkpoint to resume; starting fresh", flush=True)

    def checkpoint():
        save_atomic({"model": model.state_dict(), "optimizer": opt.state_dict(), "step": step,
                     "encoder": args.encoder, "gen": gen.get_state(), "torch_rng": torch.get_rng_state(),
                     "np_rng": np.random.get_state(), "py_rng": random.getstate(), "args": vars(args)}, last)
        print(f"checkpoint step {step}", flush=True)

    steps_per_epoch = n // args.batch
    start = last_ck = time.time()
    t_log, loss_acc = time.time(), []
    print(f"{n} training images, {steps_per_epoch} steps/epoch, encoder {args.encoder}, "
          f"total {args.total_steps} steps", flush=True)
    model.train()
    while step < args.total_steps:
        epoch, k = divmod(step, steps_per_epoch)
        # The order depends only on (seed, epoch), so a resumed run sees the same batches.
        order = np.random.default_rng(args.seed + epoch).permutation(n)
        idx = torch.from_numpy(order[k * args.batch:(k + 1) * args.batch])
        x, y = augment(imgs[idx], masks[idx], gen)
        x, y = x.to(device).contiguous(memory_format=torch.channels_last), y.to(device)
        for g in opt.param_groups:
            g["lr"] = lr_at(step, args.total_steps, args.lr, args.warmup)
        logits = model(x)
        ce = F.cross_entropy(logits, y)
        loss = ce + dice_loss(logits, y)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        step += 1
        loss_acc.append((loss.item(), ce.item()))
        if step % 20 == 0:
            lo = np.mean(loss_acc, 0)
            print(f"step {step}/{args.total_steps} epoch {epoch} loss {lo[0]:.4f} ce {lo[1]:.4f} "
                  f"lr {opt.param_groups[0]['lr']:.2e} {(time.time() - t_log) / len(loss_acc):.2f} s/step",
                  flush=True)
            t_log, loss_acc = time.time(), []
        now = time.time()
        if now - last_ck > args.ckpt_minutes * 60:
            checkpoint()
            last_ck = now
        if args.max_minutes and now - start > args.max_minutes * 60 and step < args.total_steps:
            checkpoint()
            print("time budget used; continue with --resume", flush=True)
            return 0
    checkpoint()
    write_final({"encoder": args.encoder, "step": step, "args": vars(args)})
    return 0


if __name__ == "__main__":
    sys.exit(main())
