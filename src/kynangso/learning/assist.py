"""Assisted learning: a community helper learns with a resident on the helper's device, with the resident's consent.
While the session lasts, the lessons the helper opens and the practice answered count for the resident (their
enrolment, their progress), each marked with the helper; the pages say whose learning it is. The session is kept
in the helper's browser session by id and checked on every request (still the helper's, not ended, the resident
still in the helper's scope)."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from kynangso.accounts import api as accounts
from kynangso.errors import DomainError
from kynangso.learning import progress
from kynangso.learning.models import AssistedLearning, Course, Enrolment
from kynangso.people import api as people

SESSION_KEY = "learning_assisted"
# A session left open (the helper walked away) stops counting for the resident after this long.
MAX_LENGTH = datetime.timedelta(hours=4)


def may_assist(user) -> bool:
    return user.is_authenticated and accounts.has_capability(user, accounts.capabilities.ASSESSMENT_PROCTOR)


def people_helped_by(user):
    """The people a helper may learn with: those in the scope of their helper capability."""
    return people.people_in_scope(user, accounts.capabilities.ASSESSMENT_PROCTOR)


def start(
    *, helper, person, course: Course, consent: bool, now: datetime.datetime | None = None
) -> tuple[AssistedLearning, Enrolment]:
    """Begin learning with `person` on `course`: consent is required, the person must be in the helper's scope;
    the person is enrolled (marked as enrolled with help) if they were not."""
    if not may_assist(helper):
        raise DomainError(_("Bạn không có quyền hỗ trợ người dân học."), code="forbidden")
    if not people_helped_by(helper).filter(pk=person.pk).exists():
        raise DomainError(_("Không tìm thấy người này trong phạm vi của bạn."), code="not_found")
    if not consent:
        raise DomainError(_("Cần người học đồng ý trước khi bắt đầu."), field="consent")
    now = now or timezone.now()
    AssistedLearning.objects.filter(helper=helper, ended_at__isnull=True).update(ended_at=now)
    session = AssistedLearning.objects.create(person=person, helper=helper, course=course, consent_at=now)
    return session, progress.enrol(person=person, course=course, helper=helper)


def current(helper, session_id, now: datetime.datetime | None = None) -> AssistedLearning | None:
    """The helper's open session `session_id`, or None when it is not theirs, has ended or run too long, or the
    person has left their scope."""
    if not session_id or not may_assist(helper):
        return None
    now = now or timezone.now()
    session = (
        AssistedLearning.objects.select_related("person", "course")
        .filter(pk=session_id, helper=helper, ended_at__isnull=True, consent_at__gt=now - MAX_LENGTH)
        .first()
    )
    if session is None or not people_helped_by(helper).filter(pk=session.person_id).exists():
        return None
    return session


def end(*, helper, session_id, now: datetime.datetime | None = None) -> None:
    AssistedLearning.objects.filter(pk=session_id, helper=helper, ended_at__isnull=True).update(
        ended_at=now or timezone.now()
    )
