"""Whatever an official uploads, the roster import answers with row errors or one clear refusal, never a crash:
generated messy rows and files go through the service, the command line, the web page and the job."""

import csv
import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from kynangso.accounts.api import SYSTEM
from kynangso.errors import DomainError
from kynangso.jobs import api as jobs
from kynangso.people import api as people
from tests.people.roster_files import HEADER, person

SYSTEM_FAILURE = "Đã xảy ra lỗi hệ thống"
FUZZ = settings(
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Cells as offices fill them: blanks, our codes and names, dates and numbers of every type, stray characters.
_text = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=20)
_cell = st.one_of(
    st.none(),
    st.just(""),
    _text,
    st.sampled_from(
        [
            "X001",
            "X002",
            "x003",
            "X003",
            "S01",
            "TH01",
            "T01",
            "xã an bình",
            "X. An Bình",
            "Nam",
            "Nữ",
            "nu",
            "2/13/1990",
            "32905",
            "001190000001",
            "012345678",
            "Người dân; Nông dân",
            "Họ và tên",
            "\u200b",
            "=1+1",
        ]
    ),
    st.integers(min_value=-(10**15), max_value=10**15),
    st.floats(allow_nan=True, allow_infinity=True),
    st.dates(min_value=datetime.date(1000, 1, 1)),
    st.booleans(),
)
_header = st.lists(
    st.one_of(st.sampled_from(HEADER + ["Họ", "Họ đệm", "Tên", "STT", "", "Ghi chú"]), _text), max_size=12
)


@st.composite
def _near_valid_row(draw) -> list:
    """A good row of the template with some cells replaced by messy ones."""
    serial = draw(st.integers(min_value=1, max_value=999))
    row = person(
        serial=serial,
        sex=draw(st.sampled_from(["male", "female"])),
        unit=draw(st.sampled_from(["X001", "X002", "x003", "S01", "", "xã an bình"])),
    )
    for index in draw(st.lists(st.integers(min_value=0, max_value=len(row) - 1), max_size=3)):
        row[index] = draw(_cell)
    return row


_rows = st.lists(st.one_of(_near_valid_row(), st.lists(_cell, max_size=12)), max_size=8)
_table = st.tuples(st.one_of(st.just(HEADER), st.just(HEADER), _header), _rows, st.integers(min_value=0, max_value=3))


def _as_text(value) -> str:
    return "" if value is None else value.strftime("%d/%m/%Y") if isinstance(value, datetime.date) else str(value)


def _csv_bytes(header, rows, title_rows, encoding, delimiter) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerows([["Danh sách"]] * title_rows + [header] + [[_as_text(v) for v in row] for row in rows])
    return buffer.getvalue().encode(encoding, errors="replace")


def _xlsx_bytes(header, rows, title_rows, hidden, extra_sheet) -> bytes:
    workbook = Workbook()
    if extra_sheet:
        workbook.active.title = "Ghi chú"
        workbook.active.append(["Hướng dẫn", None, 3])
        sheet = workbook.create_sheet("Danh sách")
    else:
        sheet = workbook.active
    for row in [["DANH SÁCH"]] * title_rows + [header] + rows:
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in row])
    for number in hidden:
        sheet.row_dimensions[number].hidden = True
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@st.composite
def roster_files(draw) -> tuple[str, bytes]:
    """A file name and its bytes: a CSV in any of the encodings offices use (or random bytes), or a workbook with
    title rows, hidden rows and extra sheets."""
    header, rows, title_rows = draw(_table)
    kind = draw(st.sampled_from(["csv", "xlsx", "bytes"]))
    if kind == "csv":
        encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "cp1258", "cp1252", "latin-1"]))
        delimiter = draw(st.sampled_from([",", ";", "\t"]))
        return "ds.csv", _csv_bytes([_as_text(h) for h in header], rows, title_rows, encoding, delimiter)
    if kind == "xlsx":
        hidden = draw(st.lists(st.integers(min_value=1, max_value=12), max_size=3))
        return "ds.xlsx", _xlsx_bytes(header, rows, title_rows, hidden, draw(st.booleans()))
    return draw(st.sampled_from(["ds.csv", "ds.xlsx"])), draw(st.binary(max_size=400))


@pytest.fixture
def fuzz_folder(tmp_path_factory):
    return tmp_path_factory.mktemp("fuzz")


