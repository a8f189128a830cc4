"""Pages of the survey (/khao-sat/): the province's surveys (create and draw, assign interviewers, estimate), the
interviewer's list and the interview page taken on a phone (kept on the device while offline, ADR 0034's way), and
the resident's own page through a signed link. Thin: they call survey.api's services and selectors."""

import datetime

from django.contrib import messages
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from kynangso.accounts import api as accounts
from kynangso.errors import DomainError, http_status
from kynangso.orgs import api as orgs
from kynangso.survey import api as survey
from kynangso.survey.links import interview_id_for_token
from kynangso.survey.models import Interview, InterviewStatus
from kynangso.survey.selectors import pending, survey_estimates
from kynangso.survey.services import response_counts

caps = accounts.capabilities
require_capability = accounts.require_capability

DOMAIN_LABELS = {
    "all": gettext_lazy("Cả tỉnh (người từ 18 tuổi)"),
    "sex:male": gettext_lazy("Nam"),
    "sex:female": gettext_lazy("Nữ"),
    "age:18-29": gettext_lazy("18–29 tuổi"),
    "age:30-44": gettext_lazy("30–44 tuổi"),
    "age:45-59": gettext_lazy("45–59 tuổi"),
    "age:60+": gettext_lazy("Từ 60 tuổi"),
}
SUPPRESSED = {
    "too_few_respondents": gettext_lazy("Không công bố: dưới %(n)s người trả lời."),
    "too_few_psus": gettext_lazy("Không công bố: người trả lời ở dưới %(m)s xã, phường."),
}


def _survey_or_404(user, survey_id):
    found = survey.surveys_in_scope(user).filter(pk=survey_id).first()
    if found is None:
        raise Http404
    return found


def _percent(share) -> str:
    from kynangso.numbers import figure_text

    return "—" if share is None else figure_text(str(round(share * 100, 6)), "percent")


# The province's surveys ---------------------------------------------------------------------------------------------


@require_capability(caps.SURVEY_MANAGE)
@require_http_methods(["GET", "POST"])
def index(request):
    provinces = list(
        orgs.units(active_only=True).filter(
            kind="province", pk__in=accounts.scope_unit_ids(request.user, caps.SURVEY_MANAGE)
        )
        if not request.user.is_superuser
        else orgs.units(active_only=True).filter(kind="province")
    )
    if request.method == "POST":
        try:
            unit_id = int(request.POST.get("unit", "0") or 0)
            year = int(request.POST.get("year", "0") or 0)
            psus, per_psu = int(request.POST.get("psus", "0") or 0), int(request.POST.get("per_psu", "0") or 0)
            seed_text = request.POST.get("seed", "").strip()
            if unit_id not in {unit.pk for unit in provinces}:
                raise DomainError(_("Hãy chọn tỉnh trong phạm vi của bạn."), field="unit")
            if not 2000 <= year <= 2100:
                raise DomainError(_("Năm không hợp lệ."), field="year")
            created = survey.create_survey(
                actor=request.user,
                unit_id=unit_id,
                year=year,
                questionnaire_code=request.POST.get("questionnaire", ""),
                psu_count=psus,
                persons_per_psu=per_psu,
                seed=int(seed_text) if seed_text.isdigit() else None,
            )
            survey.draw_sample(actor=request.user, survey_id=created.pk)
        except (DomainError, ValueError) as error:
            messages.error(request, getattr(error, "message", _("Số nhập vào không hợp lệ.")))
        else:
            messages.success(request, _("Đã tạo cuộc khảo sát và chọn mẫu."))
            return redirect("survey:detail", survey_id=created.pk)
    from kynangso.survey.models import Questionnaire

    questionnaires = Questionnaire.objects.order_by("code", "-version").distinct()
    latest = {}
    for found in questionnaires:
        latest.setdefault(found.code, found)
    return render(
        request,
        "survey/index.html",
        {
            "surveys": survey.surveys_in_scope(request.user),
            "provinces": provinces,
            "questionnaires": list(latest.values()),
            "this_year": timezone.localdate().year,
        },
    )


@require_capability(caps.SURVEY_MANAGE)
@require_http_methods(["GET"])
def detail(request, survey_id):
    found = _survey_or_404(request.user, survey_id)
    interviews = list(
        found.interviews.select_related("person", "sampled_unit__unit", "interviewer").order_by(
            "sampled_unit__unit__code", "person__full_name"
        )
    )
    estimates = [
        {
            "label": DOMAIN_LABELS.get(e.domain, e.domain),
            "estimate": e,
            "value": _percent(e.value),
            "low": _percent(e.ci_low),
            "high": _percent(e.ci_high),
            "se": "—" if e.standard_error is None else _percent(e.standard_error),
            "reason": str(SUPPRESSED.get(e.suppressed_reason, ""))
            % {"n": survey.MIN_RESPONDENTS, "m": survey.MIN_PSUS},
        }
        for e in survey_estimates(found.pk)
    ]
    counts = response_counts(found.pk)
    return render(
        request,
        "survey/detail.html",
        {
            "survey": found,
            "interviews": interviews,
            "estimates": estimates,
            "counts": [(label, counts.get(value, 0)) for value, label in InterviewStatus.choices],
            "self_links": {
                i.pk: request.build_absolute_uri(f"/khao-sat/tra-loi/{survey.token_for(i.pk)}/")
                for i in interviews
                if i.status == InterviewStatus.PENDING
            },
        },
    )


