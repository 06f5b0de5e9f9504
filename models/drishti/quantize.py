"""Export + quantize + package: checkpoints/final.pt → fp32 / fp16 / int8 ONNX, manifest.json and
golden outputs. Everything is built in a staging folder and moved into models/ only on success."""
from __future__ import annotations

import argparse
import json
import random
import re
from pathlib import Path

import numpy as np
import onnx
import torch

from . import paths
from .data import catalogue_dir, prepare
from .errors import DrishtiError, publish, run_cli, staging_dir, write_text_atomic
from .labels import HEADS
from .model import EMBED_DIM, DrishtiNet, ExportModule
from .package import build_manifest, variant_file
from .preprocess import PreprocessSpec, preprocess_file

OPSET = 17


def load_final(ckpt: Path) -> tuple[DrishtiNet, dict]:
    if not ckpt.is_file():
        raise DrishtiError(f"checkpoint {ckpt} does not exist; run `npm run model:train` first")
    try:
        state = torch.load(ckpt, map_location="cpu", weights_only=False)
        cfg = state["config"]
        model = DrishtiNet(cfg["heads"], image_size=cfg["size"], split_block=cfg["splitBlock"], pretrained=False)
        model.load_state_dict(state["model"])
    except (KeyError, RuntimeError, OSError, EOFError) as err:
        raise DrishtiError(f"checkpoint {ckpt} is not a Drishti training checkpoint: {err}") from err
    return model.eval(), state


def export_fp32(model: DrishtiNet, size: int, dest: Path) -> None:
    mod = ExportModule(model, HEADS).eval()
    dummy = torch.zeros(2, 3, size, size)
    names = HEADS + ["embedding"]
    torch.onnx.export(
        mod, dummy, str(dest), input_names=["image"], output_names=names, opset_version=OPSET,
        dynamic_axes={"image": {0: "batch"}, **{n: {0: "batch"} for n in names}}, do_constant_folding=True)
    m = onnx.load(str(dest))
    _detach_consumed_outputs(m)
    onnx.checker.check_model(m)
    onnx.save(m, str(dest))


def _detach_consumed_outputs(m: onnx.ModelProto) -> None:
    """The embedding is a graph output that the head MatMuls also read. float16 conversion with
    float32 I/O casts such an output in place and leaves its readers mistyped, so the readers get an
    internal tensor and the output becomes an Identity of it."""
    outputs = {o.name for o in m.graph.output}
    consumed = {i for n in m.graph.node for i in n.input} & outputs
    for name in consumed:
        inner = f"{name}_internal"
        for n in m.graph.node:
            n.output[:] = [inner if o == name else o for o in n.output]
            n.input[:] = [inner if i == name else i for i in n.input]
        m.graph.node.append(onnx.helper.make_node("Identity", [inner], [name], name=f"{name}_output"))


def export_fp16(src: Path, dest: Path) -> None:
    from onnxconverter_common import float16

    m = onnx.load(str(src))
    # The L2 norm's sum of squares stays in float32 (it could overflow float16); I/O stay float32.
    op_block = list(float16.DEFAULT_OP_BLOCK_LIST) + ["ReduceL2"]
    m16 = float16.convert_float_to_float16(m, keep_io_types=True, op_block_list=op_block)
    onnx.checker.check_model(m16)
    onnx.save(m16, str(dest))


class _Reader:
    """Feeds real training images, preprocessed exactly as at inference, to the calibrator."""

    def __init__(self, files: list[Path], spec: PreprocessSpec, batch: int = 16):
        self.files, self.spec, self.batch, self.pos = files, spec, batch, 0

    def get_next(self):
        if self.pos >= len(self.files):
            return None
        chunk = self.files[self.pos : self.pos + self.batch]
        self.pos += self.batch
        return {"image": np.stack([preprocess_file(f, self.spec) for f in chunk])}

    def rewind(self):
        self.pos = 0


def export_int8(src: Path, dest: Path, calib: list[Path], spec: PreprocessSpec, work: Path) -> None:
    from onnxruntime.quantization import (CalibrationDataReader, CalibrationMethod, QuantFormat, QuantType,
                                          quantize_static)
    from onnxruntime.quantization.shape_inference import quant_pre_process

    pre = work / "pre.onnx"
    quant_pre_process(str(src), str(pre), skip_symbolic_shape=True)
    keep_float = float_convs(onnx.load(str(pre)))

    class Reader(_Reader, CalibrationDataReader):
        pass

    quantize_static(
        str(pre), str(dest), Reader(calib, spec),
        quant_format=QuantFormat.QDQ, per_channel=True,
        activation_type=QuantType.QUInt8, weight_type=QuantType.QInt8,
        # Convolutions and the embedding projection (Gemm) hold ~all the bytes; the tiny cosine
        # head MatMuls stay float so the class decisions move as little as possible.
        op_types_to_quantize=["Conv", "Gemm"],
        nodes_to_exclude=keep_float,
        calibrate_method=CalibrationMethod.MinMax,
        # Float bias: onnxruntime-web's WebGPU backend rejects int32 bias DequantizeLinear with a zero point.
        extra_options={"QuantizeBias": False},
    )
    onnx.checker.check_model(onnx.load(str(dest)))


