"""Signing in with the identity provider: a resident whose national ID the register knows ends up logged in to
their own account; every token the provider should not have issued is refused, and nothing it sent is echoed."""

import datetime

import pytest
import requests
from axes.models import AccessAttempt, AccessLog
from django_otp.plugins.otp_totp.models import TOTPDevice

from kynangso.accounts.models import Role
from kynangso.people import api as people
from tests.factories import make_national_id, make_person, make_unit, make_user
from tests.oidc import provider as faults
from tests.oidc.flow import authorize_parameters, sign_in, signed_in_user_id, through_provider

BIRTH = datetime.date(1990, 5, 17)
REFUSED = "Không xác minh được thông tin đăng nhập từ nhà cung cấp định danh"


@pytest.fixture
def lan(province):
    """Chị Lan, registered by her commune, who has never had a login."""
    return make_person(
        province.a,
        full_name="Trần Thị Lan",
        birth_date=BIRTH,
        sex="female",
        national_id=make_national_id(BIRTH, "female", serial=4242),
    )


def lan_signs_in_at_the_provider(provider, lan):
    provider.signs_in(
        so_dinh_danh=make_national_id(BIRTH, "female", serial=4242), name="Trần Thị Lan", birthdate=BIRTH.isoformat()
    )


def test_a_resident_known_by_her_national_id_signs_in_and_gets_a_login_linked_to_her_record(provider, lan, client):
    lan_signs_in_at_the_provider(provider, lan)

    response = sign_in(client, provider)

    assert response.status_code == 302 and response["Location"] == "/trang-cua-toi/"
    lan.refresh_from_db()
    assert lan.user is not None and not lan.user.has_usable_password()
    assert signed_in_user_id(client) == str(lan.user_id)
    assert AccessLog.objects.filter(username=lan.user.username, path_info="/dang-nhap/dinh-danh/tra-ve/").exists()
    assert "Trần Thị Lan" in client.get("/trang-cua-toi/").content.decode()


def test_a_person_who_already_has_a_login_signs_in_to_that_same_login(provider, province, client):
    user = make_user("lan_tran")
    person = make_person(
        province.a,
        full_name="Trần Thị Lan",
        birth_date=BIRTH,
        sex="female",
        user=user,
        national_id=make_national_id(BIRTH, "female", serial=77),
    )
    provider.signs_in(so_dinh_danh=make_national_id(BIRTH, "female", serial=77))

    sign_in(client, provider)

    assert signed_in_user_id(client) == str(user.pk)
    person.refresh_from_db()
    assert person.user_id == user.pk


def test_the_browser_is_sent_with_a_pkce_challenge_a_nonce_and_a_state(provider, lan, client):
    parameters = authorize_parameters(client, provider)

    assert parameters["code_challenge_method"] == "S256" and len(parameters["code_challenge"]) == 43
    assert parameters["nonce"] and parameters["state"] and parameters["scope"] == "openid profile"
    assert parameters["redirect_uri"] == "http://127.0.0.1:8000/dang-nhap/dinh-danh/tra-ve/"


@pytest.mark.parametrize("fault", [faults.WRONG_AUDIENCE, faults.EXPIRED, faults.WRONG_KEY])
def test_an_id_token_for_another_client_expired_or_not_signed_by_the_provider_is_refused(fault, provider, lan, client):
    lan_signs_in_at_the_provider(provider, lan)
    provider.misbehave(fault)

    response = sign_in(client, provider)

    assert response.status_code == 403
    assert REFUSED in response.content.decode()
    assert signed_in_user_id(client) is None
    lan.refresh_from_db()
    assert lan.user is None


def test_an_id_token_carrying_the_nonce_of_an_earlier_sign_in_is_refused(provider, lan, client):
    lan_signs_in_at_the_provider(provider, lan)
    sign_in(client, provider)
    client.post("/dang-xuat/")
    provider.misbehave(faults.REPLAYED_NONCE)

    response = sign_in(client, provider)

    assert response.status_code == 403 and REFUSED in response.content.decode()
    assert provider.nonces[0] != provider.nonces[1]
    assert signed_in_user_id(client) is None


def test_a_callback_replayed_from_the_browser_history_does_not_sign_in_again(provider, lan, client):
    lan_signs_in_at_the_provider(provider, lan)
    callback = through_provider(client, provider)
    client.get(callback)
    client.post("/dang-xuat/")

    response = client.get(callback)

    assert response.status_code == 403
    assert signed_in_user_id(client) is None


def test_an_unknown_national_id_is_refused_in_vietnamese_when_the_province_refuses_them(provider, province, client):
    stranger = make_national_id(datetime.date(1978, 1, 2), "male", serial=999)
    provider.signs_in(so_dinh_danh=stranger, name="Lê Văn Khách", birthdate="1978-01-02")

    response = sign_in(client, provider)

    page = response.content.decode()
    assert response.status_code == 403
    assert "chưa có trong danh sách người học của tỉnh" in page
    assert stranger not in page and "Lê Văn Khách" not in page and stranger[-6:] not in page
    assert people.person_by_national_id(stranger) is None
    assert signed_in_user_id(client) is None


