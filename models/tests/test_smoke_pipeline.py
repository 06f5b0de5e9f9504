"""CI smoke run of the whole pipeline on a generated dataset: a few training steps → export →
fp16 + int8 → evaluate (both layouts), all in a temp dir. Full training never runs in CI."""
import json
import os
import subprocess
import sys
from pathlib import Path

import onnx
import pytest

from drishti import evaluate, report
from drishti.errors import DrishtiError
from fixtures import make_dataset

MODELS = Path(__file__).resolve().parent.parent


def cli(module, *args, check=True):
    env = {**os.environ, "PYTHONPATH": str(MODELS)}
    p = subprocess.run([sys.executable, "-m", f"drishti.{module}", *map(str, args)], cwd=MODELS, env=env,
                       capture_output=True, text=True, timeout=170)
    if check and p.returncode != 0:
        raise AssertionError(f"{module} failed ({p.returncode}):\n{p.stdout[-3000:]}\n{p.stderr[-3000:]}")
    return p


def test_pipeline_smoke(tmp_path):
    ds = make_dataset(tmp_path / "ds", per_type=8)
    ck, out, split = tmp_path / "ck", tmp_path / "out", tmp_path / "split.json"
    cli("train", "--datasets", ds, "--size", 64, "--epochs", 1, "--max-steps", 3, "--batch", 8, "--views", 2,
        "--workers", 1, "--min-class-images", 5, "--checkpoints", ck, "--cache-dir", tmp_path / "cache",
        "--split-out", split)
    assert (ck / "final.pt").is_file() and (ck / "metrics.jsonl").is_file()
    cli("quantize", "--datasets", ds, "--checkpoint", ck / "final.pt", "--out", out, "--split-file", split,
        "--calibration", 8)
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["schemaVersion"] == 1 and [h["name"] for h in manifest["heads"]] == [
        "articleType", "gender", "usage", "colour", "season"]
    assert {v["name"]: v["intendedBackend"] for v in manifest["variants"]} == {"fp32": "webgpu", "fp16": "webgpu", "int8": "wasm"}
    for v in manifest["variants"]:
        m = onnx.load(str(out / v["file"]))
        assert m.opset_import[0].version >= 17
        assert [i.name for i in m.graph.input] == ["image"]
        assert m.graph.input[0].type.tensor_type.elem_type == onnx.TensorProto.FLOAT  # fp16 keeps float32 I/O
        assert [o.name for o in m.graph.output] == ["articleType", "gender", "usage", "colour", "season", "embedding"]
        assert (out / v["file"]).stat().st_size == v["bytes"]
    int8 = onnx.load(str(out / "drishti-fashion.int8.onnx"))
    assert any(n.op_type == "DequantizeLinear" for n in int8.graph.node)
    # No int32 bias DequantizeLinear (onnxruntime-web's WebGPU backend rejects those).
    inits = {i.name: i for i in int8.graph.initializer}
    for n in int8.graph.node:
        if n.op_type == "DequantizeLinear" and n.input[0] in inits:
            assert inits[n.input[0]].data_type != onnx.TensorProto.INT32
    assert not list(out.glob(".staging-*"))

    res_json = tmp_path / "eval.json"
    # Evaluation runs in-process (saves a Python start-up per call); its CLI exit path is covered below.
    evaluate.main(["--dataset", str(ds / "fashion-product-images"), "--variant", "int8", "--json", str(res_json),
                   "--manifest", str(out / "manifest.json"), "--split", "all"])
    res = json.loads(res_json.read_text())
    assert res["variant"] == "int8" and res["n"] == 32
    for h in ("articleType", "gender", "usage", "colour"):
        assert 0 <= res["heads"][h]["top1"] <= 1 and 0 <= res["heads"][h]["macroF1"] <= 1
    assert 0 <= res["retrieval"]["precisionAt10"] <= 1

    res_json2 = tmp_path / "eval-folders.json"
    evaluate.main(["--dataset", str(ds / "clothing-photos" / "validation"), "--variant", "fp16", "--json",
                   str(res_json2), "--manifest", str(out / "manifest.json")])
    res2 = json.loads(res_json2.read_text())
    assert res2["n"] == 6 and set(res2["heads"]) == {"articleType"}

    # The full report (all variants, agreement, latency, confusion matrix) on the same tiny data.
    report.main(["--datasets", str(ds), "--manifest", str(out / "manifest.json"), "--split-file", str(split),
                 "--out", str(tmp_path / "reports"), "--cache-dir", str(tmp_path / "cache")])
    rep = json.loads((tmp_path / "reports" / "evaluation.json").read_text())
    assert set(rep["test"]) == {"fp32", "fp16", "int8"} and "embeddingCosineMean" in rep["agreement"]["int8"]
    assert (tmp_path / "reports" / "confusion-articleType.png").stat().st_size > 1000
    assert "| articleType top-1 (fp32, test) |" in (tmp_path / "reports" / "evaluation.md").read_text()

    # A model file that does not match its manifest: clear message naming it, non-zero exit, no JSON.
    with open(out / "drishti-fashion.fp32.onnx", "ab") as f:
        f.write(b"tampered")
    with pytest.raises(DrishtiError, match=r"drishti-fashion\.fp32\.onnx does not match its manifest"):
        evaluate.main(["--dataset", str(ds / "fashion-product-images"), "--variant", "fp32", "--json",
                       str(tmp_path / "bad.json"), "--manifest", str(out / "manifest.json"), "--split", "all"])
    assert not (tmp_path / "bad.json").exists()


def test_bad_inputs_exit_non_zero_with_message(tmp_path):
    p = cli("train", "--datasets", tmp_path / "nowhere", "--checkpoints", tmp_path / "ck",
            "--split-out", tmp_path / "s.json", check=False)
    assert p.returncode == 2 and "nowhere" in p.stderr and "Traceback" not in p.stderr
    assert not (tmp_path / "s.json").exists() and not (tmp_path / "ck" / "final.pt").exists()
    p = cli("evaluate", "--dataset", tmp_path / "ds", "--manifest", tmp_path / "no-manifest.json",
            "--json", tmp_path / "e.json", check=False)
    assert p.returncode == 2 and "no-manifest.json" in p.stderr and not (tmp_path / "e.json").exists()
