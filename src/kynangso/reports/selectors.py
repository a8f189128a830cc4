"""Reads of the reports app: due dates, which units must report, completeness, reports a user may see."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from kynangso.accounts import api as accounts
from kynangso.orgs import api as orgs
from kynangso.reports.models import AnnualReport, ReportStatus

caps = accounts.capabilities
DUE_MONTH, DUE_DAY = 12, 15  # every plan asks for the annual report by 15 December
# Units that send an annual report to their parent: commune-level authorities and provincial departments.
REPORTING_KINDS = (*orgs.COMMUNE_LEVEL_KINDS, orgs.UnitKind.DEPARTMENT)


def due_date(year: int) -> datetime.date:
    """The day (Asia/Ho_Chi_Minh) by which the annual report of `year` must be submitted."""
    return datetime.date(year, DUE_MONTH, DUE_DAY)


def submitted_on(report: AnnualReport) -> datetime.date | None:
    """The local (Vietnam) date of the first submission."""
    return timezone.localdate(report.first_submitted_at) if report.first_submitted_at else None


def reporting_roots() -> QuerySet:
    """The provinces: active units without a parent."""
    return orgs.units(active_only=True).filter(parent__isnull=True, kind=orgs.UnitKind.PROVINCE)


def reporting_units(province) -> QuerySet:
    """Active units under `province` that owe it an annual report."""
    return orgs.units(within=[province.pk], active_only=True).filter(kind__in=REPORTING_KINDS).exclude(pk=province.pk)


@dataclass(frozen=True)
class CompletenessRow:
    unit: Any
    report: AnnualReport | None
    submitted_on: datetime.date | None
    late: bool  # submitted after the due date, or not submitted and the due date has passed

    @property
    def status_label(self) -> str:
        from django.utils.translation import gettext as _

        return self.report.get_status_display() if self.report else _("Chưa lập")


def completeness(*, province, year: int, today: datetime.date | None = None) -> list[CompletenessRow]:
    """Every reporting unit of the province with its report (or None) and whether it is late."""
    today = today or timezone.localdate()
    due = due_date(year)
    units = list(reporting_units(province))
    reports = {
        report.unit_id: report
        for report in AnnualReport.objects.filter(year=year, unit__in=[unit.pk for unit in units])
    }
    rows = []
    for unit in units:
        report = reports.get(unit.pk)
        day = submitted_on(report) if report else None
        late = day > due if day else today > due
        rows.append(CompletenessRow(unit=unit, report=report, submitted_on=day, late=late))
    return rows


def visible_reports(user) -> QuerySet:
    """Reports of units where the user may write or approve reports."""
    queryset = AnnualReport.objects.select_related("unit", "unit__parent")
    writable = accounts.scope_unit_ids(user, caps.REPORTS_SUBMIT)
    approvable = accounts.scope_unit_ids(user, caps.REPORTS_APPROVE)
    if writable is None or approvable is None:
        return queryset
    return queryset.filter(Q(unit__in=writable) | Q(unit__in=approvable))


def awaiting_decision(user) -> QuerySet:
    """Submitted reports the user may approve or return: their unit's parent is in the user's approve scope."""
    queryset = AnnualReport.objects.filter(status=ReportStatus.SUBMITTED).select_related("unit", "unit__parent")
    scope = accounts.scope_unit_ids(user, caps.REPORTS_APPROVE)
    return queryset if scope is None else queryset.filter(unit__parent__in=scope)


def may_decide(user, report: AnnualReport) -> bool:
    return report.unit.parent_id is not None and accounts.has_capability(
        user, caps.REPORTS_APPROVE, report.unit.parent_id
    )


def may_write(user, report_or_unit_id) -> bool:
    unit_id = getattr(report_or_unit_id, "unit_id", report_or_unit_id)
    return accounts.has_capability(user, caps.REPORTS_SUBMIT, unit_id)
