"""Drawing a form: the taker's unseen items first, one variant of a family at most, no more than 15 % true/false, and
only items tagged for the standard's target group."""

import random
from collections import Counter

from kynangso.accounts.api import SYSTEM
from kynangso.assessment import api as assessment
from kynangso.assessment import drawing
from kynangso.assessment.drawing import PoolItem

CELL = ("4.2", 1)


def pool_of(n: int, *, families=None, true_false=()) -> dict:
    return {
        CELL: [
            PoolItem(version_id=i, family=(families or {}).get(i, f"I{i}"), times_drawn=0, true_false=i in true_false)
            for i in range(1, n + 1)
        ]
    }


def test_a_taker_meets_unseen_items_until_the_pool_is_used_up():
    pool = pool_of(5)
    rng = random.Random(1)
    seen: dict[str, int] = {}
    forms = []
    for attempt in range(1, 6):
        form = drawing.draw_form([(CELL, 1)], pool, rng, seen)
        forms.append(form[0])
        seen[f"I{form[0]}"] = attempt
    assert sorted(forms) == [1, 2, 3, 4, 5]
    sixth = drawing.draw_form([(CELL, 1)], pool, rng, seen)
    assert sixth == [forms[0]]  # the longest-ago seen comes back first


def test_a_form_holds_at_most_one_variant_of_a_family():
    pool = pool_of(6, families={1: "F", 2: "F", 3: "F"})
    for seed in range(200):
        form = drawing.draw_form([(CELL, 4)], pool, random.Random(seed))
        assert sum(1 for v in form if v in (1, 2, 3)) == 1 and len(form) == 4


def test_true_false_items_stay_under_fifteen_percent_of_a_form_when_the_pool_allows():
    cells = [((str(c), 1), 1) for c in range(20)]
    pool = {
        (str(c), 1): [PoolItem(c * 10 + 1, f"T{c}", 0, True), PoolItem(c * 10 + 2, f"S{c}", 0, False)]
        for c in range(20)
    }
    for seed in range(100):
        form = drawing.draw_form(cells, pool, random.Random(seed))
        assert sum(1 for v in form if v % 10 == 1) <= 3 and len(form) == 20


def test_less_drawn_items_are_favoured():
    pool = {CELL: [PoolItem(1, "A", 0), PoolItem(2, "B", 200)]}
    picks = Counter(drawing.draw_form([(CELL, 1)], pool, random.Random(seed))[0] for seed in range(2000))
    assert picks[1] > 1.5 * picks[2]


def test_items_tagged_for_another_group_are_never_drawn(db, bank, resident):
    """A pupils' standard over a bank tagged for residents and leaders finds nothing to draw."""
    standard = assessment.save_standard(
        {
            "code": "HS",
            "name": "Chuẩn học sinh",
            "target_group": "student",
            "framework": "TT02-2025",
            "time_limit_minutes": 20,
            "pass_percent": 60,
            "blueprint": [{"competence": "4.2", "level": 1, "items": 1}],
        },
        actor=SYSTEM,
    )
    assert assessment.blueprint_shortages(standard)
    resident_standard = assessment.save_standard(
        {
            "code": "ND",
            "name": "Chuẩn người dân",
            "target_group": "resident",
            "framework": "TT02-2025",
            "time_limit_minutes": 20,
            "pass_percent": 60,
            "blueprint": [{"competence": "4.2", "level": 1, "items": 1}],
        },
        actor=SYSTEM,
    )
    assert assessment.blueprint_shortages(resident_standard) == []
