"""A screenshot of the Prefect UI's runs page of a running local cluster, in headless
Debian Chromium (nothing downloaded). The cluster must be up and have run a batch:

    .venv/bin/bundlecheck cluster up --workers 2
    .venv/bin/bundlecheck submit BUNDLES --out OUT
    .venv/bin/python scripts/cluster_screenshot.py --out docs/prefect-ui-runs.png
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from flows import cluster

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--dir", type=Path, default=None, help="cluster state folder (default ~/.bundlecheck/cluster)")
    ap.add_argument("--out", type=Path, default=Path("docs/prefect-ui-runs.png"))
    ap.add_argument("--path", default="/runs", help="UI page to open")
    args = ap.parse_args()
    state = cluster.read_state((args.dir or cluster.default_dir()).resolve())
    if not cluster.is_up(state):
        sys.exit("集群未运行 / the cluster is not up")
    from playwright.sync_api import sync_playwright

    args.out.parent.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        page = browser.new_context(viewport={"width": 1600, "height": 1000}).new_page()
        page.goto(state["server"]["ui"] + args.path, wait_until="networkidle")
        page.get_by_text("bundlecheck-cluster-bundle").first.wait_for(timeout=30000)
        page.wait_for_timeout(2000)  # charts and counts fill in after the list
        page.screenshot(path=str(args.out), full_page=True)
        browser.close()
    print(f"截图 / screenshot: {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
