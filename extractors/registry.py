"""Extractor registry: one module per section type in ``extractors/forms/``, each
registering its function with ``@extractor("<section type>")``. Modules are found by
scanning the package, so adding a form type is adding one file.
"""
from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass, field
from typing import Any, Callable, Optional, Sequence

from pipeline.types import Page

from .ids import IdPattern
from .layout import PageGrid

EXTRACTORS: dict[str, Callable[["Ctx"], Any]] = {}


def extractor(section_type: str) -> Callable:
    def deco(fn: Callable[["Ctx"], Any]) -> Callable[["Ctx"], Any]:
        EXTRACTORS[section_type] = fn
        return fn

    return deco


@dataclass
class Ctx:
    """What an extractor gets: the section's pages (as grids) and bundle-wide hints."""

    section: str
    grids: list[PageGrid]
    known_names: list[str] = field(default_factory=list)  # registered staff + names seen as escort
    id_pattern: Optional[IdPattern] = None
    notes: list[str] = field(default_factory=list)
    # (page, bbox) -> the box read again by OCR, closer (scans only); None when unavailable
    rereader: Optional[Callable[[int, Any], Optional[str]]] = None

    @property
    def pages(self) -> tuple[int, ...]:
        return tuple(g.page.no for g in self.grids)

    def note(self, msg: str) -> None:
        self.notes.append(f"{self.section}: {msg}")


_loaded = False


def load_all() -> dict[str, Callable[[Ctx], Any]]:
    """Import every module of ``extractors/forms/`` once, so each registers itself.

    Plugin discovery by name (importlib, not an import statement): the registry sits
    below the forms that register with it, and must not depend on them.
    """
    global _loaded
    if not _loaded:
        forms = importlib.import_module(f"{__package__}.forms")
        for m in pkgutil.iter_modules(forms.__path__):
            importlib.import_module(f"{forms.__name__}.{m.name}")
        _loaded = True
    return EXTRACTORS
