"""The default catalogue and the five seed plans' targets are valid data, linked to indicators and objectives."""

import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from kynangso.errors import DomainError
from kynangso.monitoring import targets
from kynangso.monitoring.models import Indicator, IndicatorKind, Target
from kynangso.plans import api as plans

PLAN_FILES = Path(plans.__file__).resolve().parent / "data"


def test_catalogue_loads_and_loading_it_again_changes_nothing(db):
    count = targets.load_indicator_catalogue()
    assert count == Indicator.objects.count() >= 25
    targets.load_indicator_catalogue()
    assert Indicator.objects.count() == count
    assert Indicator.objects.filter(kind=IndicatorKind.MANUAL, code="chien-dich-truyen-thong").exists()


def test_every_seed_target_names_a_catalogue_indicator_and_an_objective_of_its_plan(db):
    import yaml

    targets.load_indicator_catalogue()
    codes = set(Indicator.objects.values_list("code", flat=True))
    files = targets.plan_target_files()
    assert {f.stem for f in files} == {"ca-mau", "can-tho", "dong-thap", "hau-giang", "khanh-hoa"}
    for path in files:
        data = targets.target_entries(path)
        plan_file = yaml.safe_load((PLAN_FILES / path.name).read_text(encoding="utf-8"))
        assert plan_file["plan"]["key"] == data["plan_key"], path.name
        objectives = {str(o["code"]) for o in plan_file["objectives"]}
        for entry in data["targets"]:
            assert entry["indicator"] in codes, (path.name, entry)
            assert str(entry["objective"]) in objectives, (path.name, entry)


def test_dong_thap_targets_for_2025_and_2026_land_on_the_chosen_unit(province):
    targets.load_indicator_catalogue()
    assert not plans.import_plan(PLAN_FILES / "dong-thap.yaml").problems
    lines = targets.load_seed_targets(unit_code=province.root.code, plan_key="dong-thap-binh-dan-hoc-vu-so")
    assert lines == ["dong-thap.yaml: 24 chỉ tiêu cho «Tỉnh Thử nghiệm»."]
    adults = Target.objects.get(indicator__code="nguoi-truong-thanh-dat-chuan", year=2026)
    assert (adults.unit, adults.value, adults.objective_code) == (province.root, Decimal("70.00"), "2026.8")
    assert set(Target.objects.values_list("year", flat=True)) == {2025, 2026}


def test_seed_targets_skip_plans_not_imported_and_units_missing(db):
    targets.load_indicator_catalogue()
    lines = targets.load_seed_targets()
    assert len(lines) == 5 and all("bỏ qua" in line for line in lines)
    assert not Target.objects.exists()


def test_a_percentage_target_above_one_hundred_is_refused(province):
    targets.load_indicator_catalogue()
    plan = plans.create_plan(
        key="kh",
        title="KH",
        issuing_body="UBND",
        issued_year=2025,
        period_start=datetime.date(2025, 1, 1),
        period_end=datetime.date(2025, 12, 31),
    )
    indicator = Indicator.objects.get(code="nguoi-dan-lao-dong-dat-chuan")
    with pytest.raises(DomainError, match="100%"):
        targets.set_target(plan=plan, indicator=indicator, unit=province.root, year=2025, value=120)
