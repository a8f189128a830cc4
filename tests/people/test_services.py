"""Registering and changing people: the ID is kept encrypted, one ID is one person, and admins act only in their scope."""

import datetime
import unicodedata

import pytest
from django.db import connection

from kynangso.accounts.api import SYSTEM
from kynangso.accounts.models import Role
from kynangso.errors import DomainError
from kynangso.people import api as people
from kynangso.people.identity import national_id_digest
from kynangso.people.models import PersonalDataAccess, TargetGroupMembership
from tests.factories import make_national_id, make_person, make_user

BIRTH = datetime.date(1985, 3, 15)


def register(unit, **changes):
    arguments = {
        "full_name": "Trần Thị Bình",
        "birth_date": datetime.date(2004, 2, 29),
        "sex": "female",
        "national_id": make_national_id(datetime.date(2004, 2, 29), "female"),
        "residence_unit": unit,
        "actor": SYSTEM,
    }
    return people.register_person(**(arguments | changes))


def test_registered_person_has_clean_name_search_key_and_last_digits(province):
    person = register(province.a, full_name="  Trần   Thị Bình ", national_id="001304000777")

    assert (person.full_name, person.search_name, person.national_id_last_digits) == (
        "Trần Thị Bình",
        "tran thi binh",
        "777",
    )


def test_national_id_is_not_stored_in_plain_text(province):
    register(province.a, national_id="001304000777", phone="0912345678")

    with connection.cursor() as cursor:
        cursor.execute("SELECT national_id_ciphertext, national_id_digest FROM people_person")
        stored = cursor.fetchall()

    assert len(stored) == 1
    assert all("001304000777" not in column for column in stored[0])


def test_registered_person_is_found_by_the_digest_of_the_id(province):
    person = register(province.a, national_id="001304000777")

    assert people.Person.objects.get(national_id_digest=national_id_digest("001 304 000 777")) == person


def test_a_second_person_with_the_same_id_is_refused_with_a_clear_message(province):
    register(province.a, national_id="001304000777")

    with pytest.raises(DomainError) as error:
        register(province.b, full_name="Người Khác", national_id="001.304.000.777")

    assert error.value.message == "Số định danh cá nhân này đã được đăng ký cho một người trong hệ thống."
    assert (error.value.field, error.value.code) == ("national_id", "duplicate")
    assert people.Person.objects.count() == 1


def test_an_id_that_contradicts_sex_is_refused_and_nothing_is_stored(province):
    with pytest.raises(DomainError, match="không khớp với giới tính"):
        register(province.a, national_id="001204000777")
    assert not people.Person.objects.exists()


def test_name_typed_in_decomposed_form_is_stored_nfc(province):
    decomposed = unicodedata.normalize("NFD", "Nguyễn Thị Ánh")

    person = register(province.a, full_name=decomposed)

    assert person.full_name == unicodedata.normalize("NFC", "Nguyễn Thị Ánh")
    assert people.Person.objects.filter(full_name="Nguyễn Thị Ánh").exists()


def test_empty_name_is_refused(province):
    with pytest.raises(DomainError, match="Họ và tên không được để trống"):
        register(province.a, full_name="   ")


def test_birth_date_in_the_future_is_refused(province):
    future = datetime.date.today() + datetime.timedelta(days=400)

    with pytest.raises(DomainError, match="Ngày sinh không được ở tương lai"):
        register(province.a, birth_date=future, national_id=make_national_id(future, "female"))


def test_registering_at_a_merged_unit_is_refused(province):
    from kynangso.orgs import api as orgs

    orgs.merge_units(sources=[province.a], into=province.b, effective_date=datetime.date(2025, 7, 1))
    province.a.refresh_from_db()

    with pytest.raises(DomainError, match="«Xã An Bình» đã hết hiệu lực"):
        register(province.a)


def test_unknown_target_group_is_refused(province):
    with pytest.raises(DomainError, match="Nhóm đối tượng không hợp lệ: pirates"):
        register(province.a, target_groups=[("pirates", datetime.date(2024, 1, 1), None)])


