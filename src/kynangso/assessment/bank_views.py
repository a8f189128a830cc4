"""Pages for content authors and reviewers: the item-analysis report and importing item files into draft."""
from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kynangso.accounts import api as accounts
from kynangso.assessment import imports, psychometrics
from kynangso.assessment.item_analysis import vn_number, vn_percent
from kynangso.errors import DomainError

caps = accounts.capabilities


def may_edit_bank(user) -> bool:
    return user.is_authenticated and (accounts.has_capability(user, caps.CONTENT_AUTHOR)
                                      or accounts.has_capability(user, caps.CONTENT_REVIEW))


def _require_author(request) -> None:
    if not may_edit_bank(request.user):
        raise Http404


def _rows(only_flagged: bool) -> list[dict]:
    rows = []
    for item, analysis in psychometrics.item_report():
        if only_flagged and not analysis.flags:
            continue
        rows.append({
            "item": item, "n": analysis.n, "omitted": analysis.n_omitted,
            "p": vn_number(analysis.p_value) if analysis.p_value is not None else "—",
            "r": vn_number(analysis.point_biserial) if analysis.point_biserial is not None else "—",
            "a": vn_number(item.irt_a) if item.irt_a is not None else None,
            "b": vn_number(item.irt_b) if item.irt_b is not None else None,
            "options": [{"key": o.key, "correct": o.is_correct, "count": o.count,
                         "share": vn_percent(o.proportion),
                         "rest": vn_number(o.mean_rest_score, 1) if o.mean_rest_score is not None else "—"}
                        for o in analysis.options],
            "flags": [flag.message for flag in analysis.flags],
        })
    rows.sort(key=lambda row: (not row["flags"], row["item"].code))
    return rows


@login_required
def item_analysis(request):
    """Per item: respondents, p-value, point-biserial, how often each option was chosen, and flags first."""
    _require_author(request)
    only_flagged = request.GET.get("chi-can-xem") == "1"
    rows = _rows(only_flagged)
    return render(request, "assessment/item_analysis.html", {
        "rows": rows, "only_flagged": only_flagged, "flagged": sum(1 for r in rows if r["flags"]),
    })


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Tệp câu hỏi (.xml Moodle, .gift/.txt GIFT, .xlsx)"))
    dry_run = forms.BooleanField(label=gettext_lazy("Chỉ kiểm tra, chưa lưu"), required=False)


@login_required
def import_items(request):
    """Upload a file; every problem is listed by row or question and nothing is saved unless the whole file is
    right. Imported items arrive as drafts for review (someone other than the author must review them)."""
    _require_author(request)
    report, form = None, ImportForm()
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                report = imports.import_upload(filename=upload.name, data=upload.read(), actor=request.user,
                                               dry_run=form.cleaned_data["dry_run"])
            except DomainError as exc:
                form.add_error("file", exc.message)
    status = 422 if report is not None and report.problems else 200
    return render(request, "assessment/import_items.html", {"form": form, "report": report,
                                                            "title": _("Nhập câu hỏi")}, status=status)
