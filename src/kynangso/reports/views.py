"""Pages of annual reports: my reports, one report (edit, submit, approve, return, history), completeness of a
province, and the downloads. Thin: they call the reports services and selectors."""

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from kynangso.accounts import api as accounts
from kynangso.errors import DomainError
from kynangso.orgs import api as orgs
from kynangso.reports import documents, exports, figures, selectors, services
from kynangso.reports.forms import ReportForm, ReturnForm, StartReportForm
from kynangso.reports.models import AnnualReport

caps = accounts.capabilities
PDF_CONTENT_TYPE = "application/pdf"
WIDE_FIELDS = ("title", "general_assessment", "results_narrative", "shortcomings", "next_year_tasks", "proposals")


def reports_user(view):
    """Only people who write or approve reports somewhere reach these pages."""

    @functools.wraps(view)
    @login_required
    def wrapped(request, *args, **kwargs):
        user = request.user
        if not (
            accounts.has_capability(user, caps.REPORTS_SUBMIT) or accounts.has_capability(user, caps.REPORTS_APPROVE)
        ):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


def _writable_units(user):
    scope = accounts.scope_unit_ids(user, caps.REPORTS_SUBMIT)
    units = orgs.units(active_only=True).filter(kind__in=(*selectors.REPORTING_KINDS, orgs.UnitKind.PROVINCE))
    return units if scope is None else units.filter(id__in=scope)


def _provinces_for(user):
    return [
        province
        for province in selectors.reporting_roots()
        if accounts.has_capability(user, caps.REPORTS_APPROVE, province.pk)
    ]


@reports_user
def index(request):
    user = request.user
    form = StartReportForm(request.POST or None, units=_writable_units(user))
    if request.method == "POST" and form.is_valid():
        try:
            report = services.start_report(unit=form.cleaned_data["unit"], year=form.cleaned_data["year"], actor=user)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            return redirect("reports:detail", report_id=report.pk)
    return render(
        request,
        "reports/index.html",
        {
            "form": form,
            "reports": selectors.visible_reports(user).order_by("-year", "unit__code")[:200],
            "awaiting": selectors.awaiting_decision(user).order_by("submitted_at"),
            "provinces": _provinces_for(user),
            "year": timezone.localdate().year,
            "due_on": selectors.due_date(timezone.localdate().year),
        },
    )


def _report_or_404(request, report_id) -> AnnualReport:
    report = selectors.visible_reports(request.user).filter(pk=report_id).first()
    if report is None:
        raise Http404
    return report


@reports_user
def detail(request, report_id):
    report = _report_or_404(request, report_id)
    may_write = selectors.may_write(request.user, report) and report.is_editable
    form = ReportForm(request.POST or None, instance=report) if may_write else None
    if request.method == "POST":
        if not may_write:
            raise Http404
        action = request.POST.get("action", "save")
        try:
            if action == "refresh":
                services.refresh_figures(report=report, actor=request.user)
                messages.success(request, "Đã cập nhật số liệu mới nhất vào báo cáo.")
                return redirect("reports:detail", report_id=report.pk)
            if form.is_valid():
                fields = {name: form.cleaned_data[name] for name in services.EDITABLE_FIELDS}
                report = services.update_report(report=report, actor=request.user, **fields)
                if action == "submit":
                    services.submit_report(report=report, actor=request.user)
                    messages.success(request, "Đã gửi báo cáo lên cấp trên.")
                else:
                    messages.success(request, "Đã lưu báo cáo.")
                return redirect("reports:detail", report_id=report.pk)
        except DomainError as exc:
            messages.error(request, exc.message)
    return render(
        request,
        "reports/detail.html",
        {
            "report": report,
            "form": form,
            **documents.unit_document(report, with_charts=False),
            "may_decide": selectors.may_decide(request.user, report) and report.status == "submitted",
            "return_form": ReturnForm(),
            "events": report.events.select_related("actor"),
            "due": selectors.due_date(report.year),
            "wide_fields": WIDE_FIELDS,
        },
    )


@reports_user
@require_POST
def approve(request, report_id):
    report = _report_or_404(request, report_id)
    try:
        services.approve_report(report=report, actor=request.user)
        messages.success(request, "Đã duyệt báo cáo.")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("reports:detail", report_id=report.pk)


@reports_user
@require_POST
def return_to_unit(request, report_id):
    report = _report_or_404(request, report_id)
    form = ReturnForm(request.POST)
    try:
        services.return_report(report=report, actor=request.user, comment=form.data.get("comment", ""))
        messages.success(request, "Đã trả lại báo cáo kèm ý kiến.")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("reports:detail", report_id=report.pk)


def _filename(stem: str, suffix: str) -> str:
    from kynangso.text import search_key

    return f"{search_key(stem).replace(' ', '-')}.{suffix}"


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@reports_user
@require_GET
def download(request, report_id, fmt):
    report = _report_or_404(request, report_id)
    stem = f"bao-cao-{report.year}-{report.unit.code}"
    if fmt == "xlsx":
        return _download(exports.unit_report_xlsx(report), exports.XLSX_CONTENT_TYPE, _filename(stem, "xlsx"))
    return _download(exports.unit_report_pdf(report), PDF_CONTENT_TYPE, _filename(stem, "pdf"))


def _province_or_404(request, province_id):
    province = get_object_or_404(selectors.reporting_roots(), pk=province_id)
    if not accounts.has_capability(request.user, caps.REPORTS_APPROVE, province.pk):
        raise Http404
    return province


@reports_user
@require_GET
def province_status(request, province_id, year):
    province = _province_or_404(request, province_id)
    rows = selectors.completeness(province=province, year=year)
    return render(
        request,
        "reports/province.html",
        {
            "province": province,
            "year": year,
            "rows": rows,
            "due": selectors.due_date(year),
            "submitted": sum(1 for row in rows if row.submitted_on),
            "late": sum(1 for row in rows if row.late),
            "years": range(timezone.localdate().year, timezone.localdate().year - 4, -1),
        },
    )


@reports_user
@require_GET
def province_download(request, province_id, year, fmt):
    province = _province_or_404(request, province_id)
    header = AnnualReport.objects.filter(unit=province, year=year).first()
    plan_id = header.plan_id if header and header.plan_id else figures.default_plan_id()
    consolidated = documents.consolidated_report(
        province=province, year=year, plan_id=plan_id, with_charts=fmt == "pdf"
    )
    stem = f"bao-cao-tong-hop-{year}-{province.code}"
    if fmt == "xlsx":
        return _download(exports.province_report_xlsx(consolidated), exports.XLSX_CONTENT_TYPE, _filename(stem, "xlsx"))
    return _download(exports.province_report_pdf(consolidated), PDF_CONTENT_TYPE, _filename(stem, "pdf"))
