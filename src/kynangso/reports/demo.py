"""The reports app's part of the demo province (idempotent: running it twice changes nothing): this year's annual
report of Xã Tân Phú (approved), of Phường Hòa Bình (submitted, awaiting the province) and the province's draft."""

from django.contrib.auth import get_user_model
from django.utils import timezone

from kynangso.orgs import api as orgs
from kynangso.reports import services
from kynangso.reports.models import AnnualReport

PROVINCE_CODE, TAN_PHU, HOA_BINH = "99", "99007", "99002"
COMMUNE_WRITER, PROVINCE_ADMIN = "quantri_xa", "quantri_tinh"

NARRATIVE = {
    "general_assessment": (
        "Năm {year}, đơn vị đã quán triệt và triển khai Kế hoạch phổ cập kỹ năng số, phong trào "
        "«Bình dân học vụ số» đến từng tổ dân phố, ấp; tổ công nghệ số cộng đồng hỗ trợ người dân học và "
        "sát hạch trên nền tảng Kỹ Năng Số.\nSố liệu dưới đây được tổng hợp tự động từ hệ thống (dữ liệu mô phỏng)."
    ),
    "shortcomings": "Tỷ lệ người cao tuổi tham gia học còn thấp; một số ấp sóng di động yếu.",
    "next_year_tasks": "Mở thêm lớp tại nhà văn hóa ấp; phối hợp Đoàn Thanh niên hỗ trợ người cao tuổi.",
    "proposals": "Đề nghị tỉnh hỗ trợ thiết bị cho điểm học tập cộng đồng.",
}


def _report(unit, year, writer, *, number, signer_title, signer_name, place):
    report = services.start_report(unit=unit, year=year, actor=writer)
    fields = {name: text.format(year=year) for name, text in NARRATIVE.items()}
    return services.update_report(
        report=report,
        actor=writer,
        number_symbol=number,
        place_name=place,
        signer_title=signer_title,
        signer_name=signer_name,
        **fields,
    )


def populate(*, today, stdout) -> None:
    """Add this app's demo records to the demo province."""
    users = get_user_model().objects.in_bulk([COMMUNE_WRITER, PROVINCE_ADMIN], field_name="username")
    units = orgs.units_by_code([PROVINCE_CODE, TAN_PHU, HOA_BINH])
    if len(users) < 2 or len(units) < 3:
        return  # the demo province is not loaded
    year = today.year
    if AnnualReport.objects.filter(unit__in=units.values(), year=year).exists():
        return
    writer, province_admin = users[COMMUNE_WRITER], users[PROVINCE_ADMIN]
    approved = _report(
        units[TAN_PHU],
        year,
        writer,
        number="45/BC-UBND",
        place="Tân Phú",
        signer_title="TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH",
        signer_name="Lê Thị Hạnh",
    )
    services.submit_report(report=approved, actor=writer, now=timezone.now())
    services.approve_report(report=approved, actor=province_admin)
    submitted = _report(
        units[HOA_BINH],
        year,
        province_admin,
        number="112/BC-UBND",
        place="Hòa Bình",
        signer_title="TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH",
        signer_name="Nguyễn Văn Phúc",
    )
    services.submit_report(report=submitted, actor=province_admin, now=timezone.now())
    _report(
        units[PROVINCE_CODE],
        year,
        province_admin,
        number="",
        place="Phú Hòa",
        signer_title="TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH",
        signer_name="",
    )
    stdout.write(f"  Báo cáo năm {year}: Xã Tân Phú (đã duyệt), Phường Hòa Bình (chờ duyệt), tỉnh (đang soạn).\n")
