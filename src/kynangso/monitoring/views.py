"""Pages of monitoring: the indicator dashboard of a unit with drill-down to its children, the emulation ranking,
the public headline figures, and manual data entry with the parent's approval. Thin: they read monitoring.api."""

import datetime

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kynangso.accounts import api as accounts
from kynangso.errors import DomainError
from kynangso.monitoring import api as monitoring
from kynangso.monitoring import charts
from kynangso.numbers import figure_text
from kynangso.orgs import api as orgs

caps = accounts.capabilities


require_capability = accounts.require_capability


# Presentation of figures ------------------------------------------------------------------------------------------


def _data_uri(svg: str) -> str:
    import base64

    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def status_card(status, *, year: int) -> dict:
    """What the page shows for one IndicatorStatus: texts, progress in percent, the trend chart and its table."""
    measure = status.measure
    trend_rows = [
        {"day": day, "text": figure_text(value, measure), "partial_until": status.partial_days.get(day)}
        for day, value in status.trend
    ]
    chart = ""
    if status.trend:
        chart = _data_uri(
            charts.trend_chart_svg(
                points=status.trend,
                measure=measure,
                target=status.target,
                target_date=datetime.date(status.target_year or year, 12, 31),
                projection=status.projection,
            )
        )
    return {
        "status": status,
        "value": figure_text(status.value, measure),
        "target": figure_text(status.target, measure),
        "gap": figure_text(status.gap, measure),
        "projection": figure_text(status.projection, measure),
        "percent": status.progress_percent,
        "chart": chart,
        "trend_rows": trend_rows,
        "points": monitoring.PROJECTION_POINTS,
        "ci_low": figure_text(status.ci_low, measure),
        "ci_high": figure_text(status.ci_high, measure),
    }


# Choosing plan, year and unit -----------------------------------------------------------------------------------


def _year(request) -> int:
    try:
        year = int(request.GET.get("nam", ""))
    except ValueError:
        return timezone.localdate().year
    return year if 2000 <= year <= 2100 else timezone.localdate().year


def _plan(request):
    """(plan id, plans offered) from ?ke-hoach=, defaulting to the first followed plan when none is asked for; a plan
    that is not followed is a 404, never silently another plan's figures."""
    wanted = request.GET.get("ke-hoach", "")
    if wanted and not wanted.isdecimal():
        raise Http404
    plans = monitoring.monitoring_plans()
    try:
        found = monitoring.followed_plan(int(wanted) if wanted else None, followed=plans)
    except DomainError as error:
        raise Http404 from error
    return (found[0] if found else None), plans


def _home_unit_id(user) -> int | None:
    """The highest unit where the user may view indicators: where their dashboard starts."""
    if user.is_superuser:
        root = orgs.units(active_only=True).filter(parent__isnull=True).first()
        return root.pk if root else None
    unit_ids = [
        unit_id
        for role, _label, unit_id in accounts.roles_of(user)
        if caps.INDICATORS_VIEW in caps.ROLE_CAPABILITIES.get(role, ())
    ]
    units = list(orgs.units().filter(pk__in=unit_ids))
    return min(units, key=lambda unit: len(orgs.ancestors(unit))).pk if units else None


def _viewable_unit_or_404(user, unit_id, capability=caps.INDICATORS_VIEW):
    unit = orgs.units().filter(pk=unit_id).first()
    if unit is None or not accounts.has_capability(user, capability, unit.pk):
        raise Http404
    return unit


def _query(plan_id, year, **extra) -> str:
    from urllib.parse import urlencode

    params = {"ke-hoach": plan_id or "", "nam": year, **extra}
    return urlencode({key: value for key, value in params.items() if value not in ("", None)})


# Dashboards -----------------------------------------------------------------------------------------------------


@require_capability(caps.INDICATORS_VIEW)
@require_GET
def dashboard(request):
    unit_id = _home_unit_id(request.user)
    if unit_id is None:
        raise Http404
    response = redirect("monitoring:unit", unit_id=unit_id)
    if request.GET:
        response["Location"] += "?" + request.GET.urlencode()
    return response


