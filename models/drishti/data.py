"""Data prep: clean the catalogue, deduplicate, build label maps, split, list clothing photos."""
from __future__ import annotations

import argparse
import csv
import hashlib
import json
import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from . import paths
from .corrections import apply_corrections
from .errors import DrishtiError, run_cli, write_text_atomic
from .labels import (
    ARTICLE_TYPE_FOLDS, CLOTHING_TO_ARTICLE_TYPES, HEADS, MIN_CLASS_IMAGES, OTHER, fixed_classes,
    fold_article_type, fold_value,
)

COLUMNS = ["id", "gender", "masterCategory", "subCategory", "articleType", "baseColour", "season",
           "usage", "productDisplayName", "colorgroup"]
IMAGE_EXTS = {".jpg", ".jpeg", ".png", ".webp"}
SPLIT_SEED = 20261204


@dataclass
class Item:
    key: str               # catalogue id, or "clothing/<split>/<class>/<file>"
    path: Path
    labels: dict[str, int]  # head → class index; absent head = no label
    allowed_article_types: list[int] | None = None  # set-valued articleType label (clothing photos)
    folder: str | None = None


@dataclass
class Prepared:
    classes: dict[str, list[str]]
    catalogue: dict[str, list[Item]]   # train/val/test
    clothing: dict[str, list[Item]]    # train/validation
    split: dict[str, list[str]]
    report: list[str] = field(default_factory=list)


def read_styles(csv_path: Path, report: list[str]) -> dict[str, dict[str, str]]:
    """styles.csv → id → fields. Rows whose product name holds unquoted commas are re-joined."""
    rows: dict[str, dict[str, str]] = {}
    bad = 0
    try:
        with open(csv_path, encoding="utf-8", newline="") as f:
            reader = csv.reader(f)
            header = next(reader, None)
            if header is None or [h.strip() for h in header[: len(COLUMNS)]] != COLUMNS:
                raise DrishtiError(f"{csv_path} does not start with the header {','.join(COLUMNS)}")
            for rec in reader:
                if not rec:
                    continue
                if len(rec) < len(COLUMNS):
                    bad += 1
                    continue
                if len(rec) > len(COLUMNS):
                    rec = rec[:8] + [",".join(rec[8:-1]), rec[-1]]
                row = {k: v.strip() for k, v in zip(COLUMNS, rec)}
                if not row["id"].isdigit():
                    bad += 1
                    continue
                if row["id"] in rows:
                    bad += 1
                    continue
                rows[row["id"]] = row
    except UnicodeDecodeError as err:
        raise DrishtiError(f"{csv_path} is not UTF-8: {err}") from err
    except OSError as err:
        raise DrishtiError(f"cannot read {csv_path}: {err}") from err
    if bad:
        report.append(f"styles.csv: {bad} malformed or duplicate-id rows skipped")
    if not rows:
        raise DrishtiError(f"{csv_path} has no usable rows")
    return rows


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def readable(path: Path) -> bool:
    try:
        with Image.open(path) as im:
            im.load()
            return im.width > 0 and im.height > 0
    except (OSError, UnidentifiedImageError, ValueError, Image.DecompressionBombError):
        return False


def catalogue_dir(root: Path) -> Path:
    """Accepts the datasets root or the catalogue folder itself."""
    for cand in (root / "fashion-product-images", root):
        if (cand / "styles.csv").is_file():
            return cand
    raise DrishtiError(f"no styles.csv under {root} or {root / 'fashion-product-images'}; is the dataset path right?")


def stratified_split(keys_by_class: dict[str, list[str]], seed: int, val: float, test: float) -> dict[str, list[str]]:
    rng = random.Random(seed)
    out: dict[str, list[str]] = {"train": [], "val": [], "test": []}
    for cls in sorted(keys_by_class):
        ids = sorted(keys_by_class[cls], key=int)
        rng.shuffle(ids)
        n = len(ids)
        n_test = max(1, round(n * test)) if n >= 3 else 0
        n_val = max(1, round(n * val)) if n >= 3 else 0
        out["test"] += ids[:n_test]
        out["val"] += ids[n_test : n_test + n_val]
        out["train"] += ids[n_test + n_val :]
    return {k: sorted(v, key=int) for k, v in out.items()}


