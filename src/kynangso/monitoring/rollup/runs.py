"""The two entry points, the full run and the incremental run, and how the incremental run finds what changed."""

import datetime
import time

from django.db import connection, transaction
from django.db.models import F, Max
from django.utils import timezone

from kynangso.assessment import api as assessment
from kynangso.credentials import api as credentials
from kynangso.integration import api as integration
from kynangso.learning import api as learning
from kynangso.monitoring.models import (
    AffectedPerson,
    DirtyUnit,
    Indicator,
    IndicatorKind,
    IndicatorValue,
    RollupState,
    RollupWindow,
)
from kynangso.monitoring.rollup.periods import _write_windows, default_years, period_ends
from kynangso.monitoring.rollup.sources import _closure_sql, _sql, _units_sql, computable
from kynangso.monitoring.rollup.stages import (
    ALL,
    DIRTY_UNITS,
    _add_fact_deltas,
    _affected_by_source,
    _compute_base,
    _compute_values,
)
from kynangso.monitoring.rollup.tables import (
    _AFFECTED,
    _BASE,
    _DIRTY,
    _RUN_DIRTY,
    _TOUCHED,
    _VALUE,
    RollupResult,
    _tune_transaction,
)
from kynangso.people import api as people

# --- what changed since the watermark ----------------------------------------------------------------------------


def _mark_changed(cursor, since: datetime.datetime, until: datetime.datetime) -> None:
    """Fill the work tables: people with facts recorded in [since, until) (dated facts: dated in those days) are
    affected; the units of people whose record changed (moved, new, other groups) are dirty."""
    since_day, until_day = timezone.localtime(since).date(), timezone.localtime(until).date()
    sources = [  # (label or label prefix, as `_source_label` writes them; SQL of f_person and f_code)
        ("attempt:", _sql(assessment.attempts_submitted_between(since, until))),  # passed attempts are submitted
        ("course:", _sql(learning.completions_between(since_day, until_day))),
        ("class", _sql(learning.attendances_between(since_day, until_day))),
        ("credential:", _sql(credentials.credential_changes_between(since, until, change="issued"))),
        ("credential:", _sql(credentials.credential_changes_between(since, until, change="revoked"))),
        ("course:", _sql(integration.outside_completions_between(since_day, until_day))),  # dated today, counted
    ]
    for label, (sql, params) in sources:
        source = "%s || f.f_code" if label.endswith(":") else "%s"
        cursor.execute(
            f"INSERT INTO {_AFFECTED} (person_id, source) SELECT DISTINCT f.f_person, {source} FROM ({sql}) f",
            [label] + params,
        )
    # The units marked dirty by the other apps' after-commit events (people moved, target groups closed, mergers,
    # denominators, back-dated attendance: ADR 0045), copied once, and the units of people whose row changed.
    cursor.execute(f"CREATE TEMPORARY TABLE {_RUN_DIRTY} (id integer NULL, unit_id integer NOT NULL)")
    cursor.execute(f"INSERT INTO {_RUN_DIRTY} (id, unit_id) SELECT id, unit_id FROM {_DIRTY}")
    changed_sql, changed_params = _sql(
        people.person_rows()
        .filter(updated_at__gte=since)
        .values(c_residence=F("residence_unit_id"), c_workplace=F("workplace_unit_id"))
    )
    for column in ("c_residence", "c_workplace"):
        cursor.execute(
            f"""INSERT INTO {_RUN_DIRTY} (id, unit_id)
            SELECT DISTINCT CAST(NULL AS integer), c.{column} FROM ({changed_sql}) c
            WHERE c.{column} IS NOT NULL AND c.{column} NOT IN (SELECT unit_id FROM {_RUN_DIRTY})""",
            changed_params,
        )
    # Outside completions can arrive dated in the past, and a voided statement takes one away: the deltas only add
    # what is new since the watermark, so the units of these people are recomputed instead (ADR 0042).
    outside_sql, outside_params = _sql(integration.outside_changes_between(since, until))
    people_sql, people_params = _sql(
        people.person_rows().values(
            o_id=F("id"), c_residence=F("residence_unit_id"), c_workplace=F("workplace_unit_id")
        )
    )
    for column in ("c_residence", "c_workplace"):
        cursor.execute(
            f"""INSERT INTO {_RUN_DIRTY} (id, unit_id)
            SELECT DISTINCT CAST(NULL AS integer), p.{column} FROM ({people_sql}) p
            WHERE p.o_id IN (SELECT o.f_person FROM ({outside_sql}) o)
            AND p.{column} IS NOT NULL AND p.{column} NOT IN (SELECT unit_id FROM {_RUN_DIRTY})""",
            people_params + outside_params,
        )
    # A community team's figure is its hamlet's: a dirty team (created, a member moved in or out) makes it dirty.
    units_sql, units_params = _units_sql()
    cursor.execute(
        f"""INSERT INTO {_RUN_DIRTY} (id, unit_id)
        SELECT DISTINCT CAST(NULL AS integer), t.u_parent FROM ({units_sql}) t
        WHERE t.u_kind = %s AND t.u_parent IS NOT NULL AND t.u_id IN (SELECT unit_id FROM {_RUN_DIRTY})
        AND t.u_parent NOT IN (SELECT unit_id FROM {_RUN_DIRTY})""",
        units_params + ["community_team"],
    )
    if connection.vendor == "postgresql":  # the planner must know these work tables are small
        cursor.execute(f"ANALYZE {_AFFECTED}")
        cursor.execute(f"ANALYZE {_RUN_DIRTY}")


