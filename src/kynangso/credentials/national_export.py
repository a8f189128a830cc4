"""Export of certifications for confirmation on the national identity platform (VNeID): CSV or JSON per unit and
period, each certification exported once, every export logged (who, when) and every national ID read audited."""

import datetime
import io
import json
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from kynangso.accounts import api as accounts
from kynangso.credentials import issuer, selectors
from kynangso.credentials.models import Credential, NationalExport
from kynangso.errors import DomainError
from kynangso.orgs import api as orgs
from kynangso.people import api as people
from kynangso.tabular import write_csv

# 2: sex in Vietnamese («Nam», «Nữ»), the issuing unit in every row (don_vi_cap).
FORMAT_VERSION = "2"
# Column names of the CSV and keys of the JSON records (documented in docs/credentials.md).
COLUMNS = (
    "ma_chung_nhan",
    "so_dinh_danh",
    "ho_ten",
    "ngay_sinh",
    "gioi_tinh",
    "ma_don_vi",
    "ten_don_vi",
    "loai_thanh_tich",
    "ma_thanh_tich",
    "ten_thanh_tich",
    "ngay_dat",
    "ngay_cap",
    "duong_dan_kiem_tra",
    "don_vi_cap",
)
# Values of the file, not words of the interface: they stay Vietnamese whatever language the exporter reads.
SEX_VALUES = {people.Sex.MALE: "Nam", people.Sex.FEMALE: "Nữ"}


@dataclass(frozen=True)
class ExportFile:
    export: NationalExport
    filename: str
    content_type: str
    content: bytes


def _period_bounds(start: datetime.date, end: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    zone = timezone.get_current_timezone()
    return (
        datetime.datetime.combine(start, datetime.time.min, tzinfo=zone),
        datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone),
    )


def pending_certifications(*, actor, unit, period_start: datetime.date, period_end: datetime.date) -> QuerySet:
    """Certifications reached in the period by people of `unit`'s subtree (in the actor's export scope), not revoked
    and not exported before."""
    subtree = orgs.subtree_unit_ids([unit.pk])
    since, until = _period_bounds(period_start, period_end)
    return (
        selectors.credentials_in_scope(actor, accounts.capabilities.CREDENTIALS_EXPORT)
        .filter(Q(person__residence_unit_id__in=subtree) | Q(person__workplace_unit_id__in=subtree))
        .filter(national_export__isnull=True, revoked_at__isnull=True, achieved_at__gte=since, achieved_at__lt=until)
        .order_by("achieved_at", "id")
    )


def export_certifications(
    *,
    actor,
    unit,
    period_start: datetime.date,
    period_end: datetime.date,
    file_format: str,
    ip_address: str | None = None,
) -> ExportFile:
    """Export the pending certifications of the unit and period, marking them exported in a logged export."""
    if not accounts.has_capability(actor, accounts.capabilities.CREDENTIALS_EXPORT, unit.pk):
        raise DomainError(_("Bạn không có quyền xuất dữ liệu chứng nhận của đơn vị này."), code="forbidden")
    if period_end < period_start:
        raise DomainError(_("Ngày kết thúc phải sau ngày bắt đầu."), field="period_end")
    if file_format not in NationalExport.Format.values:
        raise DomainError(_("Định dạng tệp không hợp lệ."), field="file_format")
    with transaction.atomic():
        # Locked, so two administrators exporting at once cannot both export the same certification.
        pending = list(
            pending_certifications(
                actor=actor, unit=unit, period_start=period_start, period_end=period_end
            ).select_for_update(of=("self",))
        )
        export = NationalExport.objects.create(
            unit=unit, period_start=period_start, period_end=period_end, file_format=file_format, created_by=actor
        )
        records = _records(pending, actor=actor, ip_address=ip_address)
        exported_ids = [record.pop("_id") for record in records]
        Credential.objects.filter(pk__in=exported_ids, national_export__isnull=True).update(national_export=export)
        export.row_count = len(exported_ids)
        export.save(update_fields=["row_count"])
    return _file(export, records)


