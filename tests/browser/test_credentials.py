"""Anyone checks a certificate on a 360-px phone: the QR page of a genuine one says «hợp lệ»; a tampered file pasted
into the check page is reported as not valid; the holder finds the certificate on «Chứng nhận của tôi»."""

import copy
import json

import pytest
from playwright.sync_api import expect

from tests.assessment.conftest import bank, framework, resident, standard  # noqa: F401  (fixtures)
from tests.browser.helpers import login, screenshot
from tests.credentials.conftest import credential, issuer_keys  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Mat-khau-an-toan-2025"


def test_the_qr_page_of_a_genuine_certificate_says_valid(page_for, credential):  # noqa: F811
    page = page_for(width=360, height=740)
    page.goto(f"{page.base_url}/chung-nhan/{credential.public_id}/")
    verdict = page.get_by_role("status")
    assert "Chứng nhận hợp lệ" in verdict.inner_text()
    assert "L* T** H**" in verdict.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, "chung-nhan-hop-le-360")


def test_a_tampered_certificate_pasted_into_the_check_page_is_reported(page_for, credential):  # noqa: F811
    document = copy.deepcopy(credential.document)
    document["credentialSubject"]["achievement"]["name"] = "Chuẩn chuyên gia kỹ năng số"
    page = page_for(width=360, height=740)
    page.goto(f"{page.base_url}/")
    page.get_by_role("link", name="Kiểm tra chứng nhận").click()
    page.get_by_label("Dán nội dung chứng nhận (JSON)").fill(json.dumps(document, ensure_ascii=False))
    page.get_by_role("button", name="Kiểm tra", exact=True).click()
    verdict = page.get_by_role("status")
    page.wait_for_load_state("load")
    assert "Chứng nhận không hợp lệ / bị sửa đổi" in verdict.inner_text()
    assert "hợp lệ" in verdict.inner_text() and "Chứng nhận hợp lệ" not in verdict.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, "chung-nhan-bi-sua-360")


def test_the_holder_finds_the_certificate_on_their_page(page_for, credential, resident):  # noqa: F811
    page = page_for(width=360, height=740)
    login(page, "hoa", PASSWORD)
    page.get_by_role("link", name="Chứng nhận của tôi").first.click()
    expect(page.get_by_role("heading", name="Chuẩn thử")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải PDF").click()
    assert download.value.suggested_filename == f"chung-nhan-{credential.public_id}.pdf"
    screenshot(page, "chung-nhan-cua-toi-360")


def test_an_administrator_finds_a_certificate_by_national_id_on_a_phone(
    page_for,
    credential,
    resident,  # noqa: F811
    standard,
    province,
):  # noqa: F811
    from kynangso.accounts.models import Role
    from kynangso.credentials import issuing
    from kynangso.people.identity import decrypt_national_id
    from tests.credentials.conftest import passed_attempt
    from tests.factories import make_person, make_user

    other = make_person(province.b, full_name="Trần Văn Bình")
    issuing.issue_for_attempt(passed_attempt(other, standard).pk)
    national_id = decrypt_national_id(resident.national_id_ciphertext)
    make_user("quantri_tinh", Role.PROVINCIAL_ADMIN, province.root, password=PASSWORD)
    page = page_for(width=360, height=740)
    urls = []
    page.on("request", lambda request: urls.append(request.url))
    login(page, "quantri_tinh", PASSWORD)
    page.goto(f"{page.base_url}/chung-nhan/quan-ly/")
    page.get_by_label("Tìm theo họ tên, số định danh, số điện thoại hoặc mã chuẩn").fill(national_id)
    assert "2 chứng nhận" in page.inner_text("main")
    page.get_by_role("button", name="Tìm", exact=True).click()
    page.get_by_text("1 chứng nhận", exact=True).wait_for()
    assert "Lê Thị Hoa" in page.inner_text("main") and "Trần Văn Bình" not in page.inner_text("main")
    assert not [url for url in urls if national_id in url]  # posted: the ID never reaches a URL or an access log
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, "chung-nhan-quan-ly-360")
