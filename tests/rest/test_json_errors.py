"""An API client gets JSON for every error under /api/v1/, never Django's HTML pages or an empty body."""

import pytest
from django.test import Client
from django.urls import path

from kynangso import urls as root_urls


def boom(request):
    raise RuntimeError("secret setting value in a traceback")


urlpatterns = [path("api/v1/test-boom", boom), *root_urls.urlpatterns]


@pytest.mark.django_db
def test_unknown_api_path_answers_json_404(client):
    response = client.get("/api/v1/khong-co-duong-nay/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["code"] == "not_found"


@pytest.mark.django_db
def test_api_path_with_trailing_slash_answers_json_not_html(client):
    response = client.get("/api/v1/units/")

    assert response["Content-Type"].startswith("application/json")
    assert response.status_code in {401, 404}


@pytest.mark.django_db
def test_wrong_method_answers_json_405_and_keeps_the_allow_header(client):
    response = client.put("/api/v1/auth/token")

    assert response.status_code == 405
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["code"] == "method_not_allowed"
    assert "POST" in response["Allow"]


@pytest.mark.django_db
@pytest.mark.urls(__name__)
@pytest.mark.parametrize("debug", [False, True])
def test_unhandled_error_answers_json_500_without_traceback(settings, debug):
    settings.DEBUG = debug
    response = Client(raise_request_exception=False).get("/api/v1/test-boom")

    assert response.status_code == 500
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["code"] == "server_error"
    assert b"secret setting value" not in response.content


@pytest.mark.django_db
def test_site_pages_keep_their_html_404(client):
    response = client.get("/khong-co-trang-nay/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
