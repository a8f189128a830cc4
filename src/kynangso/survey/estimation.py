"""The estimate, as a pure function of the interviews: design weights (1 / inclusion probability), a non-response
adjustment within weighting classes (age group × sex), raking to the recorded adult counts by age group and by sex,
and the share «at least basic» with its standard error and 95% interval by Taylor linearisation over the communes
(PSUs). The weighting and the variance are the `svy` library's (ADR 0043); nothing here writes a variance formula."""

import warnings
from collections import Counter
from dataclasses import dataclass

import numpy as np

# A domain is reported only with at least this many respondents in at least this many communes; below that the
# interval is too wide or too unstable to be of use, and the page says why.
MIN_RESPONDENTS = 30
MIN_PSUS = 2
RESPONDED, NOT_RESPONDED = "rr", "nr"


@dataclass(frozen=True)
class Case:
    """One sampled person: where they were drawn, their stratum, their inclusion probability, whether they
    answered, and (if they did) whether they have at least basic skills."""

    psu: str
    age_group: str
    sex: str
    probability: float
    responded: bool
    at_least_basic: bool | None = None
    psu_probability: float = 0.0  # the commune's first-stage inclusion probability (finite population correction)
    psu_size: int = 0  # adults in the case's commune, for the second stage's correction
    certain: bool = False  # the commune was taken with certainty: it is a stratum of its own


@dataclass(frozen=True)
class DomainEstimate:
    domain: str  # "all", "sex:female", "age:18-29"
    respondents: int
    psus: int
    value: float | None  # a share in 0..1
    standard_error: float | None
    ci_low: float | None
    ci_high: float | None
    suppressed_reason: str = ""  # why no figure is given (too few respondents or communes)


@dataclass(frozen=True)
class Result:
    estimates: list[DomainEstimate]
    weights: list[float]  # final weight of each respondent, in the order of the respondents among the cases
    calibrated: bool  # whether raking to the recorded margins was done
    note: str = ""


def _margins_usable(margins: dict[str, dict[str, float]] | None, cases) -> bool:
    if not margins or not margins.get("age_group") or not margins.get("sex"):
        return False
    present = {"age_group": {c.age_group for c in cases if c.responded}, "sex": {c.sex for c in cases if c.responded}}
    for name, controls in margins.items():
        if any(value <= 0 for value in controls.values()) or set(controls) != present[name]:
            return False
    totals = [sum(controls.values()) for controls in margins.values()]
    return max(totals) - min(totals) <= 1e-6 * max(totals)


