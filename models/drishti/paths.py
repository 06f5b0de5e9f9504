"""Where things live. Datasets: --datasets flag, else $DRISHTI_DATASETS, else ../shared/datasets."""
from __future__ import annotations

import os
from pathlib import Path

MODELS_DIR = Path(__file__).resolve().parent.parent
REPO_ROOT = MODELS_DIR.parent
CACHE_DIR = MODELS_DIR / ".cache"
CHECKPOINT_DIR = MODELS_DIR / "checkpoints"
SPLIT_FILE = MODELS_DIR / "splits" / "split.json"
MANIFEST_FILE = MODELS_DIR / "manifest.json"
REPORTS_DIR = MODELS_DIR / "reports"
GOLDEN_FILE = MODELS_DIR / "golden" / "golden.json"


def datasets_dir(flag: str | None = None) -> Path:
    if flag:
        return Path(flag).resolve()
    env = os.environ.get("DRISHTI_DATASETS")
    if env:
        return Path(env).resolve()
    return (REPO_ROOT / ".." / "shared" / "datasets").resolve()
