#!/usr/bin/env python
"""Generate bundles whose layout the extractors have never seen, to show extraction
does not depend on our generator's own column order, labels or id formats.

    .venv/bin/python scripts/extract_variants.py --out /tmp/ex_var --n 4 --seed 77 [--scanned-ratio 0]
    .venv/bin/python scripts/extract_accuracy.py --bundles /tmp/ex_var

What it varies (by patching the generator in this process only; nothing is edited):

- every table's columns fully shuffled (the sample-id column is no longer first);
- column titles rewritten to wordings absent from the generator and from the
  extractors' synonym lists (``流量(采样前)``, ``样品唯一编号``, ``采样起讫时间`` …);
- form labels picked from unseen synonyms (``采样者``, ``陪同人签字`` …);
- sample-id formats the generator never uses (``ZJ220614-007``-style and others).
"""
from __future__ import annotations

import argparse
import random
import sys
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TITLE_VARIANTS = {
    "采样前流量(L/min)": ["流量(采样前)L/min", "采样前流量 L/min"],
    "采样后流量(L/min)": ["流量(采样后)L/min", "采样后流量 L/min"],
    "采样时长(min)": ["采样持续时间(min)", "时长/min"],
    "采样方式": ["采样类型", "采样形式"],
    "岗位/采样对象": ["岗位(工种)/对象", "工种/采样对象"],
    "采样器编号": ["采样仪器编号", "采样泵编号"],
    "收集器": ["采样介质", "收集器类型"],
    "样品状态": ["样品状况", "状态"],
    "数量": ["个数", "样品数"],
}
LABEL_VARIANTS = {
    "样品编号": ["样品唯一编号", "样品编号(唯一性)", "样品标识编号"],
    "采样时段": ["采样起讫时间", "采样起止时段"],
    "采样人": ["采样者", "采样人员签名"],
    "陪同人": ["陪同人签字", "用人单位陪同人员"],
    "复核人": ["复核者", "复核人签名"],
    "采样地点": ["采样位置", "检测点位置"],
    "送样人": ["送样人员", "移交人员"],
    "收样人": ["接收人员", "收样员"],
    "分析人": ["分析者", "检验员"],
}
ID_FORMATS = ["ZJ{yymmdd}-{nn:03d}", "WA-{yymm}-{seq:03d}", "{ab}{yy}-{seq:04d}", "JC{yymmdd}{nn:03d}"]


def patch(rng_seed: int) -> None:
    import samples.render.draw as draw
    import samples.render.field as field
    import samples.render.report as report
    import samples.scenario as scenario

    orig_make_style = scenario.make_style

    def make_style(rng, scanned):
        st = orig_make_style(rng, scanned)
        cols = {t: rng.sample(c, len(c)) for t, c in st.column_order.items()}
        labels = dict(st.labels)
        for k, vs in LABEL_VARIANTS.items():
            labels[k] = rng.choice(vs)
        return replace(st, column_order=cols, labels=labels, sample_id_format=rng.choice(ID_FORMATS))

    scenario.make_style = make_style

    def ordered_cols(r, table_key, cols):
        # full permutation of the listed keys, then unseen titles
        order = [k for k in (r.style.column_order.get(table_key) or []) if k in {c.key for c in cols}]
        by = {c.key: c for c in cols}
        it = iter(order)
        out = [by[next(it)] if c.key in order else c for c in cols]
        rr = random.Random(hash((r.style.sample_id_format, table_key)) & 0xFFFF)
        return [draw.Col(c.key, rr.choice(TITLE_VARIANTS[c.title]) if c.title in TITLE_VARIANTS else c.title,
                         c.weight, c.align) for c in out]

    field.ordered_cols = ordered_cols
    report.ordered_cols = ordered_cols


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--n", type=int, default=4)
    ap.add_argument("--seed", type=int, default=77)
    ap.add_argument("--scanned-ratio", type=float, default=0.0)
    a = ap.parse_args()
    patch(a.seed)
    from samples.batch import generate_batch

    generate_batch(a.out, a.n, a.seed, scanned_ratio=a.scanned_ratio, workers=1)
    print(f"wrote {a.n} variant bundles to {a.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
