"""API tokens expire, and an administrator lists and revokes the tokens of the accounts in scope (ADR 0020)."""

import datetime

import pytest
from django.utils import timezone

from kynangso.accounts import api as accounts
from kynangso.accounts.models import ApiToken, Role
from tests.factories import make_person, make_user

ADMIN_LIST = "/quan-tri/accounts/apitoken/"


def test_a_token_expires_after_the_configured_number_of_days(commune_admin, settings):
    settings.API_TOKEN_DAYS = 30

    record, _token = accounts.issue_api_token(user=commune_admin)

    lifetime = record.expires_at - record.created_at
    assert datetime.timedelta(days=30) - datetime.timedelta(seconds=5) < lifetime <= datetime.timedelta(days=30)


def test_an_expired_token_leads_nowhere(commune_admin):
    record, token = accounts.issue_api_token(user=commune_admin)
    ApiToken.objects.filter(pk=record.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))

    assert accounts.user_for_api_token(token) is None


@pytest.fixture
def tokens(province, commune_admin, provincial_admin):
    """A token each for a learner of commune A, a learner of commune B, and the provincial admin, who lives in A."""
    learner_a = make_user("hoc_vien_a")
    make_person(province.a, "Nguyễn Văn An", user=learner_a)
    learner_b = make_user("hoc_vien_b")
    make_person(province.b, "Trần Văn Bình", user=learner_b)
    make_person(province.a, "Lê Thị Tỉnh", sex="female", user=provincial_admin)
    return {
        name: accounts.issue_api_token(user=user, name=name)[0]
        for name, user in (("may-xa-a", learner_a), ("may-xa-b", learner_b), ("may-tinh", provincial_admin))
    }


def test_a_provincial_admin_lists_every_token(client, provincial_admin, tokens):
    client.force_login(provincial_admin)

    page = client.get(ADMIN_LIST).content.decode()

    assert all(token.name in page for token in tokens.values())


def test_a_commune_admin_lists_only_tokens_of_accounts_in_its_commune(client, commune_admin, tokens):
    client.force_login(commune_admin)

    response = client.get(ADMIN_LIST)

    assert response.status_code == 200
    page = response.content.decode()
    assert "may-xa-a" in page
    assert "may-xa-b" not in page
    assert "may-tinh" not in page  # lives in the commune, but holds a role above it


def test_a_commune_admin_revokes_a_token_in_scope_and_cannot_touch_one_outside(client, commune_admin, tokens):
    client.force_login(commune_admin)

    client.post(
        ADMIN_LIST,
        {"action": "revoke_selected", "index": 0, "_selected_action": [tokens["may-xa-a"].pk, tokens["may-xa-b"].pk]},
    )

    revoked = dict(ApiToken.objects.values_list("name", "revoked_at"))
    assert revoked["may-xa-a"] is not None
    assert revoked["may-xa-b"] is None and revoked["may-tinh"] is None


def test_revoking_through_the_service_leaves_tokens_outside_scope_alone(commune_admin, tokens):
    count = accounts.revoke_api_tokens(actor=commune_admin, token_ids=[token.pk for token in tokens.values()])

    assert count == 1
    assert ApiToken.objects.filter(revoked_at__isnull=False).get() == tokens["may-xa-a"]


def test_a_commune_admin_cannot_open_a_token_outside_scope(client, commune_admin, tokens):
    client.force_login(commune_admin)

    response = client.get(f"{ADMIN_LIST}{tokens['may-xa-b'].pk}/change/")

    assert response.status_code in (302, 403, 404)
    assert "may-xa-b" not in response.content.decode()


def test_a_helper_has_no_token_list(client, province):
    helper = make_user("to_cong_nghe", Role.HELPER, province.a)
    client.force_login(helper)

    assert client.get(ADMIN_LIST).status_code in (302, 403)
