"""The periods of the roll-up: month ends of the years asked, and the windows each indicator counts over."""

import calendar
import datetime
from zoneinfo import ZoneInfo

from django.conf import settings

from kynangso.monitoring.models import (
    PeriodMode,
    RollupWindow,
    Target,
)

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
            rows.append(
                RollupWindow(
                    indicator=indicator,
                    period_end=end,
                    year=end.year,
                    start_date=start,
                    start_at=_local_midnight(start) if start else None,
                    end_at=_local_midnight(end + datetime.timedelta(days=1)),
                    born_until=_years_before(end, indicator.age_min) if indicator.age_min is not None else None,
                    born_after=_years_before(end, indicator.age_max + 1) if indicator.age_max is not None else None,
                )
            )
    RollupWindow.objects.bulk_create(rows, batch_size=1000)
