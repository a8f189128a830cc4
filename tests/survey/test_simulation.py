"""A small run of the simulation benchmark's property (benchmarks/survey_simulation.py runs 1,000 surveys): on a
synthetic province with known skills and 30% non-response that depends on age, the estimate is about right on
average and its 95% intervals hold the true share about as often as they claim. 60 surveys cannot show 95% to a
percent, so the bounds are loose, but an estimator that ignored the weights or the clustering would fail them."""

import numpy as np

from benchmarks.survey_simulation import one_survey, synthetic_population


def test_the_estimate_is_about_unbiased_and_its_intervals_cover_the_truth_under_non_response():
    population = synthetic_population(communes=60, seed=5)
    rng = np.random.default_rng(9)
    truth = population.true_share
    found = [one_survey(population, rng, psus=20, per_psu=20, non_response=True) for _ in range(60)]
    values = np.array([value for value, _se, _low, _high in found])
    covered = sum(low <= truth <= high for _value, _se, low, high in found)
    # bias within three of its own standard errors (the sample's spread / √60) and never above 2 points
    assert abs(values.mean() - truth) < min(0.02, 3 * values.std(ddof=1) / np.sqrt(len(values)))
    assert covered >= 52  # 95% of 60 is 57; 52 or fewer happens by chance less than 2% of the time
    # the standard errors the design-based variance reports match the spread actually seen, within a third
    reported = np.mean([se for _value, se, _low, _high in found])
    assert 0.67 < reported / values.std(ddof=1) < 1.5
