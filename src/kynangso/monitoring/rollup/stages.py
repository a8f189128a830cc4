"""The two stages: base counts per attached unit (stage 1, with the incremental run's signed deltas) and sums over
the effective subtree (stage 2)."""

import datetime

from django.db import connection
from django.utils import timezone

from kynangso.monitoring.models import (
    Attribution,
    BaseCount,
    DenominatorSource,
    Indicator,
    PeriodMode,
    Source,
)
from kynangso.monitoring.rollup.sources import (
    UNIT_SOURCES,
    FactSource,
    _closure_sql,
    _copy_affected_rows,
    _denominators_sql,
    _drop_affected_rows,
    _Inputs,
    _memberships_sql,
    _people_sql,
    _units_sql,
    fact_source,
)
from kynangso.monitoring.rollup.tables import (
    _AFFECTED,
    _BASE,
    _BASE_COLUMNS,
    _DELTA,
    _INDICATOR,
    _RUN_DIRTY,
    _VALUE,
    _VALUE_COLUMNS,
    _WINDOW,
    _insert_select,
)
from kynangso.monitoring.rollup.wide import compute_wide_base, one_pass_pays

# --- stage 1: base counts per attached unit -----------------------------------------------------------------------

# Which rows a stage-1 statement computes: everything, the people attached to dirty units (the run's copy of them,
# `_RUN_DIRTY`), or the people with new facts (attached elsewhere than a dirty unit).
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
            " AND m.m_from <= w.period_end AND (m.m_to IS NULL OR m.m_to >= w.period_end))"
        )
        condition_params += members_params + [indicator.target_group]
    if indicator.age_min is not None:
        conditions.append("p.p_birth <= w.born_until")
    if indicator.age_max is not None:
        conditions.append("p.p_birth > w.born_after")
    if scope == DIRTY_UNITS:
        conditions.append(f"{attach} IN (SELECT unit_id FROM {_RUN_DIRTY})")
    elif scope == AFFECTED_PEOPLE:  # the facts are the affected people's (of their source): `_copy_affected_rows`
        conditions.append(f"{attach} NOT IN (SELECT unit_id FROM {_RUN_DIRTY})")
    return joins, " AND ".join(conditions), join_params, condition_params


def _insert_people_count(cursor, indicator: Indicator, part: str, scope: str) -> None:
    attach = _attach_column(indicator)
    people_sql, people_params = _people_sql()
    joins, where, join_params, where_params = _person_filters(indicator, scope)
    _insert_select(
        cursor,
        _BASE,
        _BASE_COLUMNS,
        f"""SELECT w.indicator_id, {attach}, w.period_end, %s, COUNT(*)
        FROM ({people_sql}) p JOIN {_WINDOW} w ON w.indicator_id = %s {joins}
        WHERE {where}
        GROUP BY w.indicator_id, {attach}, w.period_end""",
        [part] + people_params + [indicator.id] + join_params + where_params,
        large=scope == ALL,
    )


def _insert_fact_count(
    cursor,
    indicator: Indicator,
    facts: FactSource,
    scope: str,
    cutoff: datetime.datetime,
    sign: int = 1,
    since: datetime.datetime | None = None,
    inputs: _Inputs | None = None,
    table: str = _BASE,
) -> None:
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
            cursor,
            table,
            _BASE_COLUMNS,
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
            [BaseCount.NUMERATOR]
            + before_params
            + facts_params
            + people_params
            + [indicator.id]
            + cutoff_params
            + join_params
            + where_params,
            large=scope == ALL,
        )
        return
    # Distinct people are counted with a DISTINCT subquery and COUNT(*): hashable, unlike COUNT(DISTINCT …).
    distinct = "" if facts.counts_rows else "DISTINCT "
    person = "" if facts.counts_rows else ", f.f_person"
    _insert_select(
        cursor,
        table,
        _BASE_COLUMNS,
        f"""SELECT c.indicator_id, c.unit_id, c.period_end, %s, %s * COUNT(*) FROM (
            SELECT {distinct}w.indicator_id, {attach} AS unit_id, w.period_end{person}
            FROM {facts_from}
            JOIN ({people_sql}) p ON p.p_id = f.f_person
            JOIN {_WINDOW} w ON w.indicator_id = %s AND {in_window} {joins}
            WHERE {where}
        ) c
        GROUP BY c.indicator_id, c.unit_id, c.period_end""",
        [BaseCount.NUMERATOR, sign]
        + facts_params
        + people_params
        + [indicator.id]
        + cutoff_params
        + join_params
        + where_params,
        large=scope == ALL,
    )


def _insert_unit_denominator(cursor, indicator: Indicator, scope: str) -> None:
    sql, params = _denominators_sql(indicator.denominator_kind)
    dirty = f" AND d.d_unit IN (SELECT unit_id FROM {_RUN_DIRTY})" if scope == DIRTY_UNITS else ""
    cursor.execute(
        f"""INSERT INTO {_BASE} (indicator_id, unit_id, period_end, part, count)
        SELECT w.indicator_id, d.d_unit, w.period_end, %s, d.d_value
        FROM ({sql}) d JOIN {_WINDOW} w ON w.indicator_id = %s AND w.year = d.d_year
        WHERE 1 = 1{dirty}""",
        [BaseCount.DENOMINATOR] + params + [indicator.id],
    )


