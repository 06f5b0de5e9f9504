"""The one definition of model input preprocessing (mirrored by src/shared/preprocess.ts).

pad-to-square-bilinear:
  1. pad the RGB image to a centred square of side max(w, h) with `pad_value`
     (odd padding: the extra pixel goes bottom/right, i.e. floor on top/left);
  2. bilinear resize to size×size with half-pixel centres, source coordinates clamped to
     [0, side-1], no antialias, values kept as floats (no rounding back to uint8);
     an image that is already size×size passes through unchanged;
  3. x = (p / 255 - mean[c]) / std[c], laid out CHW.
Alpha, if any, is dropped (catalogue photos are opaque); EXIF orientation is applied on decode.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from .errors import DrishtiError

# EfficientNet-Lite was trained on (p - 127) / 128; measured on catalogue photos it gives more
# confident ImageNet predictions than the usual ImageNet mean/std.
LITE_MEAN = (127.0 / 255.0,) * 3
LITE_STD = (128.0 / 255.0,) * 3


@dataclass(frozen=True)
class PreprocessSpec:
    size: int = 224
    pad_value: tuple[int, int, int] = (255, 255, 255)
    mean: tuple[float, float, float] = LITE_MEAN
    std: tuple[float, float, float] = LITE_STD
    input_name: str = "image"

    def to_manifest(self) -> dict:
        return {
            "inputName": self.input_name,
            "size": self.size,
            "resize": "pad-to-square-bilinear",
            "padValue": list(self.pad_value),
            "mean": list(self.mean),
            "std": list(self.std),
        }


def load_rgb(path: Path | str) -> np.ndarray:
    """Decodes an image file to HxWx3 uint8 RGB, or raises DrishtiError naming the file."""
    try:
        with Image.open(path) as im:
            im = ImageOps.exif_transpose(im)
            rgb = np.asarray(im.convert("RGB"), dtype=np.uint8)
    except (OSError, UnidentifiedImageError, ValueError, Image.DecompressionBombError) as err:
        raise DrishtiError(f"cannot read image {path}: {err}") from err
    if rgb.ndim != 3 or rgb.shape[0] < 1 or rgb.shape[1] < 1:
        raise DrishtiError(f"image {path} has no pixels")
    return rgb


def pad_to_square(rgb: np.ndarray, pad_value: tuple[int, int, int]) -> np.ndarray:
    h, w, _ = rgb.shape
    side = max(h, w)
    if h == w:
        return rgb
    out = np.empty((side, side, 3), dtype=rgb.dtype)
    out[...] = np.asarray(pad_value, dtype=rgb.dtype)
    top = (side - h) // 2
    left = (side - w) // 2
    out[top : top + h, left : left + w] = rgb
    return out


def _axis(n_out: int, n_in: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    scale = n_in / n_out
    src = (np.arange(n_out, dtype=np.float64) + 0.5) * scale - 0.5
    src = np.clip(src, 0, n_in - 1)
    i0 = np.floor(src).astype(np.int64)
    i1 = np.minimum(i0 + 1, n_in - 1)
    w = (src - i0).astype(np.float32)
    return i0, i1, w


def resize_bilinear(img: np.ndarray, size: int) -> np.ndarray:
    """Half-pixel-centre bilinear resize of a square HxWx3 image to size×size float32 (no antialias)."""
    h, w, _ = img.shape
    src = img.astype(np.float32)
    if h == size and w == size:
        return src
    y0, y1, wy = _axis(size, h)
    x0, x1, wx = _axis(size, w)
    wx = wx[None, :, None]
    top = src[y0][:, x0] * (1 - wx) + src[y0][:, x1] * wx
    bottom = src[y1][:, x0] * (1 - wx) + src[y1][:, x1] * wx
    wy = wy[:, None, None]
    return top * (1 - wy) + bottom * wy


def preprocess_array(rgb: np.ndarray, spec: PreprocessSpec) -> np.ndarray:
    """HxWx3 uint8 RGB → 3xSxS float32 normalised."""
    sq = pad_to_square(rgb, spec.pad_value)
    px = resize_bilinear(sq, spec.size)
    mean = np.asarray(spec.mean, dtype=np.float32)
    std = np.asarray(spec.std, dtype=np.float32)
    x = (px / np.float32(255.0) - mean) / std
    return np.ascontiguousarray(x.transpose(2, 0, 1), dtype=np.float32)


def preprocess_file(path: Path | str, spec: PreprocessSpec) -> np.ndarray:
    return preprocess_array(load_rgb(path), spec)
