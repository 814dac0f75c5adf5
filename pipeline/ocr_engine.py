"""The OCR engine interface (``OcrEngine``) and its RapidOCR implementation.

Modelled on OCRmyPDF's ``OcrEngine`` plugin class: the rest of the code (the pages
stage's page OCR, the re-reader, the anonymizer's verification OCR and seal reading)
talks to an engine only through this protocol, on BGR rasters it has prepared itself
(``pipeline.raster``). What an engine does:

- ``fingerprint()``: name, versions and model hashes. Part of every page-cache key:
  another engine or model must not be served the pages another one read.
- ``detect(img)``: text-line quads (N×4×2 pixels, corners tl, tr, br, bl), no reading.
- ``crop(img, quad)``: the upright crop of one quad, as ``recognize`` expects it.
- ``recognize(crops)``: one ``(text, score)`` per line crop, no detection.
- ``read(img)``: detection and recognition of a whole raster: ``Segment``s, with
  segments the engine scores below ``TEXT_SCORE`` and empty texts dropped.

``get_engine(threads, name=...)`` returns the engine (one per process, name and thread
setting: models load once); ``DEFAULT_ENGINE`` names the one used everywhere, so
swapping engines (e.g. for speed) is a change here. Only the models shipped inside
the rapidocr wheel are used; the download helper is disabled, so nothing is fetched
at run time. rapidocr and onnxruntime are imported inside the functions that load
them: slow optional libraries.
"""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Protocol, Sequence, runtime_checkable

import numpy as np

__all__ = [
    "DEFAULT_ENGINE", "OCR_CALLS", "OCR_ENGINE_NAME", "OcrEngine", "RapidOcrEngine", "Segment", "TEXT_SCORE",
    "engine_fingerprint", "get_engine", "model_paths",
]

OCR_ENGINE_NAME = "rapidocr"
DEFAULT_ENGINE = OCR_ENGINE_NAME
DET_SIDE = 1600
# Segments RapidOCR scores below this are dropped (engine default 0.5).
TEXT_SCORE = 0.5

# Counted so tests can prove a cache hit made zero OCR calls (per process): "full" =
# whole-raster reads (``read``), "probe" = orientation and text-region probes (pipeline.ocr).
OCR_CALLS = {"full": 0, "probe": 0}


@dataclass
class Segment:
    text: str
    score: float
    quad: np.ndarray  # 4×2, pixels of the raster that was read


@runtime_checkable
class OcrEngine(Protocol):
    """What the pipeline needs of an OCR engine (see the module docstring)."""

    name: str

    def fingerprint(self) -> str: ...

    def detect(self, img: np.ndarray) -> np.ndarray: ...

    def crop(self, img: np.ndarray, quad: np.ndarray) -> np.ndarray: ...

    def recognize(self, crops: Sequence[np.ndarray]) -> list[tuple[str, float]]: ...

    def read(self, img: np.ndarray) -> list[Segment]: ...


# ------------------------------------------------------------------ RapidOCR


def _rapidocr_dir() -> Path:
    import rapidocr  # slow optional library

    return Path(rapidocr.__file__).resolve().parent


MODEL_FILES = {
    "det": "PP-OCRv6_det_small.onnx",
    "rec": "PP-OCRv6_rec_small.onnx",
    "cls": "ch_ppocr_mobile_v2.0_cls_mobile.onnx",
}


def model_paths() -> dict[str, Path]:
    root = _rapidocr_dir() / "models"
    return {k: root / v for k, v in MODEL_FILES.items()}


