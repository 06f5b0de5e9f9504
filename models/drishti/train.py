"""Training: prep → feature cache (frozen prefix) → fine-tune the last stages + embedding + heads.

Resumable: a checkpoint is written after every epoch under models/checkpoints/ and picked up
again when the same command is re-run. Fixed seeds throughout."""
from __future__ import annotations

import argparse
import json
import math
import random
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from tqdm import tqdm

from . import paths
from .cache import Sample, build_cache, build_grids
from .data import Item, Prepared, prepare, write_split
from .errors import DrishtiError, publish, run_cli, staging_dir
from .labels import HEADS, MIN_CLASS_IMAGES
from .model import LOGIT_SCALE, SPLIT_BLOCK, DrishtiNet
from .preprocess import PreprocessSpec

LOSS_WEIGHTS = {"articleType": 1.0, "gender": 0.6, "usage": 0.4, "colour": 0.6, "season": 0.2}
# Optional training-only head (--joint-weight): articleType × gender, to pull the embedding into
# clusters of the same type *and* gender (what visual-search neighbours should share). Not exported.
# Measured on the val split with the frozen backbone: precision@10 0.652 → 0.672, gender −0.6 pt,
# colour −0.6 pt — within noise, so the shipped model does not use it (default 0 = off).
JOINT = "typeGender"
MARGIN = {"articleType": 0.1, "gender": 0.1, JOINT: 0.1}  # additive cosine margin while training: tighter clusters
SMOOTHING = 0.05


