"""Adaptive attempts on real standards: whether a standard's calibrated pool is ready, the pool with exposure rates,
presenting one item at a time, the stopping rule on the standard error, and scoring on the ability scale (ADR 0008).

An adaptive attempt uses the same rows as a fixed form: one `AttemptItem` per presented item, appended as the taker
goes. The taker answers the current item (the ordinary save path), then confirms it with `advance`: the item is
scored (`correct` set, which locks it against later saves), the ability re-estimated, and either the next item is
presented or, when the stopping rule says so, the attempt is submitted.
"""

import datetime
import math
import random
import secrets

import numpy as np
from django.db import transaction
from django.db.models import Count, F
from django.utils import timezone
from django.utils.translation import gettext as _

from kynangso.assessment import adaptive, irt, scoring
from kynangso.assessment.models import (
    Attempt,
    AttemptItem,
    AttemptStatus,
    BlueprintRow,
    Item,
    ItemUse,
    Standard,
)
from kynangso.assessment.presentation import drawn_presentation
from kynangso.errors import DomainError

POOL_FACTOR = 2  # a standard's calibrated pool must hold at least this many times its longest test
EXPOSURE_WINDOW = 500  # exposure rates are shares of the standard's latest adaptive attempts
EXPOSURE_TARGET = adaptive.EXPOSURE_TARGET
RANDOMESQUE = adaptive.RANDOMESQUE


def required_levels(standard: Standard) -> dict[str, int]:
    """The level each competence of the standard requires (the highest level its blueprint rows name)."""
    levels: dict[str, int] = {}
    for competence, level in BlueprintRow.objects.filter(standard=standard).values_list("competence_code", "level"):
        levels[competence] = max(levels.get(competence, 0), level)
    return levels


def quotas(standard: Standard) -> dict[str, int]:
    """Content balance of an adaptive test: items per competence, the blueprint's shares scaled to the minimum
    length (at least one per competence), so that the balance never keeps a test going past what SE needs."""
    counts: dict[str, int] = {}
    for competence, count in BlueprintRow.objects.filter(standard=standard).values_list(
        "competence_code", "item_count"
    ):
        counts[competence] = counts.get(competence, 0) + count
    total = sum(counts.values())
    if not total:
        return {}
    scale = min(1.0, standard.cat_min_items / total)
    return {competence: max(1, math.floor(count * scale)) for competence, count in counts.items()}


def _calibrated(standard: Standard):
    levels = required_levels(standard)
    items = Item.objects.filter(
        framework_code=standard.framework_code,
        competence_code__in=list(levels),
        use=ItemUse.ASSESSMENT,
        live_version__isnull=False,
        irt_a__isnull=False,
        irt_b__isnull=False,
        irt_a__gt=0,
    )
    return [item for item in items.order_by("pk") if item.level <= levels[item.competence_code]]


def readiness(standard: Standard) -> list[str]:
    """Why the standard cannot run adaptive attempts now, in Vietnamese (empty: it can). Until it can, its
    attempts use fixed forms drawn by the blueprint; the back office shows these reasons to the province."""
    items = _calibrated(standard)
    need = POOL_FACTOR * standard.cat_max_items
    reasons = []
    if len(items) < need:
        reasons.append(
            _(
                "mới có %(count)s câu đã hiệu chỉnh IRT trong phạm vi chuẩn, cần ít nhất %(need)s "
                "(%(factor)s lần số câu tối đa của một bài)"
            )
            % {"count": len(items), "need": need, "factor": POOL_FACTOR}
        )
    have: dict[str, int] = {}
    for item in items:
        have[item.competence_code] = have.get(item.competence_code, 0) + 1
    for competence, quota in sorted(quotas(standard).items()):
        if have.get(competence, 0) < 2 * quota:
            reasons.append(
                _("năng lực %(competence)s có %(count)s câu đã hiệu chỉnh, cần ít nhất %(need)s")
                % {"competence": competence, "count": have.get(competence, 0), "need": 2 * quota}
            )
    if standard.cat_min_items > standard.cat_max_items:
        reasons.append(_("số câu tối thiểu lớn hơn số câu tối đa"))
    return reasons


