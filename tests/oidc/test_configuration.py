"""The provider is configured only from the environment: set, it turns the sign-in on and lets the logout form
continue to the provider; a holding policy without a holding unit refuses to start."""

import os
import subprocess
import sys

PROBE = (
    "import django; django.setup(); from django.conf import settings; from kynangso.oidc import api; "
    "print(api.is_configured(), api.sign_in_label(), settings.OIDC_DISCOVERY_URL, "
    "' '.join(settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['form-action']), sep='|')"
)
PROVIDER = {
    "KYNANGSO_OIDC_ISSUER": "https://sso.vneid.example.gov.vn/realms/dan-cu/",
    "KYNANGSO_OIDC_CLIENT_ID": "kynangso",
}


def start(tmp_path, **variables):
    env = {key: value for key, value in os.environ.items() if not key.startswith("KYNANGSO_OIDC_")}
    env.update({"DJANGO_SETTINGS_MODULE": "kynangso.settings", "KYNANGSO_DATA_DIR": str(tmp_path)}, **variables)
    return subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True)


def test_without_a_provider_the_sign_in_is_off_and_forms_post_only_to_us(tmp_path):
    result = start(tmp_path)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().split("|") == ["False", "None", "", "'self'"]


def test_a_configured_provider_is_offered_and_its_origin_may_receive_the_logout(tmp_path):
    result = start(tmp_path, **PROVIDER, KYNANGSO_OIDC_BUTTON_LABEL="Đăng nhập bằng định danh của tỉnh")

    configured, label, discovery, form_action = result.stdout.strip().split("|")
    assert configured == "True" and label == "Đăng nhập bằng định danh của tỉnh"
    assert discovery == "https://sso.vneid.example.gov.vn/realms/dan-cu/.well-known/openid-configuration"
    assert form_action == "'self' https://sso.vneid.example.gov.vn"


def test_holding_unknown_ids_without_a_holding_unit_refuses_to_start(tmp_path):
    result = start(tmp_path, **PROVIDER, KYNANGSO_OIDC_UNKNOWN_ID="hold")

    assert result.returncode != 0
    assert "KYNANGSO_OIDC_HOLDING_UNIT" in result.stderr
