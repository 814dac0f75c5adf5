"""Workbench fixtures: a synthetic output folder imported, the roles, and people."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.workbench.synth import make_out

PASSWORD = "pw-for-tests-1"


@pytest.fixture
def out_dir(tmp_path, settings):
    settings.RENDER_CACHE = tmp_path / "render"
    settings.WORKBENCH_RECHECK = False  # test_recheck.py turns the OCR re-check on
    return make_out(tmp_path)


@pytest.fixture
def people(db, django_user_model):
    from workbench.review.models import ExpertProfile
    from workbench.review.roles import ensure_roles

    center_g, expert_g = ensure_roles()
    made = {}
    for name, level in [("center", None), ("lead", "national"), ("e1", "provincial"), ("e2", "provincial"),
                        ("e3", "provincial"), ("outsider", "national")]:
        u = django_user_model.objects.create_user(name, password=PASSWORD)
        if level:
            u.groups.add(expert_g)
            ExpertProfile.objects.create(user=u, level=level, institution="某大学")
        else:
            u.groups.add(center_g)
        made[name] = u
    return made


@pytest.fixture
def imported(out_dir, db):
    from workbench.review.importer import import_batch

    import_batch(out_dir)
    return out_dir


@pytest.fixture
def group(people):
    from workbench.review.models import ReviewGroup

    g = ReviewGroup.objects.create(name="一组", leader=people["lead"], check_date=dt.date(2023, 9, 28))
    g.experts.set([people[n] for n in ("lead", "e1", "e2", "e3")])
    return g


@pytest.fixture
def assigned(imported, group, people):
    from workbench.review.models import Assignment, Bundle

    return Assignment.objects.create(bundle=Bundle.objects.get(bundle_id="T-001"), group=group,
                                     assigned_by=people["center"])


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


REAL_N, REAL_SEED = 2, 7  # the first two of the demo batch (make demo: --n 3 --seed 7)


@pytest.fixture(scope="session")
def real_out(tmp_path_factory):
    """A real ``bundlecheck run`` over 3 born-digital sample bundles (made once per test run,
    shared by the xdist workers through a lock). ``WB_REAL_OUT`` may name an existing output
    folder of the same bundles to skip the run while developing."""
    import fcntl
    import os
    import subprocess
    import sys

    if os.environ.get("WB_REAL_OUT"):
        return Path(os.environ["WB_REAL_OUT"])
    shared = tmp_path_factory.getbasetemp().parent
    root = shared / "wb_real"
    cli = Path(sys.executable).with_name("bundlecheck")
    with open(shared / "wb_real.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (root / "out" / "summary.json").is_file():
            subprocess.run([str(cli), "samples", "--out", str(root / "bundles"), "--n", str(REAL_N),
                            "--seed", str(REAL_SEED), "--scanned-ratio", "0"], check=True, capture_output=True)
            subprocess.run([str(cli), "run", str(root / "bundles"), "--out", str(root / "out"), "--engine", "plain",
                            "--cache-dir", str(root / "cache")], check=True, capture_output=True)
        if not (root / "rechecked").is_file():  # warm the OCR re-check once for every worker
            _warm_recheck(root / "out", root / "wb_render")
            (root / "rechecked").write_text("ok")
    return root / "out"


def _warm_recheck(out, render):
    """What import_batch will ask recheck.check_pdf for each safe blind copy, computed once."""
    import json

    from django.test import override_settings

    from workbench.review import recheck
    from workbench.review.models import Bundle

    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    with override_settings(RENDER_CACHE=render):
        for entry in summary["bundles"]:
            res = json.loads((out / entry["bundle_id"] / "findings.json").read_text(encoding="utf-8"))
            sub = json.loads((Path(summary["input"]) / entry["folder"] / "submission.json").read_text(encoding="utf-8"))
            pdf = out / entry["bundle_id"] / "anonymized.pdf"
            if (res.get("anonymized") or {}).get("safe") and pdf.is_file():
                recheck.check_pdf(pdf, Bundle(identity=sub["institution"]).identity_strings())
