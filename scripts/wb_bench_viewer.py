"""Time the workbench's page viewer on a big bundle (issue 15's figure).

    .venv/bin/python scripts/wb_bench_viewer.py OUT [--bundle ID]

OUT is a ``bundlecheck run`` output holding a bundle with a verified blind copy (e.g. one
made with ``bundlecheck samples --n 1 --pages 200``). In a temporary SQLite database and
render cache: imports OUT (the OCR re-check included, timed), assigns the bundle to a
3-expert group and, as an expert through Django's test client (in-process: no network, no
server), times

- opening the viewer at a page not seen before: its HTML plus its page image rendered cold
  from anonymized.pdf (the viewer shows one page at a time), for page 2, the middle page and
  the last page;
- every page image cold (render cache emptied first) and warm (served from the cache);
- the bundle page (the expert's 96 items with the pre-flags), sequentially: median and pages
  per second.

Prints JSON. The temporary folder is removed afterwards (``--keep`` keeps it).
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out")
    ap.add_argument("--bundle")
    ap.add_argument("--no-recheck", action="store_true", help="skip the import's OCR re-check (trust the pipeline)")
    ap.add_argument("--keep", action="store_true", help="keep the temporary database and render cache")
    a = ap.parse_args(argv)
    tmp = tempfile.mkdtemp(prefix="wb-bench-")
    os.environ.update(WORKBENCH_DB=f"{tmp}/db.sqlite3", WORKBENCH_RENDER_CACHE=f"{tmp}/render",
                      DJANGO_SETTINGS_MODULE="workbench.settings", WORKBENCH_RECHECK="0" if a.no_recheck else "1")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client

    from workbench.review.importer import import_batch
    from workbench.review.models import Assignment, Bundle, ExpertProfile, ReviewGroup
    from workbench.review.roles import ensure_roles

    call_command("migrate", verbosity=0)
    t0 = time.perf_counter()
    import_batch(a.out)
    t_import = time.perf_counter() - t0
    qs = Bundle.objects.filter(anonymized_safe=True)
    b = qs.get(bundle_id=a.bundle) if a.bundle else qs.order_by("-page_count").first()
    if b is None:
        print(json.dumps({"error": "no bundle with a verified blind copy",
                          "bundles": {x.bundle_id: x.anonymized_detail for x in Bundle.objects.all()}},
                         ensure_ascii=False, default=str))
        return 1
    User = get_user_model()
    users = [User.objects.create_user(f"bench{i}", password="bench-pw-1") for i in range(3)]
    _, expert_g = ensure_roles()
    for i, u in enumerate(users):
        u.groups.add(expert_g)
        ExpertProfile.objects.create(user=u, level="national" if i == 0 else "provincial")
    g = ReviewGroup.objects.create(name="bench", leader=users[0])
    g.experts.set(users)
    Assignment.objects.create(bundle=b, group=g, assigned_by=users[0])
    c = Client()
    c.force_login(users[1])

    def timed(url: str) -> float:
        t = time.perf_counter()
        r = c.get(url)
        assert r.status_code == 200, (url, r.status_code)
        if r.streaming:
            b"".join(r.streaming_content)
        return time.perf_counter() - t

    n = b.page_count
    pages = f"/review/{b.bundle_id}/page"
    viewer_first = timed(f"{pages}/1/")  # the first request of the process (templates compiled)
    opens = {}
    for p in sorted({min(2, n), (n + 1) // 2, n}):
        html = timed(f"{pages}/{p}/")
        png = timed(f"{pages}/{p}.png")  # nothing rendered yet: cold
        opens[p] = (html, png)
    shutil.rmtree(Path(tmp) / "render" / b.bundle_id, ignore_errors=True)  # every page cold again
    t = time.perf_counter()
    cold = [timed(f"{pages}/{p}.png") for p in range(1, n + 1)]
    all_cold = time.perf_counter() - t
    warm = [timed(f"{pages}/{p}.png") for p in range(1, n + 1)]
    timed(f"/review/{b.bundle_id}/")  # warm-up
    t = time.perf_counter()
    bundle_page = [timed(f"/review/{b.bundle_id}/") for _ in range(20)]
    bundle_wall = time.perf_counter() - t
    ms = lambda x: round(x * 1000, 1)  # noqa: E731
    fig = {"bundle": b.bundle_id, "pages": n, "findings": b.findings.count(), "import_s": round(t_import, 1),
           "recheck": {k: v for k, v in (b.anonymized_detail.get("workbench_check") or {}).items() if k != "leaks"},
           "viewer_html_first_ms": ms(viewer_first),
           "viewer_open_cold_ms": {str(p): {"html": ms(h), "page_image": ms(i), "total": ms(h + i)}
                                   for p, (h, i) in opens.items()},
           "viewer_open_cold_ms_median": ms(statistics.median(h + i for h, i in opens.values())),
           "page_image_cold_ms": {"median": ms(statistics.median(cold)), "p95": ms(_pct(cold, 95)),
                                  "max": ms(max(cold))},
           "all_pages_cold_s": round(all_cold, 2),
           "page_image_warm_ms_median": round(statistics.median(warm) * 1000, 2),
           "bundle_page_ms_median": ms(statistics.median(bundle_page)),
           "bundle_page_per_s": round(len(bundle_page) / bundle_wall, 2),
           "how": "in-process Django test client, one client, sequential; SQLite; nice -n 15 on a shared 2-core box"}
    print(json.dumps(fig, ensure_ascii=False, indent=1))
    if not a.keep:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
