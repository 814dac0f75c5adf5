"""Load test of the workbench's autosave against PostgreSQL, on loopback only.

    .venv/bin/python scripts/wb_load.py                      # 20 sessions for 120 s (the note's figures)
    .venv/bin/python scripts/wb_load.py --sessions 6 --seconds 10   # the bounded version the test runs

What it does, all on this machine: starts a throwaway PostgreSQL (workbench.pgtemp),
migrates, imports a synthetic batch twice (the second import must change nothing), makes
``sessions/2`` expert accounts in one group, starts the workbench (Django's threaded
server on 127.0.0.1) and runs ``--sessions`` logged-in sessions — two per account, like
two browser tabs — that score random items of the same bundle with random valid values
for ``--seconds``. A 409 (someone saved first) is answered as the page does: take the
stored version and save again. Afterwards every row is checked: its version equals the
number of acknowledged saves of it, each acknowledged save was typed against the version
the save before it produced (so none overwrote a save its sender had not seen), and its
value is the one of the last acknowledged save — no acknowledged write lost or silently
overwritten. Prints p50/p95/max of
save latency, saves per second, then the bundle page served per second.

Bounded: fixed session count and duration, loopback only, stops by itself.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PASSWORD = "load-test-pw-1"


def _pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))] if xs else float("nan")


def _django(url: str):
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workbench.settings")
    import django

    django.setup()


def _prepare(out: Path, sessions: int) -> tuple[str, list[str]]:
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from workbench.review.importer import import_batch
    from workbench.review.models import Assignment, Bundle, ExpertProfile, ReviewGroup
    from workbench.review.roles import ensure_roles

    call_command("migrate", verbosity=0)
    first, second = import_batch(out), import_batch(out)
    assert first.created and not second.created and not second.updated, (first, second)
    _, expert_g = ensure_roles()
    User = get_user_model()
    names = [f"load{i:02d}" for i in range(max(3, sessions // 2))]
    users = []
    for i, n in enumerate(names):
        u = User.objects.create_user(n, password=PASSWORD)
        u.groups.add(expert_g)
        ExpertProfile.objects.create(user=u, level="national" if i == 0 else "provincial")
        users.append(u)
    g = ReviewGroup.objects.create(name="压测组", leader=users[0])
    g.experts.set(users)
    b = Bundle.objects.filter(anonymized_safe=True).order_by("bundle_id").first()
    Assignment.objects.create(bundle=b, group=g, assigned_by=users[0])
    return b.bundle_id, names


def _values():
    from checks import checklist

    out = {}
    for it in checklist.ITEMS:
        if it.veto:
            out[it.no] = [{"verdict": v} for v in ("conform", "not_conform")]
        else:
            steps = [Decimal(str(x)) for x in (0, 0.1, 0.5, 0.9, 1.0, it.points) if x <= it.points]
            out[it.no] = [{"direct_score": str(s)} for s in steps]
    return out


class Session(threading.Thread):
    def __init__(self, base: str, user: str, bundle: str, deadline: float, seed: int, values: dict):
        super().__init__(daemon=True)
        self.base, self.user, self.bundle, self.deadline = base, user, bundle, deadline
        self.rng, self.values = random.Random(seed), values
        self.lat: list[float] = []
        self.acked: list[tuple[int, int, int, dict]] = []  # (item, version typed against, version after, payload)
        self.conflicts = self.errors = 0
        self.versions: dict[int, int] = {}

    def run(self) -> None:
        s = requests.Session()
        r = s.get(f"{self.base}/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', r.text).group(1)
        r = s.post(f"{self.base}/accounts/login/", data={"username": self.user, "password": PASSWORD,
                                                          "csrfmiddlewaretoken": token, "next": "/review/"})
        assert r.status_code == 200 and "我的审核任务" in r.text, r.status_code
        page = s.get(f"{self.base}/review/{self.bundle}/").text
        for m in re.finditer(r'data-item="(\d+)" data-url="[^"]+" data-version="(\d+)"', page):
            self.versions[int(m.group(1))] = int(m.group(2))
        headers = {"X-CSRFToken": s.cookies["csrftoken"], "Referer": self.base}
        while time.monotonic() < self.deadline:
            item = self.rng.randrange(1, 97)
            payload = dict(self.rng.choice(self.values[item]))
            for _ in range(5):
                t0 = time.perf_counter()
                base = self.versions.get(item, 0)
                r = s.post(f"{self.base}/review/{self.bundle}/score/{item}/", json={**payload, "version": base},
                           headers=headers, timeout=30)
                self.lat.append(time.perf_counter() - t0)
                if r.status_code == 200:
                    v = r.json()["version"]
                    self.versions[item] = v
                    self.acked.append((item, base, v, payload))
                    break
                if r.status_code == 409:  # the other tab saved first: take its version, save again
                    self.conflicts += 1
                    self.versions[item] = r.json()["version"]
                    continue
                self.errors += 1
                break


def _verify(bundle: str, sessions: list[Session]) -> tuple[int, list[str]]:
    from workbench.review.models import ItemScore

    expected: dict[tuple[str, int], list[tuple[int, int, dict]]] = defaultdict(list)
    for s in sessions:
        for item, base, version, payload in s.acked:
            expected[(s.user, item)].append((version, base, payload))
    problems = []
    rows = {(r.expert.username, r.item_no): r for r in ItemScore.objects.filter(bundle__bundle_id=bundle)
            .select_related("expert")}
    for key, acks in expected.items():
        acks.sort(key=lambda a: a[0])
        versions = [v for v, _, _ in acks]
        # each acknowledged save was typed against the one before it: none overwrote a save it had not seen
        if [b for _, b, _ in acks] != [0] + versions[:-1]:
            problems.append(f"{key}: a save overwrote one it had not seen: {[(b, v) for v, b, _ in acks]}")
        row = rows.get(key)
        if row is None:
            problems.append(f"{key}: acknowledged but no row")
            continue
        if versions != list(range(1, len(versions) + 1)) or row.version != len(versions):
            problems.append(f"{key}: versions {versions} but row at {row.version}")
        last = acks[-1][2]
        got = row.verdict if "verdict" in last else row.direct_score
        want = last.get("verdict") or Decimal(last["direct_score"])
        if got != want:
            problems.append(f"{key}: row holds {got}, last acknowledged save was {want}")
    return sum(len(a) for a in expected.values()), problems


def _page_rate(base: str, user: str, bundle: str, seconds: float, threads: int = 4) -> float:
    s = requests.Session()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', s.get(f"{base}/accounts/login/").text).group(1)
    s.post(f"{base}/accounts/login/", data={"username": user, "password": PASSWORD, "csrfmiddlewaretoken": token})
    count, lock, end = [0], threading.Lock(), time.monotonic() + seconds

    def loop():
        ss = requests.Session()
        ss.cookies.update(s.cookies)
        while time.monotonic() < end:
            assert ss.get(f"{base}/review/{bundle}/").status_code == 200
            with lock:
                count[0] += 1
    ts = [threading.Thread(target=loop) for _ in range(threads)]
    t0 = time.monotonic()
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    return count[0] / (time.monotonic() - t0)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sessions", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=120)
    ap.add_argument("--page-seconds", type=float, default=15)
    ap.add_argument("--out", help="a bundlecheck output folder (default: a synthetic one)")
    ap.add_argument("--json", help="write the figures here")
    a = ap.parse_args(argv)
    from workbench.pgtemp import temporary_server

    with temporary_server() as url, tempfile.TemporaryDirectory() as tmp:
        os.environ["WORKBENCH_RECHECK"] = "0" if not a.out else "1"
        os.environ["WORKBENCH_RENDER_CACHE"] = str(Path(tmp) / "render")
        _django(url)
        if a.out:
            out = Path(a.out)
        else:
            from tests.workbench.synth import make_out
            out = make_out(Path(tmp) / "batch")
        bundle, names = _prepare(out, a.sessions)
        port = 18000 + os.getpid() % 1000
        env = {**os.environ, "DATABASE_URL": url}
        server = subprocess.Popen([sys.executable, "-m", "workbench", "runserver", "--noreload", f"127.0.0.1:{port}"],
                                  cwd=ROOT, env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(100):
                try:
                    requests.get(f"{base}/accounts/login/", timeout=1)
                    break
                except requests.ConnectionError:
                    time.sleep(0.2)
            values = _values()
            deadline = time.monotonic() + a.seconds
            sessions = [Session(base, names[i % len(names)], bundle, deadline, i, values) for i in range(a.sessions)]
            t0 = time.monotonic()
            for s in sessions:
                s.start()
            for s in sessions:
                s.join(a.seconds + 60)
            took = time.monotonic() - t0
            acked, problems = _verify(bundle, sessions)
            lat = [x for s in sessions for x in s.lat]
            rate = _page_rate(base, names[0], bundle, a.page_seconds)
        finally:
            server.terminate()
            server.wait(10)
        fig = {"sessions": a.sessions, "accounts": len(names), "seconds": round(took, 1), "requests": len(lat),
               "acknowledged_saves": acked, "conflicts_409": sum(s.conflicts for s in sessions),
               "errors": sum(s.errors for s in sessions), "saves_per_s": round(acked / took, 1),
               "p50_ms": round(_pct(lat, 50) * 1000, 1), "p95_ms": round(_pct(lat, 95) * 1000, 1),
               "max_ms": round(max(lat) * 1000, 1) if lat else None,
               "bundle_page_per_s": round(rate, 2), "lost_or_overwritten": problems}
        print(json.dumps(fig, ensure_ascii=False, indent=1))
        if a.json:
            Path(a.json).write_text(json.dumps(fig, ensure_ascii=False, indent=1), encoding="utf-8")
        return 1 if problems or fig["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
