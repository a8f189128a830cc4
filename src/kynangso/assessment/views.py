"""Exam pages: my standards, start (alone or assisted), the exam with autosave, review, submit, result."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_http_methods, require_POST

from kynangso.accounts import api as accounts
from kynangso.assessment import cat, engine, ports, scoring, selectors
from kynangso.assessment.forms import AssistedStartForm
from kynangso.assessment.models import AttemptStatus, Standard, StandardMode
from kynangso.errors import DomainError
from kynangso.people import api as people

caps = accounts.capabilities


@login_required
def my_standards(request):
    person = people.person_for_user(request.user)
    rows = []
    for standard in selectors.standards_for_person(person) if person else []:
        attempts = list(selectors.attempts_of(person).filter(standard=standard))
        rows.append({"standard": standard, "attempts": attempts,
                     "open": next((a for a in attempts if a.status == AttemptStatus.OPEN), None),
                     "passed": next((a for a in attempts if a.passed), None)})
    return render(request, "assessment/my_standards.html", {
        "person": person, "rows": rows,
        "can_assist": accounts.has_capability(request.user, caps.ASSESSMENT_PROCTOR),
    })


@login_required
@require_POST
def start(request, code):
    person = people.person_for_user(request.user)
    standard = Standard.objects.filter(code=code).first()
    if person is None or standard is None:
        raise Http404
    try:
        attempt = engine.start_attempt(person=person, standard=standard, started_by=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("assessment:mine")
    return redirect("assessment:attempt", attempt_id=attempt.pk)


@login_required
@require_http_methods(["GET", "POST"])
@cache_control(no_store=True)  # the results name residents of the helper's commune
def assist(request):
    """A community helper finds a resident in their scope and starts the resident's attempt on this device.

    The search is posted (the start forms carry it along, to show the results again after a refusal): a national
    ID or a phone typed here must never land in a URL, a browser history or an access log. A query string still
    searches a name, never an identifier."""
    if not accounts.has_capability(request.user, caps.ASSESSMENT_PROCTOR):
        raise Http404
    data = request.POST if request.method == "POST" else request.GET
    query = data.get("q", "").strip()
    scope = people.people_in_scope(request.user, caps.ASSESSMENT_PROCTOR)
    refused_query = request.method != "POST" and people.is_identifier_query(query)
    found = people.search_people(scope, query=query)[:10] if len(query) >= 2 and not refused_query else []
    if request.method == "POST" and "person_id" in request.POST:
        form = AssistedStartForm(request.POST)
        if form.is_valid():
            person = scope.filter(pk=form.cleaned_data["person_id"]).first()
            standard = Standard.objects.filter(code=form.cleaned_data["standard_code"]).first()
            if person is None or standard is None:
                raise Http404
            try:
                attempt = engine.start_attempt(person=person, standard=standard, started_by=request.user,
                                               assisted_by=request.user, consent=True)
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                return redirect("assessment:attempt", attempt_id=attempt.pk)
        else:
            for error in form.errors.get("consent", []):
                messages.error(request, error)
    choices = [{"person": p, "standards": selectors.standards_for_person(p)} for p in found]
    return render(request, "assessment/assist.html", {
        "query": query, "choices": choices, "form": AssistedStartForm(),
        "query_error": _("Để bảo vệ dữ liệu cá nhân, số định danh và số điện thoại chỉ được tìm bằng nút «Tìm» trên "
                         "trang, không qua đường dẫn.") if refused_query else "",
    })


def _attempt_or_404(request, attempt_id, *, taking=True):
    attempt = selectors.attempt_for_user(attempt_id, request.user)
    if attempt is None or (taking and not selectors.may_take(attempt, request.user)):
        raise Http404
    return engine.refresh_if_expired(attempt)


@login_required
def attempt_page(request, attempt_id):
    attempt = _attempt_or_404(request, attempt_id)
    if attempt.status == AttemptStatus.SUBMITTED:
        return redirect("assessment:result", attempt_id=attempt.pk)
    return render(request, "assessment/attempt.html", {"attempt": attempt, "view": engine.taker_view(attempt),
                                                       "adaptive": attempt.mode == StandardMode.ADAPTIVE})


@login_required
@require_POST
def save(request, attempt_id, position):
    try:
        saved = engine.save_form_answer(user=request.user, attempt_id=attempt_id, position=position,
                                        data=request.POST)
    except DomainError as exc:
        if exc.code == "not_found":
            raise Http404 from exc
        if exc.code in {"expired", "submitted"}:
            if request.htmx:
                response = HttpResponse(status=204)
                response["HX-Redirect"] = reverse("assessment:result", args=[attempt_id])
                return response
            messages.info(request, exc.message)
            return redirect("assessment:result", attempt_id=attempt_id)
        if request.htmx:
            return render(request, "assessment/_save_state.html", {"error": exc.message, "position": position},
                          status=422)
        messages.error(request, exc.message)
        return redirect(f"{reverse('assessment:attempt', args=[attempt_id])}#cau-{position}")
    if request.htmx:
        return render(request, "assessment/_save_state.html", {"saved_at": saved.answered_at, "position": position})
    return redirect(f"{reverse('assessment:attempt', args=[attempt_id])}#cau-{position}")


_ANSWER_FIELDS = ("choice", "choices", "text", "number")


@login_required
@require_POST
def advance(request, attempt_id):
    """Adaptive attempts: save the posted answer of the current item (if any), confirm it, go on (or finish)."""
    attempt = _attempt_or_404(request, attempt_id)
    if attempt.status == AttemptStatus.SUBMITTED:
        return redirect("assessment:result", attempt_id=attempt.pk)
    position = cat.current_position(attempt)
    if position and any(k in _ANSWER_FIELDS or k.startswith(("pos_", "pair_")) for k in request.POST):
        try:
            engine.save_form_answer(user=request.user, attempt_id=attempt.pk, position=position, data=request.POST)
        except DomainError as exc:
            if exc.code in {"expired", "submitted"}:
                return redirect("assessment:result", attempt_id=attempt.pk)
            messages.error(request, exc.message)
            return redirect("assessment:attempt", attempt_id=attempt.pk)
    try:
        attempt = cat.advance(attempt=attempt, user=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    if attempt.status == AttemptStatus.SUBMITTED:
        return redirect("assessment:result", attempt_id=attempt.pk)
    return redirect("assessment:attempt", attempt_id=attempt.pk)


@login_required
def review(request, attempt_id):
    attempt = _attempt_or_404(request, attempt_id)
    if attempt.status == AttemptStatus.SUBMITTED:
        return redirect("assessment:result", attempt_id=attempt.pk)
    view = engine.taker_view(attempt)
    return render(request, "assessment/review.html", {"attempt": attempt, "view": view,
                                                      "unanswered": [i for i in view["items"] if not i["answer"]]})


@login_required
@require_POST
def submit(request, attempt_id):
    attempt = _attempt_or_404(request, attempt_id)
    engine.submit_attempt(attempt=attempt)
    return redirect("assessment:result", attempt_id=attempt.pk)


@login_required
def result(request, attempt_id):
    attempt = _attempt_or_404(request, attempt_id, taking=False)
    if attempt.status != AttemptStatus.SUBMITTED:
        return redirect("assessment:attempt", attempt_id=attempt.pk)
    profile = scoring.taker_profile(attempt.profile)  # no verdict over too few items (it would tell their keys)
    weak = [c for c in profile["competences"] if c["met"] is False]
    lessons = ports.lessons_for_competences([c["code"] for c in weak], attempt.person)
    for competence in weak:
        competence["lessons"] = lessons.get(competence["code"], [])
    return render(request, "assessment/result.html", {
        "attempt": attempt, "profile": profile, "weak": weak,
        "all_judged": all(c["reported"] for c in profile["competences"]),
    })

