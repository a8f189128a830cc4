"""What the learning app adds to the site shell: links in the main menu and a panel on «Trang của tôi»."""

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from kynangso.accounts import api as accounts
from kynangso.people import api as people


def nav_links(request) -> list[tuple[str, str]]:
    """(label, url) pairs for the main menu, for this visitor: the catalogue is public."""
    links = [(_("Học tập"), reverse("learning:catalogue"))]
    if accounts.has_capability(request.user, accounts.capabilities.TRAINING_ATTENDANCE):
        links.append((_("Lớp tập huấn"), reverse("learning:classes")))
    if accounts.has_capability(request.user, accounts.capabilities.ASSESSMENT_PROCTOR):
        links.append((_("Hỗ trợ học"), reverse("learning:assist")))
    return links


def dashboard_panel(request) -> str | None:
    """«Khóa học của tôi»: progress and a resume link per course, and the next lesson of the learning path."""
    from kynangso.learning import paths, progress, selectors

    person = people.person_for_user(request.user)
    can_classes = accounts.has_capability(request.user, accounts.capabilities.TRAINING_ATTENDANCE)
    can_enrol = accounts.has_capability(request.user, accounts.capabilities.ENROL_GROUPS)
    if person is None and not (can_classes or can_enrol):
        return None
    rows, next_step = [], None
    if person is not None:
        for enrolment in selectors.enrolments_of(person)[:10]:
            version = enrolment.course.published_version
            if version is None:
                continue
            rows.append(
                {
                    "code": enrolment.course.code,
                    "title": version.title,
                    "completed_on": enrolment.completed_on,
                    "percent": progress.percent_done(enrolment, version),
                    "resume_id": progress.resume_lesson_id(enrolment, version),
                }
            )
        next_step = paths.learning_path(person).next_step
    return render_to_string(
        "learning/_panel.html",
        {
            "rows": rows,
            "next_step": next_step,
            "can_classes": can_classes,
            "can_enrol": can_enrol,
        },
        request=request,
    )
