"""How a unit signs what it issues: its letterhead as stored by the province, or one derived from the register for a
unit that has none (a People's Committee signs «TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH»)."""

import datetime
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from kynangso.errors import DomainError
from kynangso.orgs.models import COMMUNE_LEVEL_KINDS, Letterhead, OrgUnit, UnitKind
from kynangso.text import normalize_text

# Quyền hạn ký (NĐ 30/2020, Phụ lục I, mục II.8): thay mặt, ký thay, quyền, thừa lệnh, thừa ủy quyền.
AUTHORITY_PREFIXES = ("TM.", "KT.", "Q.", "TL.", "TUQ.")
PEOPLES_COMMITTEE = "ỦY BAN NHÂN DÂN"
# «Tỉnh Phú Hòa (dữ liệu mô phỏng)» prints as «TỈNH PHÚ HÒA»: a remark in brackets is not part of a name.
_REMARK = re.compile(r"\s*\([^)]*\)\s*$")


@dataclass(frozen=True)
class LetterheadInfo:
    """What a document prints for its issuing unit; `seal_path` is a file on this server or ""."""

    superior_body: str
    agency_name: str
    place_name: str
    signer_title_lines: list[str] = field(default_factory=list)
    signer_name: str = ""
    seal_path: str = ""
    stored: bool = False  # False: derived from the register, for the province to confirm

    @property
    def seal_uri(self) -> str:
        return Path(self.seal_path).as_uri() if self.seal_path else ""

    def date_line(self, day: datetime.date | None) -> str:
        return date_line(self.place_name, day)


def date_line(place: str, day: datetime.date | None) -> str:
    """«Phú Hòa, ngày 05 tháng 12 năm 2026»: days below 10 and months 1 and 2 take a leading zero (NĐ 30/2020)."""
    prefix = f"{place}, " if place else ""
    if day is None:
        return f"{prefix}ngày … tháng … năm …"
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"{prefix}ngày {day.day:02d} tháng {month} năm {day.year}"


def agency_lines(agency_name: str) -> list[str]:
    """The agency's name as printed in the header: a People's Committee on two lines, «ỦY BAN NHÂN DÂN» then «XÃ AN
    BÌNH», so that the name of the place is never cut between lines."""
    prefix = PEOPLES_COMMITTEE + " "
    if agency_name.upper().startswith(prefix) and len(agency_name) > len(prefix):
        return [PEOPLES_COMMITTEE, agency_name[len(prefix) :]]
    return [agency_name] if agency_name else []


def _plain_name(name: str) -> str:
    return _REMARK.sub("", name).strip()


def _place_of(unit: OrgUnit) -> str:
    """«Xã Tân Phú» → «Tân Phú»: the place name a commune writes before its dates."""
    name = _plain_name(unit.name)
    for prefix in ("Thành phố ", "Tỉnh ", "Xã ", "Phường ", "Thị trấn ", "Đặc khu "):
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def _province_of(unit: OrgUnit) -> OrgUnit | None:
    current = unit
    while current is not None and current.kind != UnitKind.PROVINCE:
        current = current.parent
    return current


def derived_letterhead(unit: OrgUnit) -> LetterheadInfo:
    """The letterhead the register implies: a People's Committee for an administrative unit, the unit's own name
    under its province's committee for the others (no signer: the province sets one)."""
    province = _province_of(unit)
    if unit.kind == UnitKind.PROVINCE or unit.kind in COMMUNE_LEVEL_KINDS:
        return LetterheadInfo(
            superior_body="",
            agency_name=f"{PEOPLES_COMMITTEE} {_plain_name(unit.name).upper()}",
            place_name=_place_of(unit),
            signer_title_lines=[f"TM. {PEOPLES_COMMITTEE}", "CHỦ TỊCH"],
        )
    superior = f"{PEOPLES_COMMITTEE} {_plain_name(province.name).upper()}" if province else ""
    return LetterheadInfo(
        superior_body=superior,
        agency_name=_plain_name(unit.name).upper(),
        place_name=_place_of(province) if province else "",
    )


def _info(letterhead: Letterhead) -> LetterheadInfo:
    seal = ""
    if letterhead.seal_image:
        try:
            seal = letterhead.seal_image.path
        except (NotImplementedError, ValueError):
            seal = ""
    return LetterheadInfo(
        superior_body=letterhead.superior_body,
        agency_name=letterhead.agency_name,
        place_name=letterhead.place_name,
        signer_title_lines=title_lines(letterhead.signer_title),
        signer_name=letterhead.signer_name,
        seal_path=seal,
        stored=True,
    )


def letterhead_for(unit: OrgUnit) -> LetterheadInfo:
    """The unit's letterhead: the stored one, else the one derived from the register."""
    stored = Letterhead.objects.filter(unit=unit).first()
    return _info(stored) if stored else derived_letterhead(unit)


def certificate_letterhead() -> LetterheadInfo | None:
    """The letterhead of the unit that issues the province's certificates, or None while none is chosen."""
    stored = Letterhead.objects.filter(issues_certificates=True).select_related("unit").first()
    return _info(stored) if stored else None


def title_lines(text: str) -> list[str]:
    return [normalize_text(line).upper() for line in (text or "").splitlines() if line.strip()]


def check_signer_title(lines: list[str]) -> None:
    if not lines:
        raise DomainError(_("Hãy ghi chức vụ người ký."), field="signer_title")
    for index, line in enumerate(lines):
        prefix = line.split(" ", 1)[0]
        if prefix.rstrip(".") in {p.rstrip(".") for p in AUTHORITY_PREFIXES} and not prefix.endswith("."):
            raise DomainError(
                _("Viết tắt quyền hạn ký có dấu chấm: «%(prefix)s.».") % {"prefix": prefix}, field="signer_title"
            )
        if prefix in ("TM.", "KT.", "TL.", "TUQ.") and index == len(lines) - 1:
            raise DomainError(
                _("Sau dòng «%(line)s» cần dòng chức vụ của người trực tiếp ký.") % {"line": line}, field="signer_title"
            )


@transaction.atomic
def save_letterhead(
    *,
    unit: OrgUnit,
    superior_body: str = "",
    agency_name: str,
    place_name: str,
    signer_title: str,
    signer_name: str = "",
    issues_certificates: bool = False,
) -> Letterhead:
    """Set the unit's letterhead (names and titles printed in capitals); choosing it to issue certificates takes
    that role from any other unit."""
    agency_name, place_name = normalize_text(agency_name).upper(), normalize_text(place_name)
    if not agency_name:
        raise DomainError(_("Hãy ghi tên cơ quan ban hành như in trên văn bản."), field="agency_name")
    if not place_name:
        raise DomainError(_("Hãy ghi địa danh ghi trước ngày tháng."), field="place_name")
    lines = title_lines(signer_title)
    check_signer_title(lines)
    if issues_certificates:
        Letterhead.objects.filter(issues_certificates=True).exclude(unit=unit).update(issues_certificates=False)
    letterhead, _created = Letterhead.objects.update_or_create(
        unit=unit,
        defaults={
            "superior_body": normalize_text(superior_body).upper(),
            "agency_name": agency_name,
            "place_name": place_name,
            "signer_title": "\n".join(lines),
            "signer_name": normalize_text(signer_name),
            "issues_certificates": issues_certificates,
        },
    )
    return letterhead
