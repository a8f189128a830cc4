"""A small world for the security tests: province P (commune A inside every role's scope) and province Q (commune B,
outside every role's scope), with the same kinds of objects in each: a person with a login, an attempt and a
certificate, a training class, a plan task with an occurrence and evidence, an annual report, a manual indicator
value, a roster job and a national export; one user per role, each scoped inside P, each with an API token.

Every object of commune B carries an ASCII marker («NGOAIPHAMVI…», the national ID, the phone) so that a response
body can be searched for it whatever escaping (HTML, JSON) the page used."""

import datetime
import io
import json
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal

from django.apps import apps as django_apps
from django.core.files.base import ContentFile
from django.utils import timezone

from kynangso.accounts import api as accounts
from kynangso.accounts.api import SYSTEM
from kynangso.accounts.models import Role
from tests.factories import make_person, make_unit, make_user

YEAR = timezone.localdate().year
ROLES = (Role.LEARNER, Role.HELPER, Role.UNIT_ADMIN, Role.CONTENT_AUTHOR, Role.PROVINCIAL_ADMIN, Role.AUDITOR)
ANONYMOUS = "anonymous"


@dataclass
class Side:
    """The objects of one commune; `markers` are strings found only in this commune's objects."""

    unit: object
    person: object
    learner: object
    admin: object
    attempt: object = None
    credential: object = None
    training_class: object = None
    plan: object = None
    occurrence: object = None
    evidence: object = None
    report: object = None
    manual_value: object = None
    target: object = None  # a count target of the commune, to be allocated (none below: the page says so)
    job: object = None
    national_export: object = None
    enrolment: object = None
    api_token: object = None
    totp_device: object = None
    survey: object = None
    interview: object = None
    national_id: str = ""
    phone: str = ""
    markers: list[str] = field(default_factory=list)


@dataclass
class World:
    root_p: object
    root_q: object
    department: object
    standard: object
    indicator: object
    inside: Side
    outside: Side
    users: dict  # role → user, all scoped inside P
    tokens: dict  # role → bearer token


