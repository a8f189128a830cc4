"""Training classes: registration within capacity, attendance ticked on a phone within scope, and the attendance
spreadsheet import that writes all rows or none."""

import datetime

import pytest

from kynangso.accounts.api import SYSTEM
from kynangso.errors import DomainError
from kynangso.learning import api as learning
from kynangso.learning.models import Attendance, TrainingClass
from tests.factories import make_national_id, make_person, make_user, write_table

DAY = datetime.date(2026, 3, 2)
HEADER = ["Số định danh cá nhân", "Họ và tên", "Ngày tham dự"]


@pytest.fixture
def training_class(province, commune_admin):
    return learning.save_class(
        actor=commune_admin,
        training_class=TrainingClass(
            organising_unit=province.a,
            title="Tập huấn dịch vụ công trực tuyến",
            starts_on=DAY,
            ends_on=DAY + datetime.timedelta(days=1),
            target_group="resident",
            competences="2.3:1, 4.1:1",
            capacity=2,
            place="Hội trường UBND xã",
        ),
    )


@pytest.fixture
def helper(province):
    return make_user("hotro_a", "helper", province.a)


def person_with_id(unit, name, serial):
    from tests.factories import make_national_id

    number = make_national_id(datetime.date(1970, 1, 1), "male", serial=serial)
    return make_person(unit, full_name=name, birth_date=datetime.date(1970, 1, 1), national_id=number), number


def test_a_unit_admin_cannot_organise_a_class_for_another_unit(province, commune_admin):
    with pytest.raises(DomainError):
        learning.save_class(
            actor=commune_admin,
            training_class=TrainingClass(
                organising_unit=province.b, title="Lớp phường B", starts_on=DAY, ends_on=DAY, target_group="resident"
            ),
        )


def test_registration_stops_at_capacity(training_class, province, commune_admin):
    for n in range(2):
        learning.register(
            training_class=training_class,
            person=make_person(province.a, full_name=f"Học viên {n}"),
            actor=commune_admin,
        )
    with pytest.raises(DomainError):
        learning.register(
            training_class=training_class, person=make_person(province.a, full_name="Người thứ ba"), actor=commune_admin
        )


def test_a_helper_ticks_a_person_of_their_commune_present(training_class, helper, province):
    person = make_person(province.a, full_name="Phạm Thị Lan")
    learning.mark_present(actor=helper, training_class=training_class, person_id=person.pk, day=DAY)
    assert Attendance.objects.get().person == person


def test_a_helper_cannot_tick_someone_outside_their_scope_who_did_not_register(training_class, helper, province):
    outsider = make_person(province.b, full_name="Người phường khác")
    with pytest.raises(DomainError):
        learning.mark_present(actor=helper, training_class=training_class, person_id=outsider.pk, day=DAY)


def test_a_registered_person_from_elsewhere_can_be_ticked(training_class, helper, province):
    visitor = make_person(province.b, full_name="Khách phường B")
    learning.register(training_class=training_class, person=visitor, actor=SYSTEM)
    learning.mark_present(actor=helper, training_class=training_class, person_id=visitor.pk, day=DAY)
    assert Attendance.objects.filter(person=visitor).exists()


def test_attendance_outside_the_class_days_is_refused(training_class, helper, province):
    person = make_person(province.a, full_name="Phạm Thị Lan")
    with pytest.raises(DomainError):
        learning.mark_present(
            actor=helper, training_class=training_class, person_id=person.pk, day=DAY + datetime.timedelta(days=5)
        )


def test_the_search_finds_people_without_diacritics(training_class, helper, province):
    person = make_person(province.a, full_name="Đặng Thị Ngọc Ánh")
    rows = learning.attendance_candidates(actor=helper, training_class=training_class, query="dang thi ngoc")
    assert [row["person"] for row in rows] == [person]


def test_an_attendance_file_without_errors_is_recorded(training_class, commune_admin, province, tmp_path):
    first, first_id = person_with_id(province.a, "Nguyễn Văn Hùng", 501)
    second, second_id = person_with_id(province.a, "Lê Thị Mai", 502)
    path = write_table(
        tmp_path / "diem-danh.xlsx",
        [HEADER, [first_id, "Nguyễn Văn Hùng", "02/03/2026"], [second_id, "le thi mai", ""]],
    )
    report = learning.import_attendance(path, actor=commune_admin, training_class=training_class, apply=True)
    assert report.applied and report.added == 2 and report.errors == []
    assert set(Attendance.objects.values_list("person_id", flat=True)) == {first.pk, second.pk}


