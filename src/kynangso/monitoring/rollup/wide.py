"""The full run's people-based stage 1 in one pass (ADR 0046): every indicator that counts distinct people (people
by group and age, people with a fact in the window, denominators of people) from one scan of each source.

Instead of one scan of people, memberships and facts per indicator and part (25 of the 31 statements before), three:

1. `_PERIODS`: the row of one period end, with the bounds every window compares to (the window table pivoted: the
   end, the year's first day, the birth-date bound of each age limit); 2 runs once per period end.
2. `_CUBE`: each person once per period end with one number, the sum of their distinct bits: one bit per age
   bound met, target group held at the end and set of facts with one in the window (memberships and facts read in
   one UNION ALL grouped by person); then counted per (residence, workplace, period end, bits): a few rows per unit.
3. One INSERT … SELECT of every indicator and part: the cube's rows whose bits contain the indicator's mask
   (`bits & mask = mask`, the same in PostgreSQL, SQLite and DuckDB), summed per attached unit.

The counts are those of `stages._insert_people_count` and `stages._insert_fact_count` (which the incremental run
still uses for dirty units and deltas): a person counts in window w when attached, holding the group at its end,
within its age bounds and (facts) with a fact in it; the tests compare the two. Credentials (counted per row,
revocable) and hamlets keep their own statements.
"""

from dataclasses import dataclass, field

from django.db import connection
from django.utils import timezone

from kynangso.monitoring.models import (
    Attribution,
    BaseCount,
    DenominatorSource,
    Indicator,
    PeriodMode,
    RollupWindow,
    Source,
)
from kynangso.monitoring.rollup.sources import FactSource, _memberships_sql, _people_sql, _units_sql, fact_source
from kynangso.monitoring.rollup.tables import _BASE, _BASE_COLUMNS, _WINDOW

_PERIODS = "monitoring_rollup_periods"
_CUBE = "monitoring_rollup_cube"
# The pass reads every source once per period end; the per-indicator statements read them once per indicator, for
# all period ends together. Measured at 1 million people (docs/performance.md): one period end, 12 s against 24 s;
# twelve month ends, 115 s against 68 s. The pass is used up to this many period ends.
ONE_PASS_MAX_PERIODS = 3


def one_pass_pays() -> bool:
    """Whether the full run's windows have few enough period ends for the one pass to be the faster."""
    return RollupWindow.objects.values("period_end").distinct().count() <= ONE_PASS_MAX_PERIODS


def handles(indicator: Indicator, facts: FactSource | None) -> bool:
    """Whether the one-pass stage computes this indicator's numerator (people, or distinct people with facts)."""
    if indicator.source == Source.PEOPLE:
        return True
    return facts is not None and not facts.counts_rows and not facts.revocable


@dataclass
class _Plan:
    """The bits of the per-person number (age bounds, target groups, sets of facts in the window) and, per indicator
    and part, the mask of the bits it requires."""

    ages: dict = field(default_factory=dict)  # ("min" | "max", years) → (column of _PERIODS, indicator id, bit)
    groups: dict = field(default_factory=dict)  # target group → bit
    facts: dict = field(default_factory=dict)  # (sql, params) → [FactSource, cumulative bit, in-year bit]
    masks: list = field(default_factory=list)  # (indicator, part, mask)
    bits: int = 0

    def _bit(self) -> int:
        self.bits += 1
        return 1 << (self.bits - 1)

    def age(self, bound: str, years: int, indicator: Indicator) -> int:
        if (bound, years) not in self.ages:
            self.ages[(bound, years)] = (f"a{len(self.ages)}", indicator.id, self._bit())
        return self.ages[(bound, years)][2]

    def group(self, name: str) -> int:
        if name not in self.groups:
            self.groups[name] = self._bit()
        return self.groups[name]

    def fact(self, facts: FactSource, in_year: bool) -> int:
        entry = self.facts.setdefault((facts.sql, tuple(facts.params)), [facts, None, None])
        slot = 2 if in_year else 1
        if entry[slot] is None:
            entry[slot] = self._bit()
        return entry[slot]

    def add(self, indicator: Indicator, part: str, facts: FactSource | None) -> None:
        mask = 0
        if indicator.target_group:
            mask |= self.group(indicator.target_group)
        if indicator.age_min is not None:
            mask |= self.age("min", indicator.age_min, indicator)
        if indicator.age_max is not None:
            mask |= self.age("max", indicator.age_max, indicator)
        if facts is not None:
            mask |= self.fact(facts, indicator.period_mode == PeriodMode.IN_YEAR)
        self.masks.append((indicator, part, mask))


