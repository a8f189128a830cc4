"""Manual indicator values: a unit submits, its parent approves (locked) or returns with a comment, with history."""

from decimal import Decimal

import pytest

from kynangso.accounts.models import Role
from kynangso.errors import DomainError
from kynangso.monitoring import api as monitoring
from kynangso.monitoring.targets import set_target
from tests.factories import make_user
from tests.monitoring.conftest import make_indicator


@pytest.fixture
def campaigns(db):
    return make_indicator("chien-dich-truyen-thong", name="Số chiến dịch truyền thông", measure="count", kind="manual")


@pytest.fixture
def stem_rate(db):
    return make_indicator("co-so-gd-stem", name="Tỷ lệ cơ sở giáo dục có STEM", measure="percent", kind="manual")


def submit(actor, unit, value, indicator="chien-dich-truyen-thong", year=2025, note=""):
    return monitoring.submit_manual_value(
        indicator_code=indicator, unit_id=unit.pk, year=year, value=value, note=note, actor=actor
    )


def test_commune_submits_a_value_and_it_waits_for_approval(province, commune_admin, campaigns):
    value = submit(commune_admin, province.a, "4", note="Hai chiến dịch mỗi quý")
    assert (value.status, value.value, value.note) == ("submitted", Decimal("4.00"), "Hai chiến dịch mỗi quý")
    assert [e.action for e in value.events.all()] == ["submitted"]


def test_commune_cannot_submit_for_another_commune(province, commune_admin, campaigns):
    with pytest.raises(DomainError) as error:
        submit(commune_admin, province.b, 4)
    assert error.value.code == "forbidden"


def test_commune_cannot_approve_its_own_value(province, commune_admin, campaigns):
    value = submit(commune_admin, province.a, 4)
    with pytest.raises(DomainError, match="cấp trên"):
        monitoring.approve_manual_value(value_id=value.pk, actor=commune_admin)


def test_province_approves_and_the_value_is_locked(province, commune_admin, provincial_admin, campaigns):
    value = submit(commune_admin, province.a, 4)
    approved = monitoring.approve_manual_value(value_id=value.pk, actor=provincial_admin)
    assert (approved.status, approved.decided_by) == ("approved", provincial_admin)
    with pytest.raises(DomainError) as error:
        submit(commune_admin, province.a, 5)
    assert error.value.code == "locked"


def test_returning_needs_a_comment(province, commune_admin, provincial_admin, campaigns):
    value = submit(commune_admin, province.a, 4)
    with pytest.raises(DomainError, match="lý do"):
        monitoring.return_manual_value(value_id=value.pk, comment="  ", actor=provincial_admin)


def test_returned_value_can_be_corrected_and_keeps_its_history(province, commune_admin, provincial_admin, campaigns):
    value = submit(commune_admin, province.a, 40)
    returned = monitoring.return_manual_value(
        value_id=value.pk, comment="Số liệu gấp mười lần năm trước?", actor=provincial_admin
    )
    assert (returned.status, returned.comment) == ("returned", "Số liệu gấp mười lần năm trước?")
    submit(commune_admin, province.a, 4)
    monitoring.approve_manual_value(value_id=value.pk, actor=provincial_admin)
    history = [(e.action, e.value, e.comment) for e in value.events.order_by("at", "id")]
    assert history == [
        ("submitted", Decimal("40.00"), ""),
        ("returned", Decimal("40.00"), "Số liệu gấp mười lần năm trước?"),
        ("submitted", Decimal("4.00"), ""),
        ("approved", Decimal("4.00"), ""),
    ]


def test_an_approved_value_cannot_be_decided_again(province, commune_admin, provincial_admin, campaigns):
    value = submit(commune_admin, province.a, 4)
    monitoring.approve_manual_value(value_id=value.pk, actor=provincial_admin)
    with pytest.raises(DomainError, match="chờ duyệt"):
        monitoring.return_manual_value(value_id=value.pk, comment="Sai", actor=provincial_admin)


def test_a_computed_indicator_cannot_be_entered_by_hand(province, commune_admin, resident_pass_rate):
    with pytest.raises(DomainError, match="tự động"):
        submit(commune_admin, province.a, 4, indicator=resident_pass_rate.code)


@pytest.mark.parametrize("bad", ["-1", "abc", "2.5"])
def test_a_count_must_be_a_whole_non_negative_number(province, commune_admin, campaigns, bad):
    with pytest.raises(DomainError):
        submit(commune_admin, province.a, bad)


def test_a_percentage_cannot_exceed_one_hundred(province, commune_admin, stem_rate):
    with pytest.raises(DomainError, match="100%"):
        submit(commune_admin, province.a, "100.5", indicator="co-so-gd-stem")