def exposure_rates(standard: Standard) -> dict[int, float]:
    """Item id → share of the standard's latest adaptive attempts (up to EXPOSURE_WINDOW) that presented it."""
    recent = list(
        Attempt.objects.filter(standard=standard, mode="adaptive")
        .order_by("-started_at")
        .values_list("pk", flat=True)[:EXPOSURE_WINDOW]
    )
    if not recent:
        return {}
    counts = (
        AttemptItem.objects.filter(attempt_id__in=recent)
        .values("item_version__item_id")
        .annotate(n=Count("attempt_id", distinct=True))
        .values_list("item_version__item_id", "n")
    )
    return {item_id: n / len(recent) for item_id, n in counts}


def pool(standard: Standard) -> list[adaptive.PoolItem]:
    """The calibrated pool of the standard, with each item's current exposure rate."""
    rates = exposure_rates(standard)
    return [
        adaptive.PoolItem(
            item_id=item.pk,
            a=item.irt_a,
            b=item.irt_b,
            competence=item.competence_code,
            exposure_rate=rates.get(item.pk, 0.0),
        )
        for item in _calibrated(standard)
    ]


def _given(attempt: Attempt) -> list[AttemptItem]:
    return list(AttemptItem.objects.select_related("item_version__item").filter(attempt=attempt).order_by("position"))


def ability(slots: list[AttemptItem]) -> tuple[float, float]:
    """EAP ability and its standard error from the scored (confirmed) items of an adaptive attempt."""
    responses = [
        (s.item_version.item.irt_a, s.item_version.item.irt_b, 0.0, 1.0 if s.correct else 0.0)
        for s in slots
        if s.correct is not None and s.item_version.item.irt_a is not None
    ]
    return irt.estimate_theta(responses)


def _present(
    attempt: Attempt, standard: Standard, slots: list[AttemptItem], theta: float, rng: np.random.Generator
) -> AttemptItem | None:
    """Choose and append the next item (content balance, exposure control, randomesque); None if none is left."""

    items = pool(standard)
    given = {s.item_version.item_id for s in slots}
    chosen = adaptive.next_item(
        theta,
        given,
        items,
        blueprint_counts=quotas(standard),
        rng=rng,
        exposure_target=EXPOSURE_TARGET,
        randomesque=RANDOMESQUE,
    )
    if chosen is None:
        return None
    item = Item.objects.select_related("live_version").get(pk=chosen)
    version = item.live_version
    slot = AttemptItem.objects.create(
        attempt=attempt,
        position=len(slots) + 1,
        item_version=version,
        nonce=secrets.token_hex(4),
        presentation=drawn_presentation(version, random.Random(int(rng.integers(2**63)))),
    )
    Item.objects.filter(pk=item.pk).update(times_drawn=F("times_drawn") + 1)
    return slot


def begin(attempt: Attempt, standard: Standard) -> AttemptItem:
    """Present the first item of a new adaptive attempt (at the prior ability, 0)."""
    slot = _present(attempt, standard, [], 0.0, np.random.default_rng(secrets.randbits(64)))
    if slot is None:
        raise DomainError(_("Chưa thể tổ chức thi thích ứng: ngân hàng câu hỏi đã hiệu chỉnh còn trống."))
    return slot


def advance(*, attempt: Attempt, user=None, now: datetime.datetime | None = None) -> Attempt:
    """Confirm the current item: score it, re-estimate the ability, then present the next item or, when the
    stopping rule is met (SE ≤ target after the minimum length and content balance, or the maximum length, or
    the pool is exhausted), submit the attempt. Confirming an item without an answer counts it wrong."""
    from kynangso.assessment.engine import GRACE, submit_attempt

    now = now or timezone.now()
    with transaction.atomic():
        locked = Attempt.objects.select_for_update().select_related("standard", "person").get(pk=attempt.pk)
        if user is not None and user.pk not in (locked.person.user_id, locked.assisted_by_id):
            raise DomainError(_("Không tìm thấy bài thi."), code="not_found")
        if locked.status != AttemptStatus.OPEN:
            return locked
        if locked.mode != "adaptive":
            raise DomainError(_("Bài thi này không theo hình thức thích ứng."))
        if now > locked.deadline + GRACE:
            return submit_attempt(attempt=locked, now=now, auto=True)
        standard = locked.standard
        slots = _given(locked)
        current = slots[-1]
        AttemptItem.objects.select_for_update(of=("self",)).filter(pk=current.pk).exists()
        current.refresh_from_db(fields=["answer", "correct"])
        if current.correct is None:
            current.correct = scoring.is_correct(current.item_version, current.answer)
            AttemptItem.objects.filter(pk=current.pk).update(correct=current.correct)
        theta, se = ability(slots)
        Attempt.objects.filter(pk=locked.pk).update(theta=theta, theta_se=se)
        deficits = adaptive.blueprint_deficits(
            {s.item_version.item_id for s in slots}, pool(standard), quotas(standard)
        )
        stop = adaptive.should_stop(
            se,
            len(slots),
            se_target=standard.cat_se_target,
            min_items=standard.cat_min_items,
            max_items=standard.cat_max_items,
            blueprint_met=not deficits,
        )
        if (
            not stop
            and _present(locked, standard, slots, theta, np.random.default_rng(secrets.randbits(64))) is not None
        ):
            locked.theta, locked.theta_se = theta, se
            return locked
    return submit_attempt(attempt=locked, now=now)