def test_one_bad_row_and_nothing_is_recorded_with_the_reason_per_row(training_class, commune_admin, province, tmp_path):
    _first, first_id = person_with_id(province.a, "Nguyễn Văn Hùng", 511)
    _other, other_id = person_with_id(province.b, "Trần Văn Tư", 512)
    path = write_table(
        tmp_path / "diem-danh.xlsx",
        [
            HEADER,
            [first_id, "Nguyễn Văn Hùng", "02/03/2026"],
            [other_id, "Trần Văn Tư", ""],
            ["123", "Ai Đó", ""],
            [first_id, "Nguyễn Văn Hùng", "09/03/2026"],
        ],
    )
    report = learning.import_attendance(path, actor=commune_admin, training_class=training_class, apply=True)
    assert not report.applied
    assert Attendance.objects.count() == 0
    errors = dict(report.errors)
    assert sorted(errors) == [3, 4, 5]
    assert "không tìm thấy người mang số định danh này trong phạm vi điểm danh của bạn" in errors[3]
    assert "12" in errors[4]  # the national ID must have 12 digits
    assert "không nằm trong thời gian của lớp" in errors[5] and "trùng người với dòng 2" in errors[5]


def test_a_name_that_does_not_match_the_record_is_an_error(training_class, commune_admin, province, tmp_path):
    _person, number = person_with_id(province.a, "Nguyễn Văn Hùng", 521)
    path = write_table(tmp_path / "diem-danh.csv", [HEADER, [number, "Nguyễn Văn Hưng", ""]])
    report = learning.import_attendance(path, actor=commune_admin, training_class=training_class, apply=True)
    assert "không khớp" in report.errors[0][1] and Attendance.objects.count() == 0


def test_an_id_outside_scope_answers_like_an_unknown_id_and_never_names_its_holder(
    training_class, helper, province, tmp_path
):
    _outsider, outsider_id = person_with_id(province.b, "Trần Văn Hiếu", 541)
    unknown_id = make_national_id(datetime.date(1970, 1, 1), "male", serial=542)
    path = write_table(tmp_path / "diem-danh.csv", [HEADER, [outsider_id, "X", ""], [unknown_id, "X", ""]])

    report = learning.import_attendance(path, actor=helper, training_class=training_class, apply=False)

    errors = dict(report.errors)
    assert errors[2] == errors[3]
    assert "Trần Văn Hiếu" not in errors[2] and "không khớp" not in errors[2]


def test_importing_the_same_file_twice_changes_nothing(training_class, commune_admin, province, tmp_path):
    _person, number = person_with_id(province.a, "Nguyễn Văn Hùng", 531)
    path = write_table(tmp_path / "diem-danh.xlsx", [HEADER, [number, "Nguyễn Văn Hùng", ""]])
    learning.import_attendance(path, actor=commune_admin, training_class=training_class, apply=True)
    again = learning.import_attendance(path, actor=commune_admin, training_class=training_class, apply=True)
    assert (again.added, again.already) == (0, 1) and Attendance.objects.count() == 1


# The actor is required (issue 13, finding 17) ------------------------------------------------------------------------


def test_saving_or_filling_a_class_without_an_actor_fails(training_class, province):
    person = make_person(province.a)

    with pytest.raises(TypeError, match="actor is required"):
        learning.register(training_class=training_class, person=person, actor=None)
    with pytest.raises(TypeError):
        learning.register(training_class=training_class, person=person)  # the actor forgotten
    with pytest.raises(TypeError, match="actor is required"):
        learning.save_class(
            actor=None,
            training_class=TrainingClass(
                organising_unit=province.b,
                title="Lớp không ai tổ chức",
                starts_on=DAY,
                ends_on=DAY,
                target_group="resident",
            ),
        )

    assert not training_class.registrations.exists()
    assert not TrainingClass.objects.filter(title="Lớp không ai tổ chức").exists()


def test_a_helper_who_only_takes_attendance_cannot_put_people_on_the_class_list(training_class, helper, province):
    with pytest.raises(DomainError) as error:
        learning.register(training_class=training_class, person=make_person(province.a), actor=helper)

    assert error.value.code == "forbidden"
    assert not training_class.registrations.exists()


def test_a_registration_by_the_system_is_recorded_as_made_by_no_user(training_class, province):
    registration = learning.register(training_class=training_class, person=make_person(province.a), actor=SYSTEM)

    assert registration.registered_by is None
