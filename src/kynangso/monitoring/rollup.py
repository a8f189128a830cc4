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
"""
import calendar
import datetime
import logging
import time
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from kynangso.assessment import api as assessment
from kynangso.credentials import api as credentials
from kynangso.learning import api as learning
from kynangso.monitoring.models import (
    AffectedPerson,
    Attribution,
    BaseCount,
    DenominatorSource,
    DirtyUnit,
    Indicator,
    IndicatorKind,
    IndicatorValue,
    PeriodMode,
    RollupState,
    RollupWindow,
    Source,
    Target,
    TouchedUnit,
)
from kynangso.orgs import api as orgs
from kynangso.people import api as people

log = logging.getLogger(__name__)

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


# --- sources: the other apps' api querysets, compiled to SQL ------------------------------------------------------

def _sql(queryset) -> tuple[str, list]:
    sql, params = queryset.order_by().query.sql_with_params()
    return sql, list(params)


def _people_sql():
    return _sql(people.person_rows().values(
        p_id=F("id"), p_birth=F("birth_date"), p_residence=F("residence_unit_id"), p_workplace=F("workplace_unit_id")))


def _memberships_sql():
    return _sql(people.membership_rows().values(
        m_person=F("person_id"), m_group=F("group"), m_from=F("valid_from"), m_to=F("valid_to")))


def _closure_sql():
    return _sql(orgs.closure_rows().values(c_ancestor=F("ancestor_id"), c_descendant=F("descendant_id"),
                                           c_depth=F("depth")))


def _units_sql():
    return _sql(orgs.unit_rows().values(u_id=F("id"), u_kind=F("kind")))


def _denominators_sql(kind: str):
    return _sql(orgs.denominator_rows().filter(kind=kind).values(d_unit=F("unit_id"), d_year=F("year"),
                                                                 d_value=F("value")))


@dataclass(frozen=True)
class FactSource:
    sql: str
    params: list
    dated: bool  # True: f_on is a date; False: f_at is a timestamp
    counts_rows: bool = False  # credentials count themselves, the others count distinct people
    revocable: bool = False
    # Which rows of the incremental work table `AffectedPerson` concern these facts: exact sources, or prefixes
    # ending in ":" (every standard, course or credential).
    affected_sources: tuple[str, ...] = ()

    def affected_condition(self) -> tuple[str, list]:
        """SQL condition on `source` selecting the affected people of these facts."""
        parts, params = [], []
        for source in self.affected_sources:
            if source.endswith(":"):
                parts.append("source LIKE %s")
                params.append(source + "%")
            else:
                parts.append("source = %s")
                params.append(source)
        return "(" + " OR ".join(parts or ["1 = 0"]) + ")", params

    def concerns(self, source: str) -> bool:
        """Whether affected people of `source` count for these facts (the same test as `affected_condition`)."""
        return any(source == wanted or (wanted.endswith(":") and source.startswith(wanted))
                   for wanted in self.affected_sources)


def _source_label(kind: str, code: str) -> str:
    """`kind:code` for one standard, course or credential; `kind:` (a prefix) for all of them."""
    return f"{kind}:{code or ''}"


def _per_affected_person(sql: str, key: str, condition: str = "") -> str:
    """PostgreSQL FROM clause: the rows of `sql` whose `key` is an affected person, read person by person.
    OFFSET 0 keeps the planner from flattening the LATERAL into a hash join over every row (a full scan that grows
    with the country); each affected person's rows are then read through the index on `key`."""
    where = f" WHERE {condition}" if condition else ""
    return (f"(SELECT DISTINCT person_id FROM {_AFFECTED}{where} ORDER BY person_id) a CROSS JOIN LATERAL "
            f"(SELECT * FROM ({sql}) r0 WHERE r0.{key} = a.person_id OFFSET 0)")


@dataclass(frozen=True)
class _Inputs:
    """Where an incremental run's delta statements read people, memberships and facts: temporary copies of the
    affected people's rows (`_copy_affected_rows`). Statements given no inputs read the other apps' querysets."""

    people: tuple[str, list]
    memberships: tuple[str, list]
    facts: dict  # (fact SQL, its params) → temporary table of the affected people's facts