def _side(letter: str, unit, *, standard, indicator, national_id: str, phone: str, course) -> Side:
    from kynangso.assessment import api as assessment
    from kynangso.credentials import issuing
    from kynangso.credentials.models import NationalExport
    from kynangso.jobs.models import Job
    from kynangso.learning import api as learning
    from kynangso.learning.models import TrainingClass
    from kynangso.monitoring.models import ManualValue, Target
    from kynangso.plans import services as plan_services
    from kynangso.plans.models import Evidence
    from kynangso.reports.models import AnnualReport

    marker = f"NGOAIPHAMVI{letter}" if letter == "B" else f"TRONGPHAMVI{letter}"
    learner = make_user(f"hoc_vien_{letter.lower()}", Role.LEARNER, unit)
    person = make_person(
        unit,
        full_name=f"Nguyen Van {marker}nguoi",
        birth_date=datetime.date(1979, 11, 23),
        phone=phone,
        user=learner,
        national_id=national_id,
    )
    admin = make_user(f"quan_tri_{letter.lower()}", Role.UNIT_ADMIN, unit)
    side = Side(unit=unit, person=person, learner=learner, admin=admin, national_id=national_id, phone=phone)
    side.api_token = accounts.issue_api_token(user=admin, name=f"{marker}token")[0]
    if django_apps.is_installed("django_otp.plugins.otp_totp"):
        from django_otp.plugins.otp_totp.models import TOTPDevice

        holder = make_user(f"hai_lop_{letter.lower()}")  # not a role user: a device would make them verify first
        side.totp_device = TOTPDevice.objects.create(user=holder, name=f"{marker}totp", confirmed=True)
    submitted = timezone.now() - datetime.timedelta(days=2)
    side.attempt = assessment.Attempt.objects.create(
        person=person,
        standard=standard,
        number=1,
        status=assessment.AttemptStatus.SUBMITTED,
        started_at=submitted - datetime.timedelta(minutes=20),
        deadline=submitted,
        submitted_at=submitted,
        score_percent=85.0,
        passed=True,
    )
    side.credential = issuing.issue_for_attempt(side.attempt.pk)
    side.training_class = TrainingClass.objects.create(
        organising_unit=unit,
        title=f"Lop {marker}lop",
        starts_on=datetime.date(YEAR, 1, 10),
        ends_on=datetime.date(YEAR, 12, 20),
        target_group="resident",
        place=f"Hoi truong {marker}",
    )
    learning.register(training_class=side.training_class, person=person, actor=SYSTEM)
    side.enrolment = learning.enrol(person=person, course=course) if course is not None else None
    side.plan = plan_services.create_plan(
        key=f"ke-hoach-{letter.lower()}",
        number_symbol=f"{letter}99/KH-UBND",
        title=f"Ke hoach tinh {letter}",
        issuing_body="UBND tinh",
        issued_year=YEAR,
        period_start=datetime.date(YEAR, 1, 1),
        period_end=datetime.date(YEAR, 12, 31),
        owner_unit=unit,
    )
    group = plan_services.save_task_group(plan=side.plan, code="III.1", title="Nhom nhiem vu")
    task = plan_services.add_task(
        group=group,
        code="III.1.a",
        title=f"Nhiem vu {marker}nhiemvu",
        lead_unit=unit,
        lead_unit_label=unit.name,
        recurrence="yearly",
        starts_on=datetime.date(YEAR, 1, 1),
        ends_on=datetime.date(YEAR, 12, 31),
    )
    side.occurrence = task.occurrences.order_by("period_start").first()
    side.evidence = Evidence.objects.create(
        occurrence=side.occurrence,
        unit=unit,
        note=f"Minh chung {marker}minhchung",
        created_by=admin,
        original_name=f"{marker}minhchung.txt",
        file=ContentFile(f"{marker}minhchung".encode(), name="minh-chung.txt"),
    )
    side.report = AnnualReport.objects.create(
        unit=unit,
        year=YEAR,
        title=f"Bao cao {marker}baocao",
        issuing_body=f"UBND {marker}",
        general_assessment=f"Danh gia {marker}baocao",
        number_symbol=f"{letter}15/BC-UBND",
    )
    side.manual_value = ManualValue.objects.create(
        indicator=indicator,
        unit=unit,
        year=YEAR,
        value=Decimal(7),
        note=f"Ghi chu {marker}chiso",
        status="submitted",
        entered_by=admin,
        entered_at=timezone.now(),
    )
    side.target = Target.objects.create(plan=side.plan, indicator=indicator, unit=unit, year=YEAR, value=Decimal(9))
    side.job = Job.objects.create(
        kind="people.roster",
        label=f"Nhap danh sach {marker}tacvu",
        function="kynangso.people.jobs.roster_import_job",
        created_by=admin,
        status="succeeded",
        result={"error_count": 1},
        params={"upload_path": "/khong-co-tep.csv", "actor_id": admin.pk, "apply": False},
    )
    side.national_export = NationalExport.objects.create(
        unit=unit,
        period_start=datetime.date(YEAR, 1, 1),
        period_end=datetime.date(YEAR, 12, 31),
        file_format="csv",
        created_by=admin,
        row_count=1,
    )
    # Not the credential's public id: a page may echo the address it was asked for, which the asker already knows.
    side.markers = [marker, national_id, phone]
    return side


def build_world() -> World:
    """Create the world (inside a transaction the caller rolls back)."""
    from kynangso.assessment import api as assessment
    from kynangso.credentials import keys
    from kynangso.learning.models import Course
    from kynangso.monitoring.models import Indicator

    keys.generate_key("key-security-tests")
    root_p = make_unit("P01", "Tinh Trong", kind="province")
    commune_a = make_unit("PA01", "Xa Trong A", parent=root_p)
    department = make_unit("PS01", "So Khoa hoc Trong", kind="department", parent=root_p)
    root_q = make_unit("Q01", "Tinh Ngoai", kind="province")
    commune_b = make_unit("QB01", "Xa Ngoai B", parent=root_q)
    standard = assessment.Standard.objects.create(
        code="CHUAN-BAO-MAT",
        name="Chuan bao mat",
        target_group="resident",
        framework_code="TT02-2025",
        time_limit_minutes=30,
        pass_percent=60,
    )
    indicator = Indicator(code="chien-dich-bao-mat", name="Chien dich", measure="count", kind="manual", order=1)
    indicator.full_clean()
    indicator.save()
    course = Course.objects.select_related("published_version").filter(published_version__isnull=False).first()
    inside = _side(
        "A",
        commune_a,
        standard=standard,
        indicator=indicator,
        national_id="001079123451",
        phone="0912345671",
        course=course,
    )
    outside = _side(
        "B",
        commune_b,
        standard=standard,
        indicator=indicator,
        national_id="001079987659",
        phone="0987654329",
        course=course,
    )
    users = {
        Role.LEARNER: inside.learner,
        Role.HELPER: make_user("ho_tro_a", Role.HELPER, commune_a),
        Role.UNIT_ADMIN: inside.admin,
        Role.CONTENT_AUTHOR: make_user("bien_tap_p", Role.CONTENT_AUTHOR, department),
        Role.PROVINCIAL_ADMIN: make_user("quan_tri_tinh_p", Role.PROVINCIAL_ADMIN, root_p),
        Role.AUDITOR: make_user("kiem_tra_p", Role.AUDITOR, root_p),
    }
    tokens = {role: accounts.issue_api_token(user=user, name="kiem-thu")[1] for role, user in users.items()}
    _add_surveys(((root_p, inside), (root_q, outside)), interviewer=users[Role.HELPER])
    return World(
        root_p=root_p,
        root_q=root_q,
        department=department,
        standard=standard,
        indicator=indicator,
        inside=inside,
        outside=outside,
        users=users,
        tokens=tokens,
    )