def test_an_unknown_national_id_becomes_a_resident_of_the_holding_unit_when_the_province_holds_them(
    provider, province, settings, client
):
    make_unit("CHO-XEP", "Chờ xếp xã, phường", parent=province.root)
    settings.OIDC_UNKNOWN_ID, settings.OIDC_HOLDING_UNIT = "hold", "CHO-XEP"
    newcomer = make_national_id(datetime.date(2001, 9, 30), "female", serial=31)
    provider.signs_in(
        so_dinh_danh=newcomer, family_name="Phạm", middle_name="Thu", given_name="Hà", birthdate="2001-09-30"
    )

    response = sign_in(client, provider)

    assert response.status_code == 302
    person = people.person_by_national_id(newcomer)
    assert person.full_name == "Phạm Thu Hà" and person.sex == "female"
    assert person.residence_unit.code == "CHO-XEP" and person.birth_date == datetime.date(2001, 9, 30)
    assert people.current_groups(person) == ["resident"]
    assert signed_in_user_id(client) == str(person.user_id)


def test_a_national_id_claim_that_is_not_a_valid_id_is_refused_without_repeating_it(provider, province, client):
    provider.signs_in(so_dinh_danh="999123456789")

    response = sign_in(client, provider)

    assert response.status_code == 403
    assert "999" not in response.content.decode().split("error-box")[1].split("</p>")[0]
    assert signed_in_user_id(client) is None


def test_a_locked_account_cannot_sign_in_through_the_provider(provider, province, client, settings):
    user = make_user("lan_tran")
    make_person(
        province.a,
        full_name="Trần Thị Lan",
        birth_date=BIRTH,
        sex="female",
        user=user,
        national_id=make_national_id(BIRTH, "female", serial=78),
    )
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post("/dang-nhap/", {"username": "lan_tran", "password": "sai-mat-khau"})
    provider.signs_in(so_dinh_danh=make_national_id(BIRTH, "female", serial=78))

    response = sign_in(client, provider)

    assert response.status_code == 429
    assert "Tài khoản tạm thời bị khóa" in response.content.decode()
    assert signed_in_user_id(client) is None


def test_forged_tokens_from_one_address_are_counted_and_then_stopped(provider, lan, client, settings):
    lan_signs_in_at_the_provider(provider, lan)
    provider.misbehave(faults.WRONG_KEY)
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, provider)
    provider.misbehave(None)

    response = sign_in(client, provider)

    assert response.status_code == 429
    assert "Tạm dừng đăng nhập từ mạng này" in response.content.decode()
    assert signed_in_user_id(client) is None


def test_the_login_page_offers_the_provider_only_when_one_is_configured(provider, settings, client, db):
    page = client.get("/dang-nhap/").content.decode()
    assert "Đăng nhập bằng VNeID" in page and 'href="/dang-nhap/dinh-danh/"' in page

    settings.OIDC_BUTTON_LABEL = "Đăng nhập bằng tài khoản định danh của tỉnh"
    assert "Đăng nhập bằng tài khoản định danh của tỉnh" in client.get("/dang-nhap/").content.decode()

    settings.OIDC_CLIENT_ID = ""
    assert "dinh-danh" not in client.get("/dang-nhap/").content.decode()
    assert client.get("/dang-nhap/dinh-danh/").status_code == 404


def test_logging_out_after_a_provider_sign_in_also_ends_the_session_at_the_provider(provider, lan, client):
    lan_signs_in_at_the_provider(provider, lan)
    sign_in(client, provider)

    response = client.post("/dang-xuat/")

    assert response.status_code == 302 and response["Location"].startswith(provider.issuer + "/logout?")
    assert signed_in_user_id(client) is None
    back = requests.get(response["Location"], allow_redirects=False, timeout=10)
    assert back.status_code == 302 and back.headers["Location"].startswith("http://127.0.0.1:8000/?")
    assert provider.logouts[0]["client_id"] == provider.client_id


def test_logging_out_after_a_password_login_stays_on_our_site(provider, province, client):
    make_user("can_bo_xa")
    client.post("/dang-nhap/", {"username": "can_bo_xa", "password": "Mat-khau-an-toan-2025"})

    response = client.post("/dang-xuat/")

    assert response["Location"] == "/"
    assert provider.logouts == []


def test_a_provider_that_cannot_be_reached_gets_a_plain_answer_and_no_failure_is_charged(
    provider, lan, settings, client
):
    settings.OIDC_ISSUER = "http://127.0.0.1:9"  # the discard port: nothing answers
    settings.OIDC_DISCOVERY_URL = settings.OIDC_ISSUER + "/.well-known/openid-configuration"

    response = client.get("/dang-nhap/dinh-danh/")

    assert response.status_code == 502
    assert "Chưa kết nối được với nhà cung cấp định danh" in response.content.decode()
    assert not AccessAttempt.objects.exists()


def test_a_discovery_document_that_names_another_issuer_is_not_trusted(provider, lan, settings, client):
    settings.OIDC_ISSUER = "https://sso.khac.example.vn"  # the document at the discovery URL names the test provider

    response = client.get("/dang-nhap/dinh-danh/")

    assert response.status_code == 502
    assert provider.nonces == []  # the browser was never sent there


def test_a_helper_with_two_factor_login_still_types_the_code_after_the_provider(provider, province, client):
    helper = make_user("to_cong_nghe_so", Role.HELPER, province.a)
    TOTPDevice.objects.create(user=helper, name="điện thoại", confirmed=True)
    make_person(
        province.a,
        full_name="Vũ Văn Bình",
        birth_date=BIRTH,
        user=helper,
        national_id=make_national_id(BIRTH, "male", serial=9),
    )
    provider.signs_in(so_dinh_danh=make_national_id(BIRTH, "male", serial=9))

    sign_in(client, provider)

    assert signed_in_user_id(client) == str(helper.pk)
    assert client.get("/trang-cua-toi/").url.startswith("/tai-khoan/ma-xac-thuc/")
