#!/usr/bin/python3
"""Train the spine_segmentation DeepLabV3+ (5 classes: background, disc, vertebra, canal,
lumbosacral disc) at the physical scale of CONTRACT.md v2 (0.8 mm pixels).

  /usr/bin/python3 train_segmentation.py --data DIR --out CKPT_DIR [--encoder mobilenet_v3]
      [--format spider|labelme] [--pseudo DIR ...] [--init CKPT] [--resume] [--max-minutes N]
      [--total-steps N] [--device cpu|cuda]

--format spider (default): DIR is the SPIDER subset (images/, masks/, slices.csv, series.csv); the
train patients of split.json are used, all 13 slices each, with the lowest disc of each mask as the
lumbosacral class. Validation patients are never read here.
--format labelme: DIR is a folder of LabelMe JSON files with their images (see labelme.py); all of
them are used for training; --labelme-spacing ROW_MM,COL_MM gives their pixel spacing.
--pseudo DIR: pseudo-labelled images written by pseudo_label.py (semi-supervised rounds); half of
every batch is drawn from them. --init CKPT starts from the weights of an earlier run's final.pt.
Each sample is a 320 x 256 crop at 0.8 mm through seg_augment.sample (scale, rotation, flip,
elastic, field-of-view cut, intensity and T1-like contrast).

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
import seg_augment as sa  # noqa: E402
import spoils_data as sd  # noqa: E402
from deeplab import ENCODERS, build_model, load_compatible  # noqa: E402

NUM_CLASSES = 5
CROP_ROWS, CROP_COLS = 320, 256


def load_labelled(data_dir: str, fmt: str, labelme_spacing: str | None):
    """[(grey H1 x W1 at 0.8 mm, labels H1 x W1 uint8 in 0..4)] of the training patients."""
    out = []
    if fmt == "labelme":
        import labelme
        if not labelme_spacing:
            raise SystemExit("--format labelme needs --labelme-spacing ROW_MM,COL_MM")
        rmm, cmm = (float(v) for v in labelme_spacing.split(","))
        pairs = [(s.grey, s.mask, rmm, cmm) for s in labelme.load_folder(data_dir)]
    else:
        train = set(sd.load_split()["train"])
        spacing = sd.spacing(data_dir)
        pairs = []
        for r in sd.slices(data_dir):
            if r.patient in train:
                rmm, cmm = spacing[r.patient]
                pairs.append((sd.read_grey(os.path.join(data_dir, "images", r.file_name())),
                              sd.read_semantic_mask(os.path.join(data_dir, "masks", r.file_name())), rmm, cmm))
    for grey, mask, rmm, cmm in pairs:
        g = sd.resample_to_seg(grey, rmm, cmm)
        lab = sa.semantic_with_lumbosacral(mask, rmm, cmm)
        out.append((g, sa.resize_labels_smooth(lab, *g.shape, NUM_CLASSES)))
    return out


def load_pseudo(dirs: list[str]):
    """Pseudo-labelled images of pseudo_label.py: [(grey at 0.8 mm, labels with 255 = ignore)]."""
    import json
    from PIL import Image
    out = []
    for d in dirs:
        with open(os.path.join(d, "manifest.json"), encoding="utf-8") as f:
            man = json.load(f)
        train = set(sd.load_split()["train"])
        for e in man["kept"]:
            if e["patient"] not in train:
                raise SystemExit(f"pseudo-label of a non-training patient in {d}")
            g = torch.from_numpy(np.asarray(Image.open(os.path.join(d, e["image"])), dtype=np.float32).copy())
            lab = torch.from_numpy(np.asarray(Image.open(os.path.join(d, e["labels"])), dtype=np.uint8).copy())
            out.append((g, lab))
    return out


def make_batch(items, idx, gen):
    xs, ys = zip(*[sa.sample(items[i][0], items[i][1], CROP_ROWS, CROP_COLS, gen) for i in idx])
    return torch.stack(xs), torch.stack(ys)


def dice_loss(logits: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """1 - mean soft Dice over the foreground classes (batch-wise sums)."""
    valid = (target != sa.IGNORE).unsqueeze(1).float()
    prob = logits.softmax(1) * valid
    onehot = F.one_hot(target.clamp_max(NUM_CLASSES - 1), NUM_CLASSES).permute(0, 3, 1, 2).float() * valid
    inter = (prob * onehot).sum((0, 2, 3))
    denom = prob.sum((0, 2, 3)) + onehot.sum((0, 2, 3))
    dice = (2 * inter + 1.0) / (denom + 1.0)
    return 1 - dice[1:].mean()


@torch.no_grad()
def recalibrate_bn(model: torch.nn.Module, items, batch: int, device) -> None:
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
    for g, _ in items:
        x = sd.pad_and_zscore(g).unsqueeze(0)
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
    ap.add_argument("--labelme-spacing", help="ROW_MM,COL_MM of the LabelMe images")
    ap.add_argument("--pseudo", nargs="*", default=[], help="pseudo-label folders (pseudo_label.py)")
    ap.add_argument("--init", help="start from the weights of this final.pt (a later semi-supervised round)")
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

    items = load_labelled(args.data, args.format, args.labelme_spacing)
    pseudo = load_pseudo(args.pseudo)
    n = len(items)
    if n < args.batch:
        raise SystemExit(f"need at least {args.batch} training images, found {n}")
    model = build_model(args.encoder, NUM_CLASSES).to(device)
    if args.init and not (args.resume and os.path.exists(os.path.join(args.out, "last.pt"))):
        init = torch.load(args.init, map_location="cpu")
        fresh = load_compatible(model, init["model"])
        print(f"initialised from {args.init} (step {init.get('step')})"
              + (f"; {len(fresh)} tensors of the refinement stage start fresh" if fresh else ""), flush=True)
    # channels_last makes the CPU (oneDNN) convolutions ~15 % faster; on CUDA it is harmless.
    model = model.to(memory_format=torch.channels_last)
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=args.weight_decay)
    gen = torch.Generator().manual_seed(args.seed)
    step = 0
    final = os.path.join(args.out, "final.pt")

    def write_final(state: dict) -> None:
        recalibrate_bn(model, items, args.batch, device)
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
                     "encoder": args.encoder, "num_classes": NUM_CLASSES, "gen": gen.get_state(), "torch_rng": torch.get_rng_state(),
                     "np_rng": np.random.get_state(), "py_rng": random.getstate(), "args": vars(args)}, last)
        print(f"checkpoint step {step}", flush=True)

    steps_per_epoch = n // args.batch
    start = last_ck = time.time()
    t_log, loss_acc = time.time(), []
    print(f"{n} labelled and {len(pseudo)} pseudo-labelled training images, {steps_per_epoch} steps/epoch, "
          f"encoder {args.encoder}, "
          f"total {args.total_steps} steps", flush=True)
    model.train()
    while step < args.total_steps:
        epoch, k = divmod(step, steps_per_epoch)
        # The order depends only on (seed, epoch), so a resumed run sees the same batches.
        order = np.random.default_rng(args.seed + epoch).permutation(n)
        idx = order[k * args.batch:(k + 1) * args.batch]
        if pseudo:
            # Half of every batch from the pseudo-labelled images (their own seeded order).
            half = args.batch // 2
            porder = np.random.default_rng(args.seed + 7919 + epoch).integers(0, len(pseudo), args.batch * (k + 1))
            batch_items = [items[i] for i in idx[:args.batch - half]] + [pseudo[i] for i in porder[-half:]]
            x, y = make_batch(batch_items, range(len(batch_items)), gen)
        else:
            x, y = make_batch(items, idx, gen)
        x, y = x.to(device).contiguous(memory_format=torch.channels_last), y.to(device)
        for g in opt.param_groups:
            g["lr"] = lr_at(step, args.total_steps, args.lr, args.warmup)
        logits = model(x)
        ce = F.cross_entropy(logits, y, ignore_index=sa.IGNORE)
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
    write_final({"encoder": args.encoder, "num_classes": NUM_CLASSES, "step": step, "args": vars(args)})
    return 0


if __name__ == "__main__":
    sys.exit(main())
