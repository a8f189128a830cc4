"""The printable certificate: A4 landscape, in Vietnamese with the national motto, and a QR code that decodes to the
certificate's verification page."""

import io

import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfReader

from kynangso.credentials import issuer

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(client, credential, resident):
    client.force_login(resident.user)
    response = client.get(f"/chung-nhan/{credential.public_id}/pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return PdfReader(io.BytesIO(response.content))


def test_the_certificate_is_one_a4_landscape_page(certificate):
    assert len(certificate.pages) == 1
    box = certificate.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (842, 595)


def test_the_certificate_is_in_vietnamese_with_the_national_motto_and_the_holder(certificate):
    text = " ".join(certificate.pages[0].extract_text().split())
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "GIẤY CHỨNG NHẬN",
        "Lê Thị Hoa",
        "Chuẩn thử",
        "Đạt chuẩn kỹ năng số",
    ):
        assert expected in text, expected


def test_the_qr_code_decodes_to_the_verification_url(certificate, credential):
    images = certificate.pages[0].images
    decoded = []
    for image in images:
        picture = Image.open(io.BytesIO(image.data))
        decoded += [
            barcode.text
            for barcode in zxingcpp.read_barcodes(picture)
            if barcode.format == zxingcpp.BarcodeFormat.QRCode
        ]
    assert decoded == [issuer.credential_url(credential.public_id)]
    assert decoded[0] == credential.document["id"]


def pdf_text(client, user, credential) -> str:
    client.force_login(user)
    response = client.get(f"/chung-nhan/{credential.public_id}/pdf/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    return " ".join(PdfReader(io.BytesIO(response.content)).pages[0].extract_text().split())


def test_the_holder_sees_their_full_birth_date_and_no_access_is_logged(client, credential, resident):
    from kynangso.people.models import PersonalDataAccess

    assert "01/05/1960" in pdf_text(client, resident.user, credential)
    assert not PersonalDataAccess.objects.exists()


def test_a_results_viewer_without_the_reveal_right_sees_only_the_birth_year(client, credential, province):
    from kynangso.people.models import PersonalDataAccess
    from tests.factories import make_user

    auditor = make_user("kiemtra", "auditor", province.root)

    text = pdf_text(client, auditor, credential)

    assert "01/05/1960" not in text and "Năm sinh: 1960" in text
    assert not PersonalDataAccess.objects.exists()


def test_a_viewer_with_the_reveal_right_sees_the_full_birth_date_and_the_reading_is_logged(
    client, credential, resident, commune_admin
):
    from kynangso.people.models import AccessChannel, PersonalDataAccess

    assert "01/05/1960" in pdf_text(client, commune_admin, credential)
    record = PersonalDataAccess.objects.get()
    assert (record.person, record.accessed_by, record.channel, record.fields) == (
        resident,
        commune_admin,
        AccessChannel.EXPORT,
        "birth_date",
    )
