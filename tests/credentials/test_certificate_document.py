"""The printed certificate as an agency signs it (Nghị định 30/2020): the province's issuing agency under its superior
body, place and date, the signer's authority, title and name; every competence; a code no line break cuts; and,
once revoked, «ĐÃ THU HỒI» with its date and reason. Checked on the extracted text and on a rendered PNG."""

import io
import shutil
import subprocess

import pytest
from django.utils import timezone
from PIL import Image
from pypdf import PdfReader

from kynangso.credentials import pdf, services
from kynangso.credentials.models import Credential
from kynangso.orgs import api as orgs

pytestmark = pytest.mark.django_db


@pytest.fixture
def letterhead(province):
    return orgs.save_letterhead(
        unit=province.department,
        superior_body="Ủy ban nhân dân tỉnh Thử Nghiệm",
        agency_name="Sở Khoa học và Công nghệ",
        place_name="Thử Nghiệm",
        signer_title="KT. Giám đốc\nPhó Giám đốc",
        signer_name="Nguyễn Văn An",
        issues_certificates=True,
    )


def rendered(credential) -> bytes:
    credential.refresh_from_db()
    return pdf.certificate_pdf(credential)


def text_of(document: bytes) -> str:
    reader = PdfReader(io.BytesIO(document))
    assert len(reader.pages) == 1
    return reader.pages[0].extract_text()


def flat(text: str) -> str:
    return " ".join(text.split())


def test_the_certificate_is_issued_and_signed_by_the_provinces_agency(credential, letterhead):
    text = flat(text_of(rendered(credential)))
    day = timezone.localtime(credential.issued_at).date()
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    for expected in (
        "ỦY BAN NHÂN DÂN TỈNH THỬ NGHIỆM",
        "SỞ KHOA HỌC VÀ CÔNG NGHỆ",
        f"Thử Nghiệm, ngày {day.day:02d} tháng {month} năm {day.year}",
        "KT. GIÁM ĐỐC",
        "PHÓ GIÁM ĐỐC",
        "Nguyễn Văn An",
        "(đã ký số)",
    ):
        assert expected in text, expected
    # The letterhead, not a name from the settings, stands for the issuer.
    assert "SỞ KHOA HỌC VÀ CÔNG NGHỆ TỈNH THỬ NGHIỆM" not in text


def test_the_holder_is_addressed_by_sex(credential, letterhead, resident):
    assert resident.sex == "female"
    text = flat(text_of(rendered(credential)))
    assert "Chứng nhận bà: Lê Thị Hoa" in text and "ông/bà" not in text
    resident.sex = "male"
    resident.save(update_fields=["sex"])
    assert "Chứng nhận ông: Lê Thị Hoa" in flat(text_of(rendered(credential)))


def test_every_competence_is_printed_without_a_cut(credential, letterhead):
    document = credential.document
    alignment = document["credentialSubject"]["achievement"]["alignment"][0]
    names = [f"{number}.1 Năng lực số thứ {number} có tên khá dài để xuống dòng" for number in range(1, 15)]
    document["credentialSubject"]["achievement"]["alignment"] = [{**alignment, "targetName": name} for name in names]
    Credential.objects.filter(pk=credential.pk).update(document=document)
    text = flat(text_of(rendered(credential)))
    for name in names:
        assert name in text, name
    assert "…" not in text


def test_the_printed_code_is_whole_on_one_line_and_no_did_is_shown(credential, letterhead):
    lines = [line.strip() for line in text_of(rendered(credential)).splitlines()]
    code = str(credential.public_id)
    # Under the QR code, the address breaks only between site, path and code.
    assert ["https://kynangso.thunghiem.gov.vn", "/chung-nhan/", f"{code}/"] == lines[
        lines.index(f"{code}/") - 2 : lines.index(f"{code}/") + 1
    ]
    assert "did:" not in " ".join(lines)


def test_a_revoked_certificate_says_so_with_its_date_and_reason(credential, letterhead, provincial_admin):
    services.revoke_credential(credential=credential, actor=provincial_admin, reason="Cấp nhầm người")
    text = flat(text_of(rendered(credential)))
    day = timezone.localdate()
    assert "ĐÃ THU HỒI" in text
    assert f"Thu hồi ngày {day:%d/%m/%Y}. Lý do: Cấp nhầm người" in text


def test_without_a_chosen_issuer_the_certificate_prints_the_configured_name(credential):
    text = flat(text_of(rendered(credential)))
    assert "SỞ KHOA HỌC VÀ CÔNG NGHỆ TỈNH THỬ NGHIỆM" in text


def red_pixels(document: bytes, folder, name: str) -> tuple[int, int, int]:
    """(width, height, pixels of the certificate's red) of the page rendered by pdftoppm at 60 dpi."""
    (folder / f"{name}.pdf").write_bytes(document)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", str(folder / f"{name}.pdf"), str(folder / name)], check=True, timeout=60
    )
    [page] = sorted(folder.glob(f"{name}*.png"))
    image = Image.open(page).convert("RGB")
    data = image.tobytes()
    red = sum(1 for at in range(0, len(data), 3) if data[at] > 150 and data[at + 1] < 90 and data[at + 2] < 90)
    return image.width, image.height, red


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) is not installed")
def test_the_revoked_certificate_renders_to_one_landscape_image_with_its_red_stamp(
    credential, letterhead, provincial_admin, tmp_path
):
    width, height, red_before = red_pixels(rendered(credential), tmp_path, "hop-le")
    assert width > height
    services.revoke_credential(credential=credential, actor=provincial_admin, reason="Cấp nhầm người")
    width, height, red_after = red_pixels(rendered(credential), tmp_path, "thu-hoi")
    assert width > height
    assert red_after > red_before * 1.3  # the stamp adds its frame and its letters in red


def test_the_seal_is_printed_over_the_signature_when_the_province_set_one(credential, letterhead, settings, tmp_path):
    from django.core.files.base import ContentFile

    settings.MEDIA_ROOT = str(tmp_path)
    seal = io.BytesIO()
    Image.new("RGBA", (120, 120), (200, 30, 30, 180)).save(seal, format="PNG")
    without_seal = len(PdfReader(io.BytesIO(rendered(credential))).pages[0].images)
    letterhead.seal_image.save("con-dau.png", ContentFile(seal.getvalue()))
    with_seal = PdfReader(io.BytesIO(rendered(credential))).pages[0].images
    assert len(with_seal) == without_seal + 1  # the QR code, and now the seal
