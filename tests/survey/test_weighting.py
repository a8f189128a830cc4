"""Weighting and calibration: design weights, the non-response adjustment within classes, raking that makes the
weights reproduce the recorded denominators by age group and by sex, and suppression of domains too small to
report."""

import numpy as np
import pytest

from kynangso.survey.estimation import MIN_RESPONDENTS, Case, estimate

AGES = ("18-29", "30-44", "45-59", "60+")
MARGINS = {
    "age_group": {"18-29": 21000.0, "30-44": 16000.0, "45-59": 14000.0, "60+": 9000.0},
    "sex": {"male": 29500.0, "female": 30500.0},
}


def cases(n=480, psus=24, respond=1.0, seed=4):
    rng = np.random.default_rng(seed)
    return [
        Case(
            psu=f"x{i % psus}",
            age_group=AGES[int(rng.integers(4))],
            sex=("male", "female")[int(rng.integers(2))],
            probability=0.008,
            responded=bool(rng.random() < respond),
            at_least_basic=bool(rng.random() < 0.6),
            psu_probability=0.2,
            psu_size=500,
        )
        for i in range(n)
    ]


def respondents(found):
    return [c for c in found if c.responded]


def test_calibrated_weights_reproduce_the_recorded_adults_by_age_group_and_by_sex():
    sample = cases(respond=0.7)
    result = estimate(sample, margins=MARGINS)
    assert result.calibrated
    answered = respondents(sample)
    for margin, attribute in (("age_group", "age_group"), ("sex", "sex")):
        for level, total in MARGINS[margin].items():
            weighted = sum(w for w, c in zip(result.weights, answered, strict=True) if getattr(c, attribute) == level)
            assert weighted == pytest.approx(total, rel=1e-5)


def test_without_margins_the_non_response_adjustment_keeps_each_class_total_of_design_weights():
    sample = cases(respond=0.6)
    result = estimate(sample, margins=None)
    assert not result.calibrated
    answered = respondents(sample)
    for age in AGES:
        for sex in ("male", "female"):
            designed = sum(1 / c.probability for c in sample if (c.age_group, c.sex) == (age, sex))
            adjusted = sum(
                w for w, c in zip(result.weights, answered, strict=True) if (c.age_group, c.sex) == (age, sex)
            )
            assert adjusted == pytest.approx(designed, rel=1e-9)


def test_the_estimate_carries_a_standard_error_and_an_interval_around_it():
    overall = estimate(cases(), margins=MARGINS).estimates[0]
    assert overall.domain == "all" and overall.respondents == 480 and overall.psus == 24
    assert 0 < overall.standard_error < 0.1
    assert overall.ci_low < overall.value < overall.ci_high
    # the 95% interval is about two standard errors on each side (t with 23 degrees of freedom: 2.07)
    assert (overall.ci_high - overall.ci_low) / (2 * overall.standard_error) == pytest.approx(2.07, abs=0.05)


def test_a_domain_with_too_few_respondents_is_suppressed_with_its_reason():
    sample = cases(n=480)
    rare = [
        Case(
            psu=f"x{i}",
            age_group="60+",
            sex="female",
            probability=0.008,
            responded=True,
            at_least_basic=True,
            psu_probability=0.2,
            psu_size=500,
        )
        for i in range(3)
    ]
    found = {e.domain: e for e in estimate([c for c in sample if c.age_group != "60+"] + rare).estimates}
    assert found["age:60+"].respondents == 3 < MIN_RESPONDENTS
    assert found["age:60+"].value is None and found["age:60+"].suppressed_reason == "too_few_respondents"
    assert found["all"].value is not None and not found["all"].suppressed_reason
