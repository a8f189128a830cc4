"""The certificate API: anyone verifies a certificate; a holder lists theirs."""

import copy

import pytest

from tests.rest.conftest import auth_for, send_json  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db


def test_anyone_verifies_a_certificate_without_signing_in(send_json, credential):
    body = send_json("post", "/api/v1/credentials/verify", credential.document).json()
    assert body["state"] == "valid" and body["verified"] is True
    assert body["holder"] == "L* T** H**" and body["achievement"] == "Chuẩn thử"
    assert body["credential_id"] == str(credential.public_id)


def test_a_tampered_certificate_is_reported_invalid(send_json, credential):
    document = copy.deepcopy(credential.document)
    document["validFrom"] = "2020-01-01T00:00:00Z"
    body = send_json("post", "/api/v1/credentials/verify", document).json()
    assert body["state"] == "invalid" and body["verified"] is False and "sửa đổi" in body["reason"]


def test_a_revoked_certificate_is_reported_with_its_date(client, send_json, credential, provincial_admin):
    from kynangso.credentials import services

    services.revoke_credential(credential=credential, actor=provincial_admin, reason="Gian lận")
    body = client.get(f"/api/v1/credentials/{credential.public_id}/verification").json()
    assert body["state"] == "revoked" and body["revoked"] is True and body["revoked_on"]


def test_the_holder_lists_their_certificates_with_the_signed_documents(client, auth_for, credential, resident):
    body = client.get("/api/v1/credentials/mine", **auth_for(resident.user)).json()
    assert [item["id"] for item in body] == [str(credential.public_id)]
    assert body[0]["document"] == credential.document


def test_listing_needs_a_signed_in_holder(client, credential):
    assert client.get("/api/v1/credentials/mine").status_code == 401