def test_commune_admin_registers_a_resident_of_their_commune(province, commune_admin):
    person = register(province.a, actor=commune_admin)

    assert person.residence_unit == province.a


def test_commune_admin_cannot_register_a_resident_of_another_commune(province, commune_admin):
    with pytest.raises(DomainError, match="«Phường Bình Minh» nằm ngoài phạm vi quản lý") as error:
        register(province.b, actor=commune_admin)
    assert error.value.code == "forbidden"


def test_commune_admin_cannot_register_someone_working_outside_their_scope(province, commune_admin):
    with pytest.raises(DomainError, match="nằm ngoài phạm vi quản lý") as error:
        register(province.a, workplace_unit=province.department, actor=commune_admin)
    assert error.value.code == "forbidden"
    assert not people.Person.objects.exists()


def test_commune_admin_changes_the_name_and_phone_of_their_resident(province, commune_admin):
    person = make_person(province.a)

    people.update_person(person=person, actor=commune_admin, full_name="Nguyễn Văn Ân", phone="+84 912 345 678")

    person.refresh_from_db()
    assert (person.full_name, person.search_name, person.phone) == ("Nguyễn Văn Ân", "nguyen van an", "0912345678")


def test_commune_admin_changes_the_workplace_of_a_person_who_works_at_a_school_of_their_commune(
    province, commune_admin
):
    teacher = make_person(province.b, workplace=province.school)

    people.update_person(person=teacher, actor=commune_admin, workplace_unit=province.a)

    teacher.refresh_from_db()
    assert teacher.workplace_unit == province.a


@pytest.mark.parametrize("change", [{"phone": "0987654321"}, {"full_name": "Tên Khác"}, {"residence_unit": "a"}])
def test_the_workplace_admin_cannot_rename_re_phone_or_move_a_person_living_elsewhere(province, commune_admin, change):
    teacher = make_person(province.b, full_name="Phạm Giáo Viên", workplace=province.school, phone="0911111111")
    change = {key: province.a if value == "a" else value for key, value in change.items()}

    with pytest.raises(DomainError, match="Chỉ đơn vị nơi cư trú") as error:
        people.update_person(person=teacher, actor=commune_admin, **change)

    assert error.value.code == "forbidden"
    teacher.refresh_from_db()
    assert (teacher.full_name, teacher.phone, teacher.residence_unit) == ("Phạm Giáo Viên", "0911111111", province.b)
    assert not teacher.changes.exclude(field="registered").exists()


def test_every_change_is_kept_in_the_history_with_the_phone_masked(province, commune_admin):
    person = make_person(province.a, full_name="Nguyễn Văn An", phone="0912345678")

    people.update_person(
        person=person,
        actor=commune_admin,
        full_name="Nguyễn Văn Ân",
        phone="0987654321",
        workplace_unit=province.school,
    )

    history = {(c.field, c.old_value, c.new_value, c.changed_by) for c in person.changes.exclude(field="registered")}
    assert history == {
        ("full_name", "Nguyễn Văn An", "Nguyễn Văn Ân", commune_admin),
        ("phone", "09******78", "09******21", commune_admin),
        ("workplace_unit", "", "Trường Tiểu học An Bình", commune_admin),
    }


def test_an_update_that_changes_nothing_writes_no_history(province, commune_admin):
    person = make_person(province.a, full_name="Nguyễn Văn An", phone="0912345678")

    people.update_person(person=person, actor=commune_admin, full_name="Nguyễn Văn An", phone="0912 345 678")

    assert list(person.changes.values_list("field", flat=True)) == ["registered"]


def test_commune_admin_cannot_change_a_person_of_another_commune(province, commune_admin):
    person = make_person(province.b, full_name="Lê Văn Cường")

    with pytest.raises(DomainError, match="ngoài phạm vi quản lý của bạn") as error:
        people.update_person(person=person, actor=commune_admin, full_name="Tên Mới")

    assert error.value.code == "forbidden"
    person.refresh_from_db()
    assert person.full_name == "Lê Văn Cường"


