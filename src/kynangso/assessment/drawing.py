"""Drawing a fixed form: the live pool of each blueprint cell of a standard (only items tagged for its target group),
and the draw itself, a pure function shared by the exam (`engine.start_attempt`) and the validity report
(`validity`), so that what the report simulates is what takers get.

The draw's rules (docs/standards.md, «Ngân hàng và đề thi»):
- the taker's **unseen families first** (items of earlier attempts only when a cell has no unseen one left, the
  longest-ago seen first), so yearly attempts expose as little of the pool as possible and an answer sheet kept from
  one's own attempts does not carry over to the next form;
- at most **one item per family** on a form (variants of one scenario are one item);
- at most **15 % true/false** items on a form (a guesser gets half of them right);
- among equals, **the less-drawn items favoured** (weighted sampling without replacement, Efraimidis–Spirakis:
  weight 1 / (1 + times drawn / 10)).
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from django.utils.translation import gettext as _

from kynangso.assessment.models import AttemptItem, Item, ItemType, ItemUse, Standard

TRUE_FALSE_MAX_SHARE = 0.15


@dataclass(frozen=True)
class PoolItem:
    version_id: int
    family: str  # the family code, or the item's own code: what counts once
    times_drawn: int = 0
    true_false: bool = False


Cell = tuple[str, int]


def serves_group(groups, target_group: str) -> bool:
    """An item serves a standard's target group when tagged for it, or tagged for no group in particular."""
    return not groups or target_group in groups


def live_pool(standard: Standard, rows) -> dict[Cell, list[PoolItem]]:
    """The live exam items per (competence, level) cell of `rows` that serve the standard's target group, in one
    query."""
    cells: dict[Cell, list[PoolItem]] = {(r.competence_code, r.level): [] for r in rows}
    if not cells:
        return cells
    found = (
        Item.objects.filter(
            framework_code=standard.framework_code,
            competence_code__in={c for c, _level in cells},
            level__in={level for _c, level in cells},
            use=ItemUse.ASSESSMENT,
            live_version__isnull=False,
        )
        .order_by("pk")
        .values_list(
            "competence_code",
            "level",
            "live_version_id",
            "times_drawn",
            "groups",
            "family",
            "code",
            "live_version__type",
        )
    )
    for competence, level, version_id, times, groups, family, code, kind in found:
        if (competence, level) in cells and serves_group(groups, standard.target_group):
            cells[(competence, level)].append(PoolItem(version_id, family or code, times, kind == ItemType.TRUE_FALSE))
    return cells


def family_count(items: list[PoolItem]) -> int:
    return len({item.family for item in items})


def shortages(rows, pool: dict[Cell, list[PoolItem]]) -> list[str]:
    """Cells of the blueprint `rows` that `pool` cannot fill, in Vietnamese; empty when every form can be drawn."""
    problems = []
    for row in rows:
        live = family_count(pool[(row.competence_code, row.level)])
        if live < row.item_count:
            problems.append(
                _("năng lực %(competence)s bậc %(level)s cần %(needed)s câu, ngân hàng chỉ có %(live)s câu đang dùng")
                % {"competence": row.competence_code, "level": row.level, "needed": row.item_count, "live": live}
            )
    return problems


def blueprint_shortages(standard: Standard) -> list[str]:
    """Cells of the standard's blueprint its live bank cannot fill (see `shortages`)."""
    rows = list(standard.blueprint.all())
    return shortages(rows, live_pool(standard, rows))


def seen_families(person) -> dict[str, int]:
    """Family (or item) code → how recently the person saw it: 1 for their first attempt (any standard), higher
    for later ones."""
    seen: dict[str, int] = {}
    rows = (
        AttemptItem.objects.filter(attempt__person=person)
        .order_by("attempt__started_at", "attempt_id")
        .values_list("attempt_id", "item_version__item__family", "item_version__item__code")
    )
    order: dict[int, int] = {}
    for attempt_id, family, code in rows:
        order.setdefault(attempt_id, len(order) + 1)
        seen[family or code] = order[attempt_id]
    return seen


def true_false_limit(length: int) -> int:
    return math.floor(TRUE_FALSE_MAX_SHARE * length + 1e-9)


def draw_form(
    rows: list[tuple[Cell, int]],
    pool: dict[Cell, list[PoolItem]],
    rng: random.Random,
    seen: dict[str, int] | None = None,
) -> list[int]:
    """Version ids for one form: `count` items per cell of `rows` ((competence, level), count), by the rules in the
    module docstring. A cell short of items gives what it has (the caller checks shortages first)."""
    seen = seen or {}
    length = sum(count for _cell, count in rows)
    true_false_left = true_false_limit(length)
    chosen_families: set[str] = set()
    chosen: list[int] = []
    order = list(rows)
    rng.shuffle(order)  # no cell is always first to use the true/false allowance
    for cell, count in order:
        ranked = sorted(
            pool.get(cell, []),
            key=lambda item: (
                seen.get(item.family, 0),  # unseen (0) first, then the longest-ago seen
                -(rng.random() ** (1 + item.times_drawn / 10)),  # then weighted by fewer draws
            ),
        )
        taken = 0
        for strict in (True, False):  # true/false items beyond the allowance only if nothing else is left
            for item in ranked:
                if taken == count:
                    break
                if item.family in chosen_families or item.version_id in chosen:
                    continue
                if item.true_false and strict and true_false_left <= 0:
                    continue
                chosen.append(item.version_id)
                chosen_families.add(item.family)
                taken += 1
                if item.true_false:
                    true_false_left -= 1
    return chosen
