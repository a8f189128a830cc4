"""The figures a report carries: indicator statuses from monitoring and task summaries from plans, frozen as JSON."""

from decimal import Decimal

from django.utils import timezone

from kynangso.monitoring import api as monitoring
from kynangso.numbers import percentage, round_figure
from kynangso.plans import api as plans


def default_plan_id() -> int | None:
    """The plan whose indicators reports use when none is chosen: the first one monitoring follows."""
    found = monitoring.followed_plan()
    return found[0] if found else None


def _text(value) -> str | None:
    return None if value is None else str(value)


def indicator_row(status) -> dict:
    """One IndicatorStatus as JSON-safe data (decimals as strings, so nothing is rounded on the way)."""
    return {
        "code": status.indicator_code,
        "name": status.indicator_name,
        "measure": status.measure,
        "value": _text(status.value),
        "numerator": status.numerator,
        "denominator": status.denominator,
        "target": _text(status.target),
        "target_year": status.target_year,
        "target_inherited_from": status.target_inherited_from,
        "gap": _text(status.gap),
        "progress": status.progress,
        "projection": _text(status.projection),
        "at_risk": bool(status.at_risk),
        "trend": [[day.isoformat(), str(value)] for day, value in status.trend],
        "computed_at": status.computed_at.isoformat() if status.computed_at else None,
        # a survey estimate («ước lượng từ khảo sát»): its 95% interval and the target judged against it
        "ci_low": _text(status.ci_low),
        "ci_high": _text(status.ci_high),
        "verdict": status.verdict,
    }


def with_outside(rows: list[dict], *, unit_id: int, year: int) -> list[dict]:
    """The rows, each with `outside`: how many people of its figure count only through learning on other platforms
    (None where the indicator does not count it), so the report can say how much came from outside (ADR 0042)."""
    found = monitoring.outside_only_counts(indicator_codes=[row["code"] for row in rows], unit_id=unit_id, year=year)
    return [{**row, "outside": found.get(row["code"])} for row in rows]


def task_row(summary) -> dict:
    """One plans.api UnitTaskSummary as JSON-safe data."""
    progress = summary.latest_progress
    if summary.latest_progress_percent is not None:
        progress = f"{summary.latest_progress_percent}%" + (f" – {progress}" if progress else "")
    return {
        "plan": summary.plan_label,
        "code": summary.task_code,
        "title": summary.title,
        "role": summary.role,
        "due": summary.due,
        "done": summary.done,
        "overdue": summary.overdue,
        "progress": progress,
        "outputs": [[label, count] for _kind, label, count in summary.outputs],
    }


def fill(report) -> None:
    """Put the unit's current indicator statuses and plan task summary into the report (not saved)."""
    statuses = (
        monitoring.indicator_statuses(plan_id=report.plan_id, unit_id=report.unit_id, year=report.year)
        if report.plan_id
        else []
    )
    report.indicator_rows = with_outside(
        [indicator_row(status) for status in statuses], unit_id=report.unit_id, year=report.year
    )
    report.task_rows = [task_row(row) for row in plans.unit_task_summary(unit_id=report.unit_id, year=report.year)]
    computed = [status.computed_at for status in statuses if status.computed_at]
    report.figures_as_of = max(computed) if computed else timezone.now()


def as_decimal(text) -> Decimal | None:
    return None if text in (None, "") else Decimal(text)


def shown(row: dict, name: str) -> Decimal | None:
    """A frozen row's figure as people read it, rounded once by numbers.round_figure: the value from its exact
    numerator and denominator when the row has them (reports frozen before ADR 0039 kept a value already rounded to
    two decimals, which rounded again would read 0,1 too high), the others from their text."""
    measure = row.get("measure")
    if name == "value" and measure == "percent" and row.get("denominator") and row.get("numerator") is not None:
        return round_figure(percentage(row["numerator"], row["denominator"]), measure)
    return round_figure(row.get(name), measure)
