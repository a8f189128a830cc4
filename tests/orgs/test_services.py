"""Changing the unit tree: the closure table stays true after create, move and merge; impossible changes are refused."""

import datetime

import pytest

from kynangso.errors import DomainError
from kynangso.orgs import api as orgs
from kynangso.orgs import events as org_events
from kynangso.orgs.models import OrgUnitClosure, OrgUnitEvent, UnitDenominator, UnitEventKind
from kynangso.people import api as people
from tests.factories import make_person, make_unit

JULY_2025 = datetime.date(2025, 7, 1)


def subtree(unit) -> set[int]:
    return set(orgs.subtree_unit_ids([unit.id]).values_list("descendant_id", flat=True))


def closure_rows() -> set[tuple[int, int, int]]:
    return set(OrgUnitClosure.objects.values_list("ancestor_id", "descendant_id", "depth"))


def test_created_unit_is_in_the_subtree_of_every_ancestor(province):
    classroom = make_unit("L01", "Điểm trường Ấp Một", kind="school", parent=province.school)

    assert classroom.id in subtree(province.root)
    assert classroom.id in subtree(province.a)
    assert classroom.id in subtree(province.school)
    assert classroom.id not in subtree(province.b)


def test_created_unit_gets_closure_rows_with_depths(province):
    rows = set(OrgUnitClosure.objects.filter(descendant=province.school).values_list("ancestor_id", "depth"))

    assert rows == {(province.school.id, 0), (province.a.id, 1), (province.root.id, 2)}


def test_create_refuses_an_existing_code(province):
    with pytest.raises(DomainError, match="Mã đơn vị X001 đã tồn tại"):
        make_unit("X001", "Xã Trùng Mã", parent=province.root)


def test_create_refuses_an_unknown_kind(province):
    with pytest.raises(DomainError, match="Loại đơn vị không hợp lệ: village") as error:
        make_unit("X100", "Làng", kind="village", parent=province.root)
    assert error.value.field == "kind"


def test_create_refuses_a_school_level_on_a_commune(province):
    with pytest.raises(DomainError, match="Chỉ cơ sở giáo dục mới có cấp học"):
        make_unit("X100", "Xã Có Cấp Học", parent=province.root, school_level="primary")


def test_create_refuses_an_empty_name(province):
    with pytest.raises(DomainError, match="không được để trống"):
        orgs.create_unit(code="X100", name="  ", kind="commune", parent=province.root)


def test_create_refuses_a_merged_parent(province):
    orgs.merge_units(sources=[province.a], into=province.b, effective_date=JULY_2025)

    with pytest.raises(DomainError, match="«Xã An Bình» đã hết hiệu lực"):
        make_unit("TH02", "Trường mới", kind="school", parent=province.a)


def test_unit_name_is_stored_nfc_with_single_spaces(province):
    decomposed = "Xa\u0303  An Bi\u0300nh Mới"
    unit = make_unit("X100", decomposed, parent=province.root)

    assert unit.name == "Xã An Bình Mới"
    assert unit.search_name == "xa an binh moi"


def test_moved_unit_leaves_the_old_subtree_and_joins_the_new_one(province):
    orgs.move_unit(unit=province.school, new_parent=province.b, effective_date=JULY_2025)

    assert province.school.id in subtree(province.b)
    assert province.school.id not in subtree(province.a)
    assert province.school.id in subtree(province.root)


def test_moving_a_unit_takes_its_descendants_along(province):
    district = make_unit("H01", "Huyện Cũ", kind="district", parent=province.root)
    orgs.move_unit(unit=province.a, new_parent=district, effective_date=datetime.date(2024, 1, 1))

    assert {province.a.id, province.school.id} <= subtree(district)
    depth = OrgUnitClosure.objects.get(ancestor=province.root, descendant=province.school).depth
    assert depth == 3


