"""Exam pages: my standards, start (alone or assisted), the exam with autosave, review, submit, result."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from kynangso.accounts import api as accounts
from kynangso.assessment import answering, cat, engine, ports, presentation, scoring, selectors
from kynangso.assessment.forms import AssistedStartForm, form_fields_for_answer
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
        rows.append(
            {
                "standard": standard,
                "attempts": attempts,
                "open": next((a for a in attempts if a.status == AttemptStatus.OPEN), None),
                "passed": next((a for a in attempts if a.passed), None),
            }
        )
    return render(
        request,
        "assessment/my_standards.html",
        {
            "person": person,
            "rows": rows,
            "can_assist": accounts.has_capability(request.user, caps.ASSESSMENT_PROCTOR),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def start(request, code):
    """GET: the start screen (how many questions, how long, what a reload or a lost network does); POST: start."""
    person = people.person_for_user(request.user)
    standard = Standard.objects.filter(code=code).first()
    if person is None or standard is None:
        raise Http404
    if request.method == "GET":
        current = engine.open_attempt(person, standard)
        return render(
            request,
            "assessment/start.html",
            {
                "standard": standard,
                "facts": selectors.exam_facts(standard),
                "open": current,
                "late_grace_minutes": int(engine.LATE_GRACE.total_seconds() // 60),
            },
        )
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
    scope = people.people_in_scope(request.user, caps.ASSESSMENT_PROCTOR)
    posted = request.method == "POST"
    query, found, query_error = people.helper_search(scope, request.POST if posted else request.GET, posted=posted)
    if request.method == "POST" and "person_id" in request.POST:
        form = AssistedStartForm(request.POST)
        if form.is_valid():
            person = scope.filter(pk=form.cleaned_data["person_id"]).first()
            standard = Standard.objects.filter(code=form.cleaned_data["standard_code"]).first()
            if person is None or standard is None:
                raise Http404
            try:
                attempt = engine.start_attempt(
                    person=person, standard=standard, started_by=request.user, assisted_by=request.user, consent=True
                )
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                return redirect("assessment:attempt", attempt_id=attempt.pk)
        else:
            for error in form.errors.get("consent", []):
                messages.error(request, error)
    choices = [
        {
            "person": p,
            "standards": [
                {"standard": standard, "facts": selectors.exam_facts(standard)}
                for standard in selectors.standards_for_person(p)
            ],
        }
        for p in found
    ]
    return render(
        request,
        "assessment/assist.html",
        {
            "query": query,
            "choices": choices,
            "form": AssistedStartForm(),
            "query_error": query_error,
        },
    )


def _attempt_or_404(request, attempt_id, *, taking=True, late=True):
    attempt = selectors.attempt_for_user(attempt_id, request.user)
    if attempt is None or (taking and not selectors.may_take(attempt, request.user)):
        raise Http404
    return engine.refresh_if_expired(attempt, late=late)


def _exam_context(request, attempt) -> dict:
    """What every page of an attempt shows: whose exam it is (a helper may be holding the phone), the server's
    clock and the deadline for the timer, and the late grace (ADR 0034)."""
    return {
        "attempt": attempt,
        "taker_name": attempt.person.full_name,
        "for_someone_else": attempt.person.user_id != request.user.pk,
        "server_now_ms": int(timezone.now().timestamp() * 1000),
        "deadline_ms": int(attempt.deadline.timestamp() * 1000),
        "late_grace_ms": int(engine.LATE_GRACE.total_seconds() * 1000),
        "late_grace_minutes": int(engine.LATE_GRACE.total_seconds() // 60),
    }


@login_required
@cache_control(no_store=True)  # never from a cache: a stale page would show and resend stale answers (ADR 0034)
@vary_on_headers("Accept")  # the same address answers the page or its stored answers as JSON
def attempt_page(request, attempt_id):
    attempt = _attempt_or_404(request, attempt_id)
    if attempt.status == AttemptStatus.SUBMITTED:
        return redirect("assessment:result", attempt_id=attempt.pk)
    if "application/json" in request.headers.get("Accept", ""):
        return _answers_json(attempt)
    return render(
        request,
        "assessment/attempt.html",
        {
            **_exam_context(request, attempt),
            "view": presentation.taker_view(attempt),
            "adaptive": attempt.mode == StandardMode.ADAPTIVE,
        },
    )


def _answers_json(attempt):
    """The stored answers as the page's form fields: the page reads them when it comes back to the screen, to show
    an answer given meanwhile on another device (ADR 0034)."""
    items = presentation.taker_view(attempt)["items"]
    return JsonResponse(
        {
            "items": [
                {
                    "position": item["position"],
                    "fields": form_fields_for_answer(item["type"], item["answer"]),
                    "saved_text": _saved_text(datetime.datetime.fromisoformat(item["answered_at"])),
                }
                for item in items
                if item["answered_at"] and not item["locked"]
            ],
            "server_now_ms": _server_now_ms(),
        }
    )


def _given_at(request) -> datetime.datetime | None:
    """When the page says the answer was given (milliseconds of the server's clock, as the device estimates it)."""
    try:
        milliseconds = int(request.POST.get("given_at", ""))
        return datetime.datetime.fromtimestamp(milliseconds / 1000, tz=datetime.UTC)
    except (ValueError, OverflowError, OSError):
        return None


def _server_now_ms() -> int:
    """The server's clock in every reply to the exam page's script, which learns its offset from them (ADR 0034)."""
    return int(timezone.now().timestamp() * 1000)


def _saved_text(moment) -> str:
    return _("Đã lưu lúc %(time)s") % {"time": formats.time_format(timezone.localtime(moment), "H:i:s")}


def _save_json(request, attempt_id, position):
    """The exam page's script saves here (ADR 0034): every answer in words, a stored later answer sent back."""
    revision = request.POST.get("rev", "")
    try:
        saved = answering.save_form_answer(
            user=request.user, attempt_id=attempt_id, position=position, data=request.POST, given_at=_given_at(request)
        )
    except DomainError as exc:
        if exc.code == "not_found":
            raise Http404 from exc
        body = {
            "state": "error",
            "code": str(exc.code),
            "message": exc.message,
            "rev": revision,
            "server_now_ms": _server_now_ms(),
        }
        if exc.code in {"expired", "submitted"}:
            return JsonResponse(
                {**body, "state": "closed", "redirect": reverse("assessment:result", args=[attempt_id])}, status=409
            )
        if exc.code == "superseded":
            attempt = selectors.attempt_for_user(attempt_id, request.user)
            item = presentation.taker_item(attempt, position) if attempt else None
            moment = datetime.datetime.fromisoformat(item["answered_at"]) if item and item["answered_at"] else None
            return JsonResponse(
                {
                    **body,
                    "state": "superseded",
                    "fields": form_fields_for_answer(item["type"], item["answer"]) if item else [],
                    "saved_text": _saved_text(moment) if moment else "",
                },
                status=409,
            )
        return JsonResponse(body, status=422)
    return JsonResponse(
        {
            "state": "saved",
            "rev": revision,
            "revision": saved.revision,
            "saved_text": _saved_text(saved.answered_at),
            "server_now_ms": _server_now_ms(),
        }
    )


@login_required
@require_POST
def save(request, attempt_id, position):
    if "application/json" in request.headers.get("Accept", ""):
        return _save_json(request, attempt_id, position)
    try:
        saved = answering.save_form_answer(
            user=request.user, attempt_id=attempt_id, position=position, data=request.POST
        )
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
            return render(
                request, "assessment/_save_state.html", {"error": exc.message, "position": position}, status=422
            )
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
            answering.save_form_answer(user=request.user, attempt_id=attempt.pk, position=position, data=request.POST)
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
@cache_control(no_store=True)
def review(request, attempt_id):
    attempt = _attempt_or_404(request, attempt_id)
    if attempt.status == AttemptStatus.SUBMITTED:
        return redirect("assessment:result", attempt_id=attempt.pk)
    view = presentation.taker_view(attempt)
    return render(
        request,
        "assessment/review.html",
        {**_exam_context(request, attempt), "view": view, "unanswered": [i for i in view["items"] if not i["answer"]]},
    )


@login_required
@require_POST
def submit(request, attempt_id):
    attempt = _attempt_or_404(request, attempt_id)
    engine.submit_attempt(attempt=attempt)
    return redirect("assessment:result", attempt_id=attempt.pk)


@login_required
def result(request, attempt_id):
    # Asking for the result after the time is up submits at once: the taker's own page sent its answers first.
    attempt = _attempt_or_404(request, attempt_id, taking=False, late=False)
    if attempt.status != AttemptStatus.SUBMITTED:
        return redirect("assessment:attempt", attempt_id=attempt.pk)
    profile = scoring.taker_profile(attempt.profile)  # no verdict over too few items (it would tell their keys)
    weak = [c for c in profile["competences"] if c["met"] is False]
    lessons = ports.lessons_for_competences([c["code"] for c in weak], attempt.person)
    for competence in weak:
        competence["lessons"] = lessons.get(competence["code"], [])
    return render(
        request,
        "assessment/result.html",
        {
            **_exam_context(request, attempt),
            "profile": profile,
            "weak": weak,
            "all_judged": all(c["reported"] for c in profile["competences"]),
            "none_judged": not any(c["reported"] for c in profile["competences"]),
            "certificate": _certificate_of(attempt) if attempt.passed else None,
            "path_url": (
                reverse("learning:path")
                if attempt.person.user_id == request.user.pk
                else reverse("learning:path_of", args=[attempt.person_id])
            ),
        },
    )


def _certificate_of(attempt) -> dict:
    """The passed standard's certificate of the taker (not of whoever reads the page): its public page, or None
    while the background job is still issuing it (the page then says «đang cấp»)."""
    # Credentials sits above assessment: asked through the port it fills (ADR 0037).
    return {"url": ports.standard_certificate_urls(attempt.person).get(attempt.standard.code)}
