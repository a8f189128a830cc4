"""The Authlib client of the configured OpenID provider, built from settings: discovery, PKCE (S256), the key set.

Built lazily and cached per configuration, so that nothing is fetched at start-up and a changed setting (a test's
provider) gets its own client. The discovery document must name the configured issuer (OpenID Connect Discovery
§4.3): a document served from elsewhere cannot redirect trust to another issuer.
"""

import functools

from authlib.integrations.django_client import OAuth
from django.conf import settings

# Only public-key signatures: a provider that also lists HS256 or "none" must not let a token signed with the
# client secret, or not signed at all, pass for one signed with the provider's key.
ASYMMETRIC_PREFIXES = ("RS", "PS", "ES", "EdDSA")


class ProviderMisconfigured(Exception):
    """The provider's discovery document does not match the configuration."""


def is_configured() -> bool:
    return bool(settings.OIDC_ISSUER and settings.OIDC_CLIENT_ID)


def provider():
    """The Authlib app of the configured provider, its discovery document loaded and checked."""
    app = _provider(
        settings.OIDC_ISSUER,
        settings.OIDC_DISCOVERY_URL,
        settings.OIDC_CLIENT_ID,
        settings.OIDC_CLIENT_SECRET,
        settings.OIDC_SCOPES,
        settings.OIDC_TIMEOUT_SECONDS,
    )
    metadata = app.load_server_metadata()
    if metadata.get("issuer", "").rstrip("/") != settings.OIDC_ISSUER:
        app.server_metadata = {}  # fetch again next time: the provider may fix its document
        raise ProviderMisconfigured("the discovery document names another issuer")
    algorithms = [
        alg
        for alg in metadata.get("id_token_signing_alg_values_supported") or ["RS256"]
        if alg.startswith(ASYMMETRIC_PREFIXES)
    ]
    metadata["id_token_signing_alg_values_supported"] = algorithms or ["RS256"]
    return app


@functools.lru_cache(maxsize=4)
def _provider(issuer: str, discovery_url: str, client_id: str, client_secret: str, scopes: str, timeout: float):
    client_kwargs = {"scope": scopes, "code_challenge_method": "S256", "default_timeout": timeout}
    if not client_secret:
        client_kwargs["token_endpoint_auth_method"] = "none"  # a public client: PKCE alone binds the code
    return OAuth().register(
        "provider",
        client_id=client_id,
        client_secret=client_secret or None,
        server_metadata_url=discovery_url,
        client_kwargs=client_kwargs,
    )