def mark_units_dirty(unit_ids) -> None:
    """Ask the next incremental roll-up to recompute these units and their ancestors: what the other apps' after-commit
    events call (ADR 0045), or a correction by hand. A unit already marked gets a fresh mark, so that a run in
    progress, which removes only the marks it copied at its start, leaves this one for the next run."""
    units = {int(unit_id) for unit_id in unit_ids if unit_id is not None}
    if not units:
        return
    with transaction.atomic():
        DirtyUnit.objects.filter(unit_id__in=units).delete()
        DirtyUnit.objects.bulk_create([DirtyUnit(unit_id=u) for u in sorted(units)], ignore_conflicts=True)


def units_changed(change) -> None:
    """Subscriber of people's, the tree's and denominators' changes: both sides' units are recounted."""
    mark_units_dirty(change.unit_ids)


def attendance_changed(change) -> None:
    """Subscriber of attendance back-dated or taken back: the people's units are recounted."""
    mark_units_dirty(people.units_of_people(change.person_ids))


# --- the two entry points -----------------------------------------------------------------------------------------


def _state() -> RollupState:
    state = RollupState.objects.order_by("id").first()
    return state or RollupState.objects.create()


def _indicators_to_compute():
    return [
        i for i in Indicator.objects.filter(kind=IndicatorKind.COMPUTED, is_active=True).order_by("id") if computable(i)
    ]


