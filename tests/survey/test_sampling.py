"""The two-stage sample: communes by systematic PPS (probabilities as designed, certainty units), people by
stratum within them, and the product's draw: reproducible from its seed, with each person's inclusion probability
recorded."""

import numpy as np
import pytest

from kynangso.accounts import api as accounts
from kynangso.errors import DomainError
from kynangso.survey import api as survey
from kynangso.survey.models import Interview, SampledUnit
from kynangso.survey.sampling import allocate, draw_within, systematic_pps
from tests.survey.world import CODE, YEAR, drawn_survey, load_questionnaire, surveyed_province


def test_systematic_pps_draws_each_unit_as_often_as_its_probability_says():
    sizes = [100, 300, 50, 600, 250, 500, 120, 400, 90, 390]
    n, draws = 4, 4000
    rng = np.random.default_rng(1)
    counts = np.zeros(len(sizes))
    probabilities = {}
    for _ in range(draws):
        drawn = systematic_pps(sizes, n, rng)
        assert len(drawn) == n
        for unit in drawn:
            counts[unit.index] += 1
            probabilities[unit.index] = unit.probability
    expected = np.array([n * size / sum(sizes) for size in sizes])
    assert all(abs(probabilities[i] - expected[i]) < 1e-12 for i in probabilities)
    # 4,000 draws: a frequency within 0.03 of its probability (about four standard errors at worst)
    assert np.max(np.abs(counts / draws - expected)) < 0.03


def test_a_commune_larger_than_the_interval_is_taken_with_certainty():
    drawn = systematic_pps([5000, 100, 100, 100, 100, 100], 3, np.random.default_rng(3))
    assert drawn[0].index == 0 and drawn[0].certain and drawn[0].probability == 1.0
    others = [unit for unit in drawn if not unit.certain]
    assert len(others) == 2 and all(unit.probability == pytest.approx(2 * 100 / 500) for unit in others)


def test_people_are_allocated_to_strata_in_proportion_and_drawn_with_that_probability():
    assert allocate({"a": 30, "b": 10, "c": 0}, 8) == {"a": 6, "b": 2, "c": 0}
    strata = {"18-29|male": list(range(30)), "60+|female": list(range(100, 110))}
    drawn = draw_within(strata, 8, np.random.default_rng(5))
    by_stratum = {key: [d for d in drawn if d.stratum == key] for key in strata}
    assert len(by_stratum["18-29|male"]) == 6 and len(by_stratum["60+|female"]) == 2
    assert {d.probability for d in by_stratum["18-29|male"]} == {6 / 30}
    assert {d.probability for d in by_stratum["60+|female"]} == {2 / 10}
    assert len({d.person_id for d in drawn}) == 8


@pytest.mark.django_db
def test_the_same_seed_draws_the_same_people_and_records_their_probabilities():
    root, communes = surveyed_province(communes=4, adults=16)
    first = drawn_survey(root, psus=2, per_psu=8, seed=11, year=YEAR)
    second = drawn_survey(root, psus=2, per_psu=8, seed=11, year=YEAR + 1)

    def people(drawn):
        return list(Interview.objects.filter(survey=drawn).order_by("person_id").values_list("person_id", flat=True))

    assert people(first) == people(second) and len(people(first)) == 16
    sizes = {unit.pk: 16 * (1 + number) for number, unit in enumerate(communes)}  # the recorded denominators
    for psu in SampledUnit.objects.filter(survey=first):
        assert psu.probability == pytest.approx(min(1.0, 2 * sizes[psu.unit_id] / sum(sizes.values())))
        for interview in Interview.objects.filter(sampled_unit=psu):
            # 16 adults: two per age group × sex, 8 drawn → one per stratum, a half chance each
            assert interview.probability == pytest.approx(psu.probability * 1 / 2)
            assert interview.person.residence_unit_id == psu.unit_id
    assert all(i.age_group and i.sex for i in Interview.objects.filter(survey=first))


@pytest.mark.django_db
def test_a_sample_is_drawn_only_once_and_only_by_those_who_run_the_survey(commune_admin, province):
    root, _communes = surveyed_province(communes=2, adults=8)
    drawn = drawn_survey(root, psus=1, per_psu=4)
    with pytest.raises(DomainError) as again:
        survey.draw_sample(actor=accounts.SYSTEM, survey_id=drawn.pk)
    assert again.value.code == "state"
    load_questionnaire()
    with pytest.raises(DomainError) as refused:
        survey.create_survey(
            actor=commune_admin,
            unit_id=province.root.pk,
            year=YEAR,
            questionnaire_code=CODE,
            psu_count=1,
            persons_per_psu=4,
        )
    assert refused.value.code == "forbidden"