# The stem and blocks 0-4 (112-28 px feature maps) stay float: measured on 96 test images, quantizing
# them drops the fp32↔int8 embedding cosine from 0.997 to 0.93 (and articleType agreement from 100%
# to 93%), while their weights are only ~55k parameters (~0.15 MB kept float).
FLOAT_CONVS = re.compile(r"_conv_stem/|_blocks\.[0-4]/")


def float_convs(m: onnx.ModelProto) -> list[str]:
    names = [n.name for n in m.graph.node if n.op_type == "Conv" and FLOAT_CONVS.search(n.name)]
    if not names:
        raise DrishtiError("cannot find the stem/early-block convolutions by name in the exported graph")
    return names


def calibration_files(datasets: Path, n: int, seed: int, split_file: Path) -> list[Path]:
    """n training images: 3/4 catalogue (from the train split), 1/4 phone photos (train folder)."""
    rng = random.Random(seed)
    cat = catalogue_dir(datasets) / "images"
    ids: list[str] = []
    if split_file.is_file():
        ids = json.loads(split_file.read_text(encoding="utf-8"))["ids"]["train"]
    files = [cat / f"{i}.jpg" for i in ids if (cat / f"{i}.jpg").is_file()]
    if not files:
        raise DrishtiError(f"no calibration images: split {split_file} lists no train images under {cat}")
    photos = sorted((datasets / "clothing-photos" / "train").glob("*/*.jpg"))
    n_photo = min(len(photos), n // 4)
    return rng.sample(files, min(len(files), n - n_photo)) + rng.sample(photos, n_photo)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Export fp32/fp16/int8 ONNX + manifest + golden outputs.")
    ap.add_argument("--datasets")
    ap.add_argument("--checkpoint", type=Path, default=paths.CHECKPOINT_DIR / "final.pt")
    ap.add_argument("--out", type=Path, default=paths.MODELS_DIR, help="folder for the ONNX files and manifest.json")
    ap.add_argument("--split-file", type=Path, default=paths.SPLIT_FILE)
    ap.add_argument("--version", default="1.0.0")
    ap.add_argument("--calibration", type=int, default=320, help="number of calibration images")
    ap.add_argument("--golden", type=Path, default=None, help="golden outputs file (default <out>/golden/golden.json)")
    ap.add_argument("--seed", type=int, default=11)
    args = ap.parse_args(argv)
    torch.set_num_threads(1)  # faster than 2 on the busy shared machine

    datasets = paths.datasets_dir(args.datasets)
    model, state = load_final(args.checkpoint)
    cfg = state["config"]
    spec = PreprocessSpec(size=cfg["size"])
    calib = calibration_files(datasets, args.calibration, args.seed, args.split_file)
    golden_dest = args.golden or args.out / "golden" / "golden.json"

    with staging_dir(args.out) as tmp:
        files = {n: tmp / variant_file(n) for n in ("fp32", "fp16", "int8")}
        print("exporting fp32 …")
        export_fp32(model, spec.size, files["fp32"])
        print("converting fp16 …")
        export_fp16(files["fp32"], files["fp16"])
        print(f"quantizing int8 (calibration on {len(calib)} training images) …")
        work = tmp / "work"
        work.mkdir()
        export_int8(files["fp32"], files["int8"], calib, spec, work)
        manifest = build_manifest(args.version, spec.to_manifest(), state["classes"], EMBED_DIM, files)
        (tmp / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        from .golden import make_golden

        golden = make_golden(files["fp32"], manifest, datasets, args.split_file)
        # Publish: variant files first, the manifest (which names them) last.
        for n, p in files.items():
            publish(p, args.out / variant_file(n))
        publish(tmp / "manifest.json", args.out / "manifest.json")
    write_text_atomic(golden_dest, json.dumps(golden, ensure_ascii=False, indent=1) + "\n")
    for v in manifest["variants"]:
        print(f"{v['name']}: {v['bytes'] / 1e6:.2f} MB")
    print(f"wrote {args.out / 'manifest.json'} and {golden_dest}")
    return 0


if __name__ == "__main__":
    run_cli(main)