def test_move_records_the_event_with_both_parents(province):
    orgs.move_unit(unit=province.school, new_parent=province.b, effective_date=JULY_2025, legal_basis="QĐ 1/2025")

    event = OrgUnitEvent.objects.get(unit=province.school)
    assert (event.kind, event.previous_parent, event.new_parent, event.legal_basis) == (
        UnitEventKind.MOVED,
        province.a,
        province.b,
        "QĐ 1/2025",
    )


def test_closure_after_moves_equals_a_full_rebuild(province):
    district = make_unit("H01", "Huyện Cũ", kind="district", parent=province.root)
    orgs.move_unit(unit=province.a, new_parent=district, effective_date=datetime.date(2024, 1, 1))
    orgs.move_unit(unit=province.a, new_parent=province.root, effective_date=JULY_2025)
    after_moves = closure_rows()

    orgs.rebuild_closure()

    assert closure_rows() == after_moves


def test_moving_a_unit_under_its_own_descendant_is_refused(province):
    with pytest.raises(DomainError, match="vì nó nằm trong đơn vị này"):
        orgs.move_unit(unit=province.a, new_parent=province.school, effective_date=JULY_2025)
    assert province.school.id in subtree(province.a)


def test_moving_a_unit_under_itself_is_refused(province):
    with pytest.raises(DomainError, match="vì nó nằm trong đơn vị này"):
        orgs.move_unit(unit=province.a, new_parent=province.a, effective_date=JULY_2025)


def test_moving_a_unit_under_an_ended_unit_is_refused(province):
    orgs.merge_units(sources=[province.b], into=province.a, effective_date=JULY_2025)

    with pytest.raises(DomainError, match="«Phường Bình Minh» đã hết hiệu lực"):
        orgs.move_unit(unit=province.department, new_parent=province.b, effective_date=JULY_2025)


def test_merged_unit_and_its_children_count_under_the_successor(province):
    orgs.merge_units(sources=[province.a], into=province.b, effective_date=JULY_2025)

    assert {province.a.id, province.school.id} <= subtree(province.b)


def test_people_of_a_merged_unit_count_under_the_successor(province):
    resident = make_person(province.a)

    orgs.merge_units(sources=[province.a], into=province.b, effective_date=JULY_2025)

    in_b = people.search_people(people.Person.objects.all(), unit_id=province.b.id)
    assert list(in_b) == [resident]


def test_merged_unit_stays_queryable_with_its_successor_and_end_date(province):
    orgs.merge_units(sources=[province.a], into=province.b, effective_date=JULY_2025, legal_basis="NQ 1/2025")

    merged = orgs.unit_by_code("X001")
    assert merged.successor == province.b
    assert merged.valid_to == datetime.date(2025, 6, 30)
    assert not merged.is_active
    event = OrgUnitEvent.objects.get(unit=merged)
    assert (event.kind, event.successor, event.previous_parent) == (UnitEventKind.MERGED, province.b, province.root)


def test_merging_several_units_at_once_puts_them_all_under_the_successor(province):
    new_commune = make_unit("X003", "Xã Hợp Nhất", parent=province.root)

    orgs.merge_units(sources=[province.a, province.b], into=new_commune, effective_date=JULY_2025)

    assert {province.a.id, province.b.id, province.school.id} <= subtree(new_commune)


def test_chain_of_mergers_leads_to_the_last_successor(province):
    c = make_unit("X003", "Xã Cuối Cùng", parent=province.root)
    orgs.merge_units(sources=[province.a], into=province.b, effective_date=datetime.date(2020, 1, 1))
    province.b.refresh_from_db()
    orgs.merge_units(sources=[province.b], into=c, effective_date=JULY_2025)

    a = orgs.unit_by_code("X001")
    assert orgs.current_successor(a) == c
    assert {a.id, province.b.id, province.school.id} <= subtree(c)
    assert [unit.code for unit in orgs.ancestors(province.school)] == ["T01", "X003", "X002", "X001", "TH01"]


