"""Learning pages: the public catalogue, a course, its lessons with practice, the personal learning path, group
enrolment, assisted learning (a community helper learning with a resident), and training classes (attendance on a
phone, attendance import)."""

import io
import tempfile
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_http_methods, require_POST

from kynangso.accounts import api as accounts
from kynangso.assessment import api as assessment
from kynangso.errors import DomainError
from kynangso.frameworks import api as frameworks
from kynangso.learning import assist, cartridge, classes, handout, paths, progress, selectors
from kynangso.learning.courses import reviews_of
from kynangso.learning.models import Course
from kynangso.orgs import api as orgs
from kynangso.people import api as people
from kynangso.tabular import XLSX_CONTENT_TYPE

caps = accounts.capabilities


def _course_or_404(code: str) -> Course:
    course = selectors.published_course(code)
    if course is None:
        raise Http404
    return course


def catalogue(request):
    query = request.GET.get("q", "").strip()
    group = request.GET.get("nhom", "")
    competence = request.GET.get("nang_luc", "")
    level = request.GET.get("bac", "")
    versions = selectors.catalogue(
        query=query,
        target_group=group if group in people.TargetGroup.values else "",
        competence=competence,
        level=int(level) if level.isdigit() else None,
    )
    return render(
        request,
        "learning/catalogue.html",
        {
            "versions": versions[:100],
            "count": versions.count(),
            "query": query,
            "group": group,
            "competence": competence,
            "level": level,
            "groups": people.TargetGroup.choices,
            "competences": frameworks.competences("TT02-2025"),
            "levels": range(1, 9),
        },
    )


def course_page(request, code):
    course = _course_or_404(code)
    version = course.published_version
    person = people.person_for_user(request.user)
    enrolment = progress.enrolment_of(person, course)
    states = progress.lesson_states(enrolment, version)
    return render(
        request,
        "learning/course.html",
        {
            "course": course,
            "version": version,
            "person": person,
            "enrolment": enrolment,
            "states": states,
            "resume_id": progress.resume_lesson_id(enrolment, version),
            "percent": progress.percent_done(enrolment, version) if enrolment else 0,
            "groups": [
                people.TargetGroup(g).label
                for g in version.target_groups.strip(",").split(",")
                if g in people.TargetGroup.values
            ],
            "competences": version.competences.order_by("competence_code"),
            "seen_ids": {lesson_id for lesson_id, state in states.items() if state["seen"]},
            "pass_percent": round(100 * version.practice_pass_ratio),
            "reviews": reviews_of(version),
        },
    )


# --- the open e-library: published courses, downloadable by anyone (ADR 0044) -----------------------------------

_DOWNLOAD_SECONDS = 24 * 60 * 60  # a version never changes; the file name carries its number


def _download(version, *, kind: str, suffix: str, content_type: str, build) -> HttpResponse:
    """A file made from a published version, kept in the cache by version (the PDF takes seconds to draw)."""
    data = cache.get_or_set(f"learning:{kind}:{version.pk}", build, _DOWNLOAD_SECONDS)
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{version.course.code}-v{version.number}.{suffix}"'
    response["Cache-Control"] = f"public, max-age={_DOWNLOAD_SECONDS}"
    return response


def cartridge_download(request, code):
    version = _course_or_404(code).published_version

    def build() -> bytes:
        buffer = io.BytesIO()
        cartridge.write_cartridge(version, buffer)
        return buffer.getvalue()

    return _download(version, kind="imscc", suffix="imscc", content_type=cartridge.MEDIA_TYPE, build=build)


def handout_download(request, code):
    version = _course_or_404(code).published_version
    return _download(
        version,
        kind="handout",
        suffix="pdf",
        content_type="application/pdf",
        build=lambda: handout.handout_pdf(version),
    )


@login_required
@require_POST
def enrol(request, code):
    course = _course_or_404(code)
    person = people.person_for_user(request.user)
    if person is None:
        messages.error(request, _("Tài khoản của bạn chưa gắn với hồ sơ người học nên chưa ghi danh được."))
        return redirect("learning:course", code=code)
    try:
        enrolment = progress.enrol(person=person, course=course)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("learning:course", code=code)
    lesson_id = progress.resume_lesson_id(enrolment, course.published_version)
    return redirect("learning:lesson", code=code, lesson_id=lesson_id)