def test_commune_admin_cannot_move_their_resident_to_another_commune(province, commune_admin):
    person = make_person(province.a)

    with pytest.raises(DomainError, match="«Phường Bình Minh» nằm ngoài phạm vi") as error:
        people.update_person(person=person, actor=commune_admin, residence_unit=province.b)

    assert error.value.code == "forbidden"


def test_provincial_admin_moves_a_person_between_communes(province, provincial_admin):
    person = make_person(province.a)

    people.update_person(person=person, actor=provincial_admin, residence_unit=province.b)

    person.refresh_from_db()
    assert person.residence_unit == province.b


def test_commune_admin_cannot_add_a_target_group_to_a_person_of_another_commune(province, commune_admin):
    person = make_person(province.b)

    with pytest.raises(DomainError) as error:
        people.add_target_group(
            person=person, group="farmer", valid_from=datetime.date(2025, 1, 1), actor=commune_admin
        )

    assert error.value.code == "forbidden"


def test_adding_a_group_the_person_already_has_open_adds_nothing(province):
    person = make_person(province.a, groups=("farmer",))

    assert (
        people.add_target_group(person=person, group="farmer", valid_from=datetime.date(2025, 1, 1), actor=SYSTEM)
        is None
    )
    assert person.memberships.filter(group="farmer").count() == 1


def test_ending_a_group_closes_the_open_membership(province):
    person = make_person(province.a, groups=("student",))

    closed = people.end_target_group(person=person, group="student", valid_to=datetime.date(2025, 6, 30), actor=SYSTEM)

    assert closed == 1
    assert TargetGroupMembership.objects.get(person=person, group="student").valid_to == datetime.date(2025, 6, 30)


def test_commune_admin_reveals_the_id_of_their_resident_and_the_reading_is_logged(province, commune_admin):
    national_id = make_national_id(BIRTH, "male")
    person = make_person(province.a, national_id=national_id, phone="0912345678")

    data = people.reveal_personal_data(person=person, actor=commune_admin, channel="api", ip_address="10.0.0.7")

    assert (data.national_id, data.phone, data.birth_date) == (national_id, "0912345678", BIRTH)
    access = PersonalDataAccess.objects.get()
    assert (access.person, access.accessed_by, access.channel, access.ip_address) == (
        person,
        commune_admin,
        "api",
        "10.0.0.7",
    )


def test_commune_admin_cannot_reveal_a_person_of_another_commune(province, commune_admin):
    person = make_person(province.b)

    with pytest.raises(DomainError, match="không có quyền xem dữ liệu cá nhân") as error:
        people.reveal_personal_data(person=person, actor=commune_admin)

    assert error.value.code == "forbidden"
    assert not PersonalDataAccess.objects.exists()


def test_a_helper_may_view_but_not_reveal(province):
    helper = make_user("to_cong_nghe", Role.HELPER, province.a)
    person = make_person(province.a)

    with pytest.raises(DomainError) as error:
        people.reveal_personal_data(person=person, actor=helper)

    assert error.value.code == "forbidden"


def test_a_person_reading_their_own_data_is_not_logged(province):
    user = make_user("nguoi_dan")
    national_id = make_national_id(BIRTH, "male")
    person = make_person(province.a, user=user, national_id=national_id)

    data = people.reveal_personal_data(person=person, actor=user)

    assert data.national_id == national_id
    assert not PersonalDataAccess.objects.exists()


def test_bulk_access_writes_one_row_per_person(province, provincial_admin):
    first, second = make_person(province.a), make_person(province.b, full_name="Lê Thị Hoa", sex="female")

    people.log_bulk_access(
        person_ids=[first.pk, second.pk], actor=provincial_admin, channel="export", fields="national_id"
    )

    assert set(PersonalDataAccess.objects.values_list("person_id", flat=True)) == {first.pk, second.pk}