def estimate(
    cases: list[Case], *, margins: dict[str, dict[str, float]] | None = None, by_domain: bool = True
) -> Result:
    """Weight the cases and estimate the share «at least basic» overall, by sex and by age group.

    `by_domain=False` gives the overall estimate only (the simulation). `margins` is {"age_group": {group: adults}, "sex": {sex: adults}}: the recorded counts to rake to; without
    usable margins (missing, a stratum with no respondent, totals that disagree) the weights are not calibrated and
    the result says so."""
    import polars as pl
    import svy

    cases = list(cases)
    respondents = [c for c in cases if c.responded]
    if not respondents:
        return Result(estimates=[], weights=[], calibrated=False, note="no respondents")
    cells = [f"{c.age_group}|{c.sex}" for c in cases]
    answered_cells = {cell for cell, c in zip(cells, cases, strict=True) if c.responded}
    if any(cell not in answered_cells for cell in cells):
        cells = [c.age_group for c in cases]  # collapse to age groups when a class has no respondent
        answered = {c.age_group for c in respondents}
        if any(cell not in answered for cell in cells):
            cells = ["all"] * len(cases)
    drawn_in = Counter(c.psu for c in cases)
    corrected = all(0 < c.psu_probability <= 1 and c.psu_size >= drawn_in[c.psu] for c in cases)
    equivalent_frame = _equivalent_frame(cases) if corrected else 0.0
    frame = pl.DataFrame(
        {
            "row": np.arange(len(cases)),
            "stratum": [f"certain:{c.psu}" if c.certain else "pps" for c in cases],
            "psu": [c.psu for c in cases],
            "frame_psus": [1.0 if c.certain else equivalent_frame for c in cases],
            "psu_size": [float(c.psu_size) for c in cases],
            "age_group": [c.age_group for c in cases],
            "sex": [c.sex for c in cases],
            "cell": cells,
            "base_wgt": [1.0 / c.probability for c in cases],
            "resp": [RESPONDED if c.responded else NOT_RESPONDED for c in cases],
            "y": [float(bool(c.at_least_basic)) if c.responded else None for c in cases],
        }
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sample = svy.Sample(frame, _design("base_wgt", corrected))
        if len(respondents) < len(cases):
            sample = sample.weighting.adjust(
                resp_status="resp", cells="cell", resp_mapping={"rr": RESPONDED, "nr": NOT_RESPONDED}, wgt_name="nr_wgt"
            )
        calibrated = _margins_usable(margins, cases)
        if calibrated:
            sample = sample.weighting.rake(
                controls={name: dict(controls) for name, controls in margins.items()},
                wgt_name="final_wgt",
                tol=1e-6,
                max_iter=500,
            )
        weight_column = sample.design.wgt
        data = sample.data.filter(pl.col("resp") == RESPONDED).sort("row")
        sample = svy.Sample(data, _design(weight_column, corrected))
        estimates = [_domain(sample, data, "all", None)]
        for column, prefix in (("sex", "sex"), ("age_group", "age")) if by_domain else ():
            for level in sorted(data[column].unique().to_list()):
                estimates.append(_domain(sample, data, f"{prefix}:{level}", (column, level)))
    return Result(estimates=estimates, weights=data[weight_column].to_list(), calibrated=calibrated)


def _equivalent_frame(cases) -> float:
    """The first stage's finite population correction for a PPS draw: the library's correction is (1 − n/N) per
    stratum, exact for equal probabilities; with unequal ones the fraction that matters is the mean inclusion
    probability of the communes drawn (Brewer's approximation, 1 − π̄), so N is given as n / π̄."""
    drawn = {c.psu: c.psu_probability for c in cases if not c.certain}
    if not drawn:
        return 1.0
    mean = sum(drawn.values()) / len(drawn)
    return max(len(drawn) / mean, float(len(drawn)))


def _design(weight: str, corrected: bool):
    """Strata (the PPS draw, and each commune taken with certainty), communes as PSUs, people as second-stage units;
    with the inclusion probabilities and the communes' sizes, the finite population correction of both stages (a
    third of a province's communes are often drawn: without it the interval is too wide, docs/survey.md)."""
    import svy

    if not corrected:
        return svy.Design(stratum="stratum", psu="psu", wgt=weight)
    return svy.Design(
        stratum="stratum", psu="psu", ssu="row", wgt=weight, pop_size=svy.PopSize(psu="frame_psus", ssu="psu_size")
    )


def _domain(sample, data, name: str, where) -> DomainEstimate:
    import polars as pl
    import svy

    rows = data if where is None else data.filter(pl.col(where[0]) == where[1])
    respondents, psus = rows.height, rows["psu"].n_unique()
    if respondents < MIN_RESPONDENTS:
        return DomainEstimate(name, respondents, psus, None, None, None, None, "too_few_respondents")
    if psus < MIN_PSUS:
        return DomainEstimate(name, respondents, psus, None, None, None, None, "too_few_psus")
    if where is None:
        found = sample.estimation.mean("y")
    else:
        found = sample.estimation.mean("y", where=svy.col(where[0]) == where[1])
    row = found.to_dicts()[0]
    value, error = float(row["est"]), float(row["se"])
    low, high = max(0.0, float(row["lci"])), min(1.0, float(row["uci"]))
    return DomainEstimate(name, respondents, psus, value, error, low, high)