@require_capability(caps.INDICATORS_VIEW)
@require_GET
def unit_dashboard(request, unit_id):
    user = request.user
    unit = _viewable_unit_or_404(user, unit_id)
    year = _year(request)
    plan_id, plans = _plan(request)
    statuses = monitoring.indicator_statuses(plan_id=plan_id, unit_id=unit.pk, year=year) if plan_id else []
    cards = [status_card(status, year=year) for status in statuses]
    codes = [status.indicator_code for status in statuses]
    chosen = request.GET.get("chi-so") if request.GET.get("chi-so") in codes else (codes[0] if codes else None)
    children = _children_table(user, plan_id=plan_id, unit=unit, year=year, code=chosen, statuses=statuses)
    counts = [
        {"status": status, "value": figure_text(status.value, status.measure)}
        for status in monitoring.untargeted_counts(plan_id=plan_id, unit_id=unit.pk, year=year)
    ]
    computed = [status.computed_at for status in statuses if status.computed_at]
    crumbs = [
        ancestor
        for ancestor in orgs.ancestors(unit)
        if accounts.has_capability(user, caps.INDICATORS_VIEW, ancestor.pk)
    ]
    successor = unit.successor if unit.successor_id else None
    return render(
        request,
        "monitoring/unit.html",
        {
            "unit": unit,
            "year": year,
            "plan_id": plan_id,
            "plans": plans,
            "cards": cards,
            "crumbs": crumbs,
            # A merged unit says so; the successor is named and linked only for a viewer who may see its figures.
            "merged": unit.successor_id is not None,
            "successor": successor
            if successor and accounts.has_capability(user, caps.INDICATORS_VIEW, successor.pk)
            else None,
            "as_of": max(computed) if computed else None,
            "children": children,
            "chosen": chosen,
            "statuses": statuses,
            "query": _query(plan_id, year),
            "years": _years(),
            "counts": counts,
            "can_enter": accounts.has_capability(user, caps.INDICATORS_ENTER, unit.pk),
            "can_report": (
                accounts.has_capability(user, caps.REPORTS_SUBMIT)
                or accounts.has_capability(user, caps.REPORTS_APPROVE)
            ),
        },
    )


def _years():
    return monitoring.dashboard_years()


def _children_table(user, *, plan_id, unit, year, code, statuses):
    """The unit's children for the chosen indicator: value, target, progress, risk, and a bar chart of them."""
    if not code:
        return None
    measure = next(status.measure for status in statuses if status.indicator_code == code)
    name = next(status.indicator_name for status in statuses if status.indicator_code == code)
    rows = []
    for child_id, child_name, status in monitoring.child_unit_statuses(
        plan_id=plan_id, unit_id=unit.pk, year=year, indicator_code=code
    ):
        rows.append(
            {
                "unit_id": child_id,
                "name": child_name,
                **status_card_short(status),
                "link": accounts.has_capability(user, caps.INDICATORS_VIEW, child_id),
            }
        )
    if not rows:
        return None
    chart = _data_uri(
        charts.progress_chart_svg(
            rows=[(row["name"], row["raw_value"], row["raw_target"]) for row in rows], measure=measure
        )
    )
    return {"code": code, "name": name, "rows": rows, "chart": chart}


def status_card_short(status) -> dict:
    measure = status.measure
    return {
        "value": figure_text(status.value, measure),
        "target": figure_text(status.target, measure),
        "percent": status.progress_percent,
        "at_risk": status.at_risk,
        "raw_value": status.value,
        "raw_target": status.target,
    }


@require_capability(caps.INDICATORS_VIEW)
@require_GET
def ranking(request, unit_id):
    user = request.user
    unit = _viewable_unit_or_404(user, unit_id)
    year = _year(request)
    plan_id, plans = _plan(request)
    statuses = monitoring.indicator_statuses(plan_id=plan_id, unit_id=unit.pk, year=year) if plan_id else []
    codes = [status.indicator_code for status in statuses]
    chosen = request.GET.get("chi-so") if request.GET.get("chi-so") in codes else (codes[0] if codes else None)
    rows = []
    chosen_status = next((status for status in statuses if status.indicator_code == chosen), None)
    if chosen:
        for row in monitoring.unit_ranking(plan_id=plan_id, parent_unit_id=unit.pk, year=year, indicator_code=chosen):
            rows.append(
                {
                    "row": row,
                    "value": figure_text(row.value, chosen_status.measure),
                    "target": figure_text(row.target, chosen_status.measure),
                    "percent": row.progress_percent,
                }
            )
    return render(
        request,
        "monitoring/ranking.html",
        {
            "unit": unit,
            "year": year,
            "plan_id": plan_id,
            "plans": plans,
            "statuses": statuses,
            "chosen": chosen,
            "chosen_status": chosen_status,
            "rows": rows,
            "query": _query(plan_id, year),
            "years": _years(),
        },
    )


@require_GET
def public(request):
    """The province's headline figures for everyone, without login."""
    provinces = orgs.units(active_only=True).filter(parent__isnull=True, kind=orgs.UnitKind.PROVINCE)
    province = provinces.filter(code=request.GET.get("tinh", "")).first() or provinces.first()
    if province is None:
        raise Http404
    year = timezone.localdate().year
    statuses = monitoring.headline_figures(province_unit_id=province.pk)
    computed = [status.computed_at for status in statuses if status.computed_at]
    return render(
        request,
        "monitoring/public.html",
        {
            "province": province,
            "cards": [status_card(status, year=year) for status in statuses],
            "as_of": max(computed) if computed else None,
            "provinces": provinces,
        },
    )


# Manual values ------------------------------------------------------------------------------------------------


