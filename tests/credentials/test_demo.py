"""The credentials part of the demo: certificates for the passed attempts, quickly, and nothing more the second time."""

import io

import pytest
from django.utils import timezone

from kynangso.credentials import demo
from kynangso.credentials.models import Credential
from tests.credentials.conftest import passed_attempt
from tests.factories import make_person

pytestmark = pytest.mark.django_db


def test_the_demo_issues_the_owed_certificates_once(issuer_keys, standard, province):
    for n in range(4):
        passed_attempt(make_person(province.a, full_name=f"Người Mẫu {n}"), standard)
    out = io.StringIO()
    demo.populate(today=timezone.localdate(), stdout=out)
    assert Credential.objects.count() == 4
    assert "đã cấp 4 chứng nhận" in out.getvalue()
    demo.populate(today=timezone.localdate(), stdout=io.StringIO())
    assert Credential.objects.count() == 4
