"""Pages of the plans app (under /ke-hoach/): my tasks, the report form, the plan board, the timeline, the XLSX
export, evidence files and the plan upload. Thin: they parse input, call selectors and services, and render."""

import tempfile
from pathlib import Path, PurePath

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from kynangso.accounts import api as accounts
from kynangso.errors import DomainError
from kynangso.orgs import api as orgs
from kynangso.plans import exports, reporting, selectors, visibility, workbook
from kynangso.plans.forms import BoardFilterForm, ContributionForm, PlanUploadForm, ReportForm
from kynangso.plans.importers import import_plan
from kynangso.plans.models import OutputKind, Plan, Recurrence
from kynangso.tabular import XLSX_CONTENT_TYPE

caps = accounts.capabilities
QUARTERS = ["Quý I", "Quý II", "Quý III", "Quý IV"]


require_capability = accounts.require_capability


def _with_state(occurrences, today):
    for occurrence in occurrences:
        occurrence.state = selectors.occurrence_state(occurrence, today)
    return occurrences


@require_capability(caps.PLANS_VIEW)
@require_GET
def index(request):
    plans = visibility.visible_plans(request.user)
    return render(
        request,
        "plans/index.html",
        {
            "plans": [(plan, visibility.follows_up(request.user, plan)) for plan in plans],
            "can_manage": accounts.has_capability(request.user, caps.PLANS_MANAGE),
        },
    )


@require_capability(caps.PLANS_VIEW)
@require_GET
def my_tasks(request):
    today = timezone.localdate()
    tasks = selectors.my_tasks(request.user, today, horizon_days=90)
    return render(
        request,
        "plans/my_tasks.html",
        {
            "late": _with_state(tasks.late, today),
            "due_soon": _with_state(tasks.due_soon, today),
            "today": today,
        },
    )


def _occurrence_or_404(user, occurrence_id):
    occurrence = visibility.occurrence_for(user, occurrence_id)
    if occurrence is None:
        raise Http404
    return occurrence


def _report_initial(occurrence):
    initial = {
        "status": occurrence.status,
        "progress": occurrence.progress,
        "narrative": occurrence.narrative,
        "cancel_reason": occurrence.cancel_reason,
    }
    if occurrence.task.lead_unit_id:
        for output in occurrence.outputs.filter(unit_id=occurrence.task.lead_unit_id):
            initial[f"out_{output.kind}"] = output.count
    return initial


def _apply_domain_error(form, exc):
    field = {"file": "evidence_file", "url": "evidence_url", "outputs": None}.get(exc.field, exc.field)
    form.add_error(field if field in form.fields else None, exc.message)


@login_required
def occurrence_detail(request, occurrence_id):
    """One period of a task: what was reported, and the report form (lead) or contribution form (cooperating)."""
    occurrence = _occurrence_or_404(request.user, occurrence_id)
    can_report = visibility.may_report(request.user, occurrence)
    units = visibility.contributing_units(request.user, occurrence)
    report_form = ReportForm(initial=_report_initial(occurrence)) if can_report else None
    contribution_form = ContributionForm(units=units, prefix="c") if units else None
    if request.method == "POST":
        if request.POST.get("action") == "contribute" and units:
            contribution_form = ContributionForm(request.POST, request.FILES, units=units, prefix="c")
            if contribution_form.is_valid():
                data = contribution_form.cleaned_data
                try:
                    reporting.submit_contribution(
                        occurrence=occurrence,
                        user=request.user,
                        unit=orgs.units().get(pk=data["unit"]),
                        narrative=data["narrative"],
                        outputs=contribution_form.outputs(),
                        evidence_file=data["evidence_file"],
                        evidence_url=data["evidence_url"] or "",
                        evidence_note=data["evidence_note"],
                    )
                except DomainError as exc:
                    _apply_domain_error(contribution_form, exc)
                else:
                    messages.success(request, _("Đã ghi nhận nội dung phối hợp."))
                    return redirect("plans:occurrence", occurrence_id=occurrence.pk)
        elif can_report:
            report_form = ReportForm(request.POST, request.FILES)
            if report_form.is_valid():
                data = report_form.cleaned_data
                try:
                    reporting.submit_report(
                        occurrence=occurrence,
                        user=request.user,
                        status=data["status"],
                        progress=data["progress"],
                        narrative=data["narrative"],
                        outputs=report_form.outputs(),
                        cancel_reason=data["cancel_reason"],
                        evidence_file=data["evidence_file"],
                        evidence_url=data["evidence_url"] or "",
                        evidence_note=data["evidence_note"],
                    )
                except DomainError as exc:
                    if exc.code == "forbidden":
                        raise PermissionDenied(exc.message) from exc
                    _apply_domain_error(report_form, exc)
                else:
                    messages.success(request, _("Đã lưu báo cáo nhiệm vụ %(code)s.") % {"code": occurrence.task.code})
                    return redirect("plans:occurrence", occurrence_id=occurrence.pk)
        else:
            raise PermissionDenied
    today = timezone.localdate()
    occurrence.state = selectors.occurrence_state(occurrence, today)
    return render(
        request,
        "plans/occurrence.html",
        {
            "occurrence": occurrence,
            "task": occurrence.task,
            "plan": occurrence.task.plan,
            "outputs": sorted(
                occurrence.outputs.select_related("unit"),
                key=lambda row: (row.unit.name, OutputKind.values.index(row.kind)),
            ),
            "evidence": occurrence.evidence.select_related("unit").order_by("created_at"),
            "contributions": occurrence.contributions.select_related("unit").order_by("created_at"),
            "report_form": report_form,
            "contribution_form": contribution_form,
            "follows_up": visibility.follows_up(request.user, occurrence.task.plan),
        },
    )


