"""The full evaluation report: every variant on the test split and on the phone photos, fp32↔int8
agreement, embedding cosine, model bytes, CPU latency and the articleType confusion matrix.
Writes models/reports/{evaluation.md, evaluation.json, confusion-articleType.png}."""
from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

from . import paths
from .errors import publish, run_cli, staging_dir
from .evaluate import load_eval_set, run_model, score
from .labels import HEADS
from .package import load_manifest, variant_path

VARIANTS = ["fp32", "fp16", "int8"]
TARGETS = [  # (label, getter, threshold)
    ("articleType top-1 (fp32, test)", lambda r: r["test"]["fp32"]["heads"]["articleType"]["top1"], 0.92),
    ("gender top-1 (fp32, test)", lambda r: r["test"]["fp32"]["heads"]["gender"]["top1"], 0.93),
    ("usage top-1 (fp32, test)", lambda r: r["test"]["fp32"]["heads"]["usage"]["top1"], 0.90),
    ("colour top-1 (fp32, test)", lambda r: r["test"]["fp32"]["heads"]["colour"]["top1"], 0.80),
    ("phone photos mapped top-1 (fp32, validation)", lambda r: r["photos"]["fp32"]["heads"]["articleType"]["top1"], 0.70),
    ("retrieval precision@10 (fp32, test)", lambda r: r["test"]["fp32"]["retrieval"]["precisionAt10"], 0.90),
    ("int8 file / fp32 file", lambda r: r["bytes"]["int8"] / r["bytes"]["fp32"], -0.30),
    ("mean embedding cosine int8↔fp32 (test)", lambda r: r["agreement"]["int8"]["embeddingCosineMean"], 0.98),
    ("articleType top-1 drop fp32→int8 (points)", lambda r: 100 * (r["test"]["fp32"]["heads"]["articleType"]["top1"] - r["test"]["int8"]["heads"]["articleType"]["top1"]), -1.0),
    ("other share of test images", lambda r: r["test"]["fp32"]["otherShare"], -0.05),
]


def cached_outputs(model_path: Path, manifest: dict, files: list[Path], name: str,
                   cache_dir: Path = paths.CACHE_DIR) -> dict[str, np.ndarray]:
    """Model outputs, kept under models/.cache/ keyed by the model file's hash and the image list, so
    re-running the report (e.g. after a plotting error) does not evaluate everything again."""
    import hashlib

    from .package import sha256_file

    key = hashlib.sha256((sha256_file(model_path) + "\n".join(map(str, files))).encode()).hexdigest()[:16]
    path = cache_dir / f"report-{name}-{key}.npz"
    if path.exists():
        with np.load(path) as z:
            return {k: z[k] for k in z.files}
    outs = run_model(model_path, manifest, files, threads=1)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".partial.npz")
    np.savez(tmp, **outs)
    tmp.replace(path)
    return outs


def latency_ms(model_path: Path, size: int, threads: int, runs: int = 30) -> float:
    import onnxruntime as ort

    so = ort.SessionOptions()
    so.intra_op_num_threads = threads
    sess = ort.InferenceSession(str(model_path), so, providers=["CPUExecutionProvider"])
    x = np.random.default_rng(0).standard_normal((1, 3, size, size)).astype(np.float32)
    for _ in range(3):
        sess.run(None, {"image": x})
    ts = []
    for _ in range(runs):
        t = time.perf_counter()
        sess.run(None, {"image": x})
        ts.append((time.perf_counter() - t) * 1000)
    return float(np.median(ts))