def _learner(request, course):
    """Whose learning this page records: (person, helper, assisted session). A community helper in an assisted
    session on this course records the resident's; anyone else their own (helper None)."""
    if request.user.is_authenticated:
        session = assist.current(request.user, request.session.get(assist.SESSION_KEY))
        if session is not None and session.course_id == course.pk:
            return session.person, request.user, session
    return people.person_for_user(request.user), None, None


def _lesson_context(request, course, lesson_id, feedback=None):
    version = course.published_version
    lessons = version.lessons()
    index = next((i for i, lesson in enumerate(lessons) if lesson["id"] == lesson_id), None)
    if index is None:
        raise Http404
    lesson = lessons[index]
    person, helper, session = _learner(request, course)
    enrolment = progress.enrolment_of(person, course)
    if enrolment is not None and request.method == "GET":
        progress.record_lesson_seen(enrolment=enrolment, lesson_id=lesson_id, helper=helper)
        enrolment.refresh_from_db()
    states = progress.lesson_states(enrolment, version)
    questions = assessment.practice_questions(item_codes=lesson["practice"]) if lesson["practice"] else []
    return {
        "course": course,
        "version": version,
        "lesson": lesson,
        "number": index + 1,
        "total": len(lessons),
        "previous": lessons[index - 1] if index > 0 else None,
        "next": lessons[index + 1] if index + 1 < len(lessons) else None,
        "enrolment": enrolment,
        "person": person,
        "state": states[lesson_id],
        "questions": questions,
        "feedback": feedback or {},
        "assisted": session,
    }


def lesson_page(request, code, lesson_id):
    course = _course_or_404(code)
    return render(request, "learning/lesson.html", _lesson_context(request, course, lesson_id))


@login_required
@require_POST
def practice_answer(request, code, lesson_id, version_id):
    course = _course_or_404(code)
    person, helper, _session = _learner(request, course)
    enrolment = progress.enrolment_of(person, course)
    question = next(
        (
            q
            for q in assessment.practice_questions(
                item_codes=[
                    code
                    for lesson in course.published_version.lessons()
                    if lesson["id"] == lesson_id
                    for code in lesson["practice"]
                ]
            )
            if q.version_id == version_id
        ),
        None,
    )
    if question is None:
        raise Http404
    answer = assessment.practice_answer_from_form(question, request.POST)
    try:
        if enrolment is not None:
            feedback = progress.record_practice_answer(
                enrolment=enrolment, lesson_id=lesson_id, version_id=version_id, answer=answer, helper=helper
            )
        else:
            feedback = assessment.check_practice_answer(version_id=version_id, answer=answer)
    except DomainError as exc:
        feedback = None
        messages.error(request, exc.message)
    if request.htmx:
        enrolment = progress.enrolment_of(person, course)  # the learner's: the resident's in an assisted session
        return render(
            request,
            "learning/_feedback.html",
            {
                "feedback": feedback,
                "question": question,
                "enrolment": enrolment,
                "completed_now": enrolment is not None and enrolment.completed_on is not None,
            },
        )
    context = _lesson_context(request, course, lesson_id, feedback={version_id: feedback})
    return render(request, "learning/lesson.html", context)


@login_required
def learning_path(request):
    person = people.person_for_user(request.user)
    if person is None:
        return render(request, "learning/path.html", {"person": None})
    if request.method == "POST":
        questions = paths.self_assessment_questions(person)
        paths.save_self_assessment(
            person=person, answers={q["code"]: request.POST.get(f"nl_{q['code']}") == "co" for q in questions}
        )
        messages.success(request, _("Đã lưu phần tự đánh giá. Lộ trình học của bạn đã được cập nhật."))
        return redirect("learning:path")
    path = paths.learning_path(person)
    redo = request.GET.get("tu-danh-gia") == "1"
    return render(
        request,
        "learning/path.html",
        {
            "person": person,
            "path": path,
            "passed": _passed_standards(person),
            "questions": paths.self_assessment_questions(person) if (not path.source or redo) else [],
        },
    )


