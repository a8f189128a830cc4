"""The roster import: every bad row reported, nothing written unless every row is good, re-import changes nothing."""

import datetime
import io
import os
import stat
import time
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from openpyxl import Workbook, load_workbook

from kynangso.accounts.api import SYSTEM
from kynangso.errors import DomainError
from kynangso.people import api as people
from kynangso.people.models import Person, TargetGroupMembership
from tests.factories import make_national_id, make_person, write_table
from tests.people.roster_files import HEADER, row


def test_good_file_imports_every_row_with_its_groups(province, tmp_path):
    path = write_table(
        tmp_path / "ds.xlsx",
        [
            HEADER,
            row(),
            row(
                name="Lê Văn Cường",
                sex="Nam",
                birth="01/01/1970",
                groups="Cán bộ, công chức, viên chức; Người dân",
                workplace="S01",
            ),
        ],
    )
    report = people.import_roster(path, actor=SYSTEM, apply=True)
    assert (report.created, report.errors, report.applied) == (2, [], True)
    official = Person.objects.get(full_name="Lê Văn Cường")
    assert official.workplace_unit == province.department
    assert set(official.memberships.values_list("group", flat=True)) == {"official", "resident"}


def test_one_bad_row_imports_nothing_and_names_every_bad_row(province, tmp_path):
    path = write_table(
        tmp_path / "ds.csv", [HEADER, row(), row(birth="31/02/1990"), row(unit="KHONGCO"), row(national_id="123")]
    )
    report = people.import_roster(path, actor=SYSTEM, apply=True)
    assert not report.applied and Person.objects.count() == 0
    lines = dict(report.errors)
    assert set(lines) == {3, 4, 5}
    assert "ngày sinh" in lines[3].lower()
    assert "KHONGCO" in lines[4]
    assert "định danh" in lines[5].lower()


def test_duplicate_national_id_within_the_file_is_reported_on_the_second_row(province, tmp_path):
    same = make_national_id(datetime.date(1990, 9, 2), "female")
    path = write_table(tmp_path / "ds.csv", [HEADER, row(national_id=same), row(name="Khác", national_id=same)])
    report = people.import_roster(path, actor=SYSTEM, apply=True)
    assert [line for line, _m in report.errors] == [3]
    assert "dòng 2" in report.errors[0][1]


def test_reimporting_the_same_file_changes_nothing(province, tmp_path):
    path = write_table(tmp_path / "ds.xlsx", [HEADER, row(), row(name="Phạm Văn Đạt", sex="Nam")])
    people.import_roster(path, actor=SYSTEM, apply=True)
    again = people.import_roster(path, actor=SYSTEM, apply=True)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert Person.objects.count() == 2
    assert TargetGroupMembership.objects.count() == 2


def test_reimport_with_a_new_group_adds_only_that_group(province, tmp_path):
    national_id = make_national_id(datetime.date(1990, 9, 2), "female")
    people.import_roster(
        write_table(tmp_path / "a.csv", [HEADER, row(national_id=national_id)]), actor=SYSTEM, apply=True
    )
    report = people.import_roster(
        write_table(tmp_path / "b.csv", [HEADER, row(national_id=national_id, groups="Người dân; Nông dân")]),
        actor=SYSTEM,
        apply=True,
    )
    assert (report.created, report.updated) == (0, 1)
    assert sorted(TargetGroupMembership.objects.values_list("group", flat=True)) == ["farmer", "resident"]


def test_group_label_with_a_comma_is_one_group(province, tmp_path):
    path = write_table(tmp_path / "ds.csv", [HEADER, row(groups="Cán bộ chuyên trách CĐS, CNTT", workplace="S01")])
    people.import_roster(path, actor=SYSTEM, apply=True)
    assert list(TargetGroupMembership.objects.values_list("group", flat=True)) == ["dx_specialist"]


