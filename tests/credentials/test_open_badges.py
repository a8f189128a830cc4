"""Certificates as Open Badges 3.0 wallets and verifiers expect them: the official 1EdTech schema passes them, the
proof is a proof set, each achievement has its badge, a status list expires, and the verifier speaks of the document
it was given."""

import copy
import datetime
import json
from xml.etree import ElementTree

import pytest
from django.core.cache import cache
from django.utils import timezone

from kynangso.credentials import (
    data_integrity,
    issuer,
    keys,
    offline,
    services,
    verification,
)
from kynangso.credentials.models import Credential
from kynangso.credentials.verification import INVALID, REVOKED, VALID
from tests.credentials.open_badges_schema import (
    assert_passes_open_badges_schema,
    schema_errors,
)

pytestmark = pytest.mark.django_db


def resigned(document: dict, change) -> dict:
    """`document` changed by `change` and signed again with the issuer's active key: a genuine signature."""
    unsigned = {key: value for key, value in copy.deepcopy(document).items() if key != "proof"}
    change(unsigned)
    key = keys.active_signing_key()
    return data_integrity.add_proof(
        unsigned,
        private_key=key.private_key,
        proof_set=True,
        verification_method=issuer.verification_method(key.key_id),
    )


def test_a_standard_certificate_passes_the_official_schema(credential):
    assert_passes_open_badges_schema(credential.document)
    alignments = credential.document["credentialSubject"]["achievement"]["alignment"]
    assert {alignment["targetType"] for alignment in alignments} == {"ceasn:Competency"}


def test_the_schema_refuses_the_shape_certificates_had_before(credential):
    """The check can fail: the old «Competency» alignments and the single proof object each break the schema."""
    old = copy.deepcopy(credential.document)
    old["proof"] = old["proof"][0]
    for alignment in old["credentialSubject"]["achievement"]["alignment"]:
        alignment["targetType"] = "Competency"
    errors = schema_errors(old)
    assert any(error.startswith("proof:") for error in errors), errors
    assert any("alignment/0/targetType" in error for error in errors), errors


def test_the_proof_is_a_set_of_one_and_a_single_proof_object_still_verifies(credential):
    assert isinstance(credential.document["proof"], list) and len(credential.document["proof"]) == 1
    single = copy.deepcopy(credential.document)
    single["proof"] = single["proof"][0]  # how certificates issued before this change carry it
    assert verification.verify_document(single).state == VALID


def test_a_proof_set_with_an_extra_unchecked_proof_is_invalid(credential):
    document = copy.deepcopy(credential.document)
    extra = copy.deepcopy(document["proof"][0])
    extra["cryptosuite"] = "ecdsa-jcs-2019"
    document["proof"].append(extra)
    assert verification.verify_document(document).state == INVALID
    document["proof"] = []
    assert verification.verify_document(document).state == INVALID


def test_each_achievement_has_its_badge_served_as_a_safe_svg(client, credential):
    image = credential.document["credentialSubject"]["achievement"]["image"]
    assert image["type"] == "Image" and image["caption"] == "Huy hiệu: Chuẩn thử"
    assert (
        image["id"] == f"{issuer.site_url()}/chung-nhan/thanh-tich/standard/{credential.achievement_code}/huy-hieu.svg"
    )
    response = client.get(image["id"].removeprefix(issuer.site_url()))
    assert response.status_code == 200 and response["Content-Type"].startswith("image/svg+xml")
    svg = ElementTree.fromstring(response.content)
    assert svg.tag == "{http://www.w3.org/2000/svg}svg"
    texts = [element.text for element in svg.iter("{http://www.w3.org/2000/svg}text")]
    assert credential.achievement_code in texts and "CHUẨN KỸ NĂNG SỐ" in texts
    assert not list(svg.iter("{http://www.w3.org/2000/svg}script"))
    assert "sandbox" in response["Content-Security-Policy"]


def test_a_badge_of_an_unknown_achievement_is_not_found(client, credential):
    assert client.get("/chung-nhan/thanh-tich/standard/KHONG-CO/huy-hieu.svg").status_code == 404
    assert client.get("/chung-nhan/thanh-tich/khac/1/huy-hieu.svg").status_code == 404


def test_the_status_list_is_valid_for_a_day_from_its_signing(credential):
    signed = services.signed_status_list(0)
    valid_from = datetime.datetime.fromisoformat(signed["validFrom"])
    assert datetime.datetime.fromisoformat(signed["validUntil"]) - valid_from == datetime.timedelta(days=1)
    assert abs(valid_from - timezone.now()) < datetime.timedelta(minutes=1)