def _plan(chosen: list[tuple[Indicator, FactSource | None]]) -> _Plan:
    plan = _Plan()
    for indicator, facts in chosen:
        plan.add(indicator, BaseCount.NUMERATOR, facts)
        if indicator.denominator == DenominatorSource.PEOPLE:
            plan.add(indicator, BaseCount.DENOMINATOR, None)
    if plan.bits > 30:  # an integer column on every engine
        raise ValueError("too many conditions for one roll-up pass")
    return plan


def _wide_indicators(indicators) -> list[tuple[Indicator, FactSource | None]]:
    """(indicator, its facts or None for people) for the indicators whose people-based counts the pass writes."""
    chosen = []
    for indicator in indicators:
        if indicator.source == Source.HAMLETS_WITH_TEAM:
            continue
        facts = fact_source(indicator) if indicator.source != Source.PEOPLE else None
        if handles(indicator, facts):
            chosen.append((indicator, facts))
    return chosen


def _create_periods(cursor, plan: _Plan, period_end) -> None:
    """The window table pivoted: the row of one period end (every indicator has the same end instant; the in-year
    start is the year's first day for all of them; the birth bounds depend on the age only)."""
    columns = [
        "w.period_end",
        "MAX(w.end_at) AS end_at",
        "MAX(w.start_date) AS start_date",
        "MAX(w.start_at) AS start_at",
    ]
    params = []
    for (bound, _years), (column, indicator_id, _bit) in plan.ages.items():
        source = "born_until" if bound == "min" else "born_after"
        columns.append(f"MAX(CASE WHEN w.indicator_id = %s THEN w.{source} END) AS {column}")
        params.append(indicator_id)
    cursor.execute(
        f"CREATE TEMPORARY TABLE {_PERIODS} AS SELECT {', '.join(columns)} FROM {_WINDOW} w "
        "WHERE w.period_end = %s GROUP BY w.period_end",
        params + [period_end],
    )
    if connection.vendor == "postgresql":  # the planner must know it is small
        cursor.execute(f"ANALYZE {_PERIODS}")


def _per_person_sql(plan: _Plan, cutoff) -> tuple[str, list]:
    """(person, period_end, res, work, bits): each person once per period end, with their units and the sum of
    their distinct bits, from one UNION ALL of people (their age bits), memberships and facts, grouped by person."""
    postgresql = connection.vendor == "postgresql"
    people_sql, people_params = _people_sql()
    ages = " + ".join(
        f"CASE WHEN p.p_birth {'<=' if bound == 'min' else '>'} e.{column} THEN {bit} ELSE 0 END"
        for (bound, _years), (column, _indicator_id, bit) in plan.ages.items()
    )
    branches = [
        f"SELECT p.p_id AS person, e.period_end, p.p_residence AS res, p.p_workplace AS work, {ages or '0'} AS bit "
        f"FROM ({people_sql}) p CROSS JOIN {_PERIODS} e"
    ]
    params = list(people_params)
    if plan.groups:
        members_sql, members_params = _memberships_sql()
        cases = " ".join("WHEN %s THEN " + str(bit) for bit in plan.groups.values())
        branches.append(
            f"SELECT m.m_person, e.period_end, NULL, NULL, CASE m.m_group {cases} END "
            f"FROM ({members_sql}) m JOIN {_PERIODS} e "
            "ON m.m_from <= e.period_end AND (m.m_to IS NULL OR m.m_to >= e.period_end) "
            f"WHERE m.m_group IN ({', '.join(['%s'] * len(plan.groups))})"
        )
        params += list(plan.groups) + members_params + list(plan.groups)
    for facts, cumulative, in_year in plan.facts.values():
        if facts.dated:
            window, cutoff_param = "f.f_on <= e.period_end AND f.f_on < %s", timezone.localtime(cutoff).date()
            since_start = "f.f_on >= e.start_date"
        else:
            window = "f.f_at < e.end_at AND f.f_at < %s"
            cutoff_param = connection.ops.adapt_datetimefield_value(cutoff)
            since_start = "f.f_at >= e.start_at"
        if cumulative and in_year and postgresql:  # one scan: BIT_OR takes both bits of a row
            selects = [(f"{cumulative} + CASE WHEN {since_start} THEN {in_year} ELSE 0 END", window)]
        else:
            selects = [(str(cumulative), window)] if cumulative else []
            selects += [(str(in_year), f"{window} AND {since_start}")] if in_year else []
        for bit, condition in selects:
            branches.append(
                f"SELECT f.f_person, e.period_end, NULL, NULL, {bit} FROM ({facts.sql}) f "
                f"JOIN {_PERIODS} e ON {condition}"
            )
            params += list(facts.params) + [cutoff_param]
    union = " UNION ALL ".join(branches)
    if postgresql:  # one aggregate where SQLite, which has no BIT_OR, needs a DISTINCT first
        rows, bits = union, "BIT_OR(u.bit)"
    else:
        rows, bits = f"SELECT DISTINCT * FROM ({union}) d", "SUM(u.bit)"
    sql = (
        f"SELECT u.person, u.period_end, MAX(u.res) AS res, MAX(u.work) AS work, {bits} AS bits "
        f"FROM ({rows}) u GROUP BY u.person, u.period_end"
    )
    return sql, params


