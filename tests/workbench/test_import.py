"""import_batch: reads findings, verdict and identity; a second import changes nothing."""
from __future__ import annotations

import json

from django.core.management import call_command

from workbench.review import blind
from workbench.review.importer import city_of, import_batch
from workbench.review.models import Batch, Bundle, Finding, PreflagDecision


def _snapshot():
    return (list(Bundle.objects.order_by("pk").values()), list(Finding.objects.order_by("pk").values()),
            list(Batch.objects.values()))


def test_import_reads_outputs_and_keeps_identity_for_the_center(out_dir, db):
    rep = import_batch(out_dir)
    assert sorted(rep.created) == ["T-001", "T-002"]
    b = Bundle.objects.get(bundle_id="T-001")
    assert b.anonymized_safe and b.page_count == 3 and b.city == "新乡市"
    assert b.institution_name == "河南测试检测技术有限公司" and b.original_pdf.endswith("original.pdf")
    assert not Bundle.objects.get(bundle_id="T-002").anonymized_safe
    f = b.findings.get(seq=1)
    assert "豫卫职技字〔2021〕第0099号" in f.message                 # the center's copy
    assert "0099" not in f.message_blind and "测试检测" not in f.message_blind
    assert blind.MASK in f.message_blind
    assert "0099" not in json.dumps(f.evidence, ensure_ascii=False)


def test_second_import_changes_nothing(out_dir, db, capsys):
    call_command("import_batch", str(out_dir))
    before = _snapshot()
    call_command("import_batch", str(out_dir))
    assert "未变 2" in capsys.readouterr().out
    assert _snapshot() == before


def test_changed_findings_update_unless_already_judged(out_dir, db, people):
    import_batch(out_dir)
    path = out_dir / "T-001" / "findings.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["findings"] = data["findings"][:1]
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert import_batch(out_dir).updated == ["T-001"]
    assert Finding.objects.filter(bundle__bundle_id="T-001").count() == 1
    PreflagDecision.objects.create(finding=Finding.objects.get(bundle__bundle_id="T-001"), expert=people["e1"],
                                   decision="confirm")
    data["findings"] = []
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    rep = import_batch(out_dir)
    assert rep.kept == ["T-001"] and Finding.objects.filter(bundle__bundle_id="T-001").count() == 1


def test_scrub_catches_other_brackets_and_spacing():
    ids = ["豫卫职技字〔2021〕第0099号", "0373-5551234", "测试检测"]
    text = "证书 豫卫职技字[2021]第0099号，电话 0373 5551234，测 试 检 测 盖章"
    out = blind.scrub(text, ids)
    assert blind.leaks(out, ids) == [] and out.count(blind.MASK) == 3


def test_city_of():
    assert city_of("河南省安阳市殷都区学府路233号") == "安阳市"
    assert city_of("郑州市金水区文化路88号") == "郑州市"
