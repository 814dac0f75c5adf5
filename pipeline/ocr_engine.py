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
from typing import Any, Callable, Optional, Protocol, Sequence, runtime_checkable

import numpy as np

__all__ = [
    "DEFAULT_ENGINE", "OCR_CALLS", "default_engine", "OCR_ENGINE_NAME", "OcrEngine", "RapidOcrEngine", "Segment", "TEXT_SCORE",
    "engine_fingerprint", "get_engine", "model_paths", "set_process_threads",
]

OCR_ENGINE_NAME = "rapidocr"
# The same PP-OCR models on OpenVINO: 3.0× faster a page than on onnxruntime here, with
# the same character accuracy (scripts/ocr_accuracy.py; issue 13's note).
DEFAULT_ENGINE = OCR_ENGINE_NAME + "-openvino"
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


# Inference precision of each model on the OpenVINO backend. Detection in f32: its
# output equals onnxruntime's (max difference 6e-6 on a page) at a quarter of the time.
# Recognition in bf16 where the CPU computes it natively (AMX / AVX-512 BF16): about 3×
# faster than f32; chosen by measured character accuracy (scripts/ocr_accuracy.py),
# not by speed alone. A CPU without bf16 runs it in f32, and the fingerprint says so.
OV_PRECISION = {"det": "f32", "rec": "bf16"}
OV_F32 = {"det": "f32", "rec": "f32"}  # the same models, f32 throughout (for comparison)


def _ov_effective(wanted: str) -> str:
    """The precision OpenVINO will really use on this CPU for ``wanted``."""
    if wanted != "bf16":
        return wanted
    return "bf16" if "BF16" in _ov_capabilities() else "f32"


@lru_cache(maxsize=1)
def _ov_capabilities() -> tuple[str, ...]:
    import openvino  # slow optional library

    return tuple(openvino.Core().get_property("CPU", "OPTIMIZATION_CAPABILITIES"))