def _insert_hamlet_count(cursor, indicator: Indicator, part: str, scope: str) -> None:
    """Hamlets (thôn, ấp, khóm, tổ dân phố) in being at the period end, each counted at itself: all of them (the
    denominator), or those with a community digital team in being there with at least one member at the period end
    (the numerator): a person whose membership names the team (people.join_community_team), or, as older records
    have it, whose workplace the team is."""
    units_sql, units_params = _units_sql()
    in_being = (
        "{a}.u_kind = %s AND ({a}.u_from IS NULL OR {a}.u_from <= w.period_end) "
        "AND ({a}.u_to IS NULL OR {a}.u_to >= w.period_end)"
    )
    conditions, params = [in_being.format(a="h")], ["hamlet"]
    if part == BaseCount.NUMERATOR:
        people_sql, people_params = _people_sql()
        memberships_sql, memberships_params = _memberships_sql()
        conditions.append(f"""EXISTS (SELECT 1 FROM ({units_sql}) t WHERE t.u_parent = h.u_id AND {in_being.format(a="t")}
            AND (EXISTS (SELECT 1 FROM ({people_sql}) p WHERE p.p_workplace = t.u_id)
            OR EXISTS (SELECT 1 FROM ({memberships_sql}) m WHERE m.m_team = t.u_id AND m.m_group = %s
            AND m.m_from <= w.period_end AND (m.m_to IS NULL OR m.m_to >= w.period_end))))""")
        params += units_params + ["community_team"] + people_params + memberships_params + ["community_team"]
    if scope == DIRTY_UNITS:
        conditions.append(f"h.u_id IN (SELECT unit_id FROM {_RUN_DIRTY})")
    _insert_select(
        cursor,
        _BASE,
        _BASE_COLUMNS,
        f"""SELECT w.indicator_id, h.u_id, w.period_end, %s, COUNT(*)
        FROM ({units_sql}) h JOIN {_WINDOW} w ON w.indicator_id = %s
        WHERE {" AND ".join(conditions)}
        GROUP BY w.indicator_id, h.u_id, w.period_end""",
        [part] + units_params + [indicator.id] + params,
        large=scope == ALL,
    )


def _compute_base(cursor, indicators, scope: str, cutoff: datetime.datetime, *, one_pass: bool | None = None) -> None:
    """Base counts of everything (full run) or of the people attached to dirty units. A full run with few period
    ends counts the people-based indicators in one pass (`wide`, ADR 0046; `one_pass` True or False forces the
    choice, for the tests); dirty units, and runs over many period ends, are counted indicator by indicator."""
    in_one_pass = set()
    if one_pass is None:
        one_pass = one_pass_pays()
    if scope == ALL and one_pass:
        in_one_pass = compute_wide_base(cursor, indicators, cutoff)
    for indicator in indicators:
        if indicator.source == Source.HAMLETS_WITH_TEAM:
            _insert_hamlet_count(cursor, indicator, BaseCount.NUMERATOR, scope)
            _insert_hamlet_count(cursor, indicator, BaseCount.DENOMINATOR, scope)
            continue
        if indicator.id not in in_one_pass:
            if indicator.source == Source.PEOPLE:
                _insert_people_count(cursor, indicator, BaseCount.NUMERATOR, scope)
            else:
                _insert_fact_count(cursor, indicator, fact_source(indicator), scope, cutoff)
            if indicator.denominator == DenominatorSource.PEOPLE:
                _insert_people_count(cursor, indicator, BaseCount.DENOMINATOR, scope)
        if indicator.denominator == DenominatorSource.UNIT_DENOMINATOR:
            _insert_unit_denominator(cursor, indicator, scope)


def _affected_by_source(cursor, indicators) -> list[tuple[Indicator, FactSource]]:
    """(indicator, its facts) for the indicators over facts that have affected people (new facts since the
    watermark) in their source."""
    cursor.execute(f"SELECT DISTINCT source FROM {_AFFECTED}")
    sources = {row[0] for row in cursor.fetchall()}
    changed = []
    for indicator in indicators:
        facts = fact_source(indicator) if indicator.source not in UNIT_SOURCES else None
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
    cursor.execute(
        f"CREATE TEMPORARY TABLE {_DELTA} (indicator_id integer, unit_id integer, period_end date, "
        "part varchar(1), count bigint)"
    )
    inputs = _copy_affected_rows(cursor, changed)
    for indicator, facts in changed:
        if facts.counts_rows:  # a certificate revoked since the watermark must leave the count: two statements
            _insert_fact_count(cursor, indicator, facts, AFFECTED_PEOPLE, cutoff, sign=1, inputs=inputs, table=_DELTA)
            _insert_fact_count(
                cursor, indicator, facts, AFFECTED_PEOPLE, watermark, sign=-1, inputs=inputs, table=_DELTA
            )
        else:
            _insert_fact_count(
                cursor, indicator, facts, AFFECTED_PEOPLE, cutoff, since=watermark, inputs=inputs, table=_DELTA
            )
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
        + closure_params
        + list(ancestors_params),
    )
