"""Pages for content authors and reviewers: the item-analysis report, the validity report of each standard, and
importing item files into draft."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kynangso.accounts import api as accounts
from kynangso.assessment import imports, psychometrics, validity
from kynangso.assessment.item_analysis import vn_number, vn_percent
from kynangso.assessment.models import Standard
from kynangso.errors import DomainError

caps = accounts.capabilities


def may_edit_bank(user) -> bool:
    return user.is_authenticated and (
        accounts.has_capability(user, caps.CONTENT_AUTHOR) or accounts.has_capability(user, caps.CONTENT_REVIEW)
    )


def _require_author(request) -> None:
    if not may_edit_bank(request.user):
        raise Http404


def _rows(only_flagged: bool) -> list[dict]:
    rows = []
    for item, analysis in psychometrics.item_report():
        if only_flagged and not analysis.flags:
            continue
        rows.append(
            {
                "item": item,
                "n": analysis.n,
                "omitted": analysis.n_omitted,
                "p": vn_number(analysis.p_value) if analysis.p_value is not None else "—",
                "r": vn_number(analysis.point_biserial) if analysis.point_biserial is not None else "—",
                "a": vn_number(item.irt_a) if item.irt_a is not None else None,
                "b": vn_number(item.irt_b) if item.irt_b is not None else None,
                "options": [
                    {
                        "key": o.key,
                        "correct": o.is_correct,
                        "count": o.count,
                        "share": vn_percent(o.proportion),
                        "rest": vn_number(o.mean_rest_score, 1) if o.mean_rest_score is not None else "—",
                    }
                    for o in analysis.options
                ],
                "flags": [flag.message for flag in analysis.flags],
            }
        )
    rows.sort(key=lambda row: (not row["flags"], row["item"].code))
    return rows


@login_required
def item_analysis(request):
    """Per item: respondents, p-value, point-biserial, how often each option was chosen, and flags first."""
    _require_author(request)
    only_flagged = request.GET.get("chi-can-xem") == "1"
    rows = _rows(only_flagged)
    return render(
        request,
        "assessment/item_analysis.html",
        {
            "rows": rows,
            "only_flagged": only_flagged,
            "flagged": sum(1 for r in rows if r["flags"]),
        },
    )


def _competence_choices():
    from kynangso.frameworks import api as frameworks

    choices = [("", gettext_lazy("— theo từng câu —"))]
    for competence in frameworks.all_competences():
        choices.append(
            (
                f"{competence.framework.code}|{competence.code}",
                f"{competence.framework.code} · {competence.code} {competence.name}",
            )
        )
    return choices


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Tệp câu hỏi (.xml Moodle, .gift/.txt GIFT, .xlsx)"))
    competence = forms.ChoiceField(
        label=gettext_lazy("Năng lực cho các câu chưa gắn"),
        required=False,
        choices=_competence_choices,
        help_text=gettext_lazy("Dùng cho câu không có thẻ kns-* và không nằm trong thư mục Moodle mang mã năng lực."),
    )
    level = forms.TypedChoiceField(
        label=gettext_lazy("Mức cho các câu chưa gắn"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "—")] + [(str(n), str(n)) for n in range(1, 9)],
    )
    dry_run = forms.BooleanField(label=gettext_lazy("Chỉ kiểm tra, chưa lưu"), required=False)

    def batch(self) -> imports.Batch:
        framework, _sep, competence = (self.cleaned_data.get("competence") or "").partition("|")
        return imports.Batch(framework=framework, competence=competence, level=self.cleaned_data.get("level"))


@login_required
def import_items(request):
    """Upload a file: every item it can read comes in as a draft for review (someone other than the author must
    review it), with a note per item where something was lost; questions that cannot be read are listed. Only a
    file that cannot be read at all is refused (HTTP 422)."""
    _require_author(request)
    report, form = None, ImportForm()
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                report = imports.import_upload(
                    filename=upload.name,
                    data=upload.read(),
                    actor=request.user,
                    dry_run=form.cleaned_data["dry_run"],
                    batch=form.batch(),
                )
            except DomainError as exc:
                form.add_error("file", exc.message)
    refused = (report is not None and report.refused) or (request.method == "POST" and bool(form.errors))
    return render(
        request,
        "assessment/import_items.html",
        {"form": form, "report": report, "title": _("Nhập câu hỏi")},
        status=422 if refused else 200,
    )


# The page simulates fewer takers than the command (10 000) to answer in about a second; the figures it shows are
# estimates of the same quantities (docs/standards.md).
PAGE_TAKERS = 2_000


@login_required
def validity_index(request):
    """The standards, each linking to its validity report."""
    _require_author(request)
    return render(
        request,
        "assessment/validity.html",
        {"standards": Standard.objects.filter(is_active=True).order_by("code"), "report": None},
    )


@login_required
def validity_report(request, code: str):
    """One standard's pool per cell, exposure after the yearly attempts, guessers' and harvesters' chances, and the
    reliability of its scores once responses exist: each against its goal."""
    _require_author(request)
    standard = get_object_or_404(Standard, code=code)
    report = validity.simulate(standard, takers=PAGE_TAKERS)
    return render(
        request,
        "assessment/validity.html",
        {
            "standards": Standard.objects.filter(is_active=True).order_by("code"),
            "standard": standard,
            "report": report,
            "goals": report.goals,
            "figures": {
                "exposure": vn_percent(report.exposure),
                "random": vn_percent(report.pass_random),
                "testwise": vn_percent(report.pass_testwise),
                "harvest_pass": vn_percent(report.pass_harvest),
                "score_testwise": vn_number(report.score_testwise, 1),
                "score_harvest": vn_number(report.score_harvest, 1),
                "gain": vn_number(report.harvest_gain, 1),
                "reliability": vn_number(report.reliability) if report.reliability is not None else "—",
                "discrimination": vn_number(report.discrimination) if report.discrimination is not None else "—",
            },
            "cells": [
                {"cell": cell, "short": cell.pool < validity.POOL_PER_DRAWN * cell.drawn} for cell in report.cells
            ],
            "per_drawn": validity.POOL_PER_DRAWN,
        },
    )