def confusion_png(y: np.ndarray, p: np.ndarray, names: list[str], dest: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    n = len(names)
    cm = np.zeros((n, n))
    for a, b in zip(y, p):
        cm[a, b] += 1
    cm = cm / np.maximum(cm.sum(1, keepdims=True), 1)
    fig, ax = plt.subplots(figsize=(9, 8.5), dpi=80)
    ax.imshow(cm, cmap="Blues", vmin=0, vmax=1)
    ax.set_xticks(range(n), names, rotation=90, fontsize=7)
    ax.set_yticks(range(n), names, fontsize=7)
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    ax.set_title("articleType confusion (fp32, test split, row-normalised)")
    fig.tight_layout()
    fig.savefig(dest)
    plt.close(fig)


def fmt(v: float, pct: bool = True) -> str:
    return f"{100 * v:.1f}%" if pct else f"{v:.3f}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Full evaluation report for the packaged model.")
    ap.add_argument("--datasets")
    ap.add_argument("--manifest", type=Path, default=paths.MANIFEST_FILE)
    ap.add_argument("--split-file", type=Path, default=paths.SPLIT_FILE)
    ap.add_argument("--out", type=Path, default=paths.REPORTS_DIR)
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--cache-dir", type=Path, default=paths.CACHE_DIR)
    args = ap.parse_args(argv)
    datasets = paths.datasets_dir(args.datasets)
    manifest = load_manifest(args.manifest)
    files = {v: variant_path(args.manifest, manifest, v) for v in VARIANTS}
    test = load_eval_set(datasets / "fashion-product-images", manifest, "test", args.split_file, args.limit)
    photos = load_eval_set(datasets / "clothing-photos" / "validation", manifest, "all", args.split_file, args.limit)

    r: dict = {"model": {"id": manifest["id"], "version": manifest["version"]}, "test": {}, "photos": {},
               "bytes": {v: files[v].stat().st_size for v in VARIANTS}, "agreement": {}, "latencyMs": {}}
    raw = {}
    for v in VARIANTS:
        raw[v] = cached_outputs(files[v], manifest, test.files, "test", args.cache_dir)
        r["test"][v] = score(test, raw[v], manifest, v)
        r["photos"][v] = score(photos, cached_outputs(files[v], manifest, photos.files, "photos", args.cache_dir), manifest, v)
    for v in ("fp16", "int8"):
        cos = np.sum(raw[v]["embedding"] * raw["fp32"]["embedding"], 1)
        r["agreement"][v] = {
            "top1AgreementWithFp32": {h: float((raw[v][h].argmax(1) == raw["fp32"][h].argmax(1)).mean()) for h in HEADS},
            "embeddingCosineMean": float(cos.mean()), "embeddingCosineMin": float(cos.min())}
    size = manifest["preprocess"]["size"]
    for v in VARIANTS:
        r["latencyMs"][v] = {"threads1": latency_ms(files[v], size, 1), "threads2": latency_ms(files[v], size, 2)}

    classes = [l["id"] for l in manifest["heads"][0]["labels"]]
    y = test.labels["articleType"]
    per_class = []
    for c, name in enumerate(classes):
        m = y == c
        if m.any():
            per_class.append((name, int(m.sum()), float((raw["fp32"]["articleType"][m].argmax(1) == c).mean()),
                              float((raw["int8"]["articleType"][m].argmax(1) == c).mean())))
    r["perClassArticleType"] = [{"class": a, "n": n, "fp32": f, "int8": i} for a, n, f, i in per_class]

    lines = [f"# Evaluation report — {manifest['id']} {manifest['version']}", "",
             f"Generated by `npm run model:report` on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}. "
             f"Test split: {test.labels['articleType'].size} catalogue images (split manifest `models/splits/split.json`); "
             f"phone photos: {len(photos.files)} clothing-photos validation images.", "",
             "## Targets", "", "| target | measured | goal | met |", "|---|---|---|---|"]
    for label, get, thr in TARGETS:
        val = get(r)
        ok = val <= -thr if thr < 0 else val >= thr
        goal = f"≤ {-thr:g}" if thr < 0 else f"≥ {thr:g}"
        shown = f"{val:.2f}" if "points" in label else f"{val:.4f}" if "cosine" in label else fmt(val)
        lines.append(f"| {label} | {shown} | {goal if 'points' in label or 'cosine' in label else goal.replace(str(abs(thr)), f'{100*abs(thr):g}%')} | {'yes' if ok else '**no**'} |")
    lines += ["", "## Per variant (test split)", "",
              "| variant | bytes | articleType top-1 / macro-F1 | gender | usage | colour | season | P@10 | photos mapped top-1 | CPU ms (1 / 2 threads) |",
              "|---|---|---|---|---|---|---|---|---|---|"]
    for v in VARIANTS:
        h = r["test"][v]["heads"]
        lines.append(
            f"| {v} | {r['bytes'][v]:,} | {fmt(h['articleType']['top1'])} / {h['articleType']['macroF1']:.3f} | "
            f"{fmt(h['gender']['top1'])} | {fmt(h['usage']['top1'])} | {fmt(h['colour']['top1'])} | {fmt(h['season']['top1'])} | "
            f"{r['test'][v]['retrieval']['precisionAt10']:.3f} | {fmt(r['photos'][v]['heads']['articleType']['top1'])} | "
            f"{r['latencyMs'][v]['threads1']:.1f} / {r['latencyMs'][v]['threads2']:.1f} |")
    lines += ["", "## Quantized vs fp32 (test split)", "", "| variant | " + " | ".join(f"{h} agree" for h in HEADS) + " | emb cosine mean / min |",
              "|---|" + "---|" * (len(HEADS) + 1)]
    for v in ("fp16", "int8"):
        a = r["agreement"][v]
        lines.append(f"| {v} | " + " | ".join(fmt(a["top1AgreementWithFp32"][h]) for h in HEADS)
                     + f" | {a['embeddingCosineMean']:.4f} / {a['embeddingCosineMin']:.4f} |")
    lines += ["", "## Phone photos per folder (fp32, mapped top-1)", "", "| folder | n | top-1 |", "|---|---|---|"]
    for f, d in r["photos"]["fp32"]["perFolder"].items():
        lines.append(f"| {f} | {d['n']} | {fmt(d['top1'])} |")
    lines += ["", "## articleType per class (test split)", "", "| class | n | fp32 | int8 |", "|---|---|---|---|"]
    for a, n, f, i in per_class:
        lines.append(f"| {a} | {n} | {fmt(f)} | {fmt(i)} |")
    lines += ["", "![articleType confusion matrix](confusion-articleType.png)", "",
              "CPU latency: onnxruntime (Python, CPUExecutionProvider) on this machine's shared 2-core CPU, "
              "batch 1, median of 30 runs; fp16 on CPU is not its intended backend (WebGPU).", ""]

    with staging_dir(args.out) as tmp:
        confusion_png(y[y >= 0], raw["fp32"]["articleType"].argmax(1)[y >= 0], classes, tmp / "confusion-articleType.png")
        (tmp / "evaluation.json").write_text(json.dumps(r, indent=2) + "\n", encoding="utf-8")
        (tmp / "evaluation.md").write_text("\n".join(lines), encoding="utf-8")
        for name in ("confusion-articleType.png", "evaluation.json", "evaluation.md"):
            publish(tmp / name, args.out / name)
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    run_cli(main)