def _add_surveys(sides, *, interviewer) -> None:
    """Each province's survey, its commune drawn, and the side's person drawn in it; both interviews are given to
    the helper of commune A, so that the one in province Q is refused by scope, not by assignment alone."""
    from kynangso.survey import api as survey
    from kynangso.survey.models import Interview, SampledUnit, Survey
    from tests.survey.world import QUESTIONNAIRE

    questionnaire = survey.load_questionnaire_file(path=QUESTIONNAIRE, actor=SYSTEM)[0]
    for root, side in sides:
        side.survey = Survey.objects.create(
            questionnaire=questionnaire,
            unit=root,
            year=YEAR,
            seed=1,
            psu_count=1,
            persons_per_psu=1,
            reference_day=datetime.date(YEAR, 12, 31),
            drawn_at=timezone.now(),
        )
        psu = SampledUnit.objects.create(survey=side.survey, unit=side.unit, size=100, probability=0.5)
        side.interview = Interview.objects.create(
            survey=side.survey,
            sampled_unit=psu,
            person=side.person,
            age_group="45-59",
            sex="male",
            probability=0.01,
            interviewer=interviewer,
        )


# Reading a response ---------------------------------------------------------------------------------------------------


def readable_text(response) -> str:
    """The text a person (or a program) gets from a response: HTML/JSON as is and JSON-unescaped, XLSX cells from
    the workbook's XML parts, PDF text through pypdf."""
    if getattr(response, "streaming", False):
        body = b"".join(response.streaming_content)
    else:
        body = response.content
    content_type = response.get("Content-Type", "")
    if body[:2] == b"PK":
        try:
            with zipfile.ZipFile(io.BytesIO(body)) as archive:
                return "\n".join(
                    archive.read(name).decode("utf-8", "replace")
                    for name in archive.namelist()
                    if name.endswith(".xml")
                )
        except zipfile.BadZipFile:
            pass
    if body[:5] == b"%PDF-":
        from pypdf import PdfReader

        return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(body)).pages)
    text = body.decode("utf-8", "replace")
    if "json" in content_type:
        try:
            text += "\n" + json.dumps(json.loads(text), ensure_ascii=False)
        except ValueError:
            pass
    return text


# Sending a request as a role ------------------------------------------------------------------------------------------


def request_as(world, role, key, entry, side, *, query: str | None = None):
    """The response to `entry`'s URL built for `side`, sent by `role` (ANONYMOUS: nobody logged in)."""
    from django.test import Client
    from django.urls import reverse

    client = Client()
    headers = {}
    if entry.api:
        if role != ANONYMOUS:
            headers["Authorization"] = f"Bearer {world.tokens[role]}"
    elif role != ANONYMOUS:
        client.force_login(world.users[role])
    kwargs = entry.kwargs(world, side) if entry.kwargs else {}
    url = reverse(key, kwargs=kwargs)
    if query is None and entry.query is not None:
        query = entry.query(world, side)
    if query:
        url = f"{url}?{query}"
    data = entry.data(world, side) if entry.data else {}
    method = entry.method.lower()
    if method == "get":
        return client.get(url, headers=headers)
    if entry.api:
        return getattr(client, method)(url, data=json.dumps(data), content_type="application/json", headers=headers)
    return getattr(client, method)(url, data=data, headers=headers)


def refused(response, entry=None, world=None, side=None) -> bool:
    """Refused without data: 401/403/404, or a redirect to a login page (or, in the admin, to its index, which is
    how the admin answers an object it does not find in the user's queryset)."""
    from django.conf import settings
    from django.shortcuts import resolve_url

    if response.status_code in (401, 403, 404):
        return True
    if response.status_code == 302:
        location = response["Location"].split("?")[0]
        if location in {resolve_url(settings.LOGIN_URL), "/quan-tri/login/", "/quan-tri/"}:
            return True
        return bool(entry and entry.redirect_back and location == entry.redirect_back and entry.unchanged(world, side))
    return False


def markers_in(response, side) -> list[str]:
    text = readable_text(response)
    return [marker for marker in side.markers if marker in text]