def _copy_affected(cursor, table: str, sql: str, params, key: str, condition: str = "",
                   condition_params=()) -> None:
    """CREATE TEMPORARY TABLE `table` with the rows of `sql` whose `key` is an affected person (of the sources in
    `condition`), read by index on PostgreSQL (`_per_affected_person`), and an index on `key`."""
    if connection.vendor == "postgresql":
        select = f"SELECT r.* FROM {_per_affected_person(sql, key, condition)} r"
        params = list(condition_params) + list(params)
    else:
        where = f" WHERE {condition}" if condition else ""
        select = f"SELECT * FROM ({sql}) r0 WHERE r0.{key} IN (SELECT person_id FROM {_AFFECTED}{where})"
        params = list(params) + list(condition_params)
    cursor.execute(f"CREATE TEMPORARY TABLE {table} AS {select}", params)
    cursor.execute(f"CREATE INDEX {table}_key ON {table} ({key})")
    if connection.vendor == "postgresql":  # the planner must know it is small
        cursor.execute(f"ANALYZE {table}")


def _copy_affected_rows(cursor, changed) -> _Inputs:
    """Read the affected people's rows, memberships and facts once (not once per indicator): the delta statements
    then join these small tables. `changed` are the (indicator, facts) to compute (`_affected_by_source`)."""
    people_sql, people_params = _people_sql()
    _copy_affected(cursor, _AFFECTED_PEOPLE, people_sql, people_params, "p_id")
    members_sql, members_params = _memberships_sql()
    _copy_affected(cursor, _AFFECTED_MEMBERSHIPS, members_sql, members_params, "m_person")
    facts_tables: dict = {}
    for _indicator, facts in changed:
        key = (facts.sql, tuple(facts.params))
        if key not in facts_tables:
            table = _AFFECTED_FACTS.format(len(facts_tables) + 1)
            condition, condition_params = facts.affected_condition()
            _copy_affected(cursor, table, facts.sql, facts.params, "f_person", condition, condition_params)
            facts_tables[key] = table
    return _Inputs((f"SELECT * FROM {_AFFECTED_PEOPLE}", []), (f"SELECT * FROM {_AFFECTED_MEMBERSHIPS}", []),
                   facts_tables)


def _drop_affected_rows(cursor, inputs: _Inputs) -> None:
    for table in (_AFFECTED_PEOPLE, _AFFECTED_MEMBERSHIPS, *inputs.facts.values()):
        cursor.execute(f"DROP TABLE {table}")


def fact_source(indicator: Indicator) -> FactSource | None:
    """The indicator's facts as SQL (f_person and f_at or f_on), from the fact functions of the apps that own them
    (their `api.py` names the columns); None for a source the roll-up does not compute."""
    source = indicator.source
    if source in (Source.PASSED_STANDARD, Source.ASSESSED):
        sql, params = _sql(assessment.attempt_facts(passed_only=source == Source.PASSED_STANDARD,
                                                    standard_code=indicator.standard_code or ""))
        return FactSource(sql, params, dated=False,
                          affected_sources=(_source_label("attempt", indicator.standard_code),))
    if source in (Source.TRAINED_ONLINE, Source.TRAINED_IN_CLASS, Source.TRAINED):
        parts = []
        if source in (Source.TRAINED_ONLINE, Source.TRAINED):
            parts.append(_sql(learning.completion_facts(course_code=indicator.course_code or "")))
        if source in (Source.TRAINED_IN_CLASS, Source.TRAINED):
            parts.append(_sql(learning.attendance_facts()))
        sql = " UNION ALL ".join(f"SELECT f_person, f_on FROM ({part_sql}) part{i}"
                                 for i, (part_sql, _params) in enumerate(parts))
        affected = []
        if source in (Source.TRAINED_ONLINE, Source.TRAINED):
            affected.append(_source_label("course", indicator.course_code))
        if source in (Source.TRAINED_IN_CLASS, Source.TRAINED):
            affected.append("class")
        return FactSource(sql, [p for _sql_text, params in parts for p in params], dated=True,
                          affected_sources=tuple(affected))
    if source == Source.CREDENTIALS_ISSUED:
        sql, params = _sql(credentials.credential_facts(achievement_code=indicator.credential_code or ""))
        return FactSource(sql, params, dated=False, counts_rows=True, revocable=True,
                          affected_sources=(_source_label("credential", indicator.credential_code),))
    return None


