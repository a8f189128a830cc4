"""The printable certificate: an A4 landscape PDF in Vietnamese laid out as Nghị định 30/2020 asks (the issuing
agency under its superior body, Quốc hiệu and tiêu ngữ, place and date, the signer's authority, title and name), with
a QR code that opens the public verification page and, once revoked, «ĐÃ THU HỒI» with its date and reason."""

import base64
import io
from urllib.parse import urlsplit

import qrcode
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from kynangso.credentials import issuer
from kynangso.credentials.models import Credential
from kynangso.errors import DomainError
from kynangso.people import api as people


def qr_png(text: str) -> bytes:
    """A QR code of `text` as PNG, with medium error correction so that a creased print still scans."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=8, border=2)
    code.add_data(text)
    code.make(fit=True)
    buffer = io.BytesIO()
    code.make_image(fill_color="black", back_color="white").save(buffer, format="PNG")
    return buffer.getvalue()


def _full_birth_date(credential: Credential, viewer, ip_address: str | None):
    """The holder's full birth date for the holder and for a viewer with the reveal right (that reading is written
    to the personal-data access log); None for anyone else, who sees the year only."""
    if viewer is None or not viewer.is_authenticated:
        return None
    try:
        data = people.reveal_personal_data(
            person=credential.person,
            actor=viewer,
            channel=people.AccessChannel.EXPORT,
            ip_address=ip_address,
            fields="birth_date",
        )
    except DomainError:
        return None
    return data.birth_date


def salutation(sex: str) -> str:
    """«Chứng nhận ông:» or «Chứng nhận bà:» by the holder's recorded sex; «ông/bà» only when it is not known."""
    if sex == people.Sex.MALE:
        return _("Chứng nhận ông:")
    if sex == people.Sex.FEMALE:
        return _("Chứng nhận bà:")
    return _("Chứng nhận ông/bà:")


def _address_lines(url: str) -> list[str]:
    """«https://site», «/chung-nhan/», «<code>/»: where the printed address may break."""
    parts = urlsplit(url)
    folder, _slash, code = parts.path.rstrip("/").rpartition("/")
    return [f"{parts.scheme}://{parts.netloc}", f"{folder}/", f"{code}/"]


def certificate_html(credential: Credential, *, viewer=None, ip_address: str | None = None) -> str:
    url = issuer.credential_url(credential.public_id)
    alignments = credential.document.get("credentialSubject", {}).get("achievement", {}).get("alignment", [])
    issued_on = timezone.localtime(credential.issued_at).date()
    letterhead = issuer.letterhead()
    return render_to_string(
        "credentials/certificate_pdf.html",
        {
            "credential": credential,
            "holder": credential.person.full_name,
            "salutation": salutation(credential.person.sex),
            "letterhead": letterhead,
            "date_line": letterhead.date_line(issued_on),
            "revoked_on": timezone.localtime(credential.revoked_at).date() if credential.revoked_at else None,
            # The address in three unbreakable lines (site, path, code), so that no line break falls inside a word.
            "verification_lines": _address_lines(url),
            "site_name": urlsplit(issuer.site_url()).netloc,
            "birth_date": _full_birth_date(credential, viewer, ip_address),
            "birth_year": str(credential.person.birth_date.year),
            "issued_on": issued_on,
            "achieved_on": timezone.localtime(credential.achieved_at).date(),
            "competences": [alignment.get("targetName", "") for alignment in alignments],
            "verification_url": url,
            "qr_data_uri": "data:image/png;base64," + base64.b64encode(qr_png(url)).decode("ascii"),
        },
    )


def certificate_pdf(credential: Credential, *, viewer=None, ip_address: str | None = None) -> bytes:
    """The PDF as `viewer` may see it: the full birth date only for the holder or with the reveal right (audited)."""
    from weasyprint import HTML

    return HTML(
        string=certificate_html(credential, viewer=viewer, ip_address=ip_address), base_url=issuer.site_url()
    ).write_pdf()