@login_required
@require_GET
def evidence_file(request, evidence_id):
    """An evidence file, only for users who may see its occurrence; never from a public URL."""
    evidence = visibility.evidence_for(request.user, evidence_id)
    if evidence is None or not evidence.file:
        raise Http404
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    name = evidence.original_name or PurePath(evidence.file.name).name
    response = FileResponse(handle, as_attachment=True, filename=name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


# The plan board, timeline and export -------------------------------------------------------------------------------


def _plan_or_404(user, plan_id) -> Plan:
    plan = get_object_or_404(Plan.objects.select_related("owner_unit"), pk=plan_id)
    if not accounts.has_capability(user, caps.PLANS_VIEW):
        raise PermissionDenied
    if plan not in visibility.visible_plans(user):
        raise Http404
    return plan


def _years(plan):
    return list(range(plan.period_start.year, plan.period_end.year + 1))


def _default_year(plan, today):
    return min(max(today.year, plan.period_start.year), plan.period_end.year)


def _board_filter(request, plan, scope, today):
    units_qs = plan.tasks.all()
    if scope is not None:
        units_qs = units_qs.filter(Q(lead_unit__in=scope) | Q(cooperating_units__in=scope))
    unit_ids = set(units_qs.exclude(lead_unit=None).values_list("lead_unit_id", flat=True)) | set(
        units_qs.values_list("cooperating_units", flat=True)
    )
    units = orgs.units().filter(pk__in=[pk for pk in unit_ids if pk]).order_by("name")
    form = BoardFilterForm(request.GET or None, years=_years(plan), units=units)
    year, unit_id, status = _default_year(plan, today), None, ""
    if form.is_bound and form.is_valid():
        year = form.cleaned_data["year"] or year
        unit_id = form.cleaned_data["unit"]
        status = form.cleaned_data["status"]
    elif not form.is_bound:
        form = BoardFilterForm(initial={"year": year}, years=_years(plan), units=units)
    return form, year, unit_id, status


def _status_matches(state_key, status):
    if status == "overdue":
        return state_key == "overdue"
    if status == "done":
        return state_key == "done"
    if status == "open":
        return state_key not in {"done", "cancelled"}
    return True


def _board_rows(board, today, status):
    """Groups of rows; each row a task with four quarter cells (or one cell over the year for yearly tasks)."""
    groups = []
    for group in board:
        rows = []
        for item in group.tasks:
            occurrences = _with_state(item.occurrences, today)
            if status and not any(_status_matches(o.state.key, status) for o in occurrences):
                continue
            spans_year = item.task.recurrence == Recurrence.YEARLY or (
                item.task.recurrence == Recurrence.ONE_OFF and len(occurrences) == 1
            )
            if spans_year:
                cells = [{"label": _("Cả năm"), "span": 4, "occurrences": occurrences}]
            else:
                cells = [
                    {
                        "label": QUARTERS[q],
                        "span": 1,
                        "occurrences": [o for o in occurrences if (o.period_start.month - 1) // 3 == q],
                    }
                    for q in range(4)
                ]
            rows.append({"task": item.task, "cells": cells})
        if rows:
            groups.append({"code": group.code, "title": group.title, "rows": rows})
    return groups


@require_capability(caps.PLANS_VIEW)
@require_GET
def board(request, plan_id):
    plan = _plan_or_404(request.user, plan_id)
    today = timezone.localdate()
    scope = visibility.task_scope(request.user, plan)
    form, year, unit_id, status = _board_filter(request, plan, scope, today)
    groups = _board_rows(selectors.plan_board(plan, unit_id, unit_ids=scope, year=year), today, status)
    follows_up = scope is None
    return render(
        request,
        "plans/board.html",
        {
            "plan": plan,
            "groups": groups,
            "form": form,
            "year": year,
            "quarters": QUARTERS,
            "today": today,
            "follows_up": follows_up,
            "ranking": selectors.weighted_ranking(plan, year=year, today=today) if follows_up else [],
            "weights": plan.ranking_weights(),
            "export_url": reverse("plans:export", args=[plan.pk]) + "?" + request.GET.urlencode(),
            "can_manage": accounts.has_capability(request.user, caps.PLANS_MANAGE),
        },
    )


@require_capability(caps.PLANS_VIEW)
@require_GET
def timeline(request, plan_id):
    plan = _plan_or_404(request.user, plan_id)
    today = timezone.localdate()
    scope = visibility.task_scope(request.user, plan)
    form, year, _unit_id, _status = _board_filter(request, plan, scope, today)
    months = [
        (month, _with_state(occurrences, today))
        for month, occurrences in selectors.timeline(plan, year=year, unit_ids=scope)
    ]
    return render(
        request, "plans/timeline.html", {"plan": plan, "months": months, "year": year, "form": form, "today": today}
    )


@require_capability(caps.PLANS_VIEW)
@require_GET
def export(request, plan_id):
    """The board of a year as XLSX in the plan's layout (only the tasks the user may see)."""
    plan = _plan_or_404(request.user, plan_id)
    today = timezone.localdate()
    scope = visibility.task_scope(request.user, plan)
    _form, year, _unit_id, _status = _board_filter(request, plan, scope, today)
    response = HttpResponse(content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{exports.export_filename(plan, year)}"'
    exports.write_board_xlsx(response, plan, year=year, unit_ids=scope, today=today)
    return response


# Plan upload --------------------------------------------------------------------------------------------------------


@require_capability(caps.PLANS_MANAGE)
def upload(request):
    """Import a plan from a YAML or XLSX file: all or nothing; every problem is listed in Vietnamese."""
    form = PlanUploadForm(request.POST or None, request.FILES or None)
    problems, report = [], None
    if request.method == "POST" and form.is_valid():
        upload_file = form.cleaned_data["file"]
        suffix = PurePath(upload_file.name).suffix.lower()
        with tempfile.TemporaryDirectory(prefix="kns-plan-") as directory:
            path = Path(directory) / f"ke-hoach{suffix}"
            with path.open("wb") as handle:
                for chunk in upload_file.chunks():
                    handle.write(chunk)
            report = import_plan(path)
        if report.problems:
            problems = report.problems
        else:
            messages.success(
                request,
                _("Đã %(action)s kế hoạch %(plan)s: %(tasks)s nhiệm vụ, %(occ)s kỳ thực hiện.")
                % {
                    "action": _("tạo mới") if report.created else _("cập nhật"),
                    "plan": report.plan.number_symbol or report.plan.key,
                    "tasks": report.tasks,
                    "occ": report.occurrences,
                },
            )
            return redirect("plans:board", plan_id=report.plan.pk)
    return render(request, "plans/upload.html", {"form": form, "problems": problems})


@require_capability(caps.PLANS_MANAGE)
@require_GET
def upload_template(request):
    response = HttpResponse(content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="mau-ke-hoach.xlsx"'
    workbook.write_template(response)
    return response
