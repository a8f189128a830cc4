"""The two-stage sample, as pure functions of a seed: communes drawn by systematic PPS on their adult population,
then people drawn within each commune by simple random sampling in strata of age group × sex (proportional
allocation). Every selection carries its inclusion probability, so that the estimate can weight it back."""

import datetime
from dataclasses import dataclass

import numpy as np

# Age groups of the adults the survey covers (the lower bound of each, in years at the survey's reference day).
AGE_GROUPS = (("18-29", 18), ("30-44", 30), ("45-59", 45), ("60+", 60))
SEXES = ("male", "female")


def age_group(age: int) -> str | None:
    """The age group of an age in years, or None under the youngest group."""
    found = None
    for code, lower in AGE_GROUPS:
        if age >= lower:
            found = code
    return found


def age_on(birth_date: datetime.date, day: datetime.date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


@dataclass(frozen=True)
class DrawnUnit:
    index: int  # position in the list given
    probability: float  # first-stage inclusion probability
    certain: bool  # drawn with certainty (its size exceeds the sampling interval)


def systematic_pps(sizes, n: int, rng: np.random.Generator) -> list[DrawnUnit]:
    """Draw `n` units with probability proportional to size, systematically along the list in the order given
    (the list's order is an implicit stratification: geography). A unit whose size reaches the interval is taken
    with certainty and the interval is recomputed for the rest; inclusion probability n·size/total (≤ 1)."""
    sizes = np.asarray(sizes, dtype=float)
    if n <= 0 or len(sizes) == 0:
        return []
    if n >= int((sizes > 0).sum()):
        return [DrawnUnit(i, 1.0, True) for i in range(len(sizes)) if sizes[i] > 0]
    certain: set[int] = set()
    while True:
        rest = [i for i in range(len(sizes)) if i not in certain and sizes[i] > 0]
        remaining = n - len(certain)
        total = sizes[rest].sum()
        newly = {i for i in rest if remaining * sizes[i] / total >= 1}
        if not newly:
            break
        certain |= newly
    rest = [i for i in range(len(sizes)) if i not in certain and sizes[i] > 0]
    remaining = n - len(certain)
    drawn = [DrawnUnit(i, 1.0, True) for i in sorted(certain)]
    if remaining <= 0:
        return drawn
    total = sizes[rest].sum()
    interval = total / remaining
    start = rng.uniform(0, interval)
    points = start + interval * np.arange(remaining)
    cumulative = np.cumsum(sizes[rest])
    picked = np.searchsorted(cumulative, points, side="right")
    for position in picked:
        i = rest[int(position)]
        drawn.append(DrawnUnit(i, float(remaining * sizes[i] / total), False))
    return sorted(drawn, key=lambda unit: unit.index)


def allocate(stratum_sizes: dict[str, int], m: int) -> dict[str, int]:
    """Proportional allocation of `m` draws to strata by their sizes (largest remainder; never more than a
    stratum holds), so that every person of a commune has about the same chance."""
    total = sum(stratum_sizes.values())
    if total == 0 or m <= 0:
        return {key: 0 for key in stratum_sizes}
    m = min(m, total)
    exact = {key: m * size / total for key, size in stratum_sizes.items()}
    taken = {key: min(int(value), stratum_sizes[key]) for key, value in exact.items()}
    order = sorted(stratum_sizes, key=lambda key: (-(exact[key] - int(exact[key])), key))
    while sum(taken.values()) < m:
        for key in order:
            if sum(taken.values()) >= m:
                break
            if taken[key] < stratum_sizes[key]:
                taken[key] += 1
    return taken


@dataclass(frozen=True)
class DrawnPerson:
    person_id: int
    stratum: str  # "18-29|male"
    probability: float  # within the commune: drawn / stratum size


def draw_within(people_by_stratum: dict[str, list[int]], m: int, rng: np.random.Generator) -> list[DrawnPerson]:
    """Simple random sampling without replacement of `m` people in a commune, allocated to its strata in
    proportion; each person's conditional probability is the stratum's share drawn."""
    sizes = {key: len(ids) for key, ids in sorted(people_by_stratum.items())}
    quota = allocate(sizes, m)
    drawn = []
    for key in sorted(people_by_stratum):
        ids = sorted(people_by_stratum[key])
        if not quota[key]:
            continue
        chosen = rng.choice(len(ids), size=quota[key], replace=False)
        for position in sorted(chosen):
            drawn.append(DrawnPerson(ids[int(position)], key, quota[key] / len(ids)))
    return drawn