def test_pending_approvals_are_the_values_whose_parent_unit_is_in_scope(
    province, commune_admin, provincial_admin, campaigns
):
    commune_value = submit(commune_admin, province.a, 4)
    school_value = submit(commune_admin, province.school, 1)
    assert [v.pk for v in monitoring.pending_approvals(user=provincial_admin)] == [commune_value.pk, school_value.pk]
    assert [v.pk for v in monitoring.pending_approvals(user=commune_admin)] == [school_value.pk]


def test_commune_approves_its_schools_value(province, commune_admin, campaigns):
    value = submit(make_user("giao_vien", Role.UNIT_ADMIN, province.school), province.school, 1)
    assert monitoring.approve_manual_value(value_id=value.pk, actor=commune_admin).status == "approved"


def test_the_official_who_entered_a_value_cannot_approve_it(province, commune_admin, campaigns):
    # The commune may approve its school's values, but not one its own official typed in for the school.
    value = submit(commune_admin, province.school, 1)
    with pytest.raises(DomainError) as error:
        monitoring.approve_manual_value(value_id=value.pk, actor=commune_admin)
    assert error.value.code == "four_eyes"
    assert "không thể tự duyệt" in error.value.message
    value.refresh_from_db()
    assert value.status == "submitted"


def test_a_second_official_approves_and_both_are_recorded(province, commune_admin, campaigns):
    colleague = make_user("pho_chu_tich_xa", Role.UNIT_ADMIN, province.a)
    value = submit(commune_admin, province.school, 1)
    approved = monitoring.approve_manual_value(value_id=value.pk, actor=colleague)
    assert (approved.entered_by, approved.decided_by, approved.status) == (commune_admin, colleague, "approved")
    assert [(e.action, e.actor) for e in approved.events.order_by("at", "id")] == [
        ("submitted", commune_admin),
        ("approved", colleague),
    ]


def test_whoever_corrected_a_value_last_is_its_enterer(province, commune_admin, campaigns):
    colleague = make_user("pho_chu_tich_xa", Role.UNIT_ADMIN, province.a)
    school_official = make_user("giao_vien", Role.UNIT_ADMIN, province.school)
    value = submit(colleague, province.school, 1)
    monitoring.return_manual_value(value_id=value.pk, comment="Thiếu một chiến dịch", actor=commune_admin)
    submit(school_official, province.school, 2)
    assert monitoring.approve_manual_value(value_id=value.pk, actor=colleague).entered_by == school_official


def test_manual_values_of_a_unit_and_year(province, commune_admin, campaigns, stem_rate):
    submit(commune_admin, province.a, 4)
    submit(commune_admin, province.a, "55,5", indicator="co-so-gd-stem")
    submit(commune_admin, province.a, 3, year=2024)
    values = monitoring.manual_values(unit_id=province.a.pk, year=2025)
    assert [(v.indicator.code, v.value) for v in values] == [
        ("chien-dich-truyen-thong", Decimal("4.00")),
        ("co-so-gd-stem", Decimal("55.50")),
    ]


def test_province_count_is_the_sum_of_approved_children_until_it_has_its_own(province, provincial_admin, campaigns):
    import datetime

    from kynangso.plans import api as plans

    plan = plans.create_plan(
        key="kh",
        title="KH",
        issuing_body="UBND",
        issued_year=2025,
        period_start=datetime.date(2025, 1, 1),
        period_end=datetime.date(2025, 12, 31),
    )
    set_target(plan=plan, indicator=campaigns, unit=province.root, year=2025, value=12)
    admin_b = make_user("admin_xa_b", Role.UNIT_ADMIN, province.b)
    a = submit(make_user("admin_a2", Role.UNIT_ADMIN, province.a), province.a, 3)
    b = submit(admin_b, province.b, 2)
    for value in (a, b):
        monitoring.approve_manual_value(value_id=value.pk, actor=provincial_admin)
    (status,) = monitoring.indicator_statuses(plan_id=plan.pk, unit_id=province.root.pk, year=2025)
    assert (status.value, status.target, status.gap) == (Decimal("5"), Decimal("12"), Decimal("7"))
    own = submit(provincial_admin, province.root, 9)
    monitoring.approve_manual_value(
        value_id=own.pk, actor=make_user("pho_chu_tich_tinh", Role.PROVINCIAL_ADMIN, province.root)
    )
    (status,) = monitoring.indicator_statuses(plan_id=plan.pk, unit_id=province.root.pk, year=2025)
    assert status.value == Decimal("9.00")
