import numpy as np
import pytest
import torch
import torch.nn.functional as F

from drishti.errors import DrishtiError
from drishti.preprocess import PreprocessSpec, load_rgb, pad_to_square, preprocess_array, resize_bilinear


def test_identity_when_already_input_size():
    rng = np.random.default_rng(1)
    img = rng.integers(0, 256, size=(224, 224, 3), dtype=np.uint8)
    spec = PreprocessSpec()
    x = preprocess_array(img, spec)
    want = (img.astype(np.float32) / 255 - np.float32(spec.mean[0])) / np.float32(spec.std[0])
    assert x.shape == (3, 224, 224)
    np.testing.assert_allclose(x, want.transpose(2, 0, 1), rtol=0, atol=1e-6)


def test_odd_padding_puts_extra_pixel_bottom_right():
    img = np.zeros((2, 5, 3), np.uint8)  # h=2, w=5 → 3 rows of padding: 1 on top, 2 below
    sq = pad_to_square(img, (255, 255, 255))
    assert sq.shape == (5, 5, 3)
    assert (sq[0] == 255).all() and (sq[1:3] == 0).all() and (sq[3:] == 255).all()
    tall = pad_to_square(np.zeros((4, 1, 3), np.uint8), (9, 9, 9))
    assert (tall[:, 1] == 0).all() and (tall[:, 0] == 9).all() and (tall[:, 2:] == 9).all()


@pytest.mark.parametrize("src,dst", [(37, 224), (320, 224), (500, 224), (224, 100), (7, 3)])
def test_bilinear_matches_half_pixel_no_antialias(src, dst):
    rng = np.random.default_rng(src)
    img = rng.integers(0, 256, size=(src, src, 3), dtype=np.uint8)
    ours = resize_bilinear(img, dst)
    t = torch.from_numpy(img.astype(np.float32)).permute(2, 0, 1)[None]
    ref = F.interpolate(t, size=(dst, dst), mode="bilinear", align_corners=False, antialias=False)[0].permute(1, 2, 0)
    # torch computes source coordinates in float32, we (and the TS mirror) in float64
    np.testing.assert_allclose(ours, ref.numpy(), rtol=0, atol=0.02)


def test_downscale_by_two_averages_pixel_pairs():
    img = np.arange(16, dtype=np.uint8).reshape(4, 4, 1).repeat(3, axis=2)
    out = resize_bilinear(img, 2)[..., 0]
    np.testing.assert_allclose(out, [[2.5, 4.5], [10.5, 12.5]])


def test_unreadable_file_names_the_file(tmp_path):
    bad = tmp_path / "broken.jpg"
    bad.write_bytes(b"\xff\xd8\xff\xe0 definitely not a jpeg")
    with pytest.raises(DrishtiError, match="broken.jpg"):
        load_rgb(bad)