@pytest.fixture
def province(province):
    """The test province with Xã Cũ (X003) merged into Xã An Bình (X001)."""
    from kynangso.orgs import api as orgs
    from tests.factories import make_unit

    old = make_unit("X003", "Xã Cũ", parent=province.root)
    orgs.merge_units(sources=[old], into=province.a, effective_date=datetime.date(2025, 7, 1))
    return province


@pytest.mark.parametrize("actor_name", ["system", "commune_admin"])
@FUZZ
@given(file=roster_files(), include_hidden=st.booleans(), accept=st.booleans())
def test_the_import_never_lets_an_exception_escape(
    province, commune_admin, fuzz_folder, actor_name, file, include_hidden, accept
):
    actor = SYSTEM if actor_name == "system" else commune_admin
    name, data = file
    path = fuzz_folder / name
    path.write_bytes(data)
    try:
        report = people.import_roster(
            path, actor=actor, apply=True, include_hidden=include_hidden, accept_suggestions=accept
        )
    except DomainError as error:
        assert error.message
        event("refused")
        return
    event("rows with errors" if report.errors else "applied")
    assert report.applied == (not report.errors)
    assert all(message for _line, message in report.errors)
    if report.errors:
        people.write_error_report(path, report.errors, io.BytesIO())


@FUZZ
@given(file=roster_files())
def test_the_command_answers_every_file_with_a_message_not_a_traceback(province, fuzz_folder, capsys, file):
    name, data = file
    path = fuzz_folder / name
    path.write_bytes(data)
    try:
        call_command("import-people", str(path), "--dry-run", "--errors", str(fuzz_folder / "loi.xlsx"))
    except CommandError as error:
        assert str(error)


@settings(
    max_examples=20,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(file=roster_files())
def test_the_page_and_its_job_answer_every_file_without_a_system_error(
    province, commune_admin, client, django_capture_on_commit_callbacks, file
):
    name, data = file
    client.force_login(commune_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/nguoi/nhap/", {"file": SimpleUploadedFile(name, data)})
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        job = jobs.Job.objects.order_by("-created_at").first()
        assert job.is_finished and SYSTEM_FAILURE not in (job.error or "")
        page = client.get(response["Location"])
        assert page.status_code == 200 and SYSTEM_FAILURE not in page.content.decode()


def test_the_template_example_row_left_in_the_file_is_a_row_error(province, tmp_path):
    from tests.people import roster_files

    for apply in (False, True):
        report = people.import_roster(roster_files.template_example_left_in(tmp_path), actor=SYSTEM, apply=apply)
        assert report.errors == [(2, "đây là dòng ví dụ của tệp mẫu; hãy xóa dòng này trước khi nhập")]
        assert not report.applied


def test_a_blank_unit_code_is_a_row_error_on_the_command_line(province, tmp_path, capsys):
    from tests.people import roster_files

    path = roster_files.blank_unit_code(tmp_path)
    with pytest.raises(CommandError, match="1 dòng lỗi"):
        call_command("import-people", str(path), "--dry-run")
    assert "Dòng 2: thiếu mã đơn vị cư trú" in capsys.readouterr().err


def test_a_blank_unit_code_is_a_row_error_in_the_web_job(
    province, commune_admin, client, tmp_path, django_capture_on_commit_callbacks
):
    from tests.people import roster_files

    path = roster_files.blank_unit_code(tmp_path)
    client.force_login(commune_admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/nguoi/nhap/", {"file": SimpleUploadedFile(path.name, path.read_bytes())})
    job = jobs.Job.objects.get()
    assert job.status == "succeeded" and job.result["error_count"] == 1
    assert job.result["errors"][0][1].startswith("thiếu mã đơn vị cư trú")


def test_excels_unicode_text_with_quotes_and_tabs_is_read(province, tmp_path):
    from tests.people import roster_files

    report = people.import_roster(roster_files.utf16_unicode_text(tmp_path), actor=SYSTEM, apply=True)
    assert report.errors == [] and report.created == 2
    assert report.encoding == "UTF-16"


def test_a_csv_with_a_cell_larger_than_the_csv_module_allows_is_refused_with_a_message(province, tmp_path):
    path = tmp_path / "ds.csv"
    path.write_bytes((",".join(HEADER) + '\r\n"' + "a" * 2_000_000 + '"\r\n').encode())
    with pytest.raises(DomainError) as error:
        people.import_roster(path, actor=SYSTEM, apply=False)
    assert "CSV" in error.value.message
