"""Typed errors and the all-or-nothing output helpers every CLI uses."""
from __future__ import annotations

import contextlib
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Callable, Iterator


class DrishtiError(Exception):
    """An error a person can act on; CLIs print the message and exit non-zero (no traceback)."""


def run_cli(main: Callable[[list[str] | None], int], argv: list[str] | None = None) -> None:
    try:
        code = main(argv)
    except DrishtiError as err:
        print(f"error: {err}", file=sys.stderr)
        code = 2
    except KeyboardInterrupt:
        print("interrupted; nothing was moved into place", file=sys.stderr)
        code = 130
    sys.exit(code)


@contextlib.contextmanager
def staging_dir(final_parent: Path) -> Iterator[Path]:
    """A temporary folder next to the destination (same filesystem, so os.replace is atomic).

    Removed whatever happens; callers move finished files out of it with `publish`."""
    final_parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".staging-", dir=final_parent))
    try:
        yield tmp
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def publish(staged: Path, dest: Path) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    os.replace(staged, dest)


def write_text_atomic(dest: Path, text: str) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=dest.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, dest)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