def test_the_offline_verifier_refuses_a_status_list_past_its_validity(credential):
    signed = services.signed_status_list(0)
    did_document = issuer.did_document()
    within = datetime.datetime.now(datetime.UTC) + datetime.timedelta(hours=23)
    report = offline.verify_credential_offline(
        credential.document, did_document=did_document, status=signed, now=within
    )
    assert report.verified and report.revoked is False
    later = datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=1, minutes=5)
    with pytest.raises(offline.OfflineInputError) as refused:
        offline.verify_credential_offline(credential.document, did_document=did_document, status=signed, now=later)
    assert "đã hết hạn" in refused.value.message and signed["id"] in refused.value.message


def test_a_revocation_after_the_list_was_fetched_is_not_hidden_past_its_validity(credential, provincial_admin):
    """The issue's story: a list fetched before revocation said «valid» for ever; now it says so for a day at most."""
    fetched_before = services.signed_status_list(0)
    services.revoke_credential(credential=credential, actor=provincial_admin, reason="Cấp nhầm người")
    next_week = datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=7)
    with pytest.raises(offline.OfflineInputError):
        offline.verify_credential_offline(
            credential.document, did_document=issuer.did_document(), status=fetched_before, now=next_week
        )
    fresh = offline.verify_credential_offline(
        credential.document,
        did_document=issuer.did_document(),
        status=services.signed_status_list(0),
        now=next_week - datetime.timedelta(days=6, hours=23),
    )
    assert fresh.revoked is True and not fresh.verified


def test_the_verifier_reports_what_the_given_document_says(credential):
    Credential.objects.filter(pk=credential.pk).update(achievement_name="Tên đã đổi trong sổ")
    result = verification.verify_document(copy.deepcopy(credential.document))
    assert result.state == VALID
    assert result.achievement_name == "Chuẩn thử"  # the document's, not the register's column
    assert result.issuer_name == credential.document["issuer"]["name"]
    assert result.holder == "L* T** H**"  # the document's name hash is the register's holder


def test_a_genuinely_signed_document_differing_from_the_register_copy_is_refused(credential):
    def rename(document):
        document["credentialSubject"]["achievement"]["name"] = "Chuẩn chuyên gia"

    other = resigned(credential.document, rename)
    result = verification.verify_document(other)
    assert result.state == INVALID
    assert "khác với bản đã cấp" in result.reason
    assert result.achievement_name == ""  # nothing of the register's copy is shown for it


def test_a_revoked_certificate_given_as_a_document_reports_revoked(credential, provincial_admin):
    services.revoke_credential(credential=credential, actor=provincial_admin, reason="Cấp nhầm người")
    assert verification.verify_document(copy.deepcopy(credential.document)).state == REVOKED


@pytest.fixture
def fresh_lookups():
    cache.clear()
    yield
    cache.clear()


def test_typing_the_printed_code_shows_the_masked_result(client, credential, fresh_lookups):
    printed = str(credential.public_id).upper()
    text = client.post("/chung-nhan/", {"code": printed}).content.decode()
    assert "Chứng nhận hợp lệ" in text and "L* T** H**" in text and "Lê Thị Hoa" not in text
    assert "Chuẩn thử" in text


def test_the_code_pasted_into_the_json_box_is_looked_up_not_called_broken_json(client, credential, fresh_lookups):
    broken_across_lines = str(credential.public_id).replace("-", "-\n", 2)
    text = client.post("/chung-nhan/", {"text": broken_across_lines}).content.decode()
    assert "Chứng nhận hợp lệ" in text and "không phải JSON hợp lệ" not in text
    text = client.post("/chung-nhan/", {"code": issuer.credential_url(credential.public_id)}).content.decode()
    assert "Chứng nhận hợp lệ" in text


def test_an_unknown_or_malformed_code_says_so(client, credential, fresh_lookups):
    text = client.post("/chung-nhan/", {"code": "6f1c7c34-9a4e-4d3e-9f3a-0c1d2e3f4a5b"}).content.decode()
    assert "Không có chứng nhận nào mang mã này" in text and "Chứng nhận hợp lệ" not in text
    text = client.post("/chung-nhan/", {"code": "12345"}).content.decode()
    assert "Mã chứng nhận gồm 32 chữ số" in text


def test_looking_up_codes_is_rate_limited_per_address(client, credential, fresh_lookups):
    for _ in range(verification.CODE_LOOKUP_LIMIT):
        client.post("/chung-nhan/", {"code": "6f1c7c34-9a4e-4d3e-9f3a-0c1d2e3f4a5b"})
    text = client.post("/chung-nhan/", {"code": str(credential.public_id)}).content.decode()
    assert "Đã tra cứu quá nhiều mã chứng nhận" in text and "Chứng nhận hợp lệ" not in text
    other = client.post("/chung-nhan/", {"code": str(credential.public_id)}, REMOTE_ADDR="10.1.2.3")
    assert "Chứng nhận hợp lệ" in other.content.decode()
    # Pasting the whole file is not a look-up and is never refused.
    assert (
        "Chứng nhận hợp lệ" in client.post("/chung-nhan/", {"text": json.dumps(credential.document)}).content.decode()
    )
