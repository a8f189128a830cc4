"""IRT: model functions, MML calibration recovers simulated parameters, EAP ability estimates."""

import math

import numpy as np
import pytest

from kynangso.assessment.irt import (
    ALL_CORRECT,
    ALL_WRONG,
    TOO_FEW_RESPONSES,
    calibrate,
    estimate_theta,
    item_information,
    probability,
)

N_ITEMS, N_PERSONS, SHOWN = 40, 3000, 0.6


def simulate(seed: int, n_items: int = N_ITEMS, n_persons: int = N_PERSONS, guessing: float = 0.0):
    """a ~ U(0.8, 2.0), b ~ N(0, 1), θ ~ N(0, 1); each simulee sees a random 60 % of the items (rest NaN)."""
    rng = np.random.default_rng(seed)
    a = rng.uniform(0.8, 2.0, n_items)
    b = rng.normal(0.0, 1.0, n_items)
    theta = rng.normal(0.0, 1.0, n_persons)
    p = probability(theta[:, None], a, b, guessing)
    x = (rng.random((n_persons, n_items)) < p).astype(float)
    x[rng.random((n_persons, n_items)) >= SHOWN] = np.nan
    return a, b, x


def rmse(estimate, truth):
    return float(np.sqrt(np.mean((estimate - truth) ** 2)))


def corr(estimate, truth):
    return float(np.corrcoef(estimate, truth)[0, 1])


@pytest.fixture(scope="module")
def simulated():
    a, b, x = simulate(seed=20240601)
    return a, b, x, calibrate(x)


def test_probability_and_information_known_values():
    assert probability(0.0, 1.0, 0.0) == pytest.approx(0.5)
    assert probability(1.0, 1.5, 1.0, 0.2) == pytest.approx(0.6)  # c + (1 - c) / 2
    assert probability(2.0, 1.0, 0.0) == pytest.approx(1 / (1 + math.exp(-2)))
    # 2PL information is a² P Q, largest at θ = b.
    assert item_information(0.0, 2.0, 0.0) == pytest.approx(1.0)
    grid = np.linspace(-3, 3, 61)
    assert grid[np.argmax(item_information(grid, 1.3, 0.7))] == pytest.approx(0.7)
    # Guessing lowers information.
    assert item_information(0.5, 1.3, 0.5, 0.25) < item_information(0.5, 1.3, 0.5)
    assert probability(np.array([0.0, 1.0]), 1.0, 0.0).shape == (2,)


def test_calibration_recovers_known_parameters(simulated):
    a, b, _, result = simulated
    assert result.converged
    assert result.calibrated.all() and not result.excluded
    assert corr(result.b, b) > 0.98
    assert corr(result.a, a) > 0.9
    assert rmse(result.b, b) < 0.15
    assert rmse(result.a, a) < 0.2
    assert abs(float(np.mean(result.a - a))) < 0.1  # no systematic shrinkage or inflation


def test_standard_errors_match_the_observed_estimation_error(simulated):
    a, b, _, result = simulated
    assert np.isfinite(result.se_a).all() and np.isfinite(result.se_b).all()
    # The reported SEs should be about as large as the actual errors (within a factor of 1.5 on average).
    assert 1 / 1.5 < np.mean(result.se_b) / rmse(result.b, b) < 1.5
    assert 1 / 1.5 < np.mean(result.se_a) / rmse(result.a, a) < 1.5


def test_shuffled_responses_destroy_recovery(simulated):
    a, b, x, _ = simulated
    rng = np.random.default_rng(7)
    shuffled = x.copy()
    for i in range(shuffled.shape[1]):  # keeps each item's p-value, breaks the link to ability
        shuffled[:, i] = rng.permutation(shuffled[:, i])
    result = calibrate(shuffled, max_iterations=100)
    assert abs(corr(result.a, a)) < 0.5
    assert np.mean(np.abs(result.a)) < 0.3
    assert rmse(result.b, b) > 1.0


def test_3pl_with_fixed_guessing_recovers_parameters():
    a, b, x = simulate(seed=7, n_items=30, guessing=0.2)
    result = calibrate(x, "3PL", guessing=0.2)
    assert np.allclose(result.c, 0.2)
    assert corr(result.b, b) > 0.98 and rmse(result.b, b) < 0.15
    assert corr(result.a, a) > 0.8
    # Ignoring the guessing misplaces the difficulties.
    assert rmse(calibrate(x).b, b) > 2 * rmse(result.b, b)


def test_items_that_cannot_be_calibrated_are_reported():
    _, _, x = simulate(seed=3, n_items=8, n_persons=1500)
    x[:, 0] = np.where(np.isnan(x[:, 0]), np.nan, 1.0)  # everyone right
    x[:, 1] = np.where(np.isnan(x[:, 1]), np.nan, 0.0)  # everyone wrong
    x[150:, 2] = np.nan  # at most 150 responses
    result = calibrate(x)
    assert result.excluded == {0: ALL_CORRECT, 1: ALL_WRONG, 2: TOO_FEW_RESPONSES}
    assert list(result.calibrated) == [False, False, False] + [True] * 5
    assert np.isnan(result.a[:3]).all() and np.isnan(result.b[:3]).all()
    assert result.n_responses[2] <= 150
    # The minimum is configurable.
    assert 2 not in calibrate(x, min_responses=50).excluded


def test_calibration_rejects_bad_input():
    with pytest.raises(ValueError):
        calibrate(np.array([[0.0, 2.0]]))
    with pytest.raises(ValueError):
        calibrate(np.zeros((3, 2)), model="4PL")


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_eap_is_close_to_the_truth_on_a_long_test():
    rng = np.random.default_rng(11)
    a = rng.uniform(1.0, 2.0, 80)
    b = rng.uniform(-2.5, 2.5, 80)
    for true_theta in (-1.5, 0.0, 1.2):
        scores = (rng.random(80) < probability(true_theta, a, b)).astype(float)
        theta, se = estimate_theta(list(zip(a, b, np.zeros(80), scores)))
        assert se < 0.25
        assert abs(theta - true_theta) < 3 * se


def test_eap_is_finite_for_extreme_patterns_and_prior_without_data():
    items = [(1.5, b, 0.0, 1.0) for b in (-1.0, 0.0, 1.0)]
    theta_up, se_up = estimate_theta(items)
    theta_down, se_down = estimate_theta([(a, b, c, 0.0) for a, b, c, _ in items])
    assert 0.5 < theta_up < 3 and 0.3 < se_up < 1
    assert theta_down == pytest.approx(-theta_up, abs=1e-6)
    assert estimate_theta([]) == pytest.approx((0.0, 1.0), abs=1e-3)
    # More items, smaller SE; a right answer never lowers the estimate.
    assert estimate_theta(items * 4)[1] < se_up
    assert estimate_theta(items[:2] + [(1.5, 1.0, 0.0, 1.0)])[0] > estimate_theta(items[:2] + [(1.5, 1.0, 0.0, 0.0)])[0]
