"""Augmentations that make a catalogue-trained model cope with shoppers' phone photos:
backgrounds instead of studio white, crops and zoom, colour casts, blur and JPEG noise.

Each view is a deterministic function of (seed, item key, view index), so the feature cache can be
rebuilt bit-for-bit. Augmented images then go through the canonical preprocessing like any input."""
from __future__ import annotations

import hashlib
import io
from pathlib import Path

import numpy as np
from PIL import Image, ImageEnhance, ImageFilter

from .preprocess import load_rgb


def view_rng(seed: int, key: str, view: int) -> np.random.Generator:
    h = hashlib.sha256(f"{seed}:{key}:{view}".encode()).digest()
    return np.random.default_rng(int.from_bytes(h[:8], "little"))


def background_mask(rgb: np.ndarray, threshold: int = 232) -> np.ndarray:
    """Near-white pixels reachable in a straight line from an edge: the studio backdrop, not a white
    shirt in the middle of the frame (a cheap stand-in for a border-connected flood fill)."""
    white = (rgb >= threshold).all(axis=2)
    acc = np.logical_and.accumulate
    return (acc(white, axis=1) | acc(white[:, ::-1], axis=1)[:, ::-1]
            | acc(white, axis=0) | acc(white[::-1], axis=0)[::-1])


def random_background(rng: np.random.Generator, h: int, w: int, textures: list[Path]) -> np.ndarray:
    r = rng.random()
    if textures and r < 0.55:
        # A corner of a real phone photo (floor, bed, wall), blurred: backdrop texture without
        # a second garment that would contradict the label.
        tex = Image.fromarray(load_rgb(textures[int(rng.integers(len(textures)))]))
        tw, th = tex.size
        cw, ch = max(1, tw // 4), max(1, th // 4)
        x = 0 if rng.random() < 0.5 else tw - cw
        y = 0 if rng.random() < 0.5 else th - ch
        im = tex.crop((x, y, x + cw, y + ch)).resize((w, h), Image.BILINEAR)
        im = im.filter(ImageFilter.GaussianBlur(float(rng.uniform(1, 4))))
        return np.asarray(im, dtype=np.uint8)
    c0 = rng.integers(40, 246, size=3)
    if r < 0.8:
        return np.broadcast_to(c0.astype(np.uint8), (h, w, 3)).copy()
    c1 = rng.integers(40, 246, size=3)
    t = np.linspace(0, 1, h, dtype=np.float32)[:, None, None]
    return np.broadcast_to(c0 * (1 - t) + c1 * t, (h, w, 3)).astype(np.uint8)


def _crop(im: Image.Image, rng: np.random.Generator, scale: tuple[float, float]) -> Image.Image:
    w, h = im.size
    for _ in range(10):
        area = w * h * rng.uniform(*scale)
        ratio = np.exp(rng.uniform(np.log(3 / 4), np.log(4 / 3)))
        cw, ch = int(round(np.sqrt(area * ratio))), int(round(np.sqrt(area / ratio)))
        if 0 < cw <= w and 0 < ch <= h:
            x, y = int(rng.integers(0, w - cw + 1)), int(rng.integers(0, h - ch + 1))
            return im.crop((x, y, x + cw, y + ch))
    return im


def _photometric(im: Image.Image, rng: np.random.Generator, strength: float) -> Image.Image:
    im = ImageEnhance.Brightness(im).enhance(1 + rng.uniform(-0.25, 0.25) * strength)
    im = ImageEnhance.Contrast(im).enhance(1 + rng.uniform(-0.25, 0.25) * strength)
    # Saturation and colour cast stay mild: the colour head's labels must still hold.
    im = ImageEnhance.Color(im).enhance(1 + rng.uniform(-0.2, 0.2) * strength)
    arr = np.asarray(im, dtype=np.float32) * (1 + rng.uniform(-0.06, 0.06, size=3) * strength)
    im = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
    if rng.random() < 0.25:
        im = im.filter(ImageFilter.GaussianBlur(float(rng.uniform(0.4, 1.2))))
    if rng.random() < 0.3:
        buf = io.BytesIO()
        im.save(buf, format="JPEG", quality=int(rng.integers(35, 85)))
        buf.seek(0)
        im = Image.open(buf).convert("RGB")
    return im


def augment_catalogue(rgb: np.ndarray, rng: np.random.Generator, textures: list[Path]) -> np.ndarray:
    h, w, _ = rgb.shape
    mask = background_mask(rgb)
    if mask.mean() > 0.8:
        # Nearly everything looks like backdrop: a white garment; replacing it would erase it.
        mask[:] = False
    out = rgb
    if rng.random() < 0.6:
        out = np.where(mask[..., None], random_background(rng, h, w, textures), rgb)
    im = Image.fromarray(out)
    fg = Image.fromarray(np.where(mask, 0, 255).astype(np.uint8))
    if rng.random() < 0.5:
        im = im.transpose(Image.FLIP_LEFT_RIGHT)
        fg = fg.transpose(Image.FLIP_LEFT_RIGHT)
    r = rng.random()
    if r < 0.6:
        im = _crop(im, rng, (0.45, 1.0))
    elif r < 0.8:
        # Zoom out: the product small in a larger frame, as in a photo taken from further away.
        s = rng.uniform(0.6, 0.9)
        bg = Image.fromarray(random_background(rng, h, w, textures))
        size = (max(1, int(w * s)), max(1, int(h * s)))
        small = im.resize(size, Image.BILINEAR)
        pos = (int(rng.integers(0, w - size[0] + 1)), int(rng.integers(0, h - size[1] + 1)))
        bg.paste(small, pos, fg.resize(size, Image.BILINEAR))
        im = bg
    if rng.random() < 0.3:
        im = im.rotate(float(rng.uniform(-12, 12)), resample=Image.BILINEAR, fillcolor=(255, 255, 255))
    return np.asarray(_photometric(im, rng, 1.0), dtype=np.uint8)


def augment_photo(rgb: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    im = Image.fromarray(rgb)
    if rng.random() < 0.5:
        im = im.transpose(Image.FLIP_LEFT_RIGHT)
    if rng.random() < 0.7:
        im = _crop(im, rng, (0.5, 1.0))
    return np.asarray(_photometric(im, rng, 0.7), dtype=np.uint8)