def computable(indicator: Indicator) -> bool:
    """Whether the roll-up can compute this indicator now (its source app provides the facts)."""
    if indicator.kind != IndicatorKind.COMPUTED:
        return False
    return indicator.source == Source.PEOPLE or fact_source(indicator) is not None


# --- periods ------------------------------------------------------------------------------------------------------

def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year - years, day=28)


def period_ends(years, today: datetime.date, granularity: str = "month") -> list[datetime.date]:
    """The month ends (or year ends) of `years` up to the month containing `today`."""
    ends = []
    for year in sorted(set(years)):
        if year > today.year:
            continue
        months = [12] if granularity == "year" else range(1, 13)
        for month in months:
            end = datetime.date(year, month, calendar.monthrange(year, month)[1])
            if granularity == "month" and (year, month) > (today.year, today.month):
                break
            ends.append(end)
    return ends


def default_years(today: datetime.date) -> list[int]:
    """The current year, the one before, and every earlier year some plan has a target for."""
    years = {today.year, today.year - 1}
    years |= {year for year in Target.objects.values_list("year", flat=True).distinct() if year <= today.year}
    return sorted(years)


def _local_midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(), tzinfo=ZoneInfo(settings.TIME_ZONE))


def _write_windows(indicators, ends) -> None:
    RollupWindow.objects.all().delete()
    rows = []
    for indicator in indicators:
        for end in ends:
            start = datetime.date(end.year, 1, 1) if indicator.period_mode == PeriodMode.IN_YEAR else None
            rows.append(RollupWindow(
                indicator=indicator,
                period_end=end,
                year=end.year,
                start_date=start,
                start_at=_local_midnight(start) if start else None,
                end_at=_local_midnight(end + datetime.timedelta(days=1)),
                born_until=_years_before(end, indicator.age_min) if indicator.age_min is not None else None,
                born_after=_years_before(end, indicator.age_max + 1) if indicator.age_max is not None else None,
            ))
    RollupWindow.objects.bulk_create(rows, batch_size=1000)


# --- stage 1: base counts per attached unit -----------------------------------------------------------------------

# Which rows a stage-1 statement computes: everything, the people attached to dirty units, or the people with new
# facts (attached elsewhere than a dirty unit).
ALL, DIRTY_UNITS, AFFECTED_PEOPLE = "all", "dirty_units", "affected_people"


def _attach_column(indicator: Indicator) -> str:
    return "p.p_residence" if indicator.attribution == Attribution.RESIDENCE else "p.p_workplace"


def _person_filters(indicator: Indicator, scope: str, inputs: _Inputs | None = None) -> tuple[str, str, list, list]:
    """(extra joins, WHERE conditions, join params, condition params) selecting whom an indicator counts in window w,
    reading memberships from `inputs` when given (the affected people's, in an incremental run)."""
    attach = _attach_column(indicator)
    joins, conditions, join_params, condition_params = "", [f"{attach} IS NOT NULL"], [], []
    if indicator.unit_kind:
        units_sql, units_params = _units_sql()
        joins += f" JOIN ({units_sql}) u ON u.u_id = {attach}"
        join_params += units_params
        conditions.append("u.u_kind = %s")
        condition_params.append(indicator.unit_kind)
    if indicator.target_group:
        members_sql, members_params = inputs.memberships if inputs else _memberships_sql()
        conditions.append(
            f"EXISTS (SELECT 1 FROM ({members_sql}) m WHERE m.m_person = p.p_id AND m.m_group = %s"
            " AND m.m_from <= w.period_end AND (m.m_to IS NULL OR m.m_to >= w.period_end))")
        condition_params += members_params + [indicator.target_group]
    if indicator.age_min is not None:
        conditions.append("p.p_birth <= w.born_until")
    if indicator.age_max is not None:
        conditions.append("p.p_birth > w.born_after")
    if scope == DIRTY_UNITS:
        conditions.append(f"{attach} IN (SELECT unit_id FROM {_DIRTY})")
    elif scope == AFFECTED_PEOPLE:  # the facts are the affected people's (of their source): `_copy_affected_rows`
        conditions.append(f"{attach} NOT IN (SELECT unit_id FROM {_DIRTY})")
    return joins, " AND ".join(conditions), join_params, condition_params