def test_groups_may_be_written_with_commas_between_them(province, tmp_path):
    path = write_table(tmp_path / "ds.csv", [HEADER, row(groups="Nông dân, Đoàn viên")])
    people.import_roster(path, actor=SYSTEM, apply=True)
    assert sorted(TargetGroupMembership.objects.values_list("group", flat=True)) == ["farmer", "youth_union"]


def test_semicolon_csv_with_byte_order_mark_is_read(province, tmp_path):
    path = tmp_path / "ds.csv"
    lines = [";".join(HEADER), ";".join(row(groups="Nông dân"))]
    path.write_bytes(("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8"))
    report = people.import_roster(path, actor=SYSTEM, apply=True)
    assert report.errors == [] and report.created == 1


def test_excel_numbers_and_dates_are_understood(province, tmp_path):
    """Excel drops the leading zero of an ID typed as a number and stores birth dates as dates."""
    national_id = make_national_id(datetime.date(1990, 9, 2), "female", province_code="001")
    workbook = Workbook()
    workbook.active.append(HEADER)
    workbook.active.append(
        [
            "Trần Thị Bình",
            datetime.datetime(1990, 9, 2),
            "Nữ",
            int(national_id),
            912345678,
            "X001",
            None,
            "Người dân",
            None,
        ]
    )
    workbook.save(tmp_path / "ds.xlsx")
    report = people.import_roster(tmp_path / "ds.xlsx", actor=SYSTEM, apply=True)
    assert report.errors == []
    person = Person.objects.get()
    assert person.birth_date == datetime.date(1990, 9, 2)
    assert person.phone == "0912345678"
    assert people.national_id_digest(national_id) == person.national_id_digest


def test_text_is_stored_nfc_normalised(province, tmp_path):
    import unicodedata

    decomposed = unicodedata.normalize("NFD", "Nguyễn Thị Hoà")
    people.import_roster(write_table(tmp_path / "ds.csv", [HEADER, row(name=decomposed)]), actor=SYSTEM, apply=True)
    assert Person.objects.get().full_name == unicodedata.normalize("NFC", "Nguyễn Thị Hoà")


def test_existing_person_with_other_birth_date_is_refused(province, tmp_path):
    national_id = make_national_id(datetime.date(1990, 9, 2), "female")
    make_person(
        province.a,
        full_name="Trần Thị Bình",
        birth_date=datetime.date(1990, 9, 2),
        sex="female",
        national_id=national_id,
    )
    path = write_table(tmp_path / "ds.csv", [HEADER, row(national_id=national_id, birth="03/09/1990")])
    report = people.import_roster(path, actor=SYSTEM, apply=True)
    assert report.errors and not report.applied


def test_commune_admin_cannot_import_into_another_commune(province, commune_admin, tmp_path):
    path = write_table(tmp_path / "ds.csv", [HEADER, row(unit="X001"), row(name="Ngoài phạm vi", unit="X002")])
    report = people.import_roster(path, actor=commune_admin, apply=True)
    assert [line for line, _m in report.errors] == [3]
    assert "phạm vi" in report.errors[0][1]
    assert Person.objects.count() == 0


def test_missing_required_column_is_one_clear_error(province, tmp_path):
    path = write_table(tmp_path / "ds.csv", [HEADER[:3], ["Trần Thị Bình", "02/09/1990", "Nữ"]])
    with pytest.raises(DomainError) as error:
        people.import_roster(path, actor=SYSTEM, apply=True)
    assert "«Số định danh cá nhân»" in error.value.message and "«Mã đơn vị cư trú»" in error.value.message


def test_error_report_marks_each_bad_row_and_keeps_the_good_ones(province, tmp_path):
    path = write_table(tmp_path / "ds.xlsx", [HEADER, row(), row(unit="KHONGCO")])
    report = people.import_roster(path, actor=SYSTEM, apply=False)
    people.write_error_report(path, report.errors, tmp_path / "loi.xlsx")
    sheet = load_workbook(tmp_path / "loi.xlsx").active
    values = list(sheet.iter_rows(values_only=True))
    assert len(values) == 3
    assert values[0][-1] == "Lỗi cần sửa"
    assert values[1][-1] in (None, "")
    assert "KHONGCO" in values[2][-1]


