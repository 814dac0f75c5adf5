"""Atomic file writes: a reader sees the old file or the new one, never half of one.

Every output (findings.json, report.html, checklist.xlsx, summary.json/xlsx, cached
pages, the blind-review copy) is written to a temporary file in the same folder and
then moved over the target with :func:`os.replace` (atomic on one file system). On
any error the temporary file is removed and the target is left as it was.

- :func:`atomic_write_bytes` / :func:`atomic_write_text` — data in memory.
- :func:`atomic_path` — for writers that want a path (``openpyxl``'s ``wb.save``,
  PyMuPDF's ``doc.save``): write to the yielded path inside the ``with`` block.

Temporary names are hidden (``.<name>.<random>.tmp<suffix>``), unique per call (two
processes writing the same target do not clobber each other's temporary file), and
keep the target's suffix for writers that look at it. Files get the ordinary
permissions of a new file (0666 minus the umask). Depends on nothing in ``pipeline``.
"""
from __future__ import annotations

import contextlib
import os
import uuid
from pathlib import Path
from typing import Iterator, Union

PathLike = Union[str, "os.PathLike[str]"]


def _tmp_name(target: Path) -> Path:
    return target.with_name(f".{target.stem}.{uuid.uuid4().hex[:12]}.tmp{target.suffix}")


def _unlink_quietly(path: Path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


@contextlib.contextmanager
def atomic_path(path: PathLike, *, mkdir: bool = True) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; when the block ends without error, the
    file written there replaces ``path``. ``mkdir`` creates the parent folder first."""
    target = Path(path)
    if mkdir:
        target.parent.mkdir(parents=True, exist_ok=True)
    tmp = _tmp_name(target)
    try:
        yield tmp
        os.replace(tmp, target)
    except BaseException:
        _unlink_quietly(tmp)
        raise


def atomic_write_bytes(path: PathLike, data: bytes, *, mkdir: bool = True) -> None:
    """Write ``data`` to ``path`` atomically."""
    with atomic_path(path, mkdir=mkdir) as tmp:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)


def atomic_write_text(path: PathLike, text: str, *, encoding: str = "utf-8", mkdir: bool = True) -> None:
    """Write ``text`` to ``path`` atomically (UTF-8 by default; newlines as given)."""
    atomic_write_bytes(path, text.encode(encoding), mkdir=mkdir)


__all__ = ["atomic_path", "atomic_write_bytes", "atomic_write_text"]