def _vacuum_after_full_run() -> None:
    """PostgreSQL: a full run deletes and writes again every base count and value; vacuum the dead rows away at once
    (autovacuum may come much later), or each incremental upsert wades through them in the unique index. VACUUM
    cannot run inside a transaction: skipped when the caller holds one (tests)."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM (ANALYZE) {_VALUE}, {_BASE}")


def run_full_rollup(
    *, years=None, today: datetime.date | None = None, granularity: str = "month", now: datetime.datetime | None = None
) -> RollupResult:
    """Recompute every computed indicator for every unit and period from scratch (idempotent): everything recorded
    before `now` (dated facts: dated before today) counts."""
    started = time.monotonic()
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    indicators = _indicators_to_compute()
    ends = period_ends(years or default_years(today), today, granularity)
    with transaction.atomic():
        state = RollupState.objects.select_for_update().get(pk=_state().pk)
        _write_windows(indicators, ends)
        with connection.cursor() as cursor:
            _tune_transaction(cursor)
            # Marks made after this run began (higher ids) stay for the next incremental run.
            marked_before = DirtyUnit.objects.aggregate(last=Max("id"))["last"] or 0
            for table in (_BASE, _VALUE, _AFFECTED):
                cursor.execute(f"DELETE FROM {table}")
            cursor.execute(f"DELETE FROM {_DIRTY} WHERE id <= %s", [marked_before])
            _compute_base(cursor, indicators, ALL, now)
            _compute_values(cursor, now)
        seconds = time.monotonic() - started
        state.full_computed_at = now
        state.watermark = now
        state.last_run_at = now
        state.last_run_kind = "full"
        state.granularity = granularity
        state.last_run_seconds = seconds
        state.save()
    _vacuum_after_full_run()
    return RollupResult("full", len(indicators), len(ends), 0, 0, IndicatorValue.objects.count(), seconds, now)


def run_incremental_rollup(*, now: datetime.datetime | None = None, today: datetime.date | None = None) -> RollupResult:
    """Take in what was recorded since the watermark: the people with new facts (their numerators are replaced by
    a delta) and the units of people whose record changed (recomputed); then their ancestors' values.

    Falls back to a full run when there has been none, when the indicators changed, or when a new month (period)
    has begun since the last full run."""
    started = time.monotonic()
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    state = _state()
    indicators = _indicators_to_compute()
    windows = list(RollupWindow.objects.values_list("indicator_id", "period_end"))
    known_ends = {end for _indicator_id, end in windows}
    current = period_ends([today.year], today, state.granularity)[-1:]
    same_indicators = {indicator_id for indicator_id, _end in windows} == {i.id for i in indicators}
    if (
        state.watermark is None
        or not same_indicators
        or (current and current[0] not in known_ends)
        or now <= state.watermark
    ):
        if state.watermark is not None and now <= state.watermark and same_indicators:
            return RollupResult(
                "incremental",
                len(indicators),
                len(known_ends),
                0,
                0,
                IndicatorValue.objects.count(),
                0.0,
                state.watermark,
            )
        years = sorted({end.year for end in known_ends} | {today.year}) if known_ends else None
        return run_full_rollup(years=years, today=today, now=now, granularity=state.granularity)
    with transaction.atomic():
        state = RollupState.objects.select_for_update().get(pk=state.pk)
        watermark = state.watermark
        with connection.cursor() as cursor:
            _tune_transaction(cursor, small_statements=True)
            _mark_changed(cursor, watermark, now)
            cursor.execute(f"SELECT COUNT(*) FROM {_RUN_DIRTY}")
            dirty = cursor.fetchone()[0]
            affected = AffectedPerson.objects.values("person_id").distinct().count()
            if dirty:
                cursor.execute(f"DELETE FROM {_BASE} WHERE unit_id IN (SELECT unit_id FROM {_RUN_DIRTY})")
                _compute_base(cursor, indicators, DIRTY_UNITS, now)
            if affected:
                _add_fact_deltas(cursor, _affected_by_source(cursor, indicators), watermark, now)
            if dirty:  # the dirty units' ancestors: every value recomputed from the base counts (deltas included)
                closure_sql, closure_params = _closure_sql()
                cursor.execute(f"DELETE FROM {_TOUCHED}")
                cursor.execute(
                    f"INSERT INTO {_TOUCHED} (unit_id) SELECT DISTINCT a.c_ancestor FROM ({closure_sql}) a "
                    f"WHERE a.c_descendant IN (SELECT unit_id FROM {_RUN_DIRTY})",
                    closure_params,
                )
                ancestors_sql = f"SELECT unit_id FROM {_TOUCHED}"
                cursor.execute(f"DELETE FROM {_VALUE} WHERE unit_id IN ({ancestors_sql})")
                _compute_values(cursor, now, ancestors_sql)
                cursor.execute(f"DELETE FROM {_TOUCHED}")
            cursor.execute(f"DELETE FROM {_DIRTY} WHERE id IN (SELECT id FROM {_RUN_DIRTY} WHERE id IS NOT NULL)")
            cursor.execute(f"DROP TABLE {_RUN_DIRTY}")
            cursor.execute(f"DELETE FROM {_AFFECTED}")
        seconds = time.monotonic() - started
        state.watermark = now
        state.last_run_at = now
        state.last_run_kind = "incremental"
        state.last_run_seconds = seconds
        state.save()
        values = IndicatorValue.objects.count()
    return RollupResult("incremental", len(indicators), len(known_ends), dirty, affected, values, seconds, now)
