"""Training classes that say so give their participants a certificate of attendance once the class is over:
issued by the batch (`kynangso issue-credentials`), once, verifiable, with the class's competences."""

import datetime

import pytest
from django.utils import timezone

from kynangso.credentials import issuing, verification
from kynangso.credentials.models import Credential
from kynangso.learning import api as learning
from kynangso.learning.models import TrainingClass
from tests.credentials.open_badges_schema import assert_passes_open_badges_schema
from tests.factories import make_person, make_user

pytestmark = pytest.mark.django_db

START = datetime.date(2026, 3, 2)


@pytest.fixture
def certified_class(province, commune_admin):
    return learning.save_class(
        actor=commune_admin,
        training_class=TrainingClass(
            organising_unit=province.a,
            title="Tập huấn dịch vụ công trực tuyến",
            starts_on=START,
            ends_on=START + datetime.timedelta(days=1),
            target_group="resident",
            competences="2.3:1, 4.1:1",
            capacity=10,
            place="Hội trường UBND xã",
            issues_attendance_certificate=True,
        ),
    )


@pytest.fixture
def helper(province):
    return make_user("hotro_a", "helper", province.a)


@pytest.fixture
def participants(province, certified_class, helper):
    people = [make_person(province.a, full_name=name) for name in ("Trần Văn Bình", "Lê Thị Cúc")]
    for person in people:
        learning.mark_present(actor=helper, training_class=certified_class, person_id=person.pk, day=START)
    return people


def test_everyone_present_at_a_finished_class_gets_one_certificate_of_attendance(
    issuer_keys, certified_class, participants
):
    assert issuing.issue_missing() == 2
    credentials = Credential.objects.filter(achievement_kind="class", achievement_code=str(certified_class.pk))
    assert sorted(c.person_id for c in credentials) == sorted(p.pk for p in participants)
    credential = credentials.first()
    assert timezone.localtime(credential.achieved_at).date() == START
    achievement = credential.document["credentialSubject"]["achievement"]
    assert achievement["achievementType"] == "CertificateOfCompletion"
    assert achievement["name"] == "Tập huấn dịch vụ công trực tuyến"
    assert "02/03/2026 đến 03/03/2026" in achievement["criteria"]["narrative"]
    assert {a["targetCode"] for a in achievement["alignment"]} == {"2.3", "4.1"}
    assert_passes_open_badges_schema(credential.document)
    assert verification.verify_stored(credential).is_valid


def test_a_second_run_issues_nothing_more(issuer_keys, certified_class, participants):
    issuing.issue_missing()
    assert issuing.issue_missing() == 0
    assert Credential.objects.count() == 2


def test_a_class_that_is_still_running_issues_nothing_yet(issuer_keys, certified_class, participants):
    certified_class.ends_on = timezone.localdate()
    certified_class.save()
    assert issuing.issue_missing() == 0


def test_a_class_without_certificates_of_attendance_issues_none(issuer_keys, certified_class, participants):
    certified_class.issues_attendance_certificate = False
    certified_class.save()
    assert issuing.issue_missing() == 0
    assert not Credential.objects.exists()


def test_the_printed_certificate_says_the_class_was_attended(issuer_keys, certified_class, participants, client):
    import io

    from pypdf import PdfReader

    issuing.issue_missing()
    person = participants[0]
    person.user = make_user("binh", "learner", person.residence_unit)
    person.save()
    credential = Credential.objects.get(person=person)
    client.force_login(person.user)
    response = client.get(f"/chung-nhan/{credential.public_id}/pdf/")
    assert response.status_code == 200
    text = " ".join(PdfReader(io.BytesIO(response.content)).pages[0].extract_text().split())
    assert "Tham dự lớp tập huấn kỹ năng số" in text and "Đã tham dự lớp:" in text
    assert "Tập huấn dịch vụ công trực tuyến" in text
