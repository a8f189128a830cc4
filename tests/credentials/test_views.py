"""Certificate pages without a browser: the QR page, checking a pasted or uploaded file, the holder's list and
documents, revocation, and the JSON verifiers fetch (DID document, status list, achievement, competence)."""

import copy
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kynangso.credentials import issuer, keys, offline
from tests.credentials.conftest import ISSUER_DID
from tests.factories import make_person

pytestmark = pytest.mark.django_db


def page(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_the_qr_page_says_valid_and_masks_the_holder(client, credential):
    text = page(client.get(f"/chung-nhan/{credential.public_id}/"))
    assert "Chứng nhận hợp lệ" in text
    assert "L* T** H**" in text and "Lê Thị Hoa" not in text
    assert "Chuẩn thử" in text and "Sở Khoa học và Công nghệ tỉnh Thử nghiệm" in text


def test_an_unknown_certificate_is_not_found(client, issuer_keys):
    assert client.get("/chung-nhan/6f1c7c34-9a4e-4d3e-9f3a-0c1d2e3f4a5b/").status_code == 404


def test_pasting_the_certificate_says_valid(client, credential):
    text = page(client.post("/chung-nhan/", {"text": json.dumps(credential.document)}))
    assert "Chứng nhận hợp lệ" in text


def test_uploading_a_tampered_file_says_invalid_or_altered(client, credential):
    document = copy.deepcopy(credential.document)
    document["credentialSubject"]["achievement"]["name"] = "Chuẩn chuyên gia"
    upload = SimpleUploadedFile("chung-nhan.json", json.dumps(document).encode(), content_type="application/json")
    text = page(client.post("/chung-nhan/", {"file": upload}))
    assert "Chứng nhận không hợp lệ / bị sửa đổi" in text


def test_pasting_something_that_is_not_json_explains_it(client, issuer_keys):
    text = page(client.post("/chung-nhan/", {"text": "{ không phải json"}))
    assert "không phải JSON hợp lệ" in text


def test_the_holder_sees_all_their_certificates(client, credential, resident):
    client.force_login(resident.user)
    text = page(client.get("/chung-nhan/cua-toi/"))
    assert "Chứng nhận của tôi" in text and "Chuẩn thử" in text
    assert f"/chung-nhan/{credential.public_id}/pdf/" in text
    assert "Chứng nhận của tôi" in page(client.get("/trang-cua-toi/"))


def test_the_holder_downloads_the_signed_json_that_verifies_offline(client, credential, resident):
    client.force_login(resident.user)
    response = client.get(f"/chung-nhan/{credential.public_id}/json/")
    assert response["Content-Type"].startswith("application/vc+ld+json")
    document = json.loads(response.content)
    assert document == credential.document
    report = offline.verify_credential_offline(document, did_document=issuer.did_document())
    assert report.verified


def test_someone_else_cannot_download_the_holder_documents(client, credential, other_person):
    from tests.factories import make_user

    stranger = make_user("nguoi_la")
    client.force_login(stranger)
    assert client.get(f"/chung-nhan/{credential.public_id}/json/").status_code == 404
    assert client.get(f"/chung-nhan/{credential.public_id}/pdf/").status_code == 404


def test_an_administrator_revokes_with_a_reason_and_the_qr_page_then_says_revoked(client, credential, provincial_admin):
    client.force_login(provincial_admin)
    assert "Hãy ghi lý do thu hồi" in page(client.post(f"/chung-nhan/{credential.public_id}/thu-hoi/", {"reason": ""}))
    response = client.post(f"/chung-nhan/{credential.public_id}/thu-hoi/", {"reason": "Thi hộ"})
    assert response.status_code == 302
    client.logout()
    text = page(client.get(f"/chung-nhan/{credential.public_id}/"))
    assert "Chứng nhận đã bị thu hồi ngày" in text


def test_a_commune_administrator_has_no_revocation_page(client, credential, commune_admin):
    client.force_login(commune_admin)
    assert client.get(f"/chung-nhan/{credential.public_id}/thu-hoi/").status_code == 404
    assert client.get("/chung-nhan/quan-ly/").status_code == 404


def test_the_management_list_finds_a_certificate_by_holder_name(client, credential, provincial_admin):
    client.force_login(provincial_admin)
    text = page(client.get("/chung-nhan/quan-ly/", {"q": "le thi hoa"}))
    assert "Lê Thị Hoa" in text and f"/chung-nhan/{credential.public_id}/thu-hoi/" in text
    assert "Lê Thị Hoa" not in page(client.get("/chung-nhan/quan-ly/", {"q": "tran van"}))


IDENTIFIER_HINT = "chỉ được tìm bằng nút «Tìm» trên trang, không qua đường dẫn"


def national_id_of(person) -> str:
    from kynangso.people.identity import decrypt_national_id

    return decrypt_national_id(person.national_id_ciphertext)


def test_the_management_list_finds_a_certificate_by_a_posted_national_id(
    client, credential, provincial_admin, resident
):
    client.force_login(provincial_admin)

    text = page(client.post("/chung-nhan/quan-ly/", {"q": national_id_of(resident)}))

    assert "Lê Thị Hoa" in text and f"/chung-nhan/{credential.public_id}/thu-hoi/" in text


def test_the_management_search_does_not_find_a_certificate_of_another_province_by_national_id(
    client, issuer_keys, standard, provincial_admin
):
    from kynangso.credentials import issuing
    from tests.credentials.conftest import passed_attempt
    from tests.factories import make_unit

    elsewhere = make_unit("X901", "Xã Tỉnh Khác", parent=make_unit("T09", "Tỉnh Khác", kind="province"))
    outsider = make_person(elsewhere, full_name="Người Tỉnh Khác")
    issuing.issue_for_attempt(passed_attempt(outsider, standard).pk)
    client.force_login(provincial_admin)

    text = page(client.post("/chung-nhan/quan-ly/", {"q": national_id_of(outsider)}))

    assert "Người Tỉnh Khác" not in text and "Không có chứng nhận nào." in text


def test_a_national_id_or_phone_in_the_management_url_is_not_searched(client, credential, provincial_admin, resident):
    from kynangso.people import api as people

    people.update_person(person=resident, actor=provincial_admin, phone="0967890123")
    client.force_login(provincial_admin)

    for identifier in (national_id_of(resident), "0967890123"):
        text = page(client.get("/chung-nhan/quan-ly/", {"q": identifier}))
        assert "Lê Thị Hoa" not in text and IDENTIFIER_HINT in text
    assert "Lê Thị Hoa" in page(client.post("/chung-nhan/quan-ly/", {"q": "0967890123"}))


def test_the_management_search_and_its_pager_post_so_no_identifier_reaches_a_url(
    client, issuer_keys, standard, provincial_admin, province
):
    import datetime

    from kynangso.credentials import issuing
    from tests.credentials.conftest import passed_attempt

    for number in range(51):
        holder = make_person(
            province.a, full_name=f"Người Thứ {number:02d}", birth_date=datetime.date(1980, 1, 1), phone="0967890123"
        )
        issuing.issue_for_attempt(passed_attempt(holder, standard).pk)
    client.force_login(provincial_admin)

    first = page(client.post("/chung-nhan/quan-ly/", {"q": "0967890123"}))
    assert '<form method="post" action="/chung-nhan/quan-ly/" id="credential-filters"' in first
    assert 'form="credential-filters" name="trang" value="2"' in first
    assert "?q=" not in first and 'method="get"' not in first
    second = page(client.post("/chung-nhan/quan-ly/", {"q": "0967890123", "trang": "2"}))
    assert "Trang 2/2" in second and second.count("Người Thứ ") == 1


@pytest.mark.parametrize("method", ["get", "post"])
def test_the_management_list_is_never_cached(client, credential, provincial_admin, method):
    client.force_login(provincial_admin)

    response = getattr(client, method)("/chung-nhan/quan-ly/", {"q": "le thi hoa"})

    assert "Lê Thị Hoa" in page(response)
    assert "no-store" in response["Cache-Control"]


def test_the_holders_pages_and_documents_are_never_cached(client, credential, provincial_admin, resident):
    client.force_login(resident.user)
    for url in ("/chung-nhan/cua-toi/", f"/chung-nhan/{credential.public_id}/json/"):
        response = client.get(url)
        assert response.status_code == 200 and "no-store" in response["Cache-Control"], url
    client.force_login(provincial_admin)
    response = client.get(f"/chung-nhan/{credential.public_id}/thu-hoi/")
    assert "Lê Thị Hoa" in page(response) and "no-store" in response["Cache-Control"]


def test_the_did_document_lists_every_key(client, issuer_keys):
    keys.generate_key("key-2026-07")
    document = client.get("/.well-known/did.json").json()
    assert document["id"] == ISSUER_DID
    assert [method["id"] for method in document["verificationMethod"]] == [
        f"{ISSUER_DID}#key-2026-01",
        f"{ISSUER_DID}#key-2026-07",
    ]
    assert document["assertionMethod"] == [method["id"] for method in document["verificationMethod"]]


def test_the_status_list_the_certificate_points_to_is_served_signed(client, credential):
    url = credential.document["credentialStatus"]["statusListCredential"]
    status = client.get(url.removeprefix(issuer.site_url())).json()
    assert status["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    report = offline.verify_credential_offline(credential.document, did_document=issuer.did_document(), status=status)
    assert report.verified and report.revoked is False


def test_the_achievement_and_competence_urls_of_a_certificate_resolve(client, credential):
    achievement = credential.document["credentialSubject"]["achievement"]
    served = client.get(achievement["id"].removeprefix(issuer.site_url())).json()
    assert served["name"] == achievement["name"] and served["alignment"] == achievement["alignment"]
    competence = client.get(achievement["alignment"][0]["targetUrl"].removeprefix(issuer.site_url())).json()
    assert competence["code"] == "1.1" and competence["name"]


def test_the_main_menu_offers_certificate_checking_to_everyone(client, issuer_keys):
    assert 'href="/chung-nhan/">Kiểm tra chứng nhận<' in page(client.get("/"))
