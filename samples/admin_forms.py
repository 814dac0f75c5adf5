"""Administrative content of a clean bundle that items 21, 26, 32 and 47 read (issue 14,
slice 2): the disclosure record's published items, the contract's own wording about
subcontracting, the noise record's unit layout; and the other institutions a planted
subcontracting names.

Drawn from a generator of its own (``admin_rng``), so adding this content leaves every
number the scenario builder draws, and so every existing bundle's facts, unchanged.
"""
from __future__ import annotations

import datetime as dt
import random

from samples import vocab as V
from samples.model import DISCLOSURE_KEYS, DISCLOSURE_YES, DisclosedItem, Identity, Scenario

# How institutions label each required disclosure item (seed 002, attachment 3 item 26).
DISCLOSURE_LABELS: dict[str, tuple[str, ...]] = {
    "name": ("用人单位名称", "用人单位", "委托单位名称"),
    "address": ("用人单位地址", "地址", "单位地址"),
    "contact": ("联系人", "用人单位联系人", "企业联系人"),
    "escort": ("陪同人", "用人单位陪同人", "现场陪同人员"),
    "team": ("项目组人员名单", "技术服务项目组人员", "项目组成员名单"),
    "times": ("现场调查、采样时间", "现场调查及现场采样时间", "现场工作时间"),
    "images": ("影像资料", "现场调查、采样影像资料", "现场影像资料"),
}

# Clean contracts sometimes say, in the negative, that the work will NOT be subcontracted:
# a reader must not take the words 转包/分包 alone for a subcontracting.
NO_SUBCONTRACT_DUTIES = (
    "不得将本项目转包或分包给其他机构",
    "本项目由乙方独立完成，不转包、不分包",
    "未经甲方书面同意，不得将检测工作委托第三方",
)


BLANKS = ("", "/", "—", "-")


def is_published(it: DisclosedItem, layout: str) -> bool:
    """Whether the disclosure record shows the item as published: in a checklist its mark
    says so, in a values layout its value stands there (not blank, not 未公示)."""
    if layout == "values":
        return it.value.strip() not in BLANKS + ("未公示", "否")
    return it.mark in DISCLOSURE_YES


def admin_rng(s: Scenario) -> random.Random:
    return random.Random(f"admin-forms:{s.seed}:{s.bundle_id}")


def _dates(ds: list[dt.date]) -> str:
    return "、".join(d.isoformat() for d in sorted(set(ds)))


def disclosure_value(s: Scenario, key: str) -> str:
    """The value the institution's website publishes for ``key``."""
    e = s.employer
    if key == "name":
        return e.name
    if key == "address":
        return e.address
    if key == "contact":
        return e.contact
    if key == "escort":
        return e.escort
    if key == "team":
        return "、".join(m.name for m in s.report.team)
    if key == "times":
        return f"现场调查：{_dates(s.survey.dates)}；现场采样：{_dates([d.date for d in s.sampling_days])}"
    if key == "images":
        # no photo count: a planter that drops a factor also drops its photos
        return ("厂区门口合影、现场调查及采样照片", "已公示现场调查、现场采样照片",
                "现场照片（厂区门口合影、采样现场）")[len(s.survey.project_no) % 3]
    raise KeyError(key)


def add_admin_content(s: Scenario) -> None:
    """Fill a freshly built clean scenario's administrative content (varied per bundle)."""
    rng = admin_rng(s)
    d = s.disclosure
    d.layout = rng.choice(["checklist", "values"])
    mark = rng.choice(["是", "已公示"])
    pick = rng.randrange(3)
    d.published = [DisclosedItem(k, DISCLOSURE_LABELS[k][(pick + i) % 3 if rng.random() < 0.3 else pick],
                                 disclosure_value(s, k), mark) for i, k in enumerate(DISCLOSURE_KEYS)]
    d.items = [x.label for x in d.published]
    if rng.random() < 0.35:
        s.contract.party_b_duties.insert(len(s.contract.party_b_duties) - 1, rng.choice(NO_SUBCONTRACT_DUTIES))
    s.style.noise_unit_in_cell = rng.random() < 0.4


def other_institution(s: Scenario, rng: random.Random) -> tuple[str, str, str]:
    """(name, address, phone) of another plausible technical-service institution: another
    trade name, and no term that identifies the submitting institution (its name,
    aliases, address, phone), so the blind copy hides what it must and no more."""
    ident: Identity = s.identity
    terms = [t for t in [ident.name, ident.address, ident.lab_address, ident.phone, *ident.aliases] if t and len(t) >= 2]
    for _ in range(200):
        prov = rng.choice([V.HOME_PROVINCE] * 3 + sorted(V.PROVINCES))
        cities = V.PROVINCES[prov][1]
        city = rng.choice(sorted(cities))
        area, districts = cities[city]
        trade = rng.choice(sorted(V.TRADE_NAMES))
        business, _, _ = rng.choice(V.INSTITUTION_KINDS)
        prefix = prov[:-1] if rng.random() < 0.5 else city[:-1]
        name = f"{prefix}{trade}{business}{rng.choice(V.COMPANY_FORMS[:2])}"
        address = f"{city}{rng.choice(districts)}{rng.choice(V.ROADS)}{rng.randrange(8, 260)}号"
        digits = 8 if len(area) == 4 else 7
        phone = f"{area}-{rng.choice('5678')}{rng.randrange(10 ** (digits - 1)):0{digits - 1}d}"
        if trade in ident.name or name == ident.name:
            continue
        if any(t in x or x in t for t in terms for x in (name, address, phone)):
            continue
        return name, address, phone
    raise RuntimeError("no other institution name")
