"""Bundle discovery: which folders are bundles, and the file names inside one (spec §1).

INPUT is one bundle folder or a folder of bundle folders; a bundle holds
``submission.json``, ``original.pdf`` (or ``original.<image>``) and optionally
``anonymized.pdf``, names matched ignoring case.
"""
from __future__ import annotations

from pathlib import Path
from typing import Optional

from ..errors import InputError

SUBMISSION_JSON = "submission.json"
ORIGINAL_PDF = "original.pdf"
ANONYMIZED_PDF = "anonymized.pdf"

#: ``original.<ext>`` accepted besides ``original.pdf`` when the content is that image.
IMAGE_SUFFIXES: tuple[str, ...] = (".jpg", ".jpeg", ".png", ".tif", ".tiff", ".bmp")


def find_case_insensitive(folder: Path, name: str) -> Optional[Path]:
    """``folder/name``, or the one entry whose name equals it ignoring case."""
    exact = folder / name
    if exact.exists():
        return exact
    try:
        for entry in sorted(folder.iterdir()):
            if entry.name.lower() == name.lower():
                return entry
    except OSError:
        pass
    return None


def find_original(bundle_dir: Path) -> Path:
    """The bundle's original: ``original.pdf`` (any case), else ``original.<image>``.

    Returns ``bundle_dir / "original.pdf"`` when nothing matches, so the caller's
    :func:`~pipeline.ingest.inspect_pdf` reports it as missing.
    """
    bundle_dir = Path(bundle_dir)
    found = find_case_insensitive(bundle_dir, ORIGINAL_PDF)
    if found is not None:
        return found
    for suffix in IMAGE_SUFFIXES:
        found = find_case_insensitive(bundle_dir, "original" + suffix)
        if found is not None:
            return found
    return bundle_dir / ORIGINAL_PDF


def find_anonymized(bundle_dir: Path) -> Optional[Path]:
    """``anonymized.pdf`` (any case), or None when it was not submitted."""
    return find_case_insensitive(Path(bundle_dir), ANONYMIZED_PDF)


def is_bundle_dir(path: Path) -> bool:
    """A bundle folder holds ``submission.json`` or an original (spec §1)."""
    path = Path(path)
    if not path.is_dir():
        return False
    if find_case_insensitive(path, SUBMISSION_JSON) is not None:
        return True
    return find_original(path).exists()


def discover_bundles(input_path: Path) -> list[Path]:
    """The bundle folders under INPUT, sorted by name (deterministic).

    INPUT is itself a bundle when it holds ``submission.json`` or ``original.pdf``;
    otherwise every sub-folder whose name does not start with ``_`` or ``.`` is a
    bundle. Sub-folders that hold neither file are still returned (they fail with
    a clear "missing submission.json" error instead of silently vanishing from the
    batch). Loose files at the top level are ignored.

    Raises ``InputError`` (``missing_file`` / ``not_a_folder``) when INPUT cannot be
    a batch at all; returns ``[]`` for an empty folder.
    """
    input_path = Path(input_path)
    if not input_path.exists():
        raise InputError(
            "missing_file",
            f"输入路径不存在：{input_path}",
            f"input path does not exist: {input_path}",
            file=str(input_path),
        )
    if not input_path.is_dir():
        raise InputError(
            "not_a_folder",
            f"输入应为证据包文件夹或证据包文件夹的上级文件夹，而不是文件：{input_path}",
            f"input must be a bundle folder or a folder of bundle folders, not a file: "
            f"{input_path}",
            file=str(input_path),
        )
    if is_bundle_dir(input_path):
        return [input_path]
    bundles = [
        child
        for child in input_path.iterdir()
        if child.is_dir() and not child.name.startswith(("_", "."))
    ]
    return sorted(bundles, key=lambda p: p.name)