def _insert_people_count(cursor, indicator: Indicator, part: str, scope: str) -> None:
    attach = _attach_column(indicator)
    people_sql, people_params = _people_sql()
    joins, where, join_params, where_params = _person_filters(indicator, scope)
    _insert_select(
        cursor, _BASE, _BASE_COLUMNS,
        f"""SELECT w.indicator_id, {attach}, w.period_end, %s, COUNT(*)
        FROM ({people_sql}) p JOIN {_WINDOW} w ON w.indicator_id = %s {joins}
        WHERE {where}
        GROUP BY w.indicator_id, {attach}, w.period_end""",
        [part] + people_params + [indicator.id] + join_params + where_params, large=scope == ALL,
    )


def _insert_fact_count(cursor, indicator: Indicator, facts: FactSource, scope: str,
                       cutoff: datetime.datetime, sign: int = 1, since: datetime.datetime | None = None,
                       inputs: _Inputs | None = None, table: str = _BASE) -> None:
    """Base numerators from the facts recorded before `cutoff` (dated facts: dated before its day), into `table`.
    The AFFECTED_PEOPLE scope reads the affected people's copied rows (`inputs`).

    `sign` -1 subtracts: the incremental run adds the affected people's counts up to now and subtracts their counts
    up to the watermark, which is exactly what the base held for them. With `since` (distinct people only) one
    statement does both: it counts the people who qualify now but did not with the facts recorded before `since`."""
    attach = _attach_column(indicator)
    people_sql, people_params = inputs.people if inputs else _people_sql()
    joins, where, join_params, where_params = _person_filters(indicator, scope, inputs)
    if facts.dated:
        in_window = "f.f_on <= w.period_end AND f.f_on < %s"
        cutoff_params = [timezone.localtime(cutoff).date()]
        if indicator.period_mode == PeriodMode.IN_YEAR:
            in_window += " AND f.f_on >= w.start_date"
    else:
        in_window = "f.f_at < w.end_at AND f.f_at < %s"
        cutoff_params = [connection.ops.adapt_datetimefield_value(cutoff)]
        if indicator.period_mode == PeriodMode.IN_YEAR:
            in_window += " AND f.f_at >= w.start_at"
    if facts.revocable:
        # A revocation after the cutoff is not known yet at the cutoff.
        in_window += " AND (f.f_revoked IS NULL OR f.f_revoked >= w.end_at OR f.f_revoked >= %s)"
        cutoff_params.append(connection.ops.adapt_datetimefield_value(cutoff))
    facts_from, facts_params = f"({facts.sql}) f", list(facts.params)
    if scope == AFFECTED_PEOPLE:  # the affected people's facts of this source, copied once
        facts_from, facts_params = f"{inputs.facts[(facts.sql, tuple(facts.params))]} f", []
    if since is not None:
        if facts.dated:
            before, before_params = "f.f_on < %s", [timezone.localtime(since).date()]
        else:
            before, before_params = "f.f_at < %s", [connection.ops.adapt_datetimefield_value(since)]
        _insert_select(
            cursor, table, _BASE_COLUMNS,
            f"""SELECT c.indicator_id, c.unit_id, c.period_end, %s, SUM(c.gain) FROM (
                SELECT w.indicator_id, {attach} AS unit_id, w.period_end, f.f_person,
                       1 - MAX(CASE WHEN {before} THEN 1 ELSE 0 END) AS gain
                FROM {facts_from}
                JOIN ({people_sql}) p ON p.p_id = f.f_person
                JOIN {_WINDOW} w ON w.indicator_id = %s AND {in_window} {joins}
                WHERE {where}
                GROUP BY w.indicator_id, {attach}, w.period_end, f.f_person
            ) c
            GROUP BY c.indicator_id, c.unit_id, c.period_end
            HAVING SUM(c.gain) <> 0""",
            [BaseCount.NUMERATOR] + before_params + facts_params + people_params + [indicator.id] + cutoff_params
            + join_params + where_params, large=scope == ALL,
        )
        return
    # Distinct people are counted with a DISTINCT subquery and COUNT(*): hashable, unlike COUNT(DISTINCT …).
    distinct = "" if facts.counts_rows else "DISTINCT "
    person = "" if facts.counts_rows else ", f.f_person"
    _insert_select(
        cursor, table, _BASE_COLUMNS,
        f"""SELECT c.indicator_id, c.unit_id, c.period_end, %s, %s * COUNT(*) FROM (
            SELECT {distinct}w.indicator_id, {attach} AS unit_id, w.period_end{person}
            FROM {facts_from}
            JOIN ({people_sql}) p ON p.p_id = f.f_person
            JOIN {_WINDOW} w ON w.indicator_id = %s AND {in_window} {joins}
            WHERE {where}
        ) c
        GROUP BY c.indicator_id, c.unit_id, c.period_end""",
        [BaseCount.NUMERATOR, sign] + facts_params + people_params + [indicator.id] + cutoff_params + join_params
        + where_params, large=scope == ALL,
    )


