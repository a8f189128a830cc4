"""What the roll-up counts: the other apps' fact functions and rows, compiled to SQL and used as derived tables,
and the affected people's rows an incremental run reads once."""

from dataclasses import dataclass

from django.db import connection
from django.db.models import F

from kynangso.assessment import api as assessment
from kynangso.credentials import api as credentials
from kynangso.integration import api as integration
from kynangso.learning import api as learning
from kynangso.monitoring.models import (
    Indicator,
    IndicatorKind,
    Source,
)
from kynangso.monitoring.rollup.tables import _AFFECTED, _AFFECTED_FACTS, _AFFECTED_MEMBERSHIPS, _AFFECTED_PEOPLE
from kynangso.orgs import api as orgs
from kynangso.people import api as people

# --- sources: the other apps' api querysets, compiled to SQL ------------------------------------------------------


def _sql(queryset) -> tuple[str, list]:
    sql, params = queryset.order_by().query.sql_with_params()
    return sql, list(params)


def _people_sql():
    return _sql(
        people.person_rows().values(
            p_id=F("id"),
            p_birth=F("birth_date"),
            p_residence=F("residence_unit_id"),
            p_workplace=F("workplace_unit_id"),
        )
    )


def _memberships_sql():
    return _sql(
        people.membership_rows().values(
            m_person=F("person_id"), m_group=F("group"), m_from=F("valid_from"), m_to=F("valid_to"), m_team=F("team_id")
        )
    )


def _closure_sql():
    return _sql(
        orgs.closure_rows().values(c_ancestor=F("ancestor_id"), c_descendant=F("descendant_id"), c_depth=F("depth"))
    )


def _units_sql():
    return _sql(
        orgs.unit_rows().values(
            u_id=F("id"), u_kind=F("kind"), u_parent=F("parent_id"), u_from=F("valid_from"), u_to=F("valid_to")
        )
    )


def _denominators_sql(kind: str):
    return _sql(
        orgs.denominator_rows().filter(kind=kind).values(d_unit=F("unit_id"), d_year=F("year"), d_value=F("value"))
    )


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
        return any(
            source == wanted or (wanted.endswith(":") and source.startswith(wanted)) for wanted in self.affected_sources
        )


def _source_label(kind: str, code: str) -> str:
    """`kind:code` for one standard, course or credential; `kind:` (a prefix) for all of them."""
    return f"{kind}:{code or ''}"


def _per_affected_person(sql: str, key: str, condition: str = "") -> str:
    """PostgreSQL FROM clause: the rows of `sql` whose `key` is an affected person, read person by person.
    OFFSET 0 keeps the planner from flattening the LATERAL into a hash join over every row (a full scan that grows
    with the country); each affected person's rows are then read through the index on `key`."""
    where = f" WHERE {condition}" if condition else ""
    return (
        f"(SELECT DISTINCT person_id FROM {_AFFECTED}{where} ORDER BY person_id) a CROSS JOIN LATERAL "
        f"(SELECT * FROM ({sql}) r0 WHERE r0.{key} = a.person_id OFFSET 0)"
    )


@dataclass(frozen=True)
class _Inputs:
    """Where an incremental run's delta statements read people, memberships and facts: temporary copies of the
    affected people's rows (`_copy_affected_rows`). Statements given no inputs read the other apps' querysets."""

    people: tuple[str, list]
    memberships: tuple[str, list]
    facts: dict  # (fact SQL, its params) → temporary table of the affected people's facts


def _copy_affected(cursor, table: str, sql: str, params, key: str, condition: str = "", condition_params=()) -> None:
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
    return _Inputs(
        (f"SELECT * FROM {_AFFECTED_PEOPLE}", []), (f"SELECT * FROM {_AFFECTED_MEMBERSHIPS}", []), facts_tables
    )


def _drop_affected_rows(cursor, inputs: _Inputs) -> None:
    for table in (_AFFECTED_PEOPLE, _AFFECTED_MEMBERSHIPS, *inputs.facts.values()):
        cursor.execute(f"DROP TABLE {table}")


def fact_source(indicator: Indicator) -> FactSource | None:
    """The indicator's facts as SQL (f_person and f_at or f_on), from the fact functions of the apps that own them
    (their `api.py` names the columns); None for a source the roll-up does not compute."""
    source = indicator.source
    if source in (Source.PASSED_STANDARD, Source.ASSESSED):
        sql, params = _sql(
            assessment.attempt_facts(
                passed_only=source == Source.PASSED_STANDARD, standard_code=indicator.standard_code or ""
            )
        )
        if source == Source.PASSED_STANDARD and indicator.counts_outside_learning:
            # Standards passed on another platform, as the province mapped them (ADR 0042).
            outside_sql, outside_params = _sql(
                integration.outside_standard_facts(standard_code=indicator.standard_code or "")
            )
            sql = (
                f"SELECT f_person, f_at FROM ({sql}) ours UNION ALL SELECT f_person, f_at FROM ({outside_sql}) outside"
            )
            params = params + outside_params
        return FactSource(
            sql, params, dated=False, affected_sources=(_source_label("attempt", indicator.standard_code),)
        )
    if source in (Source.TRAINED_ONLINE, Source.TRAINED_IN_CLASS, Source.TRAINED):
        parts = []
        if source in (Source.TRAINED_ONLINE, Source.TRAINED):
            parts.append(_sql(learning.completion_facts(course_code=indicator.course_code or "")))
            if indicator.counts_outside_learning:  # courses completed on another platform (ADR 0042)
                parts.append(_sql(integration.outside_course_facts(course_code=indicator.course_code or "")))
        if source in (Source.TRAINED_IN_CLASS, Source.TRAINED):
            parts.append(_sql(learning.attendance_facts()))
        sql = " UNION ALL ".join(
            f"SELECT f_person, f_on FROM ({part_sql}) part{i}" for i, (part_sql, _params) in enumerate(parts)
        )
        affected = []
        if source in (Source.TRAINED_ONLINE, Source.TRAINED):
            affected.append(_source_label("course", indicator.course_code))
        if source in (Source.TRAINED_IN_CLASS, Source.TRAINED):
            affected.append("class")
        return FactSource(
            sql, [p for _sql_text, params in parts for p in params], dated=True, affected_sources=tuple(affected)
        )
    if source == Source.CREDENTIALS_ISSUED:
        sql, params = _sql(credentials.credential_facts(achievement_code=indicator.credential_code or ""))
        return FactSource(
            sql,
            params,
            dated=False,
            counts_rows=True,
            revocable=True,
            affected_sources=(_source_label("credential", indicator.credential_code),),
        )
    return None


def computable(indicator: Indicator) -> bool:
    """Whether the roll-up can compute this indicator now (its source app provides the facts)."""
    if indicator.kind != IndicatorKind.COMPUTED:
        return False
    return indicator.source in UNIT_SOURCES or fact_source(indicator) is not None


# Sources counted from rows, not facts: people (by group and age) and hamlets (with an active community team).
UNIT_SOURCES = (Source.PEOPLE, Source.HAMLETS_WITH_TEAM)
