"""Golden outputs: the fp32 Python reference for a few fixed dataset images, checked by
test/unit/model-parity.test.ts against the TypeScript preprocessing + onnxruntime-web."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from .data import catalogue_dir
from .labels import HEADS
from .preprocess import PreprocessSpec, load_rgb, preprocess_array

N_CATALOGUE = 4
N_PHOTOS = 2
# A top-1 decided by a hair could flip on a one-level JPEG decoder difference; golden images are
# chosen (in a fixed order) among those whose top-1 leads the runner-up clearly on every head.
MIN_MARGIN = 0.08


def _spec(manifest: dict) -> PreprocessSpec:
    p = manifest["preprocess"]
    return PreprocessSpec(size=p["size"], pad_value=tuple(p["padValue"]), mean=tuple(p["mean"]),
                          std=tuple(p["std"]), input_name=p["inputName"])


def run_onnx(model_path: Path, x: np.ndarray) -> dict[str, np.ndarray]:
    import onnxruntime as ort

    so = ort.SessionOptions()
    so.intra_op_num_threads = 2
    sess = ort.InferenceSession(str(model_path), so, providers=["CPUExecutionProvider"])
    names = [o.name for o in sess.get_outputs()]
    return dict(zip(names, sess.run(None, {"image": x})))


def make_golden(fp32: Path, manifest: dict, datasets: Path, split_file: Path) -> dict:
    spec = _spec(manifest)
    test_ids = json.loads(split_file.read_text(encoding="utf-8"))["ids"]["test"]
    cat = catalogue_dir(datasets)
    cat_files = [cat / "images" / f"{i}.jpg" for i in test_ids[:200]]
    photos = sorted((datasets / "clothing-photos" / "validation").glob("*/*.jpg"))
    # Prefer photos that are not square so the padding path is exercised too.
    photos = [p for p in photos if _not_square(p)][:200]
    chosen = []
    for files, want in ((cat_files, N_CATALOGUE), (photos, N_PHOTOS)):
        files = [f for f in files if f.is_file()]
        if not files:
            continue
        x = np.stack([preprocess_array(load_rgb(f), spec) for f in files])
        out = run_onnx(fp32, x)
        picked = 0
        seen_types: set[int] = set()
        for i, f in enumerate(files):
            margins = [np.diff(np.sort(out[h][i])[-2:])[0] for h in HEADS]
            top_type = int(out["articleType"][i].argmax())
            if min(margins) < MIN_MARGIN or top_type in seen_types:
                continue
            seen_types.add(top_type)
            chosen.append({
                "path": f.relative_to(datasets).as_posix(),
                "top1": {h: manifest["heads"][HEADS.index(h)]["labels"][int(out[h][i].argmax())]["id"] for h in HEADS},
                "top1Score": {h: round(float(out[h][i].max()), 5) for h in HEADS},
                "embedding": [round(float(v), 6) for v in out["embedding"][i]],
            })
            picked += 1
            if picked == want:
                break
    return {
        "schema": "drishti-golden/1",
        "model": {"id": manifest["id"], "version": manifest["version"],
                  "fp32Sha256": next(v["sha256"] for v in manifest["variants"] if v["name"] == "fp32")},
        "datasetsRelative": True,
        "minCosine": 0.995,
        "images": chosen,
    }


def _not_square(p: Path) -> bool:
    from PIL import Image

    with Image.open(p) as im:
        return im.width != im.height