def test_merging_an_already_merged_unit_is_refused(province):
    c = make_unit("X003", "Xã Khác", parent=province.root)
    orgs.merge_units(sources=[province.a], into=province.b, effective_date=JULY_2025)

    with pytest.raises(DomainError, match="đã được sáp nhập hoặc giải thể trước đó"):
        orgs.merge_units(sources=[province.a], into=c, effective_date=JULY_2025)


def test_merging_into_an_ended_unit_is_refused(province):
    orgs.merge_units(sources=[province.a], into=province.b, effective_date=JULY_2025)

    with pytest.raises(DomainError, match="Đơn vị tiếp nhận «Xã An Bình» đã hết hiệu lực"):
        orgs.merge_units(sources=[province.department], into=province.a, effective_date=JULY_2025)


def test_merging_a_unit_into_itself_is_refused(province):
    with pytest.raises(DomainError, match="vào chính nó"):
        orgs.merge_units(sources=[province.a], into=province.a, effective_date=JULY_2025)


def test_merging_a_unit_into_its_own_descendant_is_refused_and_changes_nothing(province):
    before = closure_rows()

    with pytest.raises(DomainError, match="vì nó nằm trong đơn vị này"):
        orgs.merge_units(sources=[province.a], into=province.school, effective_date=JULY_2025)

    assert closure_rows() == before
    assert orgs.unit_by_code("X001").is_active


def test_merging_nothing_is_refused(province):
    with pytest.raises(DomainError, match="Chưa chọn đơn vị nào"):
        orgs.merge_units(sources=[], into=province.a, effective_date=JULY_2025)


def test_merger_dated_before_the_source_began_is_refused(province):
    young = make_unit("X003", "Xã Mới Lập", parent=province.root, valid_from=datetime.date(2025, 8, 1))

    with pytest.raises(DomainError, match="phải sau ngày bắt đầu hiệu lực của «Xã Mới Lập»"):
        orgs.merge_units(sources=[young], into=province.a, effective_date=JULY_2025)


def test_dissolving_a_unit_with_active_children_is_refused(province):
    with pytest.raises(DomainError, match="vẫn còn đơn vị trực thuộc đang hoạt động"):
        orgs.dissolve_unit(unit=province.a, effective_date=JULY_2025)
    assert orgs.unit_by_code("X001").valid_to is None


def test_dissolving_a_unit_whose_children_were_moved_ends_it(province):
    district = make_unit("H01", "Huyện Cũ", kind="district", parent=province.root)
    orgs.move_unit(unit=province.a, new_parent=district, effective_date=datetime.date(2024, 1, 1))
    orgs.move_unit(unit=province.a, new_parent=province.root, effective_date=JULY_2025)

    orgs.dissolve_unit(unit=district, effective_date=JULY_2025, legal_basis="Luật 2025")

    district.refresh_from_db()
    assert district.valid_to == datetime.date(2025, 6, 30)
    assert OrgUnitEvent.objects.filter(unit=district, kind=UnitEventKind.DISSOLVED).exists()


def test_dissolving_a_unit_before_it_began_is_refused_in_vietnamese(province):
    young = make_unit("H02", "Huyện Mới", kind="district", parent=province.root, valid_from=datetime.date(2025, 8, 1))

    with pytest.raises(DomainError, match="Ngày giải thể phải sau ngày bắt đầu hiệu lực của «Huyện Mới»"):
        orgs.dissolve_unit(unit=young, effective_date=JULY_2025)


def test_dissolving_an_ended_unit_again_is_refused(province):
    orgs.dissolve_unit(unit=province.department, effective_date=JULY_2025)

    with pytest.raises(DomainError, match="đã được sáp nhập hoặc giải thể trước đó"):
        orgs.dissolve_unit(unit=province.department, effective_date=datetime.date(2026, 1, 1))
    province.department.refresh_from_db()
    assert province.department.valid_to == datetime.date(2025, 6, 30)


def test_update_unit_changes_name_and_search_key(province):
    orgs.update_unit(unit=province.a, name="Xã An Bình Đông")

    assert orgs.unit_by_code("X001").search_name == "xa an binh dong"


