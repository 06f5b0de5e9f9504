"""Evaluate a packaged variant on a folder in either layout:

* catalogue: `styles.csv` + `images/` (the datasets root or the catalogue folder itself). Labels are
  folded exactly as in training. For the training catalogue, `--split auto` scores the test split.
* class folders: `<dir>/<class>/*.jpg` with class names from labels.CLOTHING_TO_ARTICLE_TYPES
  (many-to-one: e.g. `shoes` ↔ any footwear type). A prediction counts when it is one of the
  folder's article types. Only articleType is scored (the folders carry no other labels).

Retrieval precision@10: for each image its 10 nearest other images by embedding cosine; a
neighbour is relevant when it has the same articleType and gender (catalogue) or folder (folders).
"""
from __future__ import annotations

import argparse
import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from . import paths
from .data import IMAGE_EXTS, catalogue_dir, read_styles
from .errors import DrishtiError, run_cli, write_text_atomic
from .labels import ARTICLE_TYPE_TO_CLOTHING, CLOTHING_TO_ARTICLE_TYPES, HEADS, fold_article_type, fold_value
from .package import load_manifest, variant_path
from .preprocess import PreprocessSpec, load_rgb, preprocess_array


@dataclass
class EvalSet:
    layout: str                      # "catalogue" | "folders"
    files: list[Path]
    labels: dict[str, np.ndarray]    # head → class index (-1 = none); folders: only "folder"
    folder_names: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _classes(manifest: dict) -> dict[str, list[str]]:
    return {h["name"]: [l["id"] for l in h["labels"]] for h in manifest["heads"]}


def load_eval_set(dataset: Path, manifest: dict, split: str, split_file: Path, limit: int = 0) -> EvalSet:
    if not dataset.exists():
        raise DrishtiError(f"dataset folder {dataset} does not exist")
    if not dataset.is_dir():
        raise DrishtiError(f"dataset {dataset} is not a folder")
    classes = _classes(manifest)
    try:
        cat = catalogue_dir(dataset)
    except DrishtiError:
        cat = None
    if cat is not None:
        return _catalogue_set(cat, classes, split, split_file, limit)
    return _folder_set(dataset, limit)


def _catalogue_set(cat: Path, classes: dict[str, list[str]], split: str, split_file: Path, limit: int) -> EvalSet:
    notes: list[str] = []
    rows = read_styles(cat / "styles.csv", notes)
    img_dir = cat / "images"
    if not img_dir.is_dir():
        raise DrishtiError(f"{cat} has styles.csv but no images/ folder")
    files = {p.stem: p for p in img_dir.iterdir() if p.suffix.lower() in IMAGE_EXTS}
    ids = sorted((k for k in files if k in rows), key=lambda s: (len(s), s))
    if split == "auto":
        split = "test" if _is_training_catalogue(cat, split_file) else "all"
    if split != "all":
        if not split_file.is_file():
            raise DrishtiError(f"--split {split} needs the split manifest {split_file}")
        wanted = set(json.loads(split_file.read_text(encoding="utf-8"))["ids"][split])
        ids = [i for i in ids if i in wanted]
        notes.append(f"scored the {split} split of {split_file.name}")
    if limit:
        ids = ids[:limit]
    if not ids:
        raise DrishtiError(f"no labelled images to evaluate in {cat}")
    labels = {h: np.full(len(ids), -1, np.int64) for h in HEADS}
    for j, i in enumerate(ids):
        row = rows[i]
        if row["articleType"]:
            labels["articleType"][j] = classes["articleType"].index(fold_article_type(row["articleType"], classes["articleType"]))
        for h in HEADS[1:]:
            v = fold_value(h, row["colorgroup" if h == "colour" else h])
            if v is not None and v in classes[h]:
                labels[h][j] = classes[h].index(v)
    return EvalSet("catalogue", [files[i] for i in ids], labels, notes=notes + [f"split: {split}"])


def _is_training_catalogue(cat: Path, split_file: Path) -> bool:
    try:
        return split_file.is_file() and os.path.samefile(cat, catalogue_dir(paths.datasets_dir()))
    except (DrishtiError, OSError):
        return False


def _folder_set(root: Path, limit: int) -> EvalSet:
    subdirs = sorted(p for p in root.iterdir() if p.is_dir())
    known = [d for d in subdirs if d.name in CLOTHING_TO_ARTICLE_TYPES]
    if not known:
        raise DrishtiError(
            f"{root} is neither a catalogue (styles.csv + images/) nor class folders named like "
            f"{', '.join(sorted(CLOTHING_TO_ARTICLE_TYPES))}")
    notes = [f"folder {d.name} has no mapping to our article types; skipped" for d in subdirs if d not in known]
    names = [d.name for d in known]
    files, folder = [], []
    for k, d in enumerate(known):
        imgs = sorted(p for p in d.iterdir() if p.suffix.lower() in IMAGE_EXTS)
        files += imgs
        folder += [k] * len(imgs)
    if limit:
        files, folder = files[:limit], folder[:limit]
    if not files:
        raise DrishtiError(f"no images in the class folders of {root}")
    return EvalSet("folders", files, {"folder": np.asarray(folder, np.int64)}, names, notes)


def spec_of(manifest: dict) -> PreprocessSpec:
    p = manifest["preprocess"]
    return PreprocessSpec(size=p["size"], pad_value=tuple(p["padValue"]), mean=tuple(p["mean"]),
                          std=tuple(p["std"]), input_name=p["inputName"])


