"""The blind-review promise on real pipeline output: an expert (and the leader) crawl every
page and file they can reach, and no identity string of any bundle's submission.json shows
up in HTML, in the OCR of any served image (the project's own OCR engine), or in any
download; direct URLs to originals, identities and other groups' bundles are refused."""
from __future__ import annotations

import io
import json
import re
from collections import deque
from pathlib import Path

import cv2
import numpy as np
import pymupdf
import pytest
from openpyxl import load_workbook

from pipeline.ocr_engine import get_engine
from tests.workbench.conftest import PASSWORD
from workbench.review import blind, rules
from workbench.review.recheck import found
from workbench.review.importer import import_batch
from workbench.review.models import Assignment, Bundle, Finding

pytestmark = [pytest.mark.slow, pytest.mark.ocr]
_LINK = re.compile(r'(?:href|src)="(/[^"#]*)"')
_SKIP = ("/accounts/logout", "/admin/")
_OCR_SEEN: dict[bytes, str] = {}


def _identity(out: Path) -> list[str]:
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    ids = set()
    for b in Bundle.objects.all():
        ids.update(b.identity_strings())
    assert len(summary["bundles"]) == Bundle.objects.count() and ids
    return sorted(ids)


def _text_of(resp) -> tuple[str, str]:
    ctype = resp["Content-Type"].split(";")[0]
    body = resp.content
    if ctype == "image/png":
        if body not in _OCR_SEEN:  # the leader's crawl serves the same images again: read each once
            img = cv2.imdecode(np.frombuffer(body, np.uint8), cv2.IMREAD_COLOR)
            _OCR_SEEN[body] = "\n".join(s.text for s in get_engine().read(img))
        return "image", _OCR_SEEN[body]
    if ctype == "application/pdf":
        with pymupdf.open(stream=body, filetype="pdf") as doc:
            return "pdf", "\n".join(p.get_text() for p in doc)
    if "spreadsheet" in ctype:
        wb = load_workbook(io.BytesIO(body))
        return "xlsx", "\n".join(str(c.value) for ws in wb for row in ws.iter_rows() for c in row if c.value)
    return "html", body.decode("utf-8")


def _crawl(client, start: list[str]) -> dict[str, str]:
    seen, queue, kinds = set(start), deque(start), {}
    while queue:
        url = queue.popleft()
        r = client.get(url)
        assert r.status_code in (200, 302), (url, r.status_code)
        if r.status_code == 302:
            continue
        kind, text = _text_of(r)
        kinds[url] = kind
        yield url, kind, text
        if kind == "html":
            for link in _LINK.findall(text):
                link = link.replace("&amp;", "&")
                if link not in seen and not link.startswith(_SKIP) and not link.startswith("/static/"):
                    seen.add(link)
                    queue.append(link)


@pytest.fixture
def review_setup(real_out, db, people, group, settings):
    settings.RENDER_CACHE = real_out.parent / "wb_render"  # the OCR re-check is cached across tests
    import_batch(real_out)
    bundles = list(Bundle.objects.order_by("bundle_id"))
    safe = [b for b in bundles if b.anonymized_safe]
    assert safe, [(b.bundle_id, b.anonymized_detail) for b in bundles]
    for b in bundles:
        refusal = rules.assign_refusal(group, b)
        assert bool(refusal) == (not b.anonymized_safe), (b.bundle_id, refusal)
        if not refusal:
            Assignment.objects.create(bundle=b, group=group, assigned_by=people["center"])
    return group


def _expert_work(client, bundle: Bundle):
    """Confirm every pre-flag and save the drafted opinion, so downloads carry the messages."""
    for f in bundle.findings.all():
        client.post(f"/review/{bundle.bundle_id}/decision/{f.seq}/", json.dumps({"decision": "confirm", "version": 0}),
                    content_type="application/json")
    draft = client.get(f"/review/{bundle.bundle_id}/opinion/draft/").json()["draft"]
    assert client.post(f"/review/{bundle.bundle_id}/opinion/", json.dumps({**draft, "version": 0}),
                       content_type="application/json").status_code == 200


def test_no_identity_reaches_an_expert_or_leader(client, review_setup, people, real_out):
    group = review_setup
    ids = _identity(real_out)
    # the raw messages may name the institution (HN-2023-003: item 19 prints the certificate); the blind ones never
    for f in Finding.objects.all():
        assert not blind.leaks(f.message_blind + json.dumps(f.evidence, ensure_ascii=False), ids), f.message
    assert client.login(username="e1", password=PASSWORD)
    for a in group.assignments.all():
        _expert_work(client, a.bundle)
    client.logout()
    counted = {}
    mine = {a.bundle.bundle_id for a in group.assignments.all()}
    for who in ("e1", "lead"):
        assert client.login(username=who, password=PASSWORD)
        start = ["/", "/review/"] + [f"/group/{b}/" for b in mine if who == "lead"]
        for url, kind, text in _crawl(client, start):
            counted[kind] = counted.get(kind, 0) + 1
            hits = found(text, ids, fuzzy=kind == "image")
            assert not hits, f"{who} reached {url} ({kind}) showing {hits}"
        refused = ["/center/", "/center/summary/", "/center/summary.xlsx"]
        for b in Bundle.objects.all():
            refused += [f"/center/bundle/{b.bundle_id}/original.pdf", f"/center/bundle/{b.bundle_id}/identity/"]
            if b.bundle_id not in mine:  # not this group's (here: failed the blind check)
                refused += [f"/review/{b.bundle_id}/", f"/review/{b.bundle_id}/page/1.png",
                            f"/review/{b.bundle_id}/page/1/", f"/review/{b.bundle_id}/crop/1/0.png",
                            f"/group/{b.bundle_id}/", f"/export/{b.bundle_id}/attachment3.xlsx",
                            f"/export/{b.bundle_id}/attachment4.pdf"]
        for url in refused:
            assert client.get(url).status_code in (403, 404), (who, url)
        client.logout()
    # the crawl really saw pages, page images, crops and downloads of every kind
    assert counted.get("html", 0) > 5 and counted.get("image", 0) > 20
    assert counted.get("xlsx", 0) >= 2 and counted.get("pdf", 0) >= 1
