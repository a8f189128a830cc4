"""The printable certificate: an A4 landscape PDF in Vietnamese with the national motto and a QR code that opens
the public verification page, rendered by WeasyPrint."""
import base64
import io

import qrcode
from django.template.loader import render_to_string
from django.utils import timezone

from kynangso.credentials import issuer
from kynangso.credentials.models import Credential


def qr_png(text: str) -> bytes:
    """A QR code of `text` as PNG, with medium error correction so that a creased print still scans."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=8, border=2)
    code.add_data(text)
    code.make(fit=True)
    buffer = io.BytesIO()
    code.make_image(fill_color="black", back_color="white").save(buffer, format="PNG")
    return buffer.getvalue()


def certificate_html(credential: Credential) -> str:
    url = issuer.credential_url(credential.public_id)
    alignments = credential.document.get("credentialSubject", {}).get("achievement", {}).get("alignment", [])
    return render_to_string("credentials/certificate_pdf.html", {
        "credential": credential,
        "holder": credential.person.full_name,
        "birth_date": credential.person.birth_date,
        "issued_on": timezone.localtime(credential.issued_at).date(),
        "achieved_on": timezone.localtime(credential.achieved_at).date(),
        "issuer_name": issuer.issuer_name(),
        "issuer_did": issuer.issuer_did(),
        "competences": [alignment.get("targetName", "") for alignment in alignments],
        "verification_url": url,
        "qr_data_uri": "data:image/png;base64," + base64.b64encode(qr_png(url)).decode("ascii"),
    })


def certificate_pdf(credential: Credential) -> bytes:
    from weasyprint import HTML

    return HTML(string=certificate_html(credential), base_url=issuer.site_url()).write_pdf()
