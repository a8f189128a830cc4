"""The validity report of a standard: what its live pool does against guessers and harvested answer sheets, and how
reliable its scores are once responses exist (`kynangso assessment-report`, the authors' page «Độ tin cậy của đề»).

Forms are drawn with the exam's own draw (`drawing.draw_form`), over the same live pool, so the simulation measures
what takers get. Simulated takers:
- **random guesser**: a uniformly random answer (single choice 1/n, true/false 1/2, multiple response a random
  non-empty subset, ordering and matching a random arrangement, typed answers never right);
- **test-wise guesser**: the longest option in single choice (a tie shared), «Sai» in true/false, every option in
  multiple response («the most inclusive»), random in ordering and matching, nothing right when typing;
- **harvester**: a test-wise guesser who kept an answer sheet, keyed on the question text, of every question of
  their own yearly attempts, and meets a fresh form: right on every question whose text they have seen.
The goals (issue «Assessment you can stand behind»): guessers pass with probability under 1 %; the harvester gains
under 10 percentage points on a fresh form; the pool rule and at most 40 % exposure after the yearly attempts.
Scoring is whole-item (partial credit ignored) with the standard's pass mark and domain floors (a floor over four
or more items of a domain, as `scoring.profile`)."""

from __future__ import annotations

import math
import random
import statistics
from collections import defaultdict
from dataclasses import dataclass, field

from kynangso.assessment import drawing, item_analysis, lint
from kynangso.assessment.models import AttemptItem, AttemptStatus, ItemType, ItemVersion, Standard, StandardMode
from kynangso.assessment.scoring import MIN_ITEMS_FOR_DOMAIN_FLOOR
from kynangso.frameworks import api as frameworks

GUESS_PASS_GOAL = 0.01
HARVEST_GAIN_GOAL = 10.0
EXPOSURE_GOAL = lint.MAX_EXPOSURE
POOL_PER_DRAWN = lint.POOL_PER_DRAWN
MIN_ATTEMPTS_FOR_RELIABILITY = 30
MIN_RESPONSES_FOR_DISCRIMINATION = 20


@dataclass(frozen=True)
class ItemModel:
    version_id: int
    domain: str
    stem: str
    p_random: float
    p_testwise: float


@dataclass
class CellFigures:
    competence: str
    level: int
    drawn: int
    pool: int  # families serving the standard's group

    @property
    def per_drawn(self) -> float:
        return self.pool / self.drawn if self.drawn else 0.0


@dataclass
class ValidityReport:
    code: str
    name: str
    form_length: int
    attempts_per_year: int
    pass_percent: int
    domain_pass_percent: int | None
    takers: int
    cells: list[CellFigures] = field(default_factory=list)
    pool_size: int = 0
    exposure: float = 0.0  # expected share of the pool seen after the yearly attempts
    pass_random: float = 0.0
    pass_testwise: float = 0.0
    pass_harvest: float = 0.0
    score_testwise: float = 0.0  # mean percent on a fresh form, test-wise guessing only
    score_harvest: float = 0.0  # the same form, with the sheet of the taker's own attempts
    harvest_gain: float = 0.0  # percentage points
    reliability: float | None = None  # KR-20 over submitted attempts
    discrimination: float | None = None  # mean corrected point-biserial of items with enough responses
    responses: int = 0
    adaptive: bool = False

    @property
    def pool_rule_met(self) -> bool:
        return all(cell.pool >= POOL_PER_DRAWN * cell.drawn for cell in self.cells)

    @property
    def goals(self) -> dict[str, bool]:
        return {
            "pool": self.pool_rule_met,
            "exposure": self.exposure <= EXPOSURE_GOAL + 1e-9,
            "random": self.pass_random < GUESS_PASS_GOAL,
            "testwise": self.pass_testwise < GUESS_PASS_GOAL,
            "harvest": self.harvest_gain < HARVEST_GAIN_GOAL,
        }

    @property
    def all_goals_met(self) -> bool:
        return all(self.goals.values())