@lru_cache(maxsize=1)
def _rapidocr_fingerprint() -> str:
    import onnxruntime  # slow optional library
    import rapidocr

    parts = [OCR_ENGINE_NAME, getattr(rapidocr, "__version__", "?"), onnxruntime.__version__]
    for name, path in sorted(model_paths().items()):
        h = hashlib.sha256()
        with open(path, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
        parts.append(f"{name}:{h.hexdigest()[:16]}")
    return "|".join(parts)


def _forbid_downloads() -> None:
    """RapidOCR downloads models it cannot find; we never want that (offline sites)."""
    from rapidocr.utils import download_file  # slow optional library

    def refuse(cls: Any, params: Any) -> None:
        raise RuntimeError(f"bundlecheck: refusing to download OCR model {params.file_url!r}")

    download_file.DownloadFile.run = classmethod(refuse)  # type: ignore[method-assign]


class RapidOcrEngine:
    """``OcrEngine`` on RapidOCR (PP-OCR models, onnxruntime).

    ``threads`` sets onnxruntime intra-op threads; 0 = one per core shared by the
    workers (the caller decides). Two workers × one thread each fill two cores
    without oversubscription.
    """

    name = OCR_ENGINE_NAME

    def __init__(self, threads: int = 0):
        _forbid_downloads()
        from rapidocr import RapidOCR  # slow optional library

        threads = threads or max(1, os.cpu_count() or 1)
        paths = model_paths()
        for p in paths.values():
            if not p.is_file():
                raise FileNotFoundError(f"RapidOCR model missing (not downloading): {p}")
        self.threads = threads
        self.rapid = RapidOCR(
            params={
                "Global.log_level": "error",
                "Global.text_score": TEXT_SCORE,
                # We orient the page ourselves; per-crop 0/180 cls is redundant after that.
                "Global.use_cls": False,
                # Keep our resolution: RapidOCR would shrink anything above 2000 px.
                "Global.max_side_len": 4096,
                # Detection at ≤1600 px long side (2.1× fewer pixels than 200 dpi A4);
                # recognition still crops from the full-resolution raster.
                "Det.limit_type": "max",
                "Det.limit_side_len": DET_SIDE,
                "Det.model_path": str(paths["det"]),
                "Rec.model_path": str(paths["rec"]),
                "Cls.model_path": str(paths["cls"]),
                "EngineConfig.onnxruntime.intra_op_num_threads": threads,
                "EngineConfig.onnxruntime.inter_op_num_threads": 1,
            }
        )

    @staticmethod
    def fingerprint() -> str:
        """Computed without loading the models (the cache is consulted before any OCR)."""
        return _rapidocr_fingerprint()

    def detect(self, img: np.ndarray) -> np.ndarray:
        res = self.rapid(img, use_det=True, use_cls=False, use_rec=False)
        boxes = getattr(res, "boxes", None)
        if boxes is None or len(boxes) == 0:
            return np.zeros((0, 4, 2), dtype=np.float32)
        return np.asarray(boxes, dtype=np.float32)

    def crop(self, img: np.ndarray, quad: np.ndarray) -> np.ndarray:
        from rapidocr.utils.process_img import get_rotate_crop_image  # slow optional library

        return get_rotate_crop_image(img, np.asarray(quad).astype(np.float32))

    def recognize(self, crops: Sequence[np.ndarray]) -> list[tuple[str, float]]:
        from rapidocr.ch_ppocr_rec import TextRecInput  # slow optional library

        if not crops:
            return []
        out = self.rapid._load_rec_model()(TextRecInput(img=list(crops)))
        return [(t, float(s)) for t, s in zip(out.txts or (), out.scores or ())]

    def read(self, img: np.ndarray) -> list[Segment]:
        OCR_CALLS["full"] += 1
        # Explicit flags: RapidOCR keeps per-call flags as state (a probe turned rec off).
        res = self.rapid(img, use_det=True, use_cls=False, use_rec=True)
        boxes = getattr(res, "boxes", None)
        txts = getattr(res, "txts", None)
        if boxes is None or txts is None:
            return []
        return [
            Segment(text=t, score=float(s), quad=np.asarray(b, dtype=float))
            for b, t, s in zip(boxes, txts, res.scores)
            if t and t.strip()
        ]


# ------------------------------------------------------------------ choosing one

# name → (factory taking ``threads``, fingerprint computed without loading models)
ENGINES: dict[str, tuple[Callable[[int], OcrEngine], Callable[[], str]]] = {
    OCR_ENGINE_NAME: (RapidOcrEngine, RapidOcrEngine.fingerprint),
}

_LOADED: dict[tuple[str, int], OcrEngine] = {}


def get_engine(threads: int = 0, name: str = DEFAULT_ENGINE) -> OcrEngine:
    """The ``name`` engine with ``threads`` threads, one per process (models load once);
    ``threads`` 0 = one per core."""
    threads = threads or max(1, os.cpu_count() or 1)
    eng = _LOADED.get((name, threads))
    if eng is None:
        eng = _LOADED[(name, threads)] = ENGINES[name][0](threads)
    return eng


def engine_fingerprint(name: str = DEFAULT_ENGINE) -> str:
    """Engine name, versions and model hashes: part of every OCR cache key."""
    return ENGINES[name][1]()
