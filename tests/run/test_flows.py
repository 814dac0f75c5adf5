"""Real Prefect flows over small bundles, sharing one ephemeral harness per session."""
from __future__ import annotations

import json
import logging
import os

import pytest

from tests.bundles import make_bundle

pytestmark = [pytest.mark.flows, pytest.mark.slow]


@pytest.fixture(scope="session")
def prefect_harness(tmp_path_factory):
    from flows.env import configure_prefect

    home = tmp_path_factory.mktemp("prefect-home")
    os.environ["PREFECT_HOME"] = str(home)
    configure_prefect(home)  # the same robustness defaults the CLI uses
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=180):
        yield


class _Collect(logging.Handler):
    def __init__(self, into: list) -> None:
        super().__init__(level=logging.ERROR)
        self.into = into

    def emit(self, record: logging.LogRecord) -> None:
        self.into.append(record)


def test_batch_flow_runs_bundles_and_survives_a_bad_one(prefect_harness, tmp_path):
    from flows.batch import batch_flow
    from pipeline.run import Settings

    inp = tmp_path / "in"
    make_bundle(inp, "good")
    bad = inp / "bad"
    bad.mkdir()
    (bad / "submission.json").write_text("{not json", encoding="utf-8")
    (bad / "original.pdf").write_bytes(b"PK\x03\x04 not a pdf")
    out = tmp_path / "out"
    settings = Settings(cache_dir=str(tmp_path / "cache"), workers=1)

    errors: list[logging.LogRecord] = []
    handler = _Collect(errors)
    logging.getLogger("prefect").addHandler(handler)
    try:
        summary = batch_flow(str(inp), str(out), settings)
    finally:
        logging.getLogger("prefect").removeHandler(handler)
    # a bad bundle is a failed row, not an error of the flow's machinery (e.g. a task
    # input Prefect's cache key cannot hash)
    assert [r.getMessage()[:200] for r in errors] == []

    assert summary.engine == "prefect"
    assert summary.counts == {"done": 1, "failed": 1, "total": 2}
    good = json.loads((out / "GOOD" / "findings.json").read_text(encoding="utf-8"))
    assert good["status"] == "done"
    assert [s["type"] for s in good["sections"]][:2] == ["contract", "contract_review"]
    failed = json.loads((out / "bad" / "findings.json").read_text(encoding="utf-8"))
    assert failed["status"] == "failed" and failed["error"]
    assert (out / "summary.json").exists() and (out / "summary.xlsx").exists()

    # Second run of the unchanged batch: the page stage is served from the cache.
    summary2 = batch_flow(str(inp), str(out), settings)
    assert summary2.counts == summary.counts
    good2 = json.loads((out / "GOOD" / "findings.json").read_text(encoding="utf-8"))
    assert good2["sections"] == good["sections"]
