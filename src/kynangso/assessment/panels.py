"""What the assessment app adds to the site shell: «Sát hạch» in the main menu and «Sát hạch của tôi» on
«Trang của tôi» (my standards, with the latest result of each)."""

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from kynangso.accounts import api as accounts
from kynangso.assessment import bank_views, selectors
from kynangso.assessment.models import AttemptStatus
from kynangso.people import api as people


def nav_links(request) -> list[tuple[str, str]]:
    """«Sát hạch» for a signed-in person with a person record, or a community helper who may assist;
    «Phân tích câu hỏi» and «Độ tin cậy của đề thi» for content authors and reviewers."""
    user = request.user
    if not user.is_authenticated:
        return []
    links = []
    if people.person_for_user(user) or accounts.has_capability(user, accounts.capabilities.ASSESSMENT_PROCTOR):
        links.append((_("Sát hạch"), reverse("assessment:mine")))
    if bank_views.may_edit_bank(user):
        links.append((_("Phân tích câu hỏi"), reverse("assessment:item_analysis")))
        links.append((_("Độ tin cậy của đề thi"), reverse("assessment:validity_index")))
    return links


def dashboard_panel(request) -> str | None:
    """The person's standards: passed (with the date), an attempt to resume, or the latest result and score."""
    person = people.person_for_user(request.user)
    if person is None:
        return None
    standards = selectors.standards_for_person(person)
    attempts = list(selectors.attempts_of(person).filter(standard__in=standards))
    rows = []
    for standard in standards:
        mine = [a for a in attempts if a.standard_id == standard.pk]  # newest first
        rows.append(
            {
                "standard": standard,
                "passed": next((a for a in mine if a.passed), None),
                "open": next((a for a in mine if a.status == AttemptStatus.OPEN), None),
                "latest": next((a for a in mine if a.status == AttemptStatus.SUBMITTED), None),
            }
        )
    return render_to_string("assessment/_dashboard_panel.html", {"rows": rows}, request=request)
