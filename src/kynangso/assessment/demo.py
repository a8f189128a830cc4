"""The assessment app's part of the demo province: submitted attempts of residents and officials, drawn, answered
and scored by the real engine (idempotent: running it twice changes nothing)."""

import datetime
import random

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from kynangso.assessment import drawing, engine
from kynangso.assessment.models import Attempt, AttemptItem, ItemType, Standard
from kynangso.errors import DomainError
from kynangso.orgs import api as orgs
from kynangso.people import api as people

SEED = 2026
PROVINCE_CODE = "99"
# How many people of each group sit the standard of their group (at most; fewer if the province has fewer).
TAKERS = {"resident": 220, "official": 100}
DAYS_BACK = 300  # attempts are spread over the last 300 days
RETAKE_SHARE = 0.6  # of those who fail, this share sits again (after the waiting time) and tries harder


def _right(slot: AttemptItem) -> dict:
    body, kind = slot.item_version.body, slot.item_version.type
    if kind in (ItemType.SINGLE_CHOICE, ItemType.TRUE_FALSE):
        return {"choice": next(o["id"] for o in body["options"] if o["correct"])}
    if kind == ItemType.MULTIPLE_RESPONSE:
        return {
            "choices": [
                i for i in slot.presentation["options"] if i in {o["id"] for o in body["options"] if o["correct"]}
            ]
        }
    if kind == ItemType.ORDERING:
        return {"order": [s["id"] for s in body["steps"]]}
    if kind == ItemType.MATCHING:
        return {"pairs": {p["left_id"]: p["right_id"] for p in body["pairs"]}}
    if kind == ItemType.SHORT_TEXT:
        return {"text": body["answers"][0]}
    return {"number": f"{body['answer']:g}".replace(".", ",")}


def _wrong(slot: AttemptItem, rng: random.Random) -> dict:
    body, kind, shown = slot.item_version.body, slot.item_version.type, slot.presentation
    if kind in (ItemType.SINGLE_CHOICE, ItemType.TRUE_FALSE):
        wrong = [o["id"] for o in body["options"] if not o["correct"]]
        return {"choice": rng.choice(wrong)} if wrong else {"choice": None}
    if kind == ItemType.MULTIPLE_RESPONSE:
        right = {o["id"] for o in body["options"] if o["correct"]}
        chosen = set(rng.sample(shown["options"], rng.randint(1, len(shown["options"]))))
        if chosen == right:
            chosen ^= {shown["options"][0]}
        return {"choices": [i for i in shown["options"] if i in chosen]}
    if kind == ItemType.ORDERING:
        return {"order": list(shown["steps"])}  # the shown order is never the right one
    if kind == ItemType.MATCHING:
        rights = list(shown["rights"])
        return {"pairs": {left: rights[(i + 1) % len(rights)] for i, left in enumerate(shown["lefts"])}}
    if kind == ItemType.SHORT_TEXT:
        return {"text": "không biết"}
    return {"number": f"{body['answer'] + 7:g}".replace(".", ",")}


def _sit(person, standard: Standard, *, ability: float, started: datetime.datetime, rng: random.Random) -> Attempt:
    """One attempt through the engine: drawn by `start_attempt`, every item answered (right with chance `ability`),
    scored by `submit_attempt`. Answers are written in one batch (as the exam page would have saved them, one
    revision each) rather than through `save_answer`, whose checks of the taker and the clock add nothing here."""
    attempt = engine.start_attempt(person=person, standard=standard, started_by=None, now=started)
    slots = list(AttemptItem.objects.select_related("item_version").filter(attempt=attempt).order_by("position"))
    minutes = rng.randint(8, max(9, standard.time_limit_minutes - 2))
    ops, rows = connection.ops, []
    for index, slot in enumerate(slots):
        answer = _right(slot) if rng.random() < ability else _wrong(slot, rng)
        answered_at = started + datetime.timedelta(minutes=minutes * (index + 1) / len(slots))
        rows.append((ops.adapt_json_value(answer, None), ops.adapt_datetimefield_value(answered_at), slot.pk))
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {AttemptItem._meta.db_table} SET answer = %s, answered_at = %s, revision = 1 WHERE id = %s", rows
        )
    # No pass events: the credentials demo issues its certificates from these results itself.
    return engine.submit_attempt(attempt=attempt, now=started + datetime.timedelta(minutes=minutes), notify=False)


def _takers(group: str, today: datetime.date, province) -> list:
    """People of the group over the whole span the demo's attempts are spread on: the engine lets a person sit a
    standard only while they belong to its target group."""
    units = orgs.closure_rows().filter(ancestor_id=province.pk).values("descendant_id")
    since = today - datetime.timedelta(days=DAYS_BACK + 1)
    members = (
        people.membership_rows()
        .filter(group=group, valid_from__lte=since)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
        .values("person_id")
    )
    return list(people.people_of_units(units, member_rows=members).order_by("pk"))


def populate(*, today, stdout) -> None:
    """Several hundred residents and officials of the demo province with submitted attempts, most passed."""
    province = orgs.unit_by_code(PROVINCE_CODE)
    if province is None:
        return
    rng = random.Random(SEED)
    standards = {
        group: Standard.objects.filter(target_group=group, is_active=True).order_by("code").first() for group in TAKERS
    }
    plan = []
    for group, count in TAKERS.items():
        standard = standards[group]
        if standard is None or drawing.blueprint_shortages(standard):
            continue
        candidates = _takers(group, today, province)
        chosen = sorted(rng.sample(candidates, min(count, len(candidates))), key=lambda p: p.pk)
        plan.extend((person, standard) for person in chosen)
    if not plan:
        return
    already = set(Attempt.objects.filter(person__in=[p for p, _s in plan]).values_list("person_id", "standard_id"))
    plan = [(person, standard) for person, standard in plan if (person.pk, standard.pk) not in already]
    if not plan:
        return
    submitted, passed = 0, 0
    midnight = timezone.make_aware(datetime.datetime.combine(today, datetime.time(0, 0)))
    with transaction.atomic():
        for person, standard in plan:
            # Each person's draws come from a generator of their own, so adding people never changes the others.
            own = random.Random(SEED * 1_000_003 + person.pk)
            ability = own.betavariate(6, 2)  # mean 0.75: most pass
            started = midnight - datetime.timedelta(
                days=own.randint(14, DAYS_BACK), minutes=-own.randint(7 * 60, 20 * 60)
            )
            try:
                attempt = _sit(person, standard, ability=ability, started=started, rng=own)
                submitted += 1
                again = attempt.submitted_at + datetime.timedelta(hours=standard.wait_hours, days=own.randint(2, 12))
                if not attempt.passed and own.random() < RETAKE_SHARE and again < midnight:
                    attempt = _sit(person, standard, ability=min(0.97, ability + 0.25), started=again, rng=own)
                    submitted += 1
            except DomainError:
                continue  # e.g. the attempt policy of a standard the province changed: that person sits no exam
            passed += bool(attempt.passed)
    stdout.write(f"Sát hạch: {submitted} bài đã nộp của {len(plan)} người, {passed} người đạt chuẩn.\n")