def _insert_unit_denominator(cursor, indicator: Indicator, scope: str) -> None:
    sql, params = _denominators_sql(indicator.denominator_kind)
    dirty = f" AND d.d_unit IN (SELECT unit_id FROM {_DIRTY})" if scope == DIRTY_UNITS else ""
    cursor.execute(
        f"""INSERT INTO {_BASE} (indicator_id, unit_id, period_end, part, count)
        SELECT w.indicator_id, d.d_unit, w.period_end, %s, d.d_value
        FROM ({sql}) d JOIN {_WINDOW} w ON w.indicator_id = %s AND w.year = d.d_year
        WHERE 1 = 1{dirty}""",
        [BaseCount.DENOMINATOR] + params + [indicator.id],
    )


def _compute_base(cursor, indicators, scope: str, cutoff: datetime.datetime) -> None:
    """Base counts of everything (full run) or of the people attached to dirty units."""
    for indicator in indicators:
        if indicator.source == Source.PEOPLE:
            _insert_people_count(cursor, indicator, BaseCount.NUMERATOR, scope)
        else:
            _insert_fact_count(cursor, indicator, fact_source(indicator), scope, cutoff)
        if indicator.denominator == DenominatorSource.PEOPLE:
            _insert_people_count(cursor, indicator, BaseCount.DENOMINATOR, scope)
        elif indicator.denominator == DenominatorSource.UNIT_DENOMINATOR:
            _insert_unit_denominator(cursor, indicator, scope)


def _affected_by_source(cursor, indicators) -> list[tuple[Indicator, FactSource]]:
    """(indicator, its facts) for the indicators over facts that have affected people (new facts since the
    watermark) in their source."""
    cursor.execute(f"SELECT DISTINCT source FROM {_AFFECTED}")
    sources = {row[0] for row in cursor.fetchall()}
    changed = []
    for indicator in indicators:
        facts = fact_source(indicator) if indicator.source != Source.PEOPLE else None
        if facts and any(facts.concerns(source) for source in sources):
            changed.append((indicator, facts))
    return changed


