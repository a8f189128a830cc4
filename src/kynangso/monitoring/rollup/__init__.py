"""The roll-up: every computed indicator for every unit and month end, commune to province, in set-based SQL.

Two stages, both INSERT … SELECT … GROUP BY statements that run unchanged on SQLite and PostgreSQL; no person is
ever loaded into Python. The sources are the other apps' api querysets compiled to SQL and used as derived tables.

1. Base counts: per indicator, per unit people are attached to (residence or workplace) and per period, the number
   of people (or credentials) in the numerator and the denominator.
2. Values: per indicator, per ancestor unit of the effective tree (closure table, so merged units count under their
   successors) and per period, the sums of the base counts of its subtree.

Every run counts what was recorded before its start (dated facts: dated before its day); that instant becomes the
watermark. The incremental run computes, for each person with facts recorded since the watermark, their numerators
up to now minus their numerators up to the watermark (rows of stage 1 with a sign), from the affected people's rows
read once into temporary tables; it adds these deltas to the base counts and their sums per ancestor to the stored
values (an upsert), recomputes stage 1 for the units of people whose record changed and stage 2 for those units'
ancestors. It gives the same values as a full run (tests prove it); a nightly full run compacts the base counts and
takes in anything stamped late.

The package follows those steps (issue 14 split the 740-line module along its section markers): `tables` (the
tables written and the transaction settings), `sources` (facts and rows as SQL), `periods`, `stages` (1 and 2) and
`runs` (the two entry points and what changed since the watermark); `wide` (ADR 0046) counts a year-end full run's
people-based indicators in one pass over people, memberships and facts.
"""

from kynangso.monitoring.rollup.periods import default_years, period_ends
from kynangso.monitoring.rollup.runs import (
    attendance_changed,
    mark_units_dirty,
    run_full_rollup,
    run_incremental_rollup,
    units_changed,
)
from kynangso.monitoring.rollup.sources import FactSource, computable, fact_source
from kynangso.monitoring.rollup.tables import RollupResult

__all__ = [
    "FactSource",
    "RollupResult",
    "attendance_changed",
    "computable",
    "units_changed",
    "default_years",
    "fact_source",
    "mark_units_dirty",
    "period_ends",
    "run_full_rollup",
    "run_incremental_rollup",
]