@require_capability(caps.SURVEY_MANAGE)
@require_POST
def assign(request, survey_id):
    found = _survey_or_404(request.user, survey_id)
    from django.contrib.auth import get_user_model

    interviewer = (
        get_user_model().objects.filter(username=request.POST.get("interviewer", "").strip(), is_active=True).first()
    )
    ids = [int(value) for value in request.POST.getlist("interview") if value.isdigit()]
    ids = list(found.interviews.filter(pk__in=ids).values_list("pk", flat=True))
    try:
        if interviewer is None:
            raise DomainError(_("Không có tài khoản này."), field="interviewer")
        if not ids:
            raise DomainError(_("Hãy chọn ít nhất một người để phân công."), field="interview")
        count = survey.assign_interviewer(actor=request.user, interview_ids=ids, interviewer=interviewer)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Đã phân công %(n)s cuộc phỏng vấn.") % {"n": count})
    return redirect("survey:detail", survey_id=found.pk)


@require_capability(caps.SURVEY_MANAGE)
@require_POST
def estimate(request, survey_id):
    found = _survey_or_404(request.user, survey_id)
    try:
        survey.compute_estimates(actor=request.user, survey_id=found.pk)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Đã tính ước lượng; cuộc khảo sát không nhận thêm câu trả lời."))
    return redirect("survey:detail", survey_id=found.pk)


# Interviews -------------------------------------------------------------------------------------------------------


@require_capability(caps.SURVEY_INTERVIEW)
@require_http_methods(["GET"])
def mine(request):
    interviews = survey.interviews_of(request.user)
    return render(request, "survey/mine.html", {"interviews": interviews, "pending_count": pending(interviews).count()})


def _interview_of_or_404(user, interview_id) -> Interview:
    found = survey.interviews_of(user).filter(pk=interview_id).first()
    if found is None:
        raise Http404
    return found


def _answers(post, definition) -> dict:
    return {
        activity["code"]: post.get(f"a:{activity['code']}") == "1"
        for area in definition["areas"]
        for activity in area["activities"]
        if post.get(f"a:{activity['code']}") in ("0", "1")
    }


def _consent_at(post):
    """When the respondent agreed: the device's record (milliseconds, on the server's clock) or, from a page
    without the script, now; None without consent."""
    if post.get("consent") != "1":
        return None
    text = post.get("consent_at", "")
    if text.isdigit():
        return datetime.datetime.fromtimestamp(int(text) / 1000, tz=datetime.UTC)
    return timezone.now()


def _reply(request, interview, error: DomainError | None, done_url: str):
    """JSON for the page's script (it keeps the record until the server answers), a redirect for a plain form."""
    wants_json = "application/json" in request.headers.get("Accept", "")
    if error is None:
        if wants_json:
            return JsonResponse({"status": "saved", "message": _("Đã lưu câu trả lời.")})
        messages.success(request, _("Đã lưu câu trả lời. Cảm ơn!"))
        return redirect(done_url)
    if wants_json:
        return JsonResponse({"status": error.code, "message": error.message}, status=http_status(error.code))
    messages.error(request, error.message)
    return redirect(request.path)


def _already_saved(interview, answers) -> bool:
    """A resend of what is already stored (the reply was lost on the way back): saved, not an error."""
    return interview.status == InterviewStatus.COMPLETED and interview.answers == {
        code: bool(done) for code, done in sorted(answers.items())
    }


def _page(request, interview, *, post_url: str, self_mode: bool):
    definition = interview.survey.questionnaire.definition
    return render(
        request,
        "survey/interview.html",
        {
            "interview": interview,
            "definition": definition,
            "post_url": post_url,
            "self_mode": self_mode,
            "server_now_ms": int(timezone.now().timestamp() * 1000),
            "done": interview.status != InterviewStatus.PENDING,
        },
    )


@require_capability(caps.SURVEY_INTERVIEW)
@require_http_methods(["GET", "POST"])
def interview(request, interview_id):
    found = _interview_of_or_404(request.user, interview_id)
    if request.method == "GET":
        return _page(request, found, post_url=request.path, self_mode=False)
    answers = _answers(request.POST, found.survey.questionnaire.definition)
    error = None
    if not _already_saved(found, answers):
        try:
            survey.submit_interview(
                actor=request.user, interview_id=found.pk, answers=answers, consent_at=_consent_at(request.POST)
            )
        except DomainError as refused:
            error = refused
    return _reply(request, found, error, "/khao-sat/phong-van/")


@require_capability(caps.SURVEY_INTERVIEW)
@require_POST
def outcome(request, interview_id):
    found = _interview_of_or_404(request.user, interview_id)
    try:
        survey.record_outcome(
            actor=request.user,
            interview_id=found.pk,
            status=request.POST.get("status", ""),
            note=request.POST.get("note", "").strip(),
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("Đã ghi kết quả: %(status)s.") % {"status": InterviewStatus(request.POST["status"]).label}
        )
    return redirect("survey:mine")


@require_http_methods(["GET", "POST"])
def self_interview(request, token):
    """The resident's own page (no login: the signed link is the key; it names one interview and expires)."""
    try:
        found = Interview.objects.select_related("survey__questionnaire").get(pk=interview_id_for_token(token))
    except (DomainError, Interview.DoesNotExist) as error:
        raise Http404 from error
    if request.method == "GET":
        return _page(request, found, post_url=request.path, self_mode=True)
    answers = _answers(request.POST, found.survey.questionnaire.definition)
    error = None
    if not _already_saved(found, answers):
        try:
            survey.submit_self_interview(token=token, answers=answers, consent_at=_consent_at(request.POST))
        except DomainError as refused:
            error = refused
    return _reply(request, found, error, request.path)