def _add_fact_deltas(cursor, changed, watermark: datetime.datetime, cutoff: datetime.datetime) -> None:
    """For the people with new facts: + their numerators up to `cutoff`, − their numerators up to `watermark`.
    `changed` are the (indicator, facts) whose source has such people (`_affected_by_source`).

    The deltas (a few rows per unit) are added to the base counts and, summed over each unit's ancestors, to the
    stored values (an upsert, computed at `cutoff`): no value is recomputed from the base counts, so the cost follows
    the new facts, not the size of the units they fall in."""
    if not changed:
        return
    cursor.execute(f"CREATE TEMPORARY TABLE {_DELTA} (indicator_id integer, unit_id integer, period_end date, "
                   "part varchar(1), count bigint)")
    inputs = _copy_affected_rows(cursor, changed)
    for indicator, facts in changed:
        if facts.counts_rows:  # a certificate revoked since the watermark must leave the count: two statements
            _insert_fact_count(cursor, indicator, facts, AFFECTED_PEOPLE, cutoff, sign=1, inputs=inputs,
                               table=_DELTA)
            _insert_fact_count(cursor, indicator, facts, AFFECTED_PEOPLE, watermark, sign=-1, inputs=inputs,
                               table=_DELTA)
        else:
            _insert_fact_count(cursor, indicator, facts, AFFECTED_PEOPLE, cutoff, since=watermark, inputs=inputs,
                               table=_DELTA)
    _drop_affected_rows(cursor, inputs)
    cursor.execute(f"INSERT INTO {_BASE} ({_BASE_COLUMNS}) SELECT {_BASE_COLUMNS} FROM {_DELTA}")
    closure_sql, closure_params = _closure_sql()
    # WHERE 1 = 1: SQLite needs a WHERE before ON CONFLICT in an INSERT … SELECT (its parser's rule).
    cursor.execute(
        f"""INSERT INTO {_VALUE} ({_VALUE_COLUMNS})
        SELECT d.indicator_id, c.c_ancestor, d.period_end, SUM(d.count), NULL, %s
        FROM {_DELTA} d JOIN ({closure_sql}) c ON c.c_descendant = d.unit_id
        WHERE 1 = 1
        GROUP BY d.indicator_id, c.c_ancestor, d.period_end
        HAVING SUM(d.count) <> 0
        ON CONFLICT (indicator_id, unit_id, period_end) DO UPDATE
        SET numerator = {_VALUE}.numerator + excluded.numerator, computed_at = excluded.computed_at""",
        [connection.ops.adapt_datetimefield_value(cutoff)] + closure_params,
    )
    cursor.execute(f"DROP TABLE {_DELTA}")


# --- stage 2: sums over the effective subtree ---------------------------------------------------------------------

def _compute_values(cursor, computed_at, ancestors_sql: str = "", ancestors_params=()) -> None:
    closure_sql, closure_params = _closure_sql()
    restrict = f" AND c.c_ancestor IN ({ancestors_sql})" if ancestors_sql else ""
    # A unit's own recorded denominator wins over the sum of its subtree's (set it at one level per subtree).
    cursor.execute(
        f"""INSERT INTO {_VALUE} ({_VALUE_COLUMNS})
        SELECT b.indicator_id, c.c_ancestor, b.period_end,
               COALESCE(SUM(CASE WHEN b.part = 'n' THEN b.count END), 0),
               CASE WHEN i.denominator = %s
                    THEN COALESCE(MAX(CASE WHEN b.part = 'd' AND c.c_depth = 0 THEN b.count END),
                                  SUM(CASE WHEN b.part = 'd' THEN b.count END))
                    ELSE SUM(CASE WHEN b.part = 'd' THEN b.count END) END,
               %s
        FROM {_BASE} b
        JOIN ({closure_sql}) c ON c.c_descendant = b.unit_id
        JOIN {_INDICATOR} i ON i.id = b.indicator_id
        WHERE 1 = 1{restrict}
        GROUP BY b.indicator_id, c.c_ancestor, b.period_end, i.denominator""",
        [DenominatorSource.UNIT_DENOMINATOR.value, connection.ops.adapt_datetimefield_value(computed_at)]
        + closure_params + list(ancestors_params),
    )


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
    ]
    for label, (sql, params) in sources:
        source = "%s || f.f_code" if label.endswith(":") else "%s"
        cursor.execute(f"INSERT INTO {_AFFECTED} (person_id, source) SELECT DISTINCT f.f_person, {source} "
                       f"FROM ({sql}) f", [label] + params)
    changed_sql, changed_params = _sql(people.person_rows().filter(updated_at__gte=since).values(
        c_residence=F("residence_unit_id"), c_workplace=F("workplace_unit_id")))
    for column in ("c_residence", "c_workplace"):
        cursor.execute(
            f"""INSERT INTO {_DIRTY} (unit_id)
            SELECT DISTINCT c.{column} FROM ({changed_sql}) c
            WHERE c.{column} IS NOT NULL AND c.{column} NOT IN (SELECT unit_id FROM {_DIRTY})""",
            changed_params,
        )
    if connection.vendor == "postgresql":  # the planner must know these work tables are small
        cursor.execute(f"ANALYZE {_AFFECTED}")
        cursor.execute(f"ANALYZE {_DIRTY}")


