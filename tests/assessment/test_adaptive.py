"""CAT: item selection rules, stopping rule, and simulated tests (precision, exposure control, content balancing)."""

from collections import Counter

import numpy as np
import pytest

from kynangso.assessment.adaptive import PoolItem, next_item, should_stop, simulate_cat
from kynangso.assessment.irt import item_information

COMPETENCES = ["A", "B", "C", "D"]


def make_pool(seed: int = 3, size: int = 300) -> list[PoolItem]:
    rng = np.random.default_rng(seed)
    return [
        PoolItem(f"i{k}", float(rng.uniform(0.8, 2.0)), float(rng.normal(0.0, 1.2)), 0.0, COMPETENCES[k % 4])
        for k in range(size)
    ]


@pytest.fixture(scope="module")
def pool():
    return make_pool()


@pytest.fixture(scope="module")
def thetas():
    return np.random.default_rng(42).normal(0.0, 1.0, 500)


def most_informative(theta, items, k=1):
    return [it.item_id for it in sorted(items, key=lambda it: -item_information(theta, it.a, it.b, it.c))[:k]]


def test_pure_maximum_information(pool):
    for theta in (-2.0, 0.0, 1.5):
        assert next_item(theta, set(), pool, randomesque=1) == most_informative(theta, pool)[0]
    best = most_informative(0.0, pool, 2)
    assert next_item(0.0, {best[0]}, pool, randomesque=1) == best[1]


def test_randomesque_draws_among_the_k_best(pool):
    rng = np.random.default_rng(1)
    drawn = Counter(next_item(0.3, set(), pool, rng=rng, randomesque=5) for _ in range(400))
    assert set(drawn) == set(most_informative(0.3, pool, 5))


def test_overexposed_items_are_skipped_unless_nothing_else_is_left():
    items = [PoolItem("hot", 2.0, 0.0, exposure_rate=0.6), PoolItem("cool", 0.9, 0.5, exposure_rate=0.1)]
    assert next_item(0.0, set(), items, randomesque=1, exposure_target=0.25) == "cool"
    assert next_item(0.0, {"cool"}, items, randomesque=1, exposure_target=0.25) == "hot"
    assert next_item(0.0, {"cool", "hot"}, items) is None
    assert next_item(0.0, set(), items, randomesque=1, exposure_target=1.0) == "hot"


def test_content_balancing_prefers_competences_below_quota():
    items = [
        PoolItem("a1", 2.0, 0.0, competence="A"),
        PoolItem("a2", 1.9, 0.0, competence="A"),
        PoolItem("b1", 0.6, 1.5, competence="B"),
        PoolItem("c1", 0.5, -1.5, competence="C"),
    ]
    blueprint = {"A": 1, "B": 1, "C": 2}
    # Nothing given yet: every competence is 100 % short, so all compete and the best item wins.
    assert next_item(0.0, set(), items, blueprint, randomesque=1) == "a1"
    # A's quota is met: B and C are still at 100 % deficit, a2 is not eligible despite its information.
    assert next_item(0.0, {"a1"}, items, blueprint, randomesque=1) == "b1"
    # Only C (1 of 2 still needed) is short.
    assert next_item(0.0, {"a1", "b1"}, items, blueprint, randomesque=1) == "c1"
    # Quotas met (or competence exhausted): back to maximum information.
    assert next_item(0.0, {"a1", "b1", "c1"}, items, blueprint, randomesque=1) == "a2"


def test_should_stop():
    assert not should_stop(0.25, 3, se_target=0.3, min_items=5, max_items=30)  # too few items yet
    assert should_stop(0.25, 5, se_target=0.3, min_items=5, max_items=30)
    assert should_stop(0.30, 12, se_target=0.3, min_items=5, max_items=30)
    assert not should_stop(0.31, 12, se_target=0.3, min_items=5, max_items=30)
    assert should_stop(0.9, 30, se_target=0.3, min_items=5, max_items=30)  # length cap
    assert not should_stop(0.2, 12, se_target=0.3, min_items=5, max_items=30, blueprint_met=False)


def test_cat_stops_at_se_target_or_max_items(pool):
    thetas = np.random.default_rng(5).normal(0.0, 1.3, 120)
    report = simulate_cat(thetas, pool, rng=np.random.default_rng(6), se_target=0.3, min_items=5, max_items=20)
    lengths = [len(s.items) for s in report.simulees]
    assert min(lengths) >= 5 and max(lengths) <= 20
    for sim in report.simulees:
        assert len(set(sim.items)) == len(sim.items)
        if len(sim.items) < 20:
            assert sim.standard_error <= 0.3
    # Both endings occur in this population (extreme abilities run out of informative items).
    assert 0 < sum(len(s.items) == 20 for s in report.simulees) < len(report.simulees)
    assert report.mean_length == pytest.approx(np.mean(lengths))


def test_exposure_control_caps_exposure_while_pure_max_info_overexposes(pool, thetas):
    controlled = simulate_cat(thetas, pool, rng=np.random.default_rng(5), exposure_target=0.25)
    uncontrolled = simulate_cat(thetas, pool, rng=np.random.default_rng(5), exposure_control=False)
    assert controlled.max_exposure <= 0.25 + 0.02
    assert uncontrolled.max_exposure > 0.6
    # The control costs little precision.
    for report in (controlled, uncontrolled):
        assert abs(report.bias) < 0.1
        assert report.rmse < 0.4
    assert controlled.rmse < uncontrolled.rmse + 0.05
    assert controlled.max_exposure == max(controlled.exposure.values())


def test_content_balancing_meets_blueprint_quotas(pool):
    blueprint = {"A": 3, "B": 3, "C": 3, "D": 2}
    thetas = np.random.default_rng(8).normal(0.0, 1.0, 100)
    competence = {item.item_id: item.competence for item in pool}
    report = simulate_cat(
        thetas, pool, rng=np.random.default_rng(9), blueprint_counts=blueprint, min_items=5, max_items=30, se_target=0.4
    )
    for sim in report.simulees:
        counts = Counter(competence[item_id] for item_id in sim.items)
        assert all(counts[comp] >= need for comp, need in blueprint.items()), counts
    # Without the blueprint the SE target alone ends many tests before some quota is met.
    free = simulate_cat(thetas, pool, rng=np.random.default_rng(9), min_items=5, max_items=30, se_target=0.4)
    unmet = sum(
        any(Counter(competence[i] for i in sim.items)[comp] < need for comp, need in blueprint.items())
        for sim in free.simulees
    )
    assert unmet > 10
