"""Shopper/merchant corrections from the browser (issue 9), applied to catalogue labels at data prep.

One JSON object per line:
  {"schema":"drishti-correction/1","itemId":"15970","head":"articleType","predicted":"Kurtas",
   "corrected":"Kurtis","modelId":"…","modelVersion":"…","at":"2026-12-04T10:00:00Z"}
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from .errors import DrishtiError
from .labels import HEADS, fold_value

SCHEMA = "drishti-correction/1"
MAX_NAME = 80


@dataclass
class CorrectionReport:
    applied: int = 0
    lines: int = 0
    problems: list[str] = field(default_factory=list)

    def summary(self, path: Path) -> str:
        head = f"corrections {path}: {self.applied} applied, {len(self.problems)} skipped of {self.lines} lines"
        return "\n".join([head] + [f"  {p}" for p in self.problems])


def apply_corrections(path: Path, rows: dict[str, dict[str, str]]) -> CorrectionReport:
    """Replaces labels in `rows` (id → raw catalogue fields) in place; later lines win."""
    if not path.is_file():
        raise DrishtiError(f"corrections file {path} does not exist")
    report = CorrectionReport()
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise DrishtiError(f"cannot read corrections file {path}: {err}") from err
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        report.lines += 1
        problem = _apply_line(line, rows)
        if problem:
            report.problems.append(f"line {n}: {problem}")
        else:
            report.applied += 1
    return report


def _apply_line(line: str, rows: dict[str, dict[str, str]]) -> str | None:
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as err:
        return f"not valid JSON ({err.msg})"
    if not isinstance(obj, dict):
        return "not a JSON object"
    if obj.get("schema") != SCHEMA:
        return f'schema is {obj.get("schema")!r}, expected "{SCHEMA}"'
    item, head, corrected = obj.get("itemId"), obj.get("head"), obj.get("corrected")
    if not isinstance(item, str) or not item.strip():
        return "itemId missing or not a string"
    if head not in HEADS:
        return f"unknown head {head!r} (expected one of {', '.join(HEADS)})"
    if not isinstance(corrected, str) or not corrected.strip() or len(corrected) > MAX_NAME:
        return "corrected missing, empty or too long"
    item, corrected = item.strip(), corrected.strip()
    row = rows.get(item)
    if row is None:
        return f"unknown itemId {item!r} (not in styles.csv)"
    if head == "articleType":
        # A class id from the label map or a new type name: folding at label-map time decides its class.
        row["articleType"] = corrected
    else:
        if fold_value(head, corrected) is None:
            return f"{corrected!r} is not a {head} class"
        row["colorgroup" if head == "colour" else head] = corrected
    return None