def run_model(model_path: Path, manifest: dict, files: list[Path], batch: int = 32, threads: int = 2,
              progress: bool = True) -> dict[str, np.ndarray]:
    import onnxruntime as ort
    from tqdm import tqdm

    so = ort.SessionOptions()
    so.intra_op_num_threads = threads
    try:
        sess = ort.InferenceSession(str(model_path), so, providers=["CPUExecutionProvider"])
    except Exception as err:  # onnxruntime raises its own untyped errors for a broken model file
        raise DrishtiError(f"onnxruntime cannot load {model_path}: {err}") from err
    spec = spec_of(manifest)
    names = [h["output"] for h in manifest["heads"]] + [manifest["embedding"]["output"]]
    outs: dict[str, list[np.ndarray]] = {n: [] for n in names}
    for s in tqdm(range(0, len(files), batch), desc=f"eval {model_path.name}", disable=not progress, mininterval=5):
        x = np.stack([preprocess_array(load_rgb(f), spec) for f in files[s : s + batch]])
        for n, v in zip(names, sess.run(names, {spec.input_name: x})):
            outs[n].append(v)
    return {n: np.concatenate(v) for n, v in outs.items()}


def macro_f1(y: np.ndarray, p: np.ndarray) -> float:
    f1s = []
    for c in np.unique(y):
        tp = np.sum((p == c) & (y == c))
        fp = np.sum((p == c) & (y != c))
        fn = np.sum((p != c) & (y == c))
        f1s.append(0.0 if tp == 0 else 2 * tp / (2 * tp + fp + fn))
    return float(np.mean(f1s)) if f1s else 0.0


def precision_at_k(emb: np.ndarray, key: np.ndarray, k: int = 10) -> float:
    n = len(emb)
    if n < 2:
        return 0.0
    k = min(k, n - 1)
    hits = 0.0
    for s in range(0, n, 512):
        sim = emb[s : s + 512] @ emb.T
        rows = np.arange(sim.shape[0])
        sim[rows, s + rows] = -np.inf  # not itself
        nn = np.argpartition(-sim, k, axis=1)[:, :k]
        hits += float((key[nn] == key[s + rows, None]).sum())
    return hits / (n * k)


def score(es: EvalSet, outs: dict[str, np.ndarray], manifest: dict, variant: str) -> dict:
    classes = _classes(manifest)
    emb = outs[manifest["embedding"]["output"]]
    res: dict = {"variant": variant, "layout": es.layout, "n": len(es.files), "heads": {}}
    if es.layout == "catalogue":
        for h in HEADS:
            y = es.labels[h]
            m = y >= 0
            if not m.any():
                continue
            p = outs[h].argmax(1)
            res["heads"][h] = {"n": int(m.sum()), "top1": float((p[m] == y[m]).mean()), "macroF1": macro_f1(y[m], p[m])}
        at, g = es.labels["articleType"], es.labels["gender"]
        ok = (at >= 0) & (g >= 0)
        key = at[ok] * 100 + g[ok]
        res["retrieval"] = {"precisionAt10": precision_at_k(emb[ok], key), "relevant": "same articleType and gender"}
        other = classes["articleType"].index("other") if "other" in classes["articleType"] else -1
        res["otherShare"] = float((at == other).mean())
    else:
        folder = es.labels["folder"]
        pred = outs["articleType"].argmax(1)
        names = es.folder_names
        allowed = [{classes["articleType"].index(t) for t in CLOTHING_TO_ARTICLE_TYPES[f] if t in classes["articleType"]} for f in names]
        correct = np.array([pred[i] in allowed[folder[i]] for i in range(len(pred))])
        # A wrong prediction is read as the folder its article type belongs to (or none).
        pf = np.array([folder[i] if correct[i] else names.index(ARTICLE_TYPE_TO_CLOTHING[classes["articleType"][pred[i]]])
                       if ARTICLE_TYPE_TO_CLOTHING.get(classes["articleType"][pred[i]]) in names else -1
                       for i in range(len(pred))])
        res["heads"]["articleType"] = {"n": len(pred), "top1": float(correct.mean()), "macroF1": macro_f1(folder, pf),
                                       "scoring": "mapped: prediction is one of the folder's article types"}
        res["perFolder"] = {f: {"n": int((folder == k).sum()), "top1": float(correct[folder == k].mean())}
                            for k, f in enumerate(names) if (folder == k).any()}
        res["retrieval"] = {"precisionAt10": precision_at_k(emb, folder), "relevant": "same folder class"}
    res["notes"] = es.notes
    return res


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Evaluate a packaged Drishti model variant on a dataset folder.")
    ap.add_argument("--dataset", required=True, help="catalogue folder (styles.csv + images/) or class folders")
    ap.add_argument("--variant", choices=["fp32", "fp16", "int8"], default="int8")
    ap.add_argument("--json", type=Path, help="write the metrics here (JSON)")
    ap.add_argument("--manifest", type=Path, default=paths.MANIFEST_FILE)
    ap.add_argument("--split", choices=["auto", "all", "train", "val", "test"], default="auto",
                    help="catalogue only: which split-manifest ids to score (auto: test for the training catalogue)")
    ap.add_argument("--split-file", type=Path, default=paths.SPLIT_FILE)
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args(argv)

    manifest = load_manifest(args.manifest)
    model_path = variant_path(args.manifest, manifest, args.variant)
    es = load_eval_set(Path(args.dataset).resolve(), manifest, args.split, args.split_file, args.limit)
    t = time.time()
    outs = run_model(model_path, manifest, es.files, threads=args.threads)
    res = score(es, outs, manifest, args.variant)
    res["seconds"] = round(time.time() - t, 1)
    text = json.dumps(res, indent=2, ensure_ascii=False)
    if args.json:
        write_text_atomic(args.json, text + "\n")
    print(text)
    return 0


if __name__ == "__main__":
    run_cli(main)
