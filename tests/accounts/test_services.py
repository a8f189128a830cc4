"""Accounts: creating logins, granting and revoking roles (with the staff flag kept in step), and API tokens."""

import pytest

from kynangso.accounts import api as accounts
from kynangso.accounts.models import ApiToken, Role, RoleAssignment, User
from kynangso.errors import DomainError
from tests.factories import make_user


def test_create_user_stores_a_hashed_password(db):
    user = accounts.create_user(username=" nguyen.an ", password="Mat-khau-an-toan-2025")

    assert user.username == "nguyen.an"
    assert user.check_password("Mat-khau-an-toan-2025")
    assert "Mat-khau-an-toan-2025" not in user.password


def test_a_username_taken_in_another_case_is_refused(db):
    make_user("Nguyen.An")

    with pytest.raises(DomainError, match="Tên đăng nhập «nguyen.an» đã có người dùng") as error:
        accounts.create_user(username="nguyen.an", password="Mat-khau-an-toan-2025")
    assert error.value.field == "username"


def test_an_empty_username_is_refused(db):
    with pytest.raises(DomainError, match="Tên đăng nhập không được để trống"):
        accounts.create_user(username="  ", password="Mat-khau-an-toan-2025")


def test_a_weak_password_is_refused_and_no_account_is_created(db):
    with pytest.raises(DomainError) as error:
        accounts.create_user(username="nguyen.an", password="12345678")

    assert error.value.field == "password"
    assert error.value.message
    assert not User.objects.exists()


def test_a_staff_role_makes_the_user_staff(province):
    user = make_user("quan_tri")

    accounts.assign_role(user=user, role=Role.UNIT_ADMIN, unit=province.a)

    user.refresh_from_db()
    assert user.is_staff


def test_a_learner_role_does_not_make_the_user_staff(province):
    user = make_user("hoc_vien", Role.LEARNER, province.a)

    user.refresh_from_db()
    assert not user.is_staff


def test_revoking_the_last_staff_role_removes_the_staff_flag(province, commune_admin):
    accounts.assign_role(user=commune_admin, role=Role.LEARNER, unit=province.a)
    assignment = RoleAssignment.objects.get(user=commune_admin, role=Role.UNIT_ADMIN)

    accounts.revoke_role(assignment=assignment)

    commune_admin.refresh_from_db()
    assert not commune_admin.is_staff
    assert [role for role, _label, _unit in accounts.roles_of(commune_admin)] == ["learner"]


def test_revoking_one_of_two_staff_roles_keeps_the_staff_flag(province, commune_admin):
    accounts.assign_role(user=commune_admin, role=Role.AUDITOR, unit=province.root)

    accounts.revoke_role(assignment=RoleAssignment.objects.get(user=commune_admin, role=Role.UNIT_ADMIN))

    commune_admin.refresh_from_db()
    assert commune_admin.is_staff


def test_a_superuser_stays_staff_without_roles(province):
    superuser = User.objects.create_superuser("sieu_quan_tri", password="Mat-khau-an-toan-2025")
    assignment = accounts.assign_role(user=superuser, role=Role.AUDITOR, unit=province.root)

    accounts.revoke_role(assignment=assignment)

    superuser.refresh_from_db()
    assert superuser.is_staff


def test_assigning_the_same_role_twice_keeps_one_assignment(province, commune_admin):
    accounts.assign_role(user=commune_admin, role=Role.UNIT_ADMIN, unit=province.a)

    assert RoleAssignment.objects.filter(user=commune_admin).count() == 1


def test_an_unknown_role_is_refused(province):
    with pytest.raises(DomainError, match="Vai trò không hợp lệ: king"):
        accounts.assign_role(user=make_user("vua"), role="king", unit=province.a)


def test_provincial_admin_grants_a_role_in_a_commune(province, provincial_admin):
    assignment = accounts.assign_role(
        user=make_user("moi"), role=Role.HELPER, unit=province.b, granted_by=provincial_admin
    )

    assert assignment.granted_by == provincial_admin


def test_a_commune_admin_cannot_grant_roles(province, commune_admin):
    with pytest.raises(DomainError, match="không có quyền phân quyền tại đơn vị «Xã An Bình»"):
        accounts.assign_role(user=make_user("moi"), role=Role.HELPER, unit=province.a, granted_by=commune_admin)
    assert not RoleAssignment.objects.filter(user__username="moi").exists()


def test_a_commune_admin_cannot_revoke_roles(province, commune_admin, provincial_admin):
    assignment = RoleAssignment.objects.get(user=commune_admin)

    with pytest.raises(DomainError, match="không có quyền thu hồi"):
        accounts.revoke_role(assignment=assignment, revoked_by=commune_admin)
    assert RoleAssignment.objects.filter(pk=assignment.pk).exists()


def test_an_issued_token_leads_to_its_user(commune_admin):
    _record, token = accounts.issue_api_token(user=commune_admin, name="máy tính xã")

    assert accounts.user_for_api_token(token) == commune_admin


def test_only_the_digest_and_prefix_of_a_token_are_stored(commune_admin):
    record, token = accounts.issue_api_token(user=commune_admin)

    stored = ApiToken.objects.values_list("digest", "prefix").get(pk=record.pk)
    assert token not in stored
    assert token.startswith(stored[1])


def test_a_token_records_when_it_was_last_used(commune_admin):
    record, token = accounts.issue_api_token(user=commune_admin)

    accounts.user_for_api_token(token)

    record.refresh_from_db()
    assert record.last_used_at is not None


@pytest.mark.parametrize("token", ["", "kns_khong-ton-tai", "Bearer abc"])
def test_an_unknown_token_leads_nowhere(commune_admin, token):
    accounts.issue_api_token(user=commune_admin)

    assert accounts.user_for_api_token(token) is None


def test_a_revoked_token_leads_nowhere_and_revoking_again_is_harmless(commune_admin):
    record, token = accounts.issue_api_token(user=commune_admin)

    accounts.revoke_api_token(user=commune_admin, token_id=record.pk)
    again = accounts.revoke_api_token(user=commune_admin, token_id=record.pk)

    assert accounts.user_for_api_token(token) is None
    assert again.revoked_at is not None


def test_the_token_of_a_deactivated_user_leads_nowhere(commune_admin):
    _record, token = accounts.issue_api_token(user=commune_admin)
    commune_admin.is_active = False
    commune_admin.save()

    assert accounts.user_for_api_token(token) is None


def test_a_user_cannot_revoke_someone_elses_token(commune_admin, provincial_admin):
    record, token = accounts.issue_api_token(user=provincial_admin)

    with pytest.raises(DomainError, match="Không tìm thấy mã truy cập này") as error:
        accounts.revoke_api_token(user=commune_admin, token_id=record.pk)

    assert error.value.code == "not_found"
    assert accounts.user_for_api_token(token) == provincial_admin