@lru_cache(maxsize=8)
def _rapidocr_fingerprint(backend: str = "onnxruntime", precision: tuple = ()) -> str:
    import rapidocr  # slow optional library

    if backend == "openvino":
        import openvino  # slow optional library

        runtime = "openvino " + openvino.__version__ + " " + ",".join(
            f"{k}={_ov_effective(v)}" for k, v in sorted(dict(precision or OV_PRECISION.items()).items()))
        name = OCR_ENGINE_NAME + "-openvino"
    else:
        import onnxruntime  # slow optional library

        runtime, name = onnxruntime.__version__, OCR_ENGINE_NAME
    parts = [name, getattr(rapidocr, "__version__", "?"), runtime]
    for key, path in sorted(model_paths().items()):
        h = hashlib.sha256()
        with open(path, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
        parts.append(f"{key}:{h.hexdigest()[:16]}")
    return "|".join(parts)


def _forbid_downloads() -> None:
    """RapidOCR downloads models it cannot find; we never want that (offline sites)."""
    from rapidocr.utils import download_file  # slow optional library

    def refuse(cls: Any, params: Any) -> None:
        raise RuntimeError(f"bundlecheck: refusing to download OCR model {params.file_url!r}")

    download_file.DownloadFile.run = classmethod(refuse)  # type: ignore[method-assign]


class RapidOcrEngine:
    """``OcrEngine`` on RapidOCR (PP-OCR models), on onnxruntime or OpenVINO.

    RapidOCR does the pre- and post-processing either way; the backend only runs the
    same ONNX models. ``threads`` sets the backend's threads; 0 = one per core shared by
    the workers (the caller decides). Two workers × one thread each fill two cores
    without oversubscription.
    """

    name = OCR_ENGINE_NAME

    def __init__(self, threads: int = 0, backend: str = "onnxruntime", precision: Optional[dict] = None):
        _forbid_downloads()
        from rapidocr import EngineType, RapidOCR  # slow optional library

        threads = threads or max(1, os.cpu_count() or 1)
        paths = model_paths()
        for p in paths.values():
            if not p.is_file():
                raise FileNotFoundError(f"RapidOCR model missing (not downloading): {p}")
        self.threads = threads
        self.backend = backend
        self.precision = dict(precision or OV_PRECISION) if backend == "openvino" else {}
        engine_type = EngineType.OPENVINO if backend == "openvino" else EngineType.ONNXRUNTIME
        if backend == "openvino":
            self.name = OCR_ENGINE_NAME + "-openvino"
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
                "Det.engine_type": engine_type,
                "Rec.engine_type": engine_type,
                "EngineConfig.onnxruntime.intra_op_num_threads": threads,
                "EngineConfig.onnxruntime.inter_op_num_threads": 1,
                "EngineConfig.openvino.inference_num_threads": threads,
            }
        )
        if backend == "openvino":
            self._set_ov_precision(threads)

    def _set_ov_precision(self, threads: int) -> None:
        """Recompile RapidOCR's OpenVINO models with our precision per model (its config
        passes no precision, and OpenVINO would pick bf16 for both on a bf16 CPU)."""
        import openvino  # slow optional library

        core = openvino.Core()
        for key, model in (("det", self.rapid._load_det_model()), ("rec", self.rapid._load_rec_model())):
            sess = model.session  # rapidocr's OpenVINOInferSession: .model (read), .session (request)
            compiled = core.compile_model(sess.model, "CPU", {
                "INFERENCE_NUM_THREADS": threads, "NUM_STREAMS": 1, "PERFORMANCE_HINT": "LATENCY",
                # Two page workers: pinned, both would take core 0 (measured: no gain from the second).
                "ENABLE_CPU_PINNING": False,
                "INFERENCE_PRECISION_HINT": _ov_effective(self.precision[key])})
            sess.session = compiled.create_infer_request()

    def fingerprint(self) -> str:
        """Computed without loading the models (the cache is consulted before any OCR)."""
        return _rapidocr_fingerprint(self.backend, tuple(sorted(self.precision.items())))

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
    OCR_ENGINE_NAME: (RapidOcrEngine, lambda: _rapidocr_fingerprint("onnxruntime")),
    OCR_ENGINE_NAME + "-openvino": (lambda threads: RapidOcrEngine(threads, backend="openvino"),
                                    lambda: _rapidocr_fingerprint("openvino", tuple(sorted(OV_PRECISION.items())))),
    OCR_ENGINE_NAME + "-openvino-f32": (lambda threads: RapidOcrEngine(threads, backend="openvino", precision=OV_F32),
                                        lambda: _rapidocr_fingerprint("openvino", tuple(sorted(OV_F32.items())))),
}

_LOADED: dict[tuple[str, int], OcrEngine] = {}
# Threads an engine gets where the caller names none: a page worker's share of the cores
# (set by the pool), else one per core. Without it, work the page workers run besides
# pages (seal checks, copy re-reads, the workbench re-check) would load a second engine
# per worker with a thread per core.
_PROCESS_THREADS: Optional[int] = None


def set_process_threads(threads: int) -> None:
    """The thread count ``get_engine(0)`` means in this process (page workers: their share)."""
    global _PROCESS_THREADS
    _PROCESS_THREADS = max(1, threads)


def default_engine() -> str:
    """The engine used where none is named: ``BUNDLECHECK_OCR_ENGINE`` if set (page
    workers inherit it), else ``DEFAULT_ENGINE``."""
    name = os.environ.get("BUNDLECHECK_OCR_ENGINE") or DEFAULT_ENGINE
    if name not in ENGINES:
        raise ValueError(f"unknown OCR engine {name!r}; known: {', '.join(sorted(ENGINES))}")
    return name


def get_engine(threads: int = 0, name: Optional[str] = None) -> OcrEngine:
    """The ``name`` engine (default ``default_engine()``) with ``threads`` threads, one per
    process (models load once); ``threads`` 0 = the process's share (``set_process_threads``),
    else one per core."""
    name = name or default_engine()
    threads = threads or _PROCESS_THREADS or max(1, os.cpu_count() or 1)
    eng = _LOADED.get((name, threads))
    if eng is None:
        eng = _LOADED[(name, threads)] = ENGINES[name][0](threads)
    return eng


def engine_fingerprint(name: Optional[str] = None) -> str:
    """Engine name, versions and model hashes: part of every OCR cache key."""
    return ENGINES[name or default_engine()][1]()