def reexport(*, export: NationalExport, actor, ip_address: str | None = None) -> ExportFile:
    """The file of an earlier export again (the file itself is never stored: it holds national IDs)."""
    if not accounts.has_capability(actor, accounts.capabilities.CREDENTIALS_EXPORT, export.unit_id):
        raise DomainError(_("Bạn không có quyền xuất dữ liệu chứng nhận của đơn vị này."), code="forbidden")
    credentials = list(
        export.credentials.select_related("person", "person__residence_unit").order_by("achieved_at", "id")
    )
    records = _records(credentials, actor=actor, ip_address=ip_address)
    for record in records:
        record.pop("_id")
    return _file(export, records)


def exports_visible_to(user) -> QuerySet:
    qs = NationalExport.objects.select_related("unit", "created_by")
    unit_ids = accounts.scope_unit_ids(user, accounts.capabilities.CREDENTIALS_EXPORT)
    return qs if unit_ids is None else qs.filter(unit_id__in=unit_ids)


def _records(credentials: list[Credential], *, actor, ip_address: str | None) -> list[dict]:
    by_person: dict[int, list[Credential]] = {}
    for credential in credentials:
        by_person.setdefault(credential.person_id, []).append(credential)
    persons = [items[0].person for items in by_person.values()]
    records = []
    issuing_unit = issuer.issuer_name()
    for person, data in people.reveal_many(
        persons, actor=actor, channel=people.AccessChannel.EXPORT, ip_address=ip_address
    ):
        for credential in by_person[person.pk]:
            records.append(
                {
                    "_id": credential.pk,
                    "ma_chung_nhan": str(credential.public_id),
                    "so_dinh_danh": data.national_id,
                    "ho_ten": person.full_name,
                    "ngay_sinh": person.birth_date.isoformat(),
                    "gioi_tinh": SEX_VALUES.get(person.sex, ""),
                    "ma_don_vi": person.residence_unit.code,
                    "ten_don_vi": person.residence_unit.name,
                    "loai_thanh_tich": credential.achievement_kind,
                    "ma_thanh_tich": credential.achievement_code,
                    "ten_thanh_tich": credential.achievement_name,
                    "ngay_dat": timezone.localtime(credential.achieved_at).date().isoformat(),
                    "ngay_cap": timezone.localtime(credential.issued_at).date().isoformat(),
                    "duong_dan_kiem_tra": issuer.credential_url(credential.public_id),
                    "don_vi_cap": issuing_unit,
                }
            )
    records.sort(key=lambda record: (record["ngay_dat"], record["ma_chung_nhan"]))
    return records


def _file(export: NationalExport, records: list[dict]) -> ExportFile:
    stem = f"xac-nhan-ky-nang-so_{export.unit.code}_{export.period_start:%Y%m%d}-{export.period_end:%Y%m%d}_{export.pk}"
    if export.file_format == NationalExport.Format.JSON:
        body = {
            "phien_ban": FORMAT_VERSION,
            "ma_lan_xuat": export.pk,
            "don_vi": export.unit.code,
            "tu_ngay": export.period_start.isoformat(),
            "den_ngay": export.period_end.isoformat(),
            "xuat_luc": timezone.localtime(export.created_at).isoformat(timespec="seconds"),
            "don_vi_cap": issuer.issuer_name(),
            "ma_don_vi_cap": issuer.issuer_did(),
            "so_ban_ghi": len(records),
            "ban_ghi": records,
        }
        return ExportFile(
            export=export,
            filename=stem + ".json",
            content_type="application/json; charset=utf-8",
            content=json.dumps(body, ensure_ascii=False, indent=1).encode("utf-8"),
        )
    buffer = io.StringIO()
    # Through the shared writer: a name typed as «=HYPERLINK(…)» must reach the file as text, not as a formula.
    write_csv(buffer, headers=COLUMNS, rows=([record[column] for column in COLUMNS] for record in records))
    # UTF-8 with a byte order mark so that Excel shows the Vietnamese names correctly.
    return ExportFile(
        export=export,
        filename=stem + ".csv",
        content_type="text/csv; charset=utf-8",
        content=buffer.getvalue().encode("utf-8-sig"),
    )
