"""Tiny synthetic datasets made on the fly (datasets are never copied into the repo)."""
from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
from PIL import Image

HEADER = ["id", "gender", "masterCategory", "subCategory", "articleType", "baseColour", "season", "usage",
          "productDisplayName", "colorgroup"]
TYPES = [("Tshirts", "Men", "Blue"), ("Shirts", "Men", "White"), ("Kurtas", "Women", "Red"), ("Watches", "Unisex", "Black")]
COLOURS = {"Blue": (40, 60, 200), "White": (235, 235, 235), "Red": (200, 30, 30), "Black": (20, 20, 20)}


def product_image(kind: int, colour: tuple[int, int, int], rng: np.random.Generator, size: int = 64) -> Image.Image:
    a = np.full((size, size, 3), 255, np.uint8)
    m = size // 8 + int(rng.integers(0, 4))
    if kind % 2 == 0:
        a[m : size - m, 2 * m : size - 2 * m] = colour
    else:
        yy, xx = np.mgrid[:size, :size]
        a[(yy - size / 2) ** 2 + (xx - size / 2) ** 2 < (size / 2 - m) ** 2] = colour
    if kind >= 2:
        a[size // 2 - 2 : size // 2 + 2] = 128
    noise = rng.integers(-6, 7, size=a.shape)  # every image distinct, so none is a duplicate
    return Image.fromarray(np.clip(a.astype(np.int16) + noise, 0, 255).astype(np.uint8))


def make_dataset(root: Path, per_type: int = 8, photos_per_class: int = 3, seed: int = 0) -> Path:
    rng = np.random.default_rng(seed)
    cat = root / "fashion-product-images"
    (cat / "images").mkdir(parents=True)
    rows = []
    i = 1000
    for k, (t, g, c) in enumerate(TYPES):
        for _ in range(per_type):
            product_image(k, COLOURS[c], rng).save(cat / "images" / f"{i}.jpg", quality=95)
            rows.append([str(i), g, "Apparel", "Topwear", t, c, "Summer", "Casual", f"Test {t} {i}", c])
            i += 1
    with open(cat / "styles.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(HEADER)
        w.writerows(rows)
    for split in ("train", "validation"):
        for cls, k in (("t-shirt", 0), ("shirt", 1)):
            d = root / "clothing-photos" / split / cls
            d.mkdir(parents=True)
            for j in range(photos_per_class):
                im = product_image(k, COLOURS["Blue"], rng, size=48).resize((48, 40))
                im.save(d / f"{split}{j}.jpg", quality=90)
    return root