def test_template_imports_cleanly_once_its_example_row_is_replaced(province, tmp_path):
    people.write_template(tmp_path / "mau.xlsx", actor=SYSTEM)
    workbook = load_workbook(tmp_path / "mau.xlsx")
    for column, value in enumerate(row(), start=1):
        workbook["Danh sách"].cell(row=2, column=column, value=value)
    workbook.save(tmp_path / "mau.xlsx")
    report = people.import_roster(tmp_path / "mau.xlsx", actor=SYSTEM, apply=False)
    assert report.errors == [] and report.created == 1


def test_dry_run_writes_nothing(province, tmp_path):
    report = people.import_roster(write_table(tmp_path / "ds.csv", [HEADER, row()]), actor=SYSTEM, apply=False)
    assert report.created == 1 and not report.applied and Person.objects.count() == 0


def _upload(path):
    """The file as the web page receives it, kept by `save_upload` (encrypted, 0600)."""
    return people.save_upload(SimpleUploadedFile(path.name, path.read_bytes()))


def _run(django_capture_on_commit_callbacks, **kwargs):
    with django_capture_on_commit_callbacks(execute=True):
        job = people.start_roster_import(**kwargs)
    job.refresh_from_db()
    return job


def test_roster_job_runs_inline_and_leaves_an_error_file(
    province, tmp_path, provincial_admin, django_capture_on_commit_callbacks
):
    upload = _upload(write_table(tmp_path / "ds.xlsx", [HEADER, row(unit="KHONGCO")]))
    job = _run(django_capture_on_commit_callbacks, upload_path=upload, actor=provincial_admin, apply=True)
    assert job.result["error_count"] == 1
    assert Path(job.result["error_file"]).exists()
    assert Person.objects.count() == 0


# Files left on disk (issue 13, finding 6) ----------------------------------------------------------------------------


def test_an_uploaded_roster_is_kept_encrypted_and_readable_by_the_server_only(province, tmp_path):
    national_id = make_national_id(datetime.date(1990, 9, 2), "female")
    upload = _upload(write_table(tmp_path / "ds.csv", [HEADER, row(national_id=national_id)]))
    assert stat.S_IMODE(upload.stat().st_mode) == 0o600
    assert national_id.encode() not in upload.read_bytes()
    assert "Trần Thị Bình".encode() not in upload.read_bytes()


def test_the_error_report_is_private_and_shows_only_masked_national_ids(
    province, tmp_path, provincial_admin, django_capture_on_commit_callbacks
):
    national_id = make_national_id(datetime.date(1990, 9, 2), "female")
    upload = _upload(write_table(tmp_path / "ds.xlsx", [HEADER, row(national_id=national_id, unit="KHONGCO")]))
    job = _run(django_capture_on_commit_callbacks, upload_path=upload, actor=provincial_admin, apply=False)
    error_file = Path(job.result["error_file"])
    assert stat.S_IMODE(error_file.stat().st_mode) == 0o600
    values = list(load_workbook(error_file).active.iter_rows(values_only=True))
    assert values[1][3] == "*********" + national_id[-3:]
    assert not any(national_id in str(value) for line in values for value in line)


def test_a_check_with_errors_deletes_the_upload(
    province, tmp_path, provincial_admin, django_capture_on_commit_callbacks
):
    upload = _upload(write_table(tmp_path / "ds.csv", [HEADER, row(unit="KHONGCO")]))
    _run(django_capture_on_commit_callbacks, upload_path=upload, actor=provincial_admin, apply=False)
    assert not upload.exists()