def _add_to_cube(cursor, plan: _Plan, cutoff, *, first: bool) -> None:
    """Each person once at the period end of `_PERIODS`, counted per (residence, workplace, period end, bits) and
    then, per indicator and part, the people whose bits contain its mask: one column each."""
    per_person, params = _per_person_sql(plan, cutoff)
    sums = ", ".join(
        f"SUM(CASE WHEN (g.bits & {int(mask)}) = {int(mask)} THEN g.n ELSE 0 END) AS s{k}"
        for k, (_indicator, _part, mask) in enumerate(plan.masks)
    )
    if connection.vendor == "postgresql":  # compiling the expressions would cost more than it saves
        cursor.execute("SELECT set_config('jit', 'off', true)")
    write = f"CREATE TEMPORARY TABLE {_CUBE} AS" if first else f"INSERT INTO {_CUBE}"
    cursor.execute(
        f"""{write} SELECT g.res, g.work, g.period_end, {sums}
        FROM (SELECT x.res, x.work, x.period_end, x.bits, CAST(COUNT(*) AS integer) AS n FROM ({per_person}) x
              GROUP BY x.res, x.work, x.period_end, x.bits) g
        GROUP BY g.res, g.work, g.period_end""",
        params,
    )


def compute_wide_base(cursor, indicators, cutoff) -> set[int]:
    """Base counts of the people-based indicators of a full run, all from one pass; returns the ids of the indicators
    it counted (`stages._compute_base` counts the others)."""
    chosen = _wide_indicators(indicators)
    counted = {indicator.id for indicator, _facts in chosen}
    plan = _plan(chosen)
    if not plan.masks:
        return counted
    # One period end at a time: grouping people × every month end at once makes the pass's hash table twelve times
    # larger (spilled to disk on PostgreSQL); reading the sources once per period end costs less.
    ends = sorted(set(RollupWindow.objects.values_list("period_end", flat=True)))
    for number, period_end in enumerate(ends):
        _create_periods(cursor, plan, period_end)
        _add_to_cube(cursor, plan, cutoff, first=number == 0)
        cursor.execute(f"DROP TABLE {_PERIODS}")
    if not ends:
        return counted
    if connection.vendor == "postgresql":
        cursor.execute(f"ANALYZE {_CUBE}")
    # One INSERT of every indicator and part (the cube has a few rows per unit); units of one kind only: a join.
    selects, params = [], []
    for k, (indicator, part, _mask) in enumerate(plan.masks):
        attach = "c.res" if indicator.attribution == Attribution.RESIDENCE else "c.work"
        join = ""
        if indicator.unit_kind:
            units_sql, units_params = _units_sql()
            join = f" JOIN ({units_sql}) u ON u.u_id = {attach} AND u.u_kind = %s"
            params += units_params + [indicator.unit_kind]
        selects.append(
            f"SELECT {int(indicator.id)}, {attach}, c.period_end, '{part}', SUM(c.s{k}) FROM {_CUBE} c{join} "
            f"WHERE {attach} IS NOT NULL GROUP BY {attach}, c.period_end HAVING SUM(c.s{k}) > 0"
        )
    cursor.execute(f"INSERT INTO {_BASE} ({_BASE_COLUMNS}) {' UNION ALL '.join(selects)}", params)
    cursor.execute(f"DROP TABLE {_CUBE}")
    return counted
