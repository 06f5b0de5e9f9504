import json
import shutil

import pytest

from drishti.data import prepare, write_split
from drishti.errors import DrishtiError
from drishti.labels import OTHER
from fixtures import make_dataset


def quiet(*_):
    pass


def test_cleaning_dedup_fold_and_split(tmp_path):
    root = make_dataset(tmp_path / "ds", per_type=10)
    cat = root / "fashion-product-images"
    # A duplicate image (same bytes, another id), an unreadable image, a row with an empty articleType,
    # and a rare type that must fold into "other".
    shutil.copy(cat / "images" / "1000.jpg", cat / "images" / "5000.jpg")
    (cat / "images" / "5001.jpg").write_bytes(b"garbage")
    with open(cat / "styles.csv", "a", encoding="utf-8") as f:
        f.write("5000,Men,Apparel,Topwear,Tshirts,Blue,Summer,Casual,Dup,Blue\n")
        f.write("5001,Men,Apparel,Topwear,Tshirts,Blue,Summer,Casual,Broken,Blue\n")
        f.write("5002,Men,Apparel,Topwear,,Blue,Summer,Casual,No type,Blue\n")
        f.write("5003,Women,Apparel,Topwear,Sarees,Red,Summer,Ethnic,Rare,\n")
    shutil.copy(cat / "images" / "1001.jpg", cat / "images" / "5002.jpg")
    from fixtures import product_image
    import numpy as np
    product_image(0, (1, 2, 3), np.random.default_rng(9)).save(cat / "images" / "5003.jpg")

    prep = prepare(root, min_class_images=5, log=quiet)
    all_ids = {i for ids in prep.split.values() for i in ids}
    assert "5000" not in all_ids and "5001" not in all_ids and "5002" not in all_ids
    assert "5003" in all_ids
    assert prep.classes["articleType"][-1] == OTHER
    saree = next(it for s in prep.catalogue.values() for it in s if it.key == "5003")
    assert prep.classes["articleType"][saree.labels["articleType"]] == OTHER
    assert "colour" not in saree.labels  # empty colorgroup: that head is masked, the row kept
    assert any("duplicate" in line for line in prep.report)
    assert any("unreadable image" in line and "5001.jpg" in line for line in prep.report)
    # Stratified: every type has items in every split, and the split is reproducible.
    for split in ("train", "val", "test"):
        types = {it.labels["articleType"] for it in prep.catalogue[split]}
        assert len(types) >= 4
    again = prepare(root, min_class_images=5, log=quiet)
    assert again.split == prep.split
    write_split(prep, tmp_path / "split.json")
    doc = json.loads((tmp_path / "split.json").read_text())
    assert doc["ids"] == prep.split and doc["classes"]["articleType"] == prep.classes["articleType"]


def test_clothing_photos_get_set_valued_labels(tmp_path):
    root = make_dataset(tmp_path / "ds")
    prep = prepare(root, min_class_images=5, log=quiet)
    at = prep.classes["articleType"]
    tee = [it for it in prep.clothing["validation"] if it.folder == "t-shirt"]
    assert tee and {at[i] for i in tee[0].allowed_article_types} == {"Tshirts"}  # Tops absent here


@pytest.mark.parametrize("make", ["missing", "empty", "no-images"])
def test_bad_dataset_paths_raise_clear_errors(tmp_path, make):
    if make == "missing":
        path = tmp_path / "nope"
    elif make == "empty":
        path = tmp_path / "empty"
        path.mkdir()
    else:
        path = tmp_path / "noimg"
        (path / "fashion-product-images").mkdir(parents=True)
        (path / "fashion-product-images" / "styles.csv").write_text("id,gender\n")
    with pytest.raises(DrishtiError, match=str(path.name)):
        prepare(path, log=quiet)