def test_a_clean_check_keeps_the_upload_until_the_import_is_applied(
    province, tmp_path, provincial_admin, django_capture_on_commit_callbacks
):
    upload = _upload(write_table(tmp_path / "ds.csv", [HEADER, row()]))
    checked = _run(django_capture_on_commit_callbacks, upload_path=upload, actor=provincial_admin, apply=False)
    assert checked.result["error_count"] == 0 and upload.exists()
    applied = _run(django_capture_on_commit_callbacks, upload_path=upload, actor=provincial_admin, apply=True)
    assert applied.result["applied"] and Person.objects.count() == 1
    assert not upload.exists()


def test_uploads_and_error_reports_older_than_the_retention_are_deleted(province, tmp_path, settings):
    settings.UPLOAD_RETENTION_HOURS = 24
    old = _upload(write_table(tmp_path / "a.csv", [HEADER, row()]))
    recent = _upload(write_table(tmp_path / "b.csv", [HEADER, row()]))
    two_days_ago = time.time() - 48 * 3600
    os.utime(old, (two_days_ago, two_days_ago))
    call_command("clean-uploads", stdout=io.StringIO())
    assert not old.exists() and recent.exists()


def test_a_roster_confirmed_after_its_upload_was_deleted_fails_with_a_clear_message(
    province, tmp_path, provincial_admin, django_capture_on_commit_callbacks
):
    upload = _upload(write_table(tmp_path / "ds.csv", [HEADER, row()]))
    upload.unlink()
    job = _run(django_capture_on_commit_callbacks, upload_path=upload, actor=provincial_admin, apply=True)
    assert job.status == "failed" and "tải tệp lên lại" in job.error


# Oracles (issue 13, finding 7) ---------------------------------------------------------------------------------------


def test_an_id_registered_outside_scope_gets_the_same_message_whatever_the_birth_date(
    province, commune_admin, tmp_path
):
    national_id = make_national_id(datetime.date(1990, 9, 2), "female")
    make_person(
        province.b,
        full_name="Người Xã Khác",
        birth_date=datetime.date(1990, 9, 2),
        sex="female",
        national_id=national_id,
    )
    right = people.import_roster(
        write_table(tmp_path / "a.csv", [HEADER, row(national_id=national_id)]), actor=commune_admin, apply=False
    )
    wrong = people.import_roster(
        write_table(tmp_path / "b.csv", [HEADER, row(national_id=national_id, birth="03/09/1990")]),
        actor=commune_admin,
        apply=False,
    )
    assert right.errors == wrong.errors
    assert "đơn vị khác" in right.errors[0][1]
    assert "Người Xã Khác" not in right.errors[0][1] and "Bình Minh" not in right.errors[0][1]


# Limits of uploads (issue 13, finding 5) -----------------------------------------------------------------------------


def test_a_roster_of_more_rows_than_the_limit_is_refused_with_a_clear_message(province, tmp_path, settings):
    settings.UPLOAD_MAX_ROWS = 20000
    path = tmp_path / "ds.csv"
    line = ",".join(row(national_id="001190012345")) + "\r\n"
    path.write_text(",".join(HEADER) + "\r\n" + line * 50_000, encoding="utf-8")
    with pytest.raises(DomainError) as error:
        people.import_roster(path, actor=SYSTEM, apply=False)
    assert "20.000 dòng" in error.value.message


def _xlsx_of_rows(path, rows):
    """A real workbook whose sheet XML is written directly (as an attacker would), so that 50,000 rows take a
    moment to build rather than openpyxl's minute."""
    import zipfile
    from xml.sax.saxutils import escape

    buffer = io.BytesIO()
    Workbook().save(buffer)

    def xml_row(number, values):
        cells = "".join(f'<c t="inlineStr"><is><t>{escape(str(value))}</t></is></c>' for value in values)
        return f'<row r="{number}">{cells}</row>'

    sheet = (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        + "".join(xml_row(number, values) for number, values in enumerate(rows, start=1))
        + "</sheetData></worksheet>"
    )
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            data = sheet.encode() if member.filename == "xl/worksheets/sheet1.xml" else source.read(member)
            target.writestr(member.filename, data)
    return path


