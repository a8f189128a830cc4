"""Reading the unit tree: subtrees in one query, ancestors, successors, and search without diacritics."""

import datetime

from kynangso.orgs import api as orgs
from tests.factories import make_unit


def codes(queryset) -> list[str]:
    return [unit.code for unit in queryset]


def test_subtree_of_a_commune_holds_itself_and_its_school(province):
    ids = set(orgs.subtree_unit_ids([province.a.id]).values_list("descendant_id", flat=True))

    assert ids == {province.a.id, province.school.id}


def test_subtree_of_several_roots_is_their_union(province):
    ids = set(orgs.subtree_unit_ids([province.a.id, province.b.id]).values_list("descendant_id", flat=True))

    assert ids == {province.a.id, province.b.id, province.school.id}


def test_units_within_a_subtree_are_read_in_a_single_query(province, django_assert_num_queries):
    make_unit("L01", "Điểm trường Ấp Một", kind="school", parent=province.school)

    with django_assert_num_queries(1):
        found = codes(orgs.units(within=[province.a.id]))

    assert found == ["L01", "TH01", "X001"]


def test_ancestors_run_from_the_root_down_to_the_unit(province):
    assert codes(orgs.ancestors(province.school)) == ["T01", "X001", "TH01"]


def test_is_within_answers_for_descendants_only(province):
    assert orgs.is_within(province.school.id, [province.a.id])
    assert orgs.is_within(province.a.id, [province.a.id])
    assert not orgs.is_within(province.a.id, [province.school.id])
    assert not orgs.is_within(province.b.id, [province.a.id])


def test_search_without_diacritics_finds_the_vietnamese_name(province):
    assert codes(orgs.units(query="xa an binh")) == ["X001"]


def test_search_ignores_case_and_finds_part_of_a_name(province):
    assert codes(orgs.units(query="AN BÌNH")) == ["TH01", "X001"]


def test_search_with_d_finds_a_name_with_đ(province):
    make_unit("X003", "Xã Đồng Tâm", parent=province.root)

    assert codes(orgs.units(query="dong tam")) == ["X003"]


def test_search_by_exact_code(province):
    assert codes(orgs.units(query=" TH01 ")) == ["TH01"]


def test_search_is_limited_to_the_subtree(province):
    assert codes(orgs.units(within=[province.b.id], query="an binh")) == []


def test_units_filter_by_kind(province):
    assert codes(orgs.units(kind="ward")) == ["X002"]


def test_active_only_leaves_out_merged_units(province):
    orgs.merge_units(sources=[province.a], into=province.b, effective_date=datetime.date(2025, 7, 1))

    assert "X001" in codes(orgs.units())
    assert "X001" not in codes(orgs.units(active_only=True))


def test_current_successor_of_an_active_unit_is_itself(province):
    assert orgs.current_successor(province.a) == province.a


def test_unit_by_code_and_units_by_code(province):
    assert orgs.unit_by_code(" X002 ") == province.b
    assert orgs.units_by_code(["X001", "X999"]) == {"X001": province.a}