@login_required
def learning_path_of(request, person_id):
    """A resident's learning path, read by the community helper who sat beside them (read only: the
    self-assessment is the resident's to give)."""
    if not accounts.has_capability(request.user, caps.ASSESSMENT_PROCTOR):
        raise Http404
    person = people.people_in_scope(request.user, caps.ASSESSMENT_PROCTOR).filter(pk=person_id).first()
    if person is None:
        raise Http404
    return render(
        request,
        "learning/path.html",
        {
            "person": person,
            "path": paths.learning_path(person),
            "passed": _passed_standards(person),
            "for_someone_else": True,
            "questions": [],
        },
    )


def _passed_standards(person) -> list[dict]:
    """The standards the person has passed, each with the day and the certificate's public page (None while the
    background job is still issuing it)."""
    # Credentials sits above learning: asked through assessment's port, which it fills (ADR 0037).
    held = assessment.ports.standard_certificate_urls(person)
    passed = {}
    for attempt in assessment.attempts_of(person).filter(passed=True).order_by("submitted_at"):
        if attempt.standard.code not in passed:
            passed[attempt.standard.code] = {
                "name": attempt.standard.name,
                "on": attempt.submitted_at,
                "certificate_url": held.get(attempt.standard.code),
            }
    return list(passed.values())


@login_required
def group_enrol(request):
    if not accounts.has_capability(request.user, caps.ENROL_GROUPS):
        raise Http404
    unit_ids = accounts.scope_unit_ids(request.user, caps.ENROL_GROUPS)
    units = orgs.units().filter(valid_to__isnull=True)
    if unit_ids is not None:
        units = units.filter(pk__in=unit_ids)
    courses = Course.objects.filter(published_version__isnull=False).order_by("title")
    if request.method == "POST":
        course = courses.filter(pk=request.POST.get("course") or 0).first()
        unit_id = request.POST.get("unit", "")
        if course is None or not unit_id.isdigit():
            messages.error(request, _("Hãy chọn khóa học và đơn vị."))
        else:
            try:
                count = progress.enrol_group(
                    actor=request.user, course=course, unit_id=int(unit_id), target_group=request.POST.get("group", "")
                )
                messages.success(
                    request, _("Đã ghi danh %(n)s người vào khóa «%(course)s».") % {"n": count, "course": course.title}
                )
                return redirect("learning:group_enrol")
            except DomainError as exc:
                messages.error(request, exc.message)
    return render(
        request,
        "learning/group_enrol.html",
        {
            "units": units.order_by("code")[:500],
            "courses": courses,
            "groups": people.TargetGroup.choices,
        },
    )


# --- training classes -------------------------------------------------------------------------------------------


@login_required
def class_list(request):
    if not accounts.has_capability(request.user, caps.TRAINING_ATTENDANCE):
        raise Http404
    return render(
        request,
        "learning/classes.html",
        {
            "classes": classes.classes_in_scope(request.user)[:100],
        },
    )


def _class_or_404(request, class_id):
    training_class = classes.class_for(request.user, class_id)
    if training_class is None:
        raise Http404
    return training_class


@login_required
@require_http_methods(["GET", "POST"])
@cache_control(no_store=True)  # names of the people of the class and of the helper's commune
def attendance(request, class_id):
    """Tick people present. The search box is posted (htmx, with the CSRF token), and each tick carries the search
    along: a national ID or a phone typed here must never land in a URL or an access log. A query string still
    searches a name, never an identifier."""
    training_class = _class_or_404(request, class_id)
    if request.method == "POST" and "person" in request.POST:
        person_id = request.POST.get("person", "")
        try:
            if not person_id.isdigit():
                raise DomainError(_("Chưa chọn người."))
            if request.POST.get("present") == "0":
                classes.unmark_present(actor=request.user, training_class=training_class, person_id=int(person_id))
            else:
                classes.mark_present(actor=request.user, training_class=training_class, person_id=int(person_id))
        except DomainError as exc:
            if request.htmx:
                return HttpResponse(format_html('<p class="message error" role="alert">{}</p>', exc.message))
            messages.error(request, exc.message)
    query = (request.POST if request.method == "POST" else request.GET).get("q", "").strip()
    query_error = ""
    if request.method != "POST" and people.is_identifier_query(query):
        query_error = _(
            "Để bảo vệ dữ liệu cá nhân, số định danh và số điện thoại chỉ được tìm bằng nút «Tìm» trên "
            "trang, không qua đường dẫn."
        )
    rows = (
        []
        if query_error
        else classes.attendance_candidates(actor=request.user, training_class=training_class, query=query)
    )
    context = {
        "training_class": training_class,
        "rows": rows,
        "query": query,
        "query_error": query_error,
        "present_count": training_class.attendances.count(),
        "registered_count": training_class.registrations.count(),
    }
    if request.htmx:
        return render(request, "learning/_attendance_rows.html", context)
    return render(request, "learning/attendance.html", context)