def expected_percent(theta: float, items: list) -> float:
    """Expected share right (in %) over `items` ((a, b) pairs) of someone at ability theta: the domain score."""
    if not items:
        return 0.0
    a = np.array([x[0] for x in items], dtype=float)
    b = np.array([x[1] for x in items], dtype=float)
    return round(100 * float(np.mean(irt.probability(theta, a, b))), 1)


def score(
    attempt: Attempt, slots: list[AttemptItem], *, competence_names: dict, domain_of: dict, domain_names: dict
) -> tuple[float, bool, dict, float, float]:
    """Score an adaptive attempt whose items are all scored: ability and SE from the answers, then the expected
    percent right over the whole calibrated pool (overall, per domain, per competence), judged against the
    standard's pass marks. Percent right on the items given means little in a CAT (it aims at about half right
    for everyone), so it is kept only as counts. Returns (overall %, passed, profile, theta, SE)."""
    standard = attempt.standard
    theta, se = ability(slots)
    bank = [(i.irt_a, i.irt_b, i.competence_code) for i in _calibrated(standard)]
    for slot in slots:  # items given but since retired still count in the pool they were drawn from
        item = slot.item_version.item
        if item.irt_a is not None and (item.irt_a, item.irt_b, item.competence_code) not in bank:
            bank.append((item.irt_a, item.irt_b, item.competence_code))
    required = required_levels(standard)
    given: dict[str, list[int]] = {}
    for slot in slots:
        entry = given.setdefault(slot.item_version.item.competence_code, [0, 0])
        entry[0] += int(bool(slot.correct))
        entry[1] += 1
    competences, domains = [], {}
    for code in sorted(required, key=_order):
        pool_items = [(a, b) for a, b, c in bank if c == code]
        domain = domain_of.get(code, code.split(".")[0])
        right, total = given.get(code, [0, 0])
        percent = expected_percent(theta, pool_items)
        competences.append(
            {
                "code": code,
                "name": competence_names.get(code, code),
                "domain": domain,
                "correct": right,
                "total": total,
                "percent": percent,
                "required_level": required[code],
                "met": percent >= standard.pass_percent,
            }
        )
        bucket = domains.setdefault(
            domain, {"code": domain, "name": domain_names.get(domain, domain), "correct": 0, "total": 0, "items": []}
        )
        bucket["correct"] += right
        bucket["total"] += total
        bucket["items"].extend(pool_items)
    for entry in domains.values():
        entry["percent"] = expected_percent(theta, entry.pop("items"))
        entry["met"] = standard.domain_pass_percent is None or entry["percent"] >= standard.domain_pass_percent
    overall = expected_percent(theta, [(a, b) for a, b, _c in bank])
    passed = overall >= standard.pass_percent and all(e["met"] for e in domains.values())
    profile = {
        "overall_percent": overall,
        "passed": passed,
        "adaptive": True,
        "theta": round(theta, 3),
        "theta_se": round(se, 3),
        "items_given": len(slots),
        "domains": sorted(domains.values(), key=lambda e: _order(e["code"])),
        "competences": competences,
    }
    return overall, passed, profile, theta, se


def _order(code: str) -> tuple:
    return tuple(int(part) if part.isdigit() else part for part in code.split("."))


def current_position(attempt: Attempt) -> int | None:
    """The position of the item the taker is on (the last presented), or None."""
    return AttemptItem.objects.filter(attempt=attempt).order_by("-position").values_list("position", flat=True).first()
