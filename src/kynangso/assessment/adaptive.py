"""Computerised adaptive testing: item selection (information, content balance, exposure), stopping, simulation."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Hashable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from kynangso.assessment.irt import estimate_theta, item_information, probability

ItemId = Hashable

EXPOSURE_TARGET = 0.25
RANDOMESQUE = 5
SE_TARGET = 0.3
MIN_ITEMS = 5
MAX_ITEMS = 30


@dataclass(frozen=True)
class PoolItem:
    """A calibrated item as the CAT sees it; exposure_rate = share of past tests that administered it."""

    item_id: ItemId
    a: float
    b: float
    c: float = 0.0
    competence: str = ""
    exposure_rate: float = 0.0


def blueprint_deficits(
    administered: Collection[ItemId], pool: Sequence[PoolItem], blueprint_counts: Mapping[str, int] | None
) -> dict[str, int]:
    """Items still needed per competence: quota minus administered items of that competence (only those > 0)."""
    if not blueprint_counts:
        return {}
    given = Counter(item.competence for item in pool if item.item_id in administered)
    return {comp: need - given[comp] for comp, need in blueprint_counts.items() if need - given[comp] > 0}


@dataclass(frozen=True)
class _PoolArrays:
    """The pool as parallel arrays, so that selection is vectorised."""

    ids: list[ItemId]
    a: np.ndarray
    b: np.ndarray
    c: np.ndarray
    competence: np.ndarray  # object array of competence names

    @classmethod
    def of(cls, pool: Sequence[PoolItem]) -> _PoolArrays:
        return cls(
            ids=[item.item_id for item in pool],
            a=np.array([item.a for item in pool], dtype=float),
            b=np.array([item.b for item in pool], dtype=float),
            c=np.array([item.c for item in pool], dtype=float),
            competence=np.array([item.competence for item in pool], dtype=object),
        )


def _select(
    theta: float,
    available: np.ndarray,
    arrays: _PoolArrays,
    exposure: np.ndarray,
    deficits: Mapping[str, int],
    blueprint_counts: Mapping[str, int] | None,
    rng: np.random.Generator | None,
    exposure_target: float,
    randomesque: int,
) -> int | None:
    """Index of the chosen item (see next_item for the rules), or None when nothing is available."""
    candidates = available.copy()
    if not candidates.any():
        return None
    if deficits and blueprint_counts:
        present = set(arrays.competence[candidates])
        ratios = {comp: need / blueprint_counts[comp] for comp, need in deficits.items() if comp in present}
        if ratios:
            top = max(ratios.values())
            wanted = [comp for comp, ratio in ratios.items() if ratio >= top - 1e-12]
            candidates &= np.isin(arrays.competence, wanted)

    fresh = candidates & (exposure <= exposure_target)
    if fresh.any():
        candidates = fresh

    index = np.flatnonzero(candidates)
    info = np.asarray(item_information(theta, arrays.a[index], arrays.b[index], arrays.c[index]))
    order = index[np.argsort(-info, kind="stable")]
    k = max(1, min(randomesque, order.size))
    if k == 1:
        return int(order[0])
    rng = rng if rng is not None else np.random.default_rng()
    return int(order[rng.integers(k)])


def next_item(
    theta: float,
    administered: Collection[ItemId],
    pool: Sequence[PoolItem],
    blueprint_counts: Mapping[str, int] | None = None,
    rng: np.random.Generator | None = None,
    exposure_target: float = EXPOSURE_TARGET,
    randomesque: int = RANDOMESQUE,
) -> ItemId | None:
    """The next item to administer at ability ``theta``, or None when the pool is exhausted.

    1. Content balancing: ``blueprint_counts`` is the minimum number of items per competence for the whole test.
       While some competence is below its quota, only the competences with the largest relative deficit
       ((quota - given) / quota) that still have items left are considered.
    2. Exposure control (Sympson–Hetter-style skip): items whose exposure_rate exceeds ``exposure_target`` are
       skipped, unless nothing else is left.
    3. Randomesque: one of the ``randomesque`` most informative remaining items at random (1 = pure max info).
    """
    arrays = _PoolArrays.of(pool)
    available = np.array([item_id not in administered for item_id in arrays.ids], dtype=bool)
    exposure = np.array([item.exposure_rate for item in pool], dtype=float)
    chosen = _select(
        theta,
        available,
        arrays,
        exposure,
        blueprint_deficits(administered, pool, blueprint_counts),
        blueprint_counts,
        rng,
        exposure_target,
        randomesque,
    )
    return None if chosen is None else arrays.ids[chosen]


def should_stop(
    standard_error: float,
    n_items: int,
    se_target: float = SE_TARGET,
    min_items: int = MIN_ITEMS,
    max_items: int = MAX_ITEMS,
    blueprint_met: bool = True,
) -> bool:
    """Stop at ``max_items``; otherwise once at least ``min_items`` are given, the blueprint is met and SE ≤ target."""
    if n_items >= max_items:
        return True
    if n_items < min_items or not blueprint_met:
        return False
    return standard_error <= se_target


@dataclass(frozen=True)
class SimuleeResult:
    true_theta: float
    items: list[ItemId]
    theta: float
    standard_error: float


@dataclass(frozen=True)
class SimulationReport:
    simulees: list[SimuleeResult]
    bias: float  # mean(estimate - true)
    rmse: float
    mean_length: float
    max_exposure: float  # highest share of simulees that saw any one item
    exposure: dict[ItemId, float] = field(default_factory=dict)


def simulate_cat(
    true_thetas: Sequence[float],
    pool: Sequence[PoolItem],
    *,
    rng: np.random.Generator,
    blueprint_counts: Mapping[str, int] | None = None,
    se_target: float = SE_TARGET,
    min_items: int = MIN_ITEMS,
    max_items: int = MAX_ITEMS,
    exposure_target: float = EXPOSURE_TARGET,
    randomesque: int = RANDOMESQUE,
    exposure_control: bool = True,
) -> SimulationReport:
    """Run one CAT per true ability with responses drawn from the model; exposure rates are updated as tests finish.

    ``exposure_control=False`` gives pure maximum information (no randomesque, no skip) for comparison. The pool's
    own exposure_rate values are ignored: the simulation tracks exposure itself, starting from zero.
    """
    if not exposure_control:
        exposure_target, randomesque = float("inf"), 1
    arrays = _PoolArrays.of(pool)
    quota = dict(blueprint_counts or {})
    counts = np.zeros(len(pool))
    results: list[SimuleeResult] = []
    for done, true_theta in enumerate(true_thetas):
        exposure = counts / done if done else counts.copy()
        available = np.ones(len(pool), dtype=bool)
        given: list[int] = []
        answered: list[tuple[float, float, float, float]] = []
        deficits = {comp: need for comp, need in quota.items() if need > 0}
        theta, se = estimate_theta(answered)
        while not should_stop(se, len(given), se_target, min_items, max_items, not deficits):
            index = _select(theta, available, arrays, exposure, deficits, quota, rng, exposure_target, randomesque)
            if index is None:
                break
            a, b, c = arrays.a[index], arrays.b[index], arrays.c[index]
            score = float(rng.random() < probability(true_theta, a, b, c))
            given.append(index)
            available[index] = False
            comp = arrays.competence[index]
            if comp in deficits:
                deficits[comp] -= 1
                if deficits[comp] <= 0:
                    del deficits[comp]
            answered.append((a, b, c, score))
            theta, se = estimate_theta(answered)
        counts[given] += 1
        results.append(SimuleeResult(float(true_theta), [arrays.ids[i] for i in given], theta, se))

    n = len(results)
    errors = np.array([r.theta - r.true_theta for r in results]) if n else np.array([np.nan])
    exposure = {item_id: float(counts[i] / n) for i, item_id in enumerate(arrays.ids)} if n else {}
    return SimulationReport(
        simulees=results,
        bias=float(errors.mean()),
        rmse=float(np.sqrt((errors**2).mean())),
        mean_length=float(np.mean([len(r.items) for r in results])) if n else 0.0,
        max_exposure=max(exposure.values(), default=0.0),
        exposure=exposure,
    )