@login_required
def attendance_template(request, class_id):
    _class_or_404(request, class_id)
    response = HttpResponse(content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="mau-diem-danh.xlsx"'
    classes.write_attendance_template(response)
    return response


@login_required
@cache_control(no_store=True)  # the report names the people of the file
def attendance_import(request, class_id):
    training_class = _class_or_404(request, class_id)
    report = None
    if request.method == "POST" and request.FILES.get("file"):
        upload = request.FILES["file"]
        suffix = Path(upload.name).suffix.lower()
        with tempfile.NamedTemporaryFile(suffix=suffix) as handle:
            for chunk in upload.chunks():
                handle.write(chunk)
            handle.flush()
            try:
                report = classes.import_attendance(
                    Path(handle.name), actor=request.user, training_class=training_class, apply=True
                )
            except DomainError as exc:
                messages.error(request, exc.message)
        if report and report.applied:
            messages.success(
                request,
                _("Đã ghi điểm danh %(added)s người (%(already)s người đã có trước).")
                % {"added": report.added, "already": report.already},
            )
            return redirect(reverse("learning:attendance", args=[training_class.pk]))
    return render(request, "learning/attendance_import.html", {"training_class": training_class, "report": report})


@login_required
def assist_start(request):
    """A community helper finds a resident in their scope and, with the resident's consent, opens a course with
    them on this device: what they learn together counts for the resident, marked assisted. The search is posted,
    never put in a URL (a national ID or phone typed here must not reach a browser history or an access log)."""
    if not assist.may_assist(request.user):
        raise Http404
    scope = assist.people_helped_by(request.user)
    posted = request.method == "POST"
    query, found, query_error = people.helper_search(scope, request.POST if posted else request.GET, posted=posted)
    if request.method == "POST" and "person_id" in request.POST:
        person = scope.filter(pk=_int(request.POST.get("person_id"))).first()
        course = selectors.published_course(request.POST.get("course_code", ""))
        if person is None or course is None:
            raise Http404
        try:
            session, enrolment = assist.start(
                helper=request.user, person=person, course=course, consent=request.POST.get("consent") == "on"
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            request.session[assist.SESSION_KEY] = session.pk
            lesson_id = progress.resume_lesson_id(enrolment, course.published_version)
            if lesson_id is None:
                return redirect("learning:course", code=course.code)
            return redirect("learning:lesson", code=course.code, lesson_id=lesson_id)
    current = assist.current(request.user, request.session.get(assist.SESSION_KEY))
    choices = [{"person": p, "courses": _courses_for(p)} for p in found]
    return render(
        request,
        "learning/assist.html",
        {
            "query": query,
            "choices": choices,
            "current": current,
            "query_error": query_error,
        },
    )


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _courses_for(person) -> list:
    """The published courses of the person's target groups (every course when none is for them)."""
    groups = people.current_groups(person)
    versions = {version.course_id: version for group in groups for version in selectors.catalogue(target_group=group)}
    return sorted(versions.values(), key=lambda version: version.title) or list(selectors.catalogue())


@login_required
@require_POST
def assist_end(request):
    """The helper ends the assisted session: from now on the pages record the helper's own learning again."""
    if not assist.may_assist(request.user):
        raise Http404
    assist.end(helper=request.user, session_id=request.session.pop(assist.SESSION_KEY, None))
    messages.success(request, _("Đã kết thúc buổi hỗ trợ học."))
    return redirect("learning:assist")
