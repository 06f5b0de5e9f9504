import json

from drishti.corrections import apply_corrections
from drishti.data import prepare
from fixtures import make_dataset


def row(**kw):
    base = {"schema": "drishti-correction/1", "itemId": "1000", "head": "articleType", "predicted": "Tshirts",
            "corrected": "Shirts", "modelId": "drishti-fashion", "modelVersion": "1.0.0", "at": "2026-12-04T10:00:00Z"}
    base.update(kw)
    return json.dumps(base)


def test_applies_valid_lines_and_reports_bad_ones_with_line_numbers(tmp_path):
    rows = {"1000": {"articleType": "Tshirts", "gender": "Men", "colorgroup": "Blue", "usage": "Casual", "season": "Fall"},
            "1001": {"articleType": "Kurtas", "gender": "Women", "colorgroup": "Red", "usage": "Ethnic", "season": "Fall"}}
    f = tmp_path / "c.jsonl"
    f.write_text("\n".join([
        row(),                                            # 1 ok
        "{not json",                                      # 2 malformed
        row(itemId="99999"),                              # 3 unknown id
        row(head="fabric"),                               # 4 unknown head
        row(itemId="1001", head="gender", corrected="Martian"),  # 5 not a gender class
        "",                                               # blank lines are ignored
        row(itemId="1001", head="colour", corrected="Pink"),     # 7 ok
        row(schema="other/1"),                            # 8 wrong schema
        row(itemId="1001", corrected="Kurtis"),           # 9 ok (a plain articleType name)
    ]) + "\n")
    rep = apply_corrections(f, rows)
    assert rep.applied == 3 and rep.lines == 8
    assert [p.split(":")[0] for p in rep.problems] == ["line 2", "line 3", "line 4", "line 5", "line 8"]
    assert "99999" in rep.problems[1] and "fabric" in rep.problems[2]
    assert rows["1000"]["articleType"] == "Shirts"
    assert rows["1001"]["colorgroup"] == "Pink" and rows["1001"]["articleType"] == "Kurtis"
    assert rows["1001"]["gender"] == "Women"
    assert "3 applied" in rep.summary(f)


def test_prepare_uses_corrected_labels(tmp_path):
    root = make_dataset(tmp_path / "ds", per_type=10)
    f = tmp_path / "c.jsonl"
    f.write_text(row(itemId="1000", head="articleType", corrected="Kurtas") + "\n"
                 + row(itemId="1001", head="gender", corrected="Women") + "\n")
    logs = []
    prep = prepare(root, corrections=f, min_class_images=5, log=logs.append)
    items = {it.key: it for s in prep.catalogue.values() for it in s}
    assert prep.classes["articleType"][items["1000"].labels["articleType"]] == "Kurtas"
    assert prep.classes["gender"][items["1001"].labels["gender"]] == "Women"
    assert any("2 applied" in line for line in logs)
