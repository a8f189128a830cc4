"""The credentials app's part of the demo province: the Sở Khoa học và Công nghệ as the issuer of certificates, and
certificates for the demo's passed attempts (idempotent)."""

from kynangso.credentials import issuing, keys
from kynangso.orgs import api as orgs

SCIENCE_DEPARTMENT = "99-SKHCN"


def _choose_issuer() -> None:
    """The demo's department of science signs its certificates, as a real province's would (ADR 0036)."""
    if orgs.certificate_letterhead() is not None:
        return
    unit = orgs.units_by_code([SCIENCE_DEPARTMENT]).get(SCIENCE_DEPARTMENT)
    if unit is None:
        return  # the demo province is not loaded
    orgs.save_letterhead(
        unit=unit,
        superior_body="Ủy ban nhân dân tỉnh Phú Hòa",
        agency_name="Sở Khoa học và Công nghệ",
        place_name="Phú Hòa",
        signer_title="KT. Giám đốc\nPhó Giám đốc",
        signer_name="Trần Minh Tuấn",
        issues_certificates=True,
    )


def populate(*, today, stdout) -> None:
    """Issue the certificates owed to the demo's passed attempts; a second run finds none owed."""
    keys.ensure_dev_key()
    _choose_issuer()
    issued = issuing.issue_missing()
    if issued:
        stdout.write(f"Chứng nhận: đã cấp {issued} chứng nhận cho các lượt sát hạch đạt chuẩn.\n")
