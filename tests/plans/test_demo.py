"""The demo plan: imported for the demo province's units, with reported quarters; running it twice changes nothing."""

import datetime
import io

from kynangso.accounts.models import Role
from kynangso.plans import demo
from kynangso.plans.models import Occurrence, Plan
from tests.factories import make_unit, make_user


def test_demo_plan_is_imported_once_with_demo_leads_and_a_few_reports(db):
    root = make_unit("99", "Tỉnh Phú Hòa (dữ liệu mô phỏng)", kind="province")
    for code, name in [
        ("99-SKHCN", "Sở Khoa học và Công nghệ"),
        ("99-SNV", "Sở Nội vụ"),
        ("99-SGDDT", "Sở Giáo dục và Đào tạo"),
        ("99-STC", "Sở Tài chính"),
    ]:
        make_unit(code, name, kind="department", parent=root)
    make_unit("99007", "Xã Tân Phú", parent=root)
    make_user("quantri_tinh", Role.PROVINCIAL_ADMIN, root)
    today = datetime.date(2026, 5, 20)

    demo.populate(today=today, stdout=io.StringIO())
    first = list(Occurrence.objects.order_by("pk").values_list("pk", "status", "reported_at"))
    demo.populate(today=today, stdout=io.StringIO())

    plan = Plan.objects.get()
    assert plan.number_symbol == "99/KH-UBND" and plan.owner_unit.code == "99-SKHCN"
    campaign = plan.tasks.get(code="III.1.a")
    assert campaign.lead_unit.code == "99-SKHCN"
    assert list(campaign.cooperating_units.values_list("code", flat=True)) == ["99007"]
    assert plan.tasks.get(code="III.3.d").lead_unit.code == "99-SGDDT"
    assert plan.tasks.get(code="III.1.b").lead_unit is None  # the newspaper has no demo unit
    # Quarters ended before 20/05/2026: five; the last (Q1 2026) is left overdue, the others reported.
    assert campaign.occurrences.filter(reported_at__isnull=False).count() == 4
    assert campaign.occurrences.get(period_start=datetime.date(2026, 1, 1)).reported_at is None
    assert list(Occurrence.objects.order_by("pk").values_list("pk", "status", "reported_at")) == first


def test_demo_plan_text_names_the_demo_province_never_hau_giang_and_has_the_hamlet_objective(db):
    document = demo.demo_document(datetime.date(2026, 5, 20))

    def strings(value):
        if isinstance(value, str):
            yield value
        elif isinstance(value, list | tuple):
            for item in value:
                yield from strings(item)
        elif isinstance(value, dict):
            for item in value.values():
                yield from strings(item)

    texts = list(strings(document))
    assert not [text for text in texts if "Hậu Giang" in text]
    assert "tỉnh Phú Hòa" in document["plan"]["title"]
    assert any("Báo Phú Hòa" in text for text in texts)
    hamlets = next(o for o in document["objectives"] if o["code"] == "II.1.i")
    assert hamlets["indicator"] == "thon-co-to-cong-nghe-so"
