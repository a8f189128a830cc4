"""Steps of a sign-in the tests share: the browser's trip from our start page through the provider and back."""

from urllib.parse import parse_qs, urlsplit

import requests


def through_provider(client, provider, start="/dang-nhap/dinh-danh/"):
    """Follow the redirects a browser would: to the provider's authorize endpoint (over HTTP), and back to our
    callback with the code. Returns the callback's path with its query, as the browser would request it."""
    response = client.get(start)
    assert response.status_code == 302, response.content.decode()
    assert response["Location"].startswith(provider.issuer + "/authorize?")
    at_provider = requests.get(response["Location"], allow_redirects=False, timeout=10)
    assert at_provider.status_code == 302, at_provider.text
    back = urlsplit(at_provider.headers["Location"])
    return f"{back.path}?{back.query}"


def sign_in(client, provider, start="/dang-nhap/dinh-danh/"):
    """The whole trip; returns our callback's answer."""
    return client.get(through_provider(client, provider, start))


def authorize_parameters(client, provider) -> dict:
    """The parameters our start page sends the provider (without going there)."""
    response = client.get("/dang-nhap/dinh-danh/")
    return {key: values[0] for key, values in parse_qs(urlsplit(response["Location"]).query).items()}


def signed_in_user_id(client):
    return client.session.get("_auth_user_id")