def test_a_login_belongs_to_one_person_only(province):
    user = make_user("nguoi_dan")
    make_person(province.a, user=user)
    other = make_person(province.b, full_name="Lê Thị Hoa", sex="female")

    with pytest.raises(DomainError, match="đã gắn với một người khác"):
        people.link_user(person=other, user=user)


def test_a_person_linked_a_moment_ago_keeps_that_login_when_a_second_one_comes_from_a_stale_copy(province):
    first_login, second_login = make_user("dang_nhap_1"), make_user("dang_nhap_2")
    person = make_person(province.a)
    stale = type(person).objects.get(pk=person.pk)  # read by a second sign-in before the first one linked
    people.link_user(person=person, user=first_login)

    with pytest.raises(DomainError) as refused:
        people.link_user(person=stale, user=second_login)

    assert refused.value.code == "duplicate"
    person.refresh_from_db()
    assert person.user_id == first_login.pk
    assert people.link_user(person=stale, user=first_login).user_id == first_login.pk  # the same link again is fine


# The actor is required (issue 13, finding 17) ------------------------------------------------------------------------


def test_registering_without_an_actor_fails_before_anything_is_written(province):
    arguments = {
        "full_name": "Trần Thị Bình",
        "birth_date": BIRTH,
        "sex": "female",
        "national_id": make_national_id(BIRTH, "female"),
        "residence_unit": province.a,
    }

    with pytest.raises(TypeError):
        people.register_person(**arguments)  # the actor forgotten
    with pytest.raises(TypeError, match="actor is required"):
        people.register_person(**arguments, actor=None)

    assert not people.Person.objects.exists()


@pytest.mark.parametrize("service", ["update_person", "add_target_group", "end_target_group"])
def test_changing_a_person_with_actor_none_fails_instead_of_skipping_the_check(province, service):
    person = make_person(province.a, full_name="Nguyễn Văn An", groups=("farmer",))
    arguments = {
        "update_person": {"full_name": "Tên Mới"},
        "add_target_group": {"group": "student", "valid_from": datetime.date(2025, 1, 1)},
        "end_target_group": {"group": "farmer", "valid_to": datetime.date(2025, 1, 1)},
    }[service]

    with pytest.raises(TypeError, match="actor is required"):
        getattr(people, service)(person=person, actor=None, **arguments)
    with pytest.raises(TypeError):
        getattr(people, service)(person=person, **arguments)  # the actor forgotten

    person.refresh_from_db()
    assert person.full_name == "Nguyễn Văn An"
    assert list(person.memberships.values_list("group", "valid_to")) == [("farmer", None)]


def test_the_system_registers_anywhere_and_is_recorded_as_no_user(province):
    person = register(province.b, actor=SYSTEM)

    assert [(c.field, c.changed_by) for c in person.changes.all()] == [("registered", None)]


def test_an_account_without_a_role_cannot_register_change_or_regroup_anyone(province):
    nobody = make_user("khong_vai_tro")
    person = make_person(province.a, groups=("student",))

    with pytest.raises(DomainError) as registering:
        register(province.a, actor=nobody)
    with pytest.raises(DomainError) as renaming:
        people.update_person(person=person, actor=nobody, full_name="Tên Mới")
    with pytest.raises(DomainError) as ending:
        people.end_target_group(person=person, group="student", valid_to=datetime.date(2025, 6, 30), actor=nobody)

    assert {registering.value.code, renaming.value.code, ending.value.code} == {"forbidden"}


def test_the_workplace_admin_sending_the_stored_phone_is_refused_like_any_other_phone(province, commune_admin):
    teacher = make_person(province.b, workplace=province.school, phone="0911111111")

    with pytest.raises(DomainError, match="Chỉ đơn vị nơi cư trú") as same:
        people.update_person(person=teacher, actor=commune_admin, phone="0911111111")
    with pytest.raises(DomainError, match="Chỉ đơn vị nơi cư trú") as other:
        people.update_person(person=teacher, actor=commune_admin, phone="0922222222")

    assert same.value.message == other.value.message
