"""Proof that the survey's estimator is right (issue 22, docs/survey.md): a synthetic province with known digital
skills, the planned two-stage sample drawn from it many times, and the bias of the estimate and the coverage of its
95% intervals, with full response and with 30% non-response that depends on age.

Not run in CI (minutes on two cores). Run:
    PYTHONPATH=src:. /work/main/.venv/bin/python benchmarks/survey_simulation.py --draws 1000
tests/survey/test_simulation.py runs a small version of the same property."""

import argparse
import math
import time
from dataclasses import dataclass

import numpy as np

from kynangso.survey.estimation import Case, estimate
from kynangso.survey.sampling import AGE_GROUPS, SEXES, draw_within, systematic_pps

AGES = [code for code, _lower in AGE_GROUPS]
# Share of adults who answer, by age group: 30% do not answer overall, the young least often.
RESPONSE_BY_AGE = {"18-29": 0.55, "30-44": 0.68, "45-59": 0.74, "60+": 0.80}


@dataclass
class Population:
    commune_sizes: np.ndarray  # adults per commune
    people: dict  # commune index → {stratum: array of person indexes}
    age: np.ndarray  # age group index per person
    sex: np.ndarray
    skilled: np.ndarray  # bool: at least basic skills
    margins: dict

    @property
    def true_share(self) -> float:
        return float(self.skilled.mean())


def synthetic_population(*, communes: int = 120, seed: int = 2025) -> Population:
    """Communes of unequal size (lognormal, 300–6,000 adults), an age and sex structure that varies by commune,
    and skills that depend on age, sex and the commune (a random commune effect makes people of one commune alike,
    which is what makes a clustered sample's variance larger than a simple one's)."""
    rng = np.random.default_rng(seed)
    sizes = np.clip(rng.lognormal(mean=7.6, sigma=0.6, size=communes), 300, 6000).astype(int)
    commune_of = np.repeat(np.arange(communes), sizes)
    total = int(sizes.sum())
    young_tilt = rng.normal(0, 0.15, size=communes)[commune_of]
    base = np.array([0.24, 0.28, 0.26, 0.22])
    u = rng.random(total)
    shift = np.clip(young_tilt, -0.1, 0.1)
    cuts = np.stack(
        [base[0] + shift, base[0] + base[1] + shift / 2, np.full(total, base[0] + base[1] + base[2])], axis=1
    )
    age = (u[:, None] > cuts).sum(axis=1)
    sex = (rng.random(total) < 0.51).astype(int)  # 1: female
    commune_effect = rng.normal(0, 0.6, size=communes)[commune_of]
    logit = 1.2 - 0.9 * age - 0.15 * sex + commune_effect
    skilled = rng.random(total) < 1 / (1 + np.exp(-logit))
    people: dict = {}
    for index in range(communes):
        members = np.flatnonzero(commune_of == index)
        people[index] = {
            f"{AGES[a]}|{SEXES[s]}": [int(i) for i in members[(age[members] == a) & (sex[members] == s)]]
            for a in range(4)
            for s in range(2)
        }
    margins = {
        "age_group": {AGES[a]: float((age == a).sum()) for a in range(4)},
        "sex": {SEXES[s]: float((sex == s).sum()) for s in range(2)},
    }
    return Population(sizes, people, age, sex, skilled, margins)


def one_survey(population: Population, rng, *, psus: int, per_psu: int, non_response: bool):
    """Draw the planned sample, let people answer (or not), estimate; (estimate, low, high)."""
    cases = []
    for unit in systematic_pps(population.commune_sizes, psus, rng):
        for drawn in draw_within(population.people[unit.index], per_psu, rng):
            person = drawn.person_id
            group, sex = drawn.stratum.split("|")
            responded = not non_response or rng.random() < RESPONSE_BY_AGE[group]
            cases.append(
                Case(
                    psu=str(unit.index),
                    age_group=group,
                    sex=sex,
                    probability=unit.probability * drawn.probability,
                    responded=responded,
                    at_least_basic=bool(population.skilled[person]) if responded else None,
                    psu_probability=unit.probability,
                    psu_size=int(population.commune_sizes[unit.index]),
                    certain=unit.certain,
                )
            )
    found = estimate(cases, margins=population.margins, by_domain=False).estimates[0]
    return found.value, found.standard_error, found.ci_low, found.ci_high


def run(*, draws: int, psus: int, per_psu: int, non_response: bool, seed: int, population: Population) -> dict:
    rng = np.random.default_rng(seed)
    truth = population.true_share
    values, errors, covered = [], [], 0
    for _draw in range(draws):
        value, error, low, high = one_survey(population, rng, psus=psus, per_psu=per_psu, non_response=non_response)
        values.append(value)
        errors.append(error)
        covered += low <= truth <= high
    values = np.array(values)
    return {
        "truth": truth,
        "mean": float(values.mean()),
        "bias_pp": 100 * float(values.mean() - truth),
        "bias_se_pp": 100 * float(values.std(ddof=1) / math.sqrt(draws)),
        "empirical_se_pp": 100 * float(values.std(ddof=1)),
        "mean_estimated_se_pp": 100 * float(np.mean(errors)),
        "coverage": covered / draws,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=1000)
    parser.add_argument("--psus", type=int, default=40, help="communes drawn")
    parser.add_argument("--per-psu", type=int, default=25, help="people drawn per commune")
    parser.add_argument("--seed", type=int, default=22)
    args = parser.parse_args()
    population = synthetic_population()
    print(
        f"population: {len(population.skilled)} adults in {len(population.commune_sizes)} communes, "
        f"true share at least basic {100 * population.true_share:.2f}%; sample {args.psus} × {args.per_psu}"
    )
    for non_response in (False, True):
        started = time.monotonic()
        found = run(
            draws=args.draws,
            psus=args.psus,
            per_psu=args.per_psu,
            non_response=non_response,
            seed=args.seed,
            population=population,
        )
        label = "30% non-response by age" if non_response else "full response"
        print(
            f"{label}: {args.draws} surveys, bias {found['bias_pp']:+.3f} pp (± {found['bias_se_pp']:.3f}), "
            f"empirical SE {found['empirical_se_pp']:.2f} pp, mean estimated SE {found['mean_estimated_se_pp']:.2f} pp, "
            f"coverage of 95% CI {100 * found['coverage']:.1f}% "
            f"({time.monotonic() - started:.0f} s)"
        )


if __name__ == "__main__":
    main()