@require_capability(caps.INDICATORS_ENTER)
def entry_start(request):
    """Choose the unit and year to enter manual values for."""
    scope = accounts.scope_unit_ids(request.user, caps.INDICATORS_ENTER)
    units = orgs.units(active_only=True).exclude(kind=orgs.UnitKind.DISTRICT)
    units = units if scope is None else units.filter(id__in=scope)
    if request.GET.get("don-vi"):
        unit = units.filter(pk=request.GET["don-vi"]).first()
        if unit is not None:
            return redirect("monitoring:entry", unit_id=unit.pk, year=_year(request))
    return render(
        request,
        "monitoring/entry_start.html",
        {"units": units[:500], "years": _years(), "year": timezone.localdate().year},
    )


@require_capability(caps.INDICATORS_ENTER)
def entry(request, unit_id, year):
    user = request.user
    unit = _viewable_unit_or_404(user, unit_id, caps.INDICATORS_ENTER)
    if not 2000 <= year <= 2100:
        raise Http404
    indicators = monitoring.manual_indicators()
    if request.method == "POST":
        code = request.POST.get("indicator", "")
        try:
            monitoring.submit_manual_value(
                indicator_code=code,
                unit_id=unit.pk,
                year=year,
                value=request.POST.get("value", ""),
                note=request.POST.get("note", ""),
                actor=user,
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Đã gửi số liệu để đơn vị cấp trên duyệt."))
            return redirect("monitoring:entry", unit_id=unit.pk, year=year)
    values = {value.indicator.code: value for value in monitoring.manual_values(unit_id=unit.pk, year=year)}
    rows = [{"indicator": indicator, "value": values.get(indicator.code)} for indicator in indicators]
    return render(request, "monitoring/entry.html", {"unit": unit, "year": year, "rows": rows, "years": _years()})


@require_capability(caps.INDICATORS_APPROVE)
def approvals(request):
    return render(
        request,
        "monitoring/approvals.html",
        {
            "pending": monitoring.pending_approvals(user=request.user),
        },
    )


@require_capability(caps.INDICATORS_APPROVE)
@require_POST
def decide(request, value_id):
    try:
        if request.POST.get("action") == "approve":
            monitoring.approve_manual_value(value_id=value_id, actor=request.user)
            messages.success(request, _("Đã duyệt số liệu."))
        else:
            monitoring.return_manual_value(
                value_id=value_id, comment=request.POST.get("comment", ""), actor=request.user
            )
            messages.success(request, _("Đã trả lại số liệu kèm ý kiến."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("monitoring:approvals")


# Allocating a count target to the units below ---------------------------------------------------------------------


@require_capability(caps.INDICATORS_MANAGE)
@require_GET
def allocation_start(request):
    """The count targets set at units where the user manages indicators, each to be shared out among the units below."""
    scope = accounts.scope_unit_ids(request.user, caps.INDICATORS_MANAGE)
    rows = monitoring.allocatable_targets(unit_ids=scope)[:300]
    return render(request, "monitoring/allocation_start.html", {"targets": rows})


def _typed_from(post, children) -> dict[int, str]:
    """The values typed per unit (fields «chi-tieu-<unit id>»), read only for the units below the target's unit."""
    return {unit.pk: post.get(f"chi-tieu-{unit.pk}", "") for unit in children}


@require_capability(caps.INDICATORS_MANAGE)
def allocation(request, target_id):
    """Choose how to share a count target out (by a recorded figure, and/or typed per unit), preview, then confirm:
    all or nothing (monitoring.allocate_target). A target outside the user's scope is a 404."""
    scope = accounts.scope_unit_ids(request.user, caps.INDICATORS_MANAGE)
    target = monitoring.allocatable_target(target_id, unit_ids=scope)
    if target is None:
        raise Http404
    children = monitoring.allocation_children(target)
    basis = request.POST.get("can-cu", "") or "working_age_residents"
    typed = _typed_from(request.POST, children) if request.method == "POST" else {}
    shares, error = None, ""
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "confirm":
                created = monitoring.allocate_target(target=target, basis=basis, typed=typed, actor=request.user)
                messages.success(
                    request,
                    _("Đã phân bổ chỉ tiêu cho %(count)s đơn vị trực thuộc.") % {"count": len(created)},
                )
                return redirect("monitoring:allocation", target_id=target.pk)
            shares = monitoring.preview_allocation(target=target, basis=basis, typed=typed)
        except DomainError as exc:
            error = exc.message
    current = monitoring.allocations_of(target)
    context = {
        "target": target,
        "children": [(unit, typed.get(unit.pk, "")) for unit in children],
        "bases": orgs.DenominatorKind.choices,
        "basis": basis,
        "shares": shares,
        "share_total": sum(share.value for share in shares) if shares is not None else None,
        "typed_basis": monitoring.TYPED_SHARE,
        "error": error,
        "current": current,
        "current_notes": sorted({share.note for share in current}),
    }
    if request.htmx and request.method == "POST":
        return render(request, "monitoring/_allocation_preview.html", context)
    return render(request, "monitoring/allocation.html", context)