def test_a_small_xlsx_of_50_000_rows_is_refused_before_its_rows_are_checked(province, tmp_path):
    same = row(national_id="001190012345")
    _xlsx_of_rows(tmp_path / "ds.xlsx", [HEADER] + [same] * 50_000)
    assert (tmp_path / "ds.xlsx").stat().st_size < 200 * 1024
    with pytest.raises(DomainError) as error:
        people.import_roster(tmp_path / "ds.xlsx", actor=SYSTEM, apply=False)
    assert "chia thành nhiều tệp" in error.value.message


def test_a_roster_larger_than_the_byte_limit_is_refused_before_it_is_read(province, tmp_path, settings):
    settings.UPLOAD_MAX_BYTES = 1024
    path = write_table(tmp_path / "ds.csv", [HEADER] + [row() for _ in range(30)])
    with pytest.raises(DomainError) as error:
        people.import_roster(path, actor=SYSTEM, apply=False)
    assert "quá lớn" in error.value.message


def test_the_upload_form_refuses_a_file_over_the_byte_limit(settings):
    from kynangso.web.forms import RosterUploadForm

    settings.UPLOAD_MAX_BYTES = 10
    form = RosterUploadForm(data={}, files={"file": SimpleUploadedFile("ds.csv", b"x" * 11)})
    assert not form.is_valid() and "quá lớn" in form.errors["file"][0]


def test_a_csv_saved_in_utf16_is_read(province, tmp_path):
    path = tmp_path / "ds.csv"
    lines = ["\t".join(HEADER), "\t".join(row(name="Lê Thị Hoà"))]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("utf-16"))  # what Excel's «Unicode Text» writes
    report = people.import_roster(path, actor=SYSTEM, apply=True)
    assert report.errors == [] and Person.objects.get().full_name == "Lê Thị Hoà"


def test_a_csv_in_utf16_without_byte_order_mark_names_the_encoding(province, tmp_path):
    path = tmp_path / "ds.csv"
    path.write_bytes(",".join(HEADER).encode("utf-16-le"))
    with pytest.raises(DomainError) as error:
        people.import_roster(path, actor=SYSTEM, apply=False)
    assert "UTF-8" in error.value.message


def test_the_error_report_of_many_bad_rows_shades_each_once_and_keeps_every_row(province, tmp_path):
    rows = [HEADER] + [
        row(unit="KHONGCO", national_id=make_national_id(datetime.date(1990, 9, 2), "female", serial=n))
        for n in range(300)
    ]
    path = write_table(tmp_path / "ds.csv", rows)
    report = people.import_roster(path, actor=SYSTEM, apply=False)
    people.write_error_report(path, report.errors, tmp_path / "loi.xlsx")
    sheet = load_workbook(tmp_path / "loi.xlsx").active
    assert sheet.max_row == 301
    assert all(sheet.cell(row=r, column=10).comment is not None for r in range(2, 302))


def test_the_error_report_is_deleted_once_fetched(
    province, tmp_path, commune_admin, client, django_capture_on_commit_callbacks
):
    from kynangso.jobs import api as jobs

    client.force_login(commune_admin)
    path = write_table(tmp_path / "ds.csv", [HEADER, row(unit="KHONGCO")])
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/nguoi/nhap/", {"file": SimpleUploadedFile("ds.csv", path.read_bytes())})
    job = jobs.Job.objects.get()
    error_file = Path(job.result["error_file"])
    first = client.get(f"/tac-vu/{job.pk}/tep-loi.xlsx")
    assert first.status_code == 200 and b"".join(first.streaming_content)
    assert not error_file.exists()
    assert client.get(f"/tac-vu/{job.pk}/tep-loi.xlsx").status_code == 404


# History and the unit of residence (issue 13, finding 17 follow-up) --------------------------------------------------