def seed_all(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


class LabelTable:
    """Per-sample labels aligned with a cache: class index per head (-1 = none) and, for phone
    photos, the set of allowed article types."""

    def __init__(self, items: list[Item], views: int, n_at: int):
        n = len(items) * views
        self.y = {h: np.full(n, -1, np.int64) for h in HEADS}
        self.allowed = np.zeros((n, n_at), bool)
        self.has_set = np.zeros(n, bool)
        for i, it in enumerate(items):
            for v in range(views):
                j = i * views + v
                for h, c in it.labels.items():
                    self.y[h][j] = c
                if it.allowed_article_types is not None:
                    self.allowed[j, it.allowed_article_types] = True
                    self.has_set[j] = True

    def __len__(self) -> int:
        return len(self.has_set)


def samples_for(items: list[Item], kind: str, views: int) -> list[Sample]:
    return [Sample(it.key, str(it.path), kind, v) for it in items for v in range(views)]


def head_loss(logits: torch.Tensor, y: torch.Tensor, head: str) -> torch.Tensor | None:
    m = y >= 0
    if not m.any():
        return None
    lg, yy = logits[m], y[m]
    if head in MARGIN:
        lg = lg - LOGIT_SCALE * MARGIN[head] * F.one_hot(yy, lg.shape[1])
    return F.cross_entropy(lg, yy, label_smoothing=SMOOTHING)


def set_loss(logits: torch.Tensor, allowed: torch.Tensor) -> torch.Tensor:
    """-log Σ_{allowed} p: any article type the phone-photo folder maps to counts as right."""
    masked = logits.masked_fill(~allowed, float("-inf"))
    return (torch.logsumexp(logits, 1) - torch.logsumexp(masked, 1)).mean()


@torch.no_grad()
def embed_cached(model: DrishtiNet, feats: np.ndarray, grids: np.ndarray, batch: int = 256) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    model.eval()
    embs, logits = [], {h: [] for h in model.head_sizes}
    for s in range(0, len(feats), batch):
        f = torch.from_numpy(np.asarray(feats[s : s + batch], dtype=np.float32))
        e = model.suffix(f, torch.from_numpy(grids[s : s + batch]))
        for h, l in model.logits(e).items():
            logits[h].append(l.numpy())
        embs.append(e.numpy())
    return np.concatenate(embs), {h: np.concatenate(v) for h, v in logits.items()}


def val_metrics(model: DrishtiNet, feats: np.ndarray, grids: np.ndarray, labels: LabelTable) -> dict[str, float]:
    if len(labels) == 0:
        return {}
    _, logits = embed_cached(model, feats, grids)
    out = {}
    for h in HEADS:
        m = labels.y[h] >= 0
        if m.any():
            out[h] = float((logits[h][m].argmax(1) == labels.y[h][m]).mean())
    if labels.has_set.any():
        pred = logits["articleType"].argmax(1)
        out["photoMapped"] = float(labels.allowed[np.arange(len(pred)), pred][labels.has_set].mean())
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Train the Drishti fashion model (CPU).")
    ap.add_argument("--datasets")
    ap.add_argument("--corrections", type=Path)
    ap.add_argument("--epochs", type=int, default=30)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--views", type=int, default=3, help="views per training image (1 clean + augmented)")
    ap.add_argument("--size", type=int, default=224)
    ap.add_argument("--split-block", type=int, default=SPLIT_BLOCK)
    ap.add_argument("--min-class-images", type=int, default=MIN_CLASS_IMAGES)
    ap.add_argument("--limit", type=int, default=0, help="smoke runs: keep at most N items per split")
    ap.add_argument("--max-steps", type=int, default=0, help="smoke runs: stop after N steps")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--threads", type=int, default=1,
                    help="torch threads; 1 is several times faster than 2 on a busy shared 2-core machine")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--no-pretrained", action="store_true", help="random init (tests only)")
    ap.add_argument("--lr-scale", type=float, default=1.0, help="multiplies both learning rates (e.g. 0.3 with --init)")
    ap.add_argument("--joint-weight", type=float, default=0.0, help="weight of the training-only typeGender head")
    ap.add_argument("--init", type=Path, help="start from a finished model (final.pt), e.g. to fine-tune more stages")
    ap.add_argument("--checkpoints", type=Path, default=paths.CHECKPOINT_DIR)
    ap.add_argument("--cache-dir", type=Path, default=paths.CACHE_DIR)
    ap.add_argument("--split-out", type=Path, default=paths.SPLIT_FILE)
    args = ap.parse_args(argv)

    torch.set_num_threads(args.threads)
    seed_all(args.seed)
    t0 = time.time()
    prep = prepare(paths.datasets_dir(args.datasets), args.corrections, args.min_class_images)
    if args.limit:
        prep.catalogue = {k: v[: args.limit] for k, v in prep.catalogue.items()}
        prep.clothing = {k: v[: args.limit] for k, v in prep.clothing.items()}
    if not prep.catalogue["train"]:
        raise DrishtiError("the training split is empty: not enough labelled images")
    write_split(prep, args.split_out)
    spec = PreprocessSpec(size=args.size)
    head_sizes = {h: len(prep.classes[h]) for h in HEADS}
    n_gender = head_sizes["gender"]
    joint = args.joint_weight > 0
    if joint:
        head_sizes[JOINT] = head_sizes["articleType"] * n_gender
    model = DrishtiNet(head_sizes, image_size=args.size, split_block=args.split_block, pretrained=not args.no_pretrained)
    if args.init:
        if not args.init.is_file():
            raise DrishtiError(f"--init checkpoint {args.init} does not exist")
        init = torch.load(args.init, map_location="cpu", weights_only=False)
        if init.get("classes") != prep.classes:
            raise DrishtiError(f"--init checkpoint {args.init} was trained with other label maps")
        model.load_state_dict(init["model"])
    for p in model.prefix_parameters():
        p.requires_grad_(False)

    textures = [it.path for it in prep.clothing["train"]]
    train_items = prep.catalogue["train"] + prep.clothing["train"]
    train_samples = (samples_for(prep.catalogue["train"], "catalogue", args.views)
                     + samples_for(prep.clothing["train"], "photo", args.views))
    n_at = head_sizes["articleType"]
    train_labels = LabelTable(train_items, args.views, n_at)
    val_samples = samples_for(prep.catalogue["val"], "catalogue", 1)
    pv_samples = samples_for(prep.clothing["validation"], "photo", 1)
    feats = build_cache("train", train_samples, model, spec, args.cache_dir, textures, args.seed, args.workers)
    val_feats = build_cache("val", val_samples, model, spec, args.cache_dir, textures, args.seed, args.workers)
    pv_feats = build_cache("photoval", pv_samples, model, spec, args.cache_dir, textures, args.seed, args.workers)
    grids = build_grids("train", train_samples, spec, args.cache_dir, textures, args.seed, args.workers)
    val_grids = build_grids("val", val_samples, spec, args.cache_dir, textures, args.seed, args.workers)
    pv_grids = build_grids("photoval", pv_samples, spec, args.cache_dir, textures, args.seed, args.workers)
    val_labels = LabelTable(prep.catalogue["val"], 1, n_at)
    pv_labels = LabelTable(prep.clothing["validation"], 1, n_at)
    print(f"cache ready in {time.time() - t0:.0f}s: train {feats.shape}, val {len(val_feats)}, photo val {len(pv_feats)}")

    trainable = [p for p in model.parameters() if p.requires_grad]
    head_params = list(model.project.parameters()) + list(model.colour_mlp.parameters()) + list(model.heads.parameters())
    ids = {id(p) for p in head_params}
    opt = torch.optim.AdamW([
        {"params": [p for p in trainable if id(p) not in ids], "lr": 6e-4 * args.lr_scale},
        {"params": head_params, "lr": 3e-3 * args.lr_scale},
    ], weight_decay=1e-4)
    steps_per_epoch = math.ceil(len(train_labels) / args.batch)
    total = steps_per_epoch * args.epochs
    if args.max_steps:
        total = min(total, args.max_steps)
    warm = min(200, total // 10 + 1)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, (s + 1) / warm) * 0.5 * (1 + math.cos(math.pi * min(s, total) / total)))

    args.checkpoints.mkdir(parents=True, exist_ok=True)
    ckpt = args.checkpoints / "last.pt"
    config = {"size": args.size, "splitBlock": args.split_block, "colourGrid": True, "heads": head_sizes, "views": args.views,
              "epochs": args.epochs, "batch": args.batch, "seed": args.seed, "n": len(train_labels),
              "maxSteps": args.max_steps, "limit": args.limit,
              "init": str(args.init) if args.init else None, "lrScale": args.lr_scale}
    start_epoch, step = 0, 0
    if ckpt.exists():
        state = torch.load(ckpt, map_location="cpu", weights_only=False)
        if state.get("config") == config:
            model.load_state_dict(state["model"])
            opt.load_state_dict(state["opt"])
            sched.load_state_dict(state["sched"])
            start_epoch, step = state["epoch"], state["step"]
            print(f"resuming from {ckpt} after epoch {start_epoch}")
        else:
            print(f"ignoring {ckpt}: it was made with other settings")

    tensors = {h: torch.from_numpy(train_labels.y[h]) for h in HEADS}
    at_y, g_y = train_labels.y["articleType"], train_labels.y["gender"]
    tensors[JOINT] = torch.from_numpy(np.where((at_y >= 0) & (g_y >= 0), at_y * n_gender + g_y, -1))
    weights = {**LOSS_WEIGHTS, JOINT: args.joint_weight}
    trained_heads = HEADS + ([JOINT] if joint else [])
    allowed = torch.from_numpy(train_labels.allowed)
    has_set = torch.from_numpy(train_labels.has_set)
    log_path = args.checkpoints / "metrics.jsonl"
    for epoch in range(start_epoch, args.epochs):
        if args.max_steps and step >= total:
            break
        model.train()
        g = torch.Generator().manual_seed(args.seed * 1000 + epoch)
        order = torch.randperm(len(train_labels), generator=g).numpy()
        run = {h: 0.0 for h in trained_heads}
        bar = tqdm(range(steps_per_epoch), desc=f"epoch {epoch + 1}/{args.epochs}", mininterval=10)
        for b in bar:
            if args.max_steps and step >= total:
                break
            idx = np.sort(order[b * args.batch : (b + 1) * args.batch])
            x = torch.from_numpy(np.asarray(feats[idx], dtype=np.float32))
            it = torch.from_numpy(idx)
            emb = model.suffix(x, torch.from_numpy(grids[idx]))
            logits = model.logits(emb)
            loss = torch.zeros(())
            for h in trained_heads:
                l = head_loss(logits[h], tensors[h][it], h)
                if l is not None:
                    loss = loss + weights[h] * l
                    run[h] += float(l)
            hs = has_set[it]
            if hs.any():
                loss = loss + LOSS_WEIGHTS["articleType"] * set_loss(logits["articleType"][hs], allowed[it][hs])
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            sched.step()
            step += 1
            if b % 50 == 0:
                bar.set_postfix(loss=f"{float(loss):.3f}")
        metrics = {"epoch": epoch + 1, "step": step, "elapsedS": round(time.time() - t0),
                   "val": val_metrics(model, val_feats, val_grids, val_labels),
                   "photoVal": val_metrics(model, pv_feats, pv_grids, pv_labels).get("photoMapped")}
        print(json.dumps(metrics))
        with open(log_path, "a", encoding="utf-8") as f:
            f.write(json.dumps(metrics) + "\n")
        torch.save({"model": model.state_dict(), "opt": opt.state_dict(), "sched": sched.state_dict(),
                    "epoch": epoch + 1, "step": step, "config": config}, ckpt)

    with staging_dir(args.checkpoints) as tmp:
        torch.save({"model": model.state_dict(), "classes": prep.classes, "config": config,
                    "preprocess": spec.to_manifest(), "trainSeconds": round(time.time() - t0)}, tmp / "final.pt")
        publish(tmp / "final.pt", args.checkpoints / "final.pt")
    print(f"training done in {time.time() - t0:.0f}s → {args.checkpoints / 'final.pt'}")
    return 0


if __name__ == "__main__":
    run_cli(main)