def guess_probabilities(kind: str, body: dict) -> tuple[float, float]:
    """(random guesser, test-wise guesser) chance of a wholly right answer to one item."""
    if kind in (ItemType.SINGLE_CHOICE, ItemType.TRUE_FALSE):
        options = body["options"]
        random_p = 1 / len(options) if options else 0.0
        if kind == ItemType.TRUE_FALSE:
            says_false = next((o for o in options if o["text"].strip().casefold() == "sai"), None)
            return random_p, 1.0 if says_false is not None and says_false["correct"] else 0.0
        longest = max(lint.option_length(o["text"]) for o in options)
        tied = [o for o in options if lint.option_length(o["text"]) == longest]
        return random_p, sum(1 for o in tied if o["correct"]) / len(tied)
    if kind == ItemType.MULTIPLE_RESPONSE:
        options = body["options"]
        random_p = 1 / (2 ** len(options) - 1) if options else 0.0
        return random_p, 1.0 if all(o["correct"] for o in options) else 0.0
    if kind == ItemType.ORDERING:
        p = 1 / math.factorial(len(body["steps"]))
        return p, p
    if kind == ItemType.MATCHING:
        lefts = len(body["pairs"])
        rights = lefts + len(body.get("distractors") or [])
        p = 1 / math.perm(rights, lefts)
        return p, p
    return 0.0, 0.0  # short text, numeric: a guess is never typed right


def _models(version_ids, domain_of: dict[str, str]) -> dict[int, ItemModel]:
    models = {}
    for version in ItemVersion.objects.filter(pk__in=version_ids).select_related("item"):
        p_random, p_testwise = guess_probabilities(version.type, version.body)
        models[version.pk] = ItemModel(
            version.pk,
            domain_of.get(version.item.competence_code, ""),
            " ".join(version.stem.split()),
            p_random,
            p_testwise,
        )
    return models


def _passes(form: list[ItemModel], right: list[bool], standard: Standard) -> bool:
    if not form:
        return False
    if 100 * sum(right) / len(form) + 1e-9 < standard.pass_percent:
        return False
    if standard.domain_pass_percent is None:
        return True
    per_domain: dict[str, list[bool]] = defaultdict(list)
    for item, ok in zip(form, right):
        per_domain[item.domain].append(ok)
    return all(
        len(oks) < MIN_ITEMS_FOR_DOMAIN_FLOOR or 100 * sum(oks) / len(oks) + 1e-9 >= standard.domain_pass_percent
        for oks in per_domain.values()
    )


