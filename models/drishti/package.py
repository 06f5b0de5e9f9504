"""The model manifest (models/manifest.json), matching src/shared/model-manifest.ts (schemaVersion 1)."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

from . import MODEL_ID
from .errors import DrishtiError
from .labels import HEADS, label_names

BACKEND = {"fp32": "webgpu", "fp16": "webgpu", "int8": "wasm"}
DTYPE = {"fp32": "float32", "fp16": "float16", "int8": "int8"}


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


CHUNK_SIZE = 1 << 20  # per-chunk sha256 for resumable downloads (src/features/delivery, docs/downloads.md)


def chunk_hashes(path: Path, size: int = CHUNK_SIZE) -> dict:
    """{"size", "sha256": [...]} — one sha256 per `size` bytes, so a download can verify and refetch chunk by chunk."""
    hashes = []
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(size), b""):
            hashes.append(hashlib.sha256(chunk).hexdigest())
    return {"size": size, "sha256": hashes or [hashlib.sha256(b"").hexdigest()]}


def variant_file(name: str) -> str:
    return f"{MODEL_ID}.{name}.onnx"


def build_manifest(version: str, preprocess: dict, classes: dict[str, list[str]], embed_dims: int,
                   files: dict[str, Path]) -> dict:
    return {
        "schemaVersion": 1,
        "id": MODEL_ID,
        "version": version,
        "preprocess": preprocess,
        "heads": [{"name": h, "output": h, "labels": label_names(h, classes[h])} for h in HEADS],
        "embedding": {"output": "embedding", "dims": embed_dims},
        "variants": [
            {"name": n, "file": variant_file(n), "bytes": p.stat().st_size, "sha256": sha256_file(p),
             "dtype": DTYPE[n], "intendedBackend": BACKEND[n], "chunks": chunk_hashes(p)}
            for n, p in files.items()
        ],
    }


def load_manifest(path: Path) -> dict:
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as err:
        raise DrishtiError(f"model manifest {path} does not exist; run `npm run model:quantize` first") from err
    except (OSError, json.JSONDecodeError, UnicodeDecodeError) as err:
        raise DrishtiError(f"model manifest {path} is unreadable: {err}") from err
    if not isinstance(doc, dict) or doc.get("schemaVersion") != 1 or not isinstance(doc.get("variants"), list):
        raise DrishtiError(f"model manifest {path} is not a schemaVersion 1 Drishti manifest")
    return doc


def variant_path(manifest_path: Path, manifest: dict, variant: str) -> Path:
    """The variant's file, after checking its size and sha256 against the manifest."""
    entry = next((v for v in manifest["variants"] if v.get("name") == variant), None)
    if entry is None:
        have = ", ".join(str(v.get("name")) for v in manifest["variants"])
        raise DrishtiError(f"model manifest {manifest_path} has no {variant!r} variant (it has {have})")
    path = manifest_path.parent / entry["file"]
    if not path.is_file():
        raise DrishtiError(f"model file {path} named by {manifest_path} does not exist")
    size, digest = path.stat().st_size, sha256_file(path)
    if size != entry.get("bytes") or digest != entry.get("sha256"):
        raise DrishtiError(
            f"model file {path} does not match its manifest ({size} bytes, sha256 {digest}; "
            f"expected {entry.get('bytes')} bytes, {entry.get('sha256')}); rebuild with `npm run model:quantize`")
    return path