def test_a_roster_registers_each_new_person_in_their_history_with_the_importer(province, commune_admin, tmp_path):
    people.import_roster(write_table(tmp_path / "ds.csv", [HEADER, row()]), actor=commune_admin, apply=True)

    person = Person.objects.get()
    assert [(c.field, c.new_value, c.changed_by) for c in person.changes.all()] == [
        ("registered", "Xã An Bình", commune_admin)
    ]


def test_a_roster_that_changes_a_person_writes_every_change_to_the_history_with_the_phone_masked(
    province, commune_admin, tmp_path
):
    national_id = make_national_id(datetime.date(1990, 9, 2), "female")
    person = make_person(
        province.a,
        full_name="Trần Thị Bình",
        birth_date=datetime.date(1990, 9, 2),
        sex="female",
        national_id=national_id,
        phone="0912345678",
    )

    report = people.import_roster(
        write_table(
            tmp_path / "ds.csv",
            [HEADER, row(name="Trần Thị Bính", national_id=national_id, phone="0987654321", workplace="TH01")],
        ),
        actor=commune_admin,
        apply=True,
    )

    assert (report.updated, report.errors) == (1, [])
    history = {(c.field, c.old_value, c.new_value, c.changed_by) for c in person.changes.exclude(field="registered")}
    assert history == {
        ("full_name", "Trần Thị Bình", "Trần Thị Bính", commune_admin),
        ("phone", "09******78", "09******21", commune_admin),
        ("workplace_unit", "", "Trường Tiểu học An Bình", commune_admin),
    }


def test_a_roster_applied_by_the_system_records_no_user_in_the_history(province, tmp_path):
    national_id = make_national_id(datetime.date(1990, 9, 2), "female")
    person = make_person(
        province.a,
        full_name="Trần Thị Bình",
        birth_date=datetime.date(1990, 9, 2),
        sex="female",
        national_id=national_id,
    )

    people.import_roster(
        write_table(tmp_path / "ds.csv", [HEADER, row(national_id=national_id, unit="X002")]), actor=SYSTEM, apply=True
    )

    change = person.changes.get(field="residence_unit")
    assert (change.old_value, change.new_value, change.changed_by) == ("Xã An Bình", "Phường Bình Minh", None)


@pytest.mark.parametrize("name", ["Phạm Giáo Viên", "Tên Khác Hẳn"])
def test_the_workplace_admin_cannot_move_or_rename_by_roster_a_person_living_elsewhere(
    province, commune_admin, tmp_path, name
):
    national_id = make_national_id(datetime.date(1990, 9, 2), "female")
    teacher = make_person(
        province.b,
        full_name="Phạm Giáo Viên",
        birth_date=datetime.date(1990, 9, 2),
        sex="female",
        national_id=national_id,
        workplace=province.school,
        phone="0911111111",
    )

    report = people.import_roster(
        write_table(
            tmp_path / "ds.csv", [HEADER, row(name=name, national_id=national_id, unit="X001", workplace="TH01")]
        ),
        actor=commune_admin,
        apply=True,
    )

    assert report.applied is False
    [(line, message)] = report.errors
    assert message == (
        "người này cư trú ở đơn vị ngoài phạm vi của bạn: chỉ đơn vị nơi cư trú mới được sửa họ tên, "
        "số điện thoại hoặc nơi cư trú"
    )
    teacher.refresh_from_db()
    assert (teacher.full_name, teacher.phone, teacher.residence_unit) == ("Phạm Giáo Viên", "0911111111", province.b)
    assert not teacher.changes.exclude(field="registered").exists()


def test_the_roster_refuses_a_missing_actor(province, tmp_path):
    with pytest.raises(TypeError, match="actor is required"):
        people.import_roster(write_table(tmp_path / "ds.csv", [HEADER, row()]), actor=None, apply=True)
    with pytest.raises(TypeError):
        people.import_roster(write_table(tmp_path / "ds.csv", [HEADER, row()]), apply=True)  # the actor forgotten

    assert not Person.objects.exists()