def simulate(standard: Standard, *, takers: int = 10_000, seed: int = 757) -> ValidityReport:
    """The report of one standard, simulated over `takers` takers of each kind (reproducible with `seed`)."""
    rows = list(standard.blueprint.all())
    pool = drawing.live_pool(standard, rows)
    cells = [((r.competence_code, r.level), r.item_count) for r in rows]
    attempts = standard.max_attempts_per_year
    report = ValidityReport(
        code=standard.code,
        name=standard.name,
        form_length=sum(count for _cell, count in cells),
        attempts_per_year=attempts,
        pass_percent=standard.pass_percent,
        domain_pass_percent=standard.domain_pass_percent,
        takers=takers,
        adaptive=standard.mode == StandardMode.ADAPTIVE,
        cells=[
            CellFigures(
                r.competence_code, r.level, r.item_count, drawing.family_count(pool[(r.competence_code, r.level)])
            )
            for r in rows
        ],
    )
    report.pool_size = sum(cell.pool for cell in report.cells)
    domain_of = {c.code: c.domain.code for c in frameworks.competences(standard.framework_code)}
    models = _models({item.version_id for items in pool.values() for item in items}, domain_of)
    family_of = {item.version_id: item.family for items in pool.values() for item in items}
    if not models or any(cell.pool < cell.drawn for cell in report.cells):
        report.pass_random = report.pass_testwise = report.pass_harvest = 1.0
        report.exposure = 1.0
        report.harvest_gain = 100.0
        _add_response_statistics(report, standard)
        return report
    rng = random.Random(seed)
    passed = {"random": 0, "testwise": 0, "harvest": 0}
    exposures, tw_scores, harvest_scores = [], [], []
    for _taker in range(takers):
        form = [models[v] for v in drawing.draw_form(cells, pool, rng)]
        passed["random"] += _passes(form, [rng.random() < m.p_random for m in form], standard)
        passed["testwise"] += _passes(form, [rng.random() < m.p_testwise for m in form], standard)
        seen: dict[str, int] = {}
        sheet: set[str] = set()
        for number in range(1, attempts + 1):
            for version_id in drawing.draw_form(cells, pool, rng, seen):
                seen[family_of[version_id]] = number
                sheet.add(models[version_id].stem)
        exposures.append(len(seen) / report.pool_size)
        fresh = [models[v] for v in drawing.draw_form(cells, pool, rng, seen)]
        known = [m.stem in sheet for m in fresh]
        tw_scores.append(100 * sum(m.p_testwise for m in fresh) / len(fresh))
        harvest_scores.append(100 * sum(1.0 if k else m.p_testwise for m, k in zip(fresh, known)) / len(fresh))
        passed["harvest"] += _passes(fresh, [k or rng.random() < m.p_testwise for m, k in zip(fresh, known)], standard)
    report.pass_random = passed["random"] / takers
    report.pass_testwise = passed["testwise"] / takers
    report.pass_harvest = passed["harvest"] / takers
    report.exposure = statistics.fmean(exposures)
    report.score_testwise = statistics.fmean(tw_scores)
    report.score_harvest = statistics.fmean(harvest_scores)
    report.harvest_gain = report.score_harvest - report.score_testwise
    _add_response_statistics(report, standard)
    return report


def _add_response_statistics(report: ValidityReport, standard: Standard) -> None:
    """KR-20 and mean item discrimination from the standard's submitted fixed-form attempts, once there are
    enough. Forms differ between takers (randomly parallel forms): KR-20 uses each attempt's own items' p·q."""
    rows = list(
        AttemptItem.objects.filter(
            attempt__standard=standard,
            attempt__status=AttemptStatus.SUBMITTED,
            attempt__mode=StandardMode.FIXED,
            correct__isnull=False,
        ).values_list("attempt_id", "item_version__item_id", "correct")
    )
    report.responses = len(rows)
    by_attempt: dict[int, list[tuple[int, bool]]] = defaultdict(list)
    by_item: dict[int, list[bool]] = defaultdict(list)
    for attempt, item, correct in rows:
        by_attempt[attempt].append((item, bool(correct)))
        by_item[item].append(bool(correct))
    if len(by_attempt) < MIN_ATTEMPTS_FOR_RELIABILITY:
        return
    p = {item: sum(v) / len(v) for item, v in by_item.items()}
    totals = {attempt: sum(c for _i, c in answers) for attempt, answers in by_attempt.items()}
    variance = statistics.pvariance(totals.values())
    k = statistics.fmean(len(answers) for answers in by_attempt.values())
    pq = statistics.fmean(sum(p[i] * (1 - p[i]) for i, _c in answers) for answers in by_attempt.values())
    if variance > 0 and k > 1:
        report.reliability = k / (k - 1) * (1 - pq / variance)
    rest: dict[int, tuple[list[float], list[float]]] = defaultdict(lambda: ([], []))
    for attempt, answers in by_attempt.items():
        for item, correct in answers:
            rest[item][0].append(float(correct))
            rest[item][1].append(float(totals[attempt] - correct))
    values = [
        r
        for x, y in rest.values()
        if len(x) >= MIN_RESPONSES_FOR_DISCRIMINATION
        for r in [item_analysis.pearson(x, y)]
        if r is not None
    ]
    report.discrimination = statistics.fmean(values) if values else None