def mark_units_dirty(unit_ids) -> None:
    """Ask the next incremental roll-up to recompute these units (e.g. after a correction it cannot see by time)."""
    existing = set(DirtyUnit.objects.filter(unit_id__in=list(unit_ids)).values_list("unit_id", flat=True))
    DirtyUnit.objects.bulk_create([DirtyUnit(unit_id=u) for u in set(unit_ids) - existing])


# --- the two entry points -----------------------------------------------------------------------------------------

def _state() -> RollupState:
    state = RollupState.objects.order_by("id").first()
    return state or RollupState.objects.create()


def _indicators_to_compute():
    return [i for i in Indicator.objects.filter(kind=IndicatorKind.COMPUTED, is_active=True).order_by("id")
            if computable(i)]


def _vacuum_after_full_run() -> None:
    """PostgreSQL: a full run deletes and writes again every base count and value; vacuum the dead rows away at once
    (autovacuum may come much later), or each incremental upsert wades through them in the unique index. VACUUM
    cannot run inside a transaction: skipped when the caller holds one (tests)."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM (ANALYZE) {_VALUE}, {_BASE}")


def run_full_rollup(*, years=None, today: datetime.date | None = None, granularity: str = "month",
                    now: datetime.datetime | None = None) -> RollupResult:
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
            for table in (_BASE, _VALUE, _DIRTY, _AFFECTED):
                cursor.execute(f"DELETE FROM {table}")
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


def run_incremental_rollup(*, now: datetime.datetime | None = None,
                           today: datetime.date | None = None) -> RollupResult:
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
    if state.watermark is None or not same_indicators or (current and current[0] not in known_ends) \
            or now <= state.watermark:
        if state.watermark is not None and now <= state.watermark and same_indicators:
            return RollupResult("incremental", len(indicators), len(known_ends), 0, 0,
                                IndicatorValue.objects.count(), 0.0, state.watermark)
        years = sorted({end.year for end in known_ends} | {today.year}) if known_ends else None
        return run_full_rollup(years=years, today=today, now=now, granularity=state.granularity)
    with transaction.atomic():
        state = RollupState.objects.select_for_update().get(pk=state.pk)
        watermark = state.watermark
        with connection.cursor() as cursor:
            _tune_transaction(cursor, small_statements=True)
            _mark_changed(cursor, watermark, now)
            dirty = DirtyUnit.objects.count()
            affected = AffectedPerson.objects.values("person_id").distinct().count()
            if dirty:
                cursor.execute(f"DELETE FROM {_BASE} WHERE unit_id IN (SELECT unit_id FROM {_DIRTY})")
                _compute_base(cursor, indicators, DIRTY_UNITS, now)
            if affected:
                _add_fact_deltas(cursor, _affected_by_source(cursor, indicators), watermark, now)
            if dirty:  # the dirty units' ancestors: every value recomputed from the base counts (deltas included)
                closure_sql, closure_params = _closure_sql()
                cursor.execute(f"DELETE FROM {_TOUCHED}")
                cursor.execute(f"INSERT INTO {_TOUCHED} (unit_id) SELECT DISTINCT a.c_ancestor FROM ({closure_sql}) a "
                               f"WHERE a.c_descendant IN (SELECT unit_id FROM {_DIRTY})", closure_params)
                ancestors_sql = f"SELECT unit_id FROM {_TOUCHED}"
                cursor.execute(f"DELETE FROM {_VALUE} WHERE unit_id IN ({ancestors_sql})")
                _compute_values(cursor, now, ancestors_sql)
                cursor.execute(f"DELETE FROM {_TOUCHED}")
            cursor.execute(f"DELETE FROM {_DIRTY}")
            cursor.execute(f"DELETE FROM {_AFFECTED}")
        seconds = time.monotonic() - started
        state.watermark = now
        state.last_run_at = now
        state.last_run_kind = "incremental"
        state.last_run_seconds = seconds
        state.save()
        values = IndicatorValue.objects.count()
    return RollupResult("incremental", len(indicators), len(known_ends), dirty, affected, values, seconds, now)
