"""Public interface of the reports app: annual reports of units, their workflow, completeness and exports."""

from kynangso.reports.documents import ConsolidatedReport, consolidated_report
from kynangso.reports.exports import province_report_pdf, province_report_xlsx, unit_report_pdf, unit_report_xlsx
from kynangso.reports.models import AnnualReport, ReminderKind, ReportStatus
from kynangso.reports.selectors import (
    awaiting_decision,
    completeness,
    due_date,
    reporting_units,
    visible_reports,
)
from kynangso.reports.services import (
    approve_report,
    refresh_figures,
    return_report,
    send_report_reminders,
    start_report,
    submit_report,
    update_report,
)

__all__ = [
    "AnnualReport",
    "ConsolidatedReport",
    "ReminderKind",
    "ReportStatus",
    "approve_report",
    "awaiting_decision",
    "completeness",
    "consolidated_report",
    "due_date",
    "province_report_pdf",
    "province_report_xlsx",
    "refresh_figures",
    "reporting_units",
    "return_report",
    "send_report_reminders",
    "start_report",
    "submit_report",
    "unit_report_pdf",
    "unit_report_xlsx",
    "update_report",
    "visible_reports",
]