def test_update_unit_refuses_an_empty_name(province):
    with pytest.raises(DomainError, match="Tên đơn vị không được để trống"):
        orgs.update_unit(unit=province.a, name=" ")


def test_set_denominator_records_then_corrects_a_yearly_count(province):
    orgs.set_denominator(unit=province.a, year=2025, kind="working_age_residents", value=4500)
    orgs.set_denominator(unit=province.a, year=2025, kind="working_age_residents", value=4512, source="Thống kê")

    denominator = UnitDenominator.objects.get(unit=province.a, year=2025, kind="working_age_residents")
    assert (denominator.value, denominator.source) == (4512, "Thống kê")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"kind": "cats"}, "Loại mẫu số không hợp lệ: cats"),
        ({"value": -1}, "Số lượng không được âm"),
        ({"year": 1999}, "Năm không hợp lệ: 1999"),
    ],
)
def test_set_denominator_refuses_bad_values(province, changes, message):
    arguments = {"unit": province.a, "year": 2025, "kind": "adults", "value": 10} | changes

    with pytest.raises(DomainError, match=message):
        orgs.set_denominator(**arguments)
    assert not UnitDenominator.objects.exists()


def test_a_unit_cannot_be_dissolved_while_a_child_is_still_valid_on_that_date(db):
    district = make_unit("H01", "Huyện Cũ", kind="district")
    commune = make_unit("X900", "Xã Còn Hiệu Lực", parent=district)
    commune.valid_to = datetime.date(2025, 12, 31)
    commune.save()
    with pytest.raises(DomainError, match="còn đơn vị trực thuộc"):
        orgs.dissolve_unit(unit=district, effective_date=datetime.date(2025, 7, 1))


def test_a_merger_adds_the_sources_recorded_figures_to_the_successors_own(province):
    """13/88 was shown where 13/160 was true: the successor kept only its own denominator after a merger (issue 17)."""
    orgs.set_denominator(unit=province.a, year=2025, kind="working_age_residents", value=88, source="Thống kê xã")
    orgs.set_denominator(unit=province.b, year=2025, kind="working_age_residents", value=72)
    orgs.set_denominator(unit=province.b, year=2024, kind="working_age_residents", value=70)
    orgs.merge_units(sources=[province.b], into=province.a, effective_date=datetime.date(2025, 7, 1))
    figure = UnitDenominator.objects.get(unit=province.a, year=2025, kind="working_age_residents")
    assert figure.value == 160
    assert "cộng 72 của «Phường Bình Minh» khi sáp nhập ngày 01/07/2025" in figure.source
    # No own figure for 2024: the successor sums its subtree, the merged ward included, so nothing is written.
    assert not UnitDenominator.objects.filter(unit=province.a, year=2024).exists()


def test_tree_changes_and_corrected_figures_are_announced_after_commit_with_both_sides(
    province, django_capture_on_commit_callbacks
):
    heard = []
    with org_events.units_changed.isolated():  # the subscription ends with the test (kynangso/events.py)
        orgs.on_units_changed(heard.append)
        commune_c = make_unit("X003", "Xã Cũ", parent=province.root)
        with django_capture_on_commit_callbacks(execute=True):
            orgs.move_unit(unit=province.school, new_parent=province.b, effective_date=datetime.date(2025, 7, 1))
        with django_capture_on_commit_callbacks(execute=True):
            orgs.merge_units(sources=[commune_c], into=province.a, effective_date=datetime.date(2025, 7, 1))
        with django_capture_on_commit_callbacks(execute=True):
            orgs.set_denominator(unit=province.b, year=2025, kind="working_age_residents", value=5)
    assert [(change.reason, set(change.unit_ids)) for change in heard] == [
        ("moved", {province.school.pk, province.a.pk, province.b.pk}),
        ("merged", {commune_c.pk, province.a.pk, province.root.pk}),
        ("denominator", {province.b.pk}),
    ]