def prepare(datasets: Path, corrections: Path | None = None, min_class_images: int = MIN_CLASS_IMAGES,
            verify_images: bool = True, val_frac: float = 0.15, test_frac: float = 0.15,
            log=print) -> Prepared:
    if not datasets.exists():
        raise DrishtiError(f"dataset path {datasets} does not exist (set --datasets or DRISHTI_DATASETS)")
    report: list[str] = []
    cat = catalogue_dir(datasets)
    img_dir = cat / "images"
    if not img_dir.is_dir():
        raise DrishtiError(f"{cat} has styles.csv but no images/ folder")
    rows = read_styles(cat / "styles.csv", report)
    if corrections is not None:
        cr = apply_corrections(corrections, rows)
        report.append(cr.summary(corrections))
        log(cr.summary(corrections))

    files = {p.stem: p for p in img_dir.iterdir() if p.suffix.lower() in IMAGE_EXTS}
    if not files:
        raise DrishtiError(f"{img_dir} holds no images")
    no_row = sorted(k for k in files if k not in rows)
    if no_row:
        report.append(f"{len(no_row)} image files have no styles.csv row (ignored), e.g. {no_row[:3]}")

    # Clean: rows with an image, a usable articleType and gender; others are dropped and counted.
    dropped = Counter()
    seen_hash: dict[str, str] = {}
    dups = []
    kept: dict[str, dict[str, str]] = {}
    for id_ in sorted((k for k in files if k in rows), key=int):
        row = rows[id_]
        if not row["articleType"]:
            dropped["empty articleType"] += 1
            continue
        if fold_value("gender", row["gender"]) is None:
            dropped[f"unknown gender {row['gender']!r}"] += 1
            continue
        path = files[id_]
        digest = file_digest(path)
        if digest in seen_hash:
            dups.append((id_, seen_hash[digest]))
            continue
        if verify_images and not readable(path):
            dropped["unreadable image"] += 1
            report.append(f"unreadable image {path}")
            continue
        seen_hash[digest] = id_
        kept[id_] = row
    for reason, n in sorted(dropped.items()):
        report.append(f"dropped {n} rows: {reason}")
    if dups:
        report.append(f"dropped {len(dups)} duplicate images (same bytes as another id), e.g. {dups[:3]}")
    if not kept:
        raise DrishtiError(f"no usable labelled images in {cat}")

    # articleType classes: folded types with enough images, by frequency; the rest is "other".
    type_counts = Counter(fold_article_type(r["articleType"]) for r in kept.values())
    type_counts.pop(OTHER, None)
    # Types that clothing-photos classes map to keep a class with fewer images (the phone photos add more).
    photo_types = {t for ts in CLOTHING_TO_ARTICLE_TYPES.values() for t in ts}
    def enough(t: str, n: int) -> bool:
        return n >= min_class_images or (t in photo_types and n >= min_class_images * 3 // 5)
    at_classes = [t for t, n in sorted(type_counts.items(), key=lambda kv: (-kv[1], kv[0])) if enough(t, n)]
    at_classes.append(OTHER)
    folded_into_other = sorted(t for t in type_counts if t not in at_classes)
    report.append(f"articleType: {len(at_classes) - 1} classes + other; folded into other: {folded_into_other}")
    report.append(f"articleType groups: {json.dumps(ARTICLE_TYPE_FOLDS)}")
    classes = {"articleType": at_classes}
    for h in HEADS[1:]:
        classes[h] = list(fixed_classes(h))

    missing = Counter()
    def labels_of(row: dict[str, str]) -> dict[str, int]:
        lab = {"articleType": at_classes.index(fold_article_type(row["articleType"], at_classes))}
        for h in HEADS[1:]:
            v = fold_value(h, row["colorgroup" if h == "colour" else h])
            if v is None:
                missing[h] += 1
            else:
                lab[h] = classes[h].index(v)
        return lab

    labelled = {id_: labels_of(r) for id_, r in kept.items()}
    for h, n in sorted(missing.items()):
        report.append(f"{n} kept rows have no usable {h} label (that head is not trained/scored on them)")

    by_class: dict[str, list[str]] = defaultdict(list)
    for id_, lab in labelled.items():
        by_class[at_classes[lab["articleType"]]].append(id_)
    split = stratified_split(by_class, SPLIT_SEED, val_frac, test_frac)
    catalogue = {s: [Item(id_, files[id_], labelled[id_]) for id_ in ids] for s, ids in split.items()}

    clothing = list_clothing(datasets, at_classes, report, verify_images)
    for line in report:
        log(line)
    return Prepared(classes, catalogue, clothing, split, report)


def list_clothing(datasets: Path, at_classes: list[str], report: list[str], verify: bool) -> dict[str, list[Item]]:
    root = datasets / "clothing-photos"
    out: dict[str, list[Item]] = {"train": [], "validation": []}
    if not root.is_dir():
        report.append(f"no clothing-photos folder at {root}; training on catalogue photos only")
        return out
    hashes: dict[str, set[str]] = {"train": set(), "validation": set()}
    for split in ("validation", "train"):
        d = root / split
        if not d.is_dir():
            continue
        for cls_dir in sorted(p for p in d.iterdir() if p.is_dir()):
            allowed = [at_classes.index(t) for t in CLOTHING_TO_ARTICLE_TYPES.get(cls_dir.name, []) if t in at_classes]
            if not allowed:
                report.append(f"clothing-photos/{split}/{cls_dir.name}: no mapped article type, skipped")
                continue
            for p in sorted(cls_dir.iterdir()):
                if p.suffix.lower() not in IMAGE_EXTS:
                    continue
                h = file_digest(p)
                # An image in both splits stays in validation only, so the measurement is clean.
                if h in hashes["validation"] or h in hashes[split]:
                    report.append(f"duplicate clothing photo skipped: {p}")
                    continue
                if verify and not readable(p):
                    report.append(f"unreadable image {p}")
                    continue
                hashes[split].add(h)
                out[split].append(Item(f"clothing/{split}/{cls_dir.name}/{p.name}", p, {}, allowed, cls_dir.name))
    report.append(f"clothing-photos: {len(out['train'])} train, {len(out['validation'])} validation")
    return out


def write_split(prep: Prepared, dest: Path = paths.SPLIT_FILE) -> None:
    doc = {
        "seed": SPLIT_SEED,
        "stratifiedBy": "articleType (folded)",
        "classes": prep.classes,
        "counts": {k: len(v) for k, v in prep.split.items()},
        "ids": prep.split,
    }
    write_text_atomic(dest, json.dumps(doc, ensure_ascii=False, separators=(",", ":")) + "\n")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Clean the catalogue, build label maps and the split manifest.")
    ap.add_argument("--datasets", help="datasets folder (default $DRISHTI_DATASETS or ../shared/datasets)")
    ap.add_argument("--corrections", type=Path, help="drishti-correction/1 JSONL file to apply")
    ap.add_argument("--split-out", type=Path, default=paths.SPLIT_FILE)
    args = ap.parse_args(argv)
    prep = prepare(paths.datasets_dir(args.datasets), args.corrections)
    write_split(prep, args.split_out)
    print(f"wrote {args.split_out}: " + ", ".join(f"{k} {len(v)}" for k, v in prep.split.items()))
    return 0


if __name__ == "__main__":
    run_cli(main)
