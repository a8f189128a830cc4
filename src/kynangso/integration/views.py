"""Pages of the integration app: importing a list of outside completions, its template, and the statements that
count for nobody yet (for the province's admin to map or link)."""

import tempfile
from pathlib import Path

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control

from kynangso.accounts import api as accounts
from kynangso.errors import DomainError
from kynangso.integration import outside_import, selectors, services
from kynangso.tabular import XLSX_CONTENT_TYPE


@accounts.require_capability(outside_import.IMPORT)
def import_template(request):
    response = HttpResponse(content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="mau-hoan-thanh-noi-khac.xlsx"'
    outside_import.write_outside_template(response)
    return response


@accounts.require_capability(outside_import.IMPORT)
@cache_control(no_store=True)  # the report names the people of the file
def import_completions(request):
    """Upload a list of completions from another platform: all rows or none."""
    platforms = outside_import.platforms_for_import(request.user)
    report = None
    if request.method == "POST" and request.FILES.get("file"):
        platform = (
            platforms.filter(pk=request.POST.get("platform") or 0).first()
            if (request.POST.get("platform") or "").isdigit()
            else None
        )
        if platform is None:
            raise Http404
        upload = request.FILES["file"]
        with tempfile.NamedTemporaryFile(suffix=Path(upload.name).suffix.lower()) as handle:
            for chunk in upload.chunks():
                handle.write(chunk)
            handle.flush()
            try:
                report = outside_import.import_outside_completions(
                    Path(handle.name), actor=request.user, platform=platform, apply=True
                )
            except DomainError as exc:
                messages.error(request, exc.message)
        if report and report.applied:
            messages.success(
                request,
                _("Đã ghi %(added)s kết quả học trên nền tảng khác (%(already)s kết quả đã có trước).")
                % {"added": report.added, "already": report.already},
            )
    return render(request, "integration/import.html", {"platforms": platforms, "report": report})


@accounts.require_capability(services.MANAGE)
def waiting(request):
    """Statements that count for nobody yet: no mapping for the activity, no person for the account, or a person
    outside the platform's province."""
    scope = accounts.scope_unit_ids(request.user, services.MANAGE)
    rows = selectors.waiting_statements(scope) if scope is not None else selectors.waiting_statements_everywhere()
    return render(request, "integration/waiting.html", {"statements": rows[:200]})
