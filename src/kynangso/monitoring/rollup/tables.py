"""Where the roll-up writes: its tables, its temporary tables and the PostgreSQL settings of its transactions."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import connection

from kynangso.monitoring.models import (
    AffectedPerson,
    BaseCount,
    DirtyUnit,
    Indicator,
    IndicatorValue,
    RollupWindow,
    TouchedUnit,
)

_BASE = BaseCount._meta.db_table
_VALUE = IndicatorValue._meta.db_table
_WINDOW = RollupWindow._meta.db_table
_DIRTY = DirtyUnit._meta.db_table
_AFFECTED = AffectedPerson._meta.db_table
_TOUCHED = TouchedUnit._meta.db_table
_INDICATOR = Indicator._meta.db_table
_STAGING = "monitoring_rollup_staging"  # a temporary table, PostgreSQL full runs only
# Temporary tables of an incremental run: the affected people's rows, read once, and the deltas it computes.
_AFFECTED_PEOPLE = "monitoring_rollup_people"
_AFFECTED_MEMBERSHIPS = "monitoring_rollup_memberships"
_AFFECTED_FACTS = "monitoring_rollup_facts_{}"
_DELTA = "monitoring_rollup_delta"
# The incremental run's own copy of the dirty units (id of the DirtyUnit row, or NULL for a unit the run found
# itself): marks committed while it runs stay in DirtyUnit for the next run instead of being half-processed.
_RUN_DIRTY = "monitoring_rollup_dirty"
_BASE_COLUMNS = "indicator_id, unit_id, period_end, part, count"
_VALUE_COLUMNS = "indicator_id, unit_id, period_end, numerator, denominator, computed_at"


@dataclass(frozen=True)
class RollupResult:
    kind: str  # "full" or "incremental"
    indicators: int
    periods: int
    dirty_units: int
    affected_people: int
    values: int
    seconds: float
    computed_at: datetime.datetime


def _insert_select(cursor, table: str, columns: str, select_sql: str, params, *, large: bool) -> None:
    """`INSERT INTO table (columns) SELECT …`. PostgreSQL never uses parallel workers for an INSERT … SELECT, but
    does for CREATE TABLE … AS: so a `large` statement (a full run's scan of every person or fact) is staged in a
    temporary table first, then its result (a few rows per unit) inserted. SQLite, and small statements, insert
    directly."""
    if not large or connection.vendor != "postgresql":
        cursor.execute(f"INSERT INTO {table} ({columns}) {select_sql}", params)
        return
    cursor.execute(f"CREATE TEMPORARY TABLE {_STAGING} ({columns}) AS {select_sql}", params)
    cursor.execute(f"INSERT INTO {table} ({columns}) SELECT * FROM {_STAGING}")
    cursor.execute(f"DROP TABLE {_STAGING}")


def _tune_transaction(cursor, *, small_statements: bool = False) -> None:
    """PostgreSQL settings for this transaction only (`SET LOCAL`): memory for the roll-up's hash aggregates and
    joins, so they do not spill to disk with the server's small default `work_mem`; with `small_statements` (the
    incremental run) no JIT and no parallel workers, which would cost more to start than they save."""
    if connection.vendor != "postgresql":
        return
    cursor.execute("SELECT set_config('work_mem', %s, true)", [settings.ROLLUP_WORK_MEM])
    if small_statements:
        cursor.execute("SELECT set_config('jit', 'off', true)")
        cursor.execute("SELECT set_config('max_parallel_workers_per_gather', '0', true)")
