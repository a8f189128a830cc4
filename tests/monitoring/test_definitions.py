"""A computed indicator's definition is data built from a fixed set of blocks; broken definitions are refused in
Vietnamese, field by field."""

import pytest
from django.core.exceptions import ValidationError

from kynangso.monitoring.definitions import definition_errors
from kynangso.monitoring.models import Indicator


def indicator(**fields):
    base = {
        "code": "chi-so",
        "name": "Chỉ số",
        "measure": "percent",
        "kind": "computed",
        "source": "passed_standard",
        "target_group": "resident",
        "denominator": "people",
    }
    base.update(fields)
    return Indicator(**base)


def test_a_well_formed_definition_has_no_errors():
    assert definition_errors(indicator()) == {}


def test_a_percentage_needs_a_denominator():
    assert "mẫu số" in definition_errors(indicator(denominator=""))["denominator"]


def test_a_count_has_no_denominator():
    assert "denominator" in definition_errors(indicator(measure="count"))


def test_unknown_target_group_is_named_in_the_error():
    assert definition_errors(indicator(target_group="martians"))["target_group"] == (
        "Nhóm đối tượng không hợp lệ: martians."
    )


def test_unit_denominator_needs_its_kind():
    errors = definition_errors(indicator(denominator="unit_denominator"))
    assert "loại mẫu số" in errors["denominator_kind"]


def test_age_band_must_be_ordered():
    assert "«Đến tuổi»" in definition_errors(indicator(age_min=60, age_max=15))["age_max"]


def test_course_code_only_for_online_courses():
    assert "course_code" in definition_errors(indicator(course_code="ky-nang-so-co-ban"))
    assert definition_errors(indicator(source="trained_online", course_code="ky-nang-so-co-ban")) == {}


def test_manual_indicator_has_no_definition():
    assert "source" in definition_errors(indicator(kind="manual"))
    assert definition_errors(indicator(kind="manual", source="", target_group="", denominator="")) == {}


def test_people_over_people_is_refused_as_always_one_hundred_percent():
    assert "100%" in definition_errors(indicator(source="people"))["denominator"]


@pytest.mark.django_db
def test_full_clean_raises_the_errors_for_the_admin_form():
    with pytest.raises(ValidationError) as error:
        indicator(unit_kind="village").full_clean()
    assert error.value.message_dict["unit_kind"] == ["Loại đơn vị không hợp lệ: village."]
