"""A small, real OpenID provider for the tests: discovery, JWKS, authorize, token and end-session endpoints over
HTTP on a loopback port, signing RS256 ID tokens with joserfc (the JOSE library Authlib uses).

It signs in one configured person without a login form (`signs_in`), checks what a real provider checks (the
client and its redirect URI, the code used once, the PKCE verifier against the S256 challenge, the client secret),
and can be told to issue one bad token (`misbehave`): for another audience, already expired, signed with a key
that is not in its key set, or carrying the nonce of an earlier sign-in.
"""

import base64
import functools
import hashlib
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode

from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

WRONG_AUDIENCE, EXPIRED, WRONG_KEY, REPLAYED_NONCE = "wrong audience", "expired", "wrong key", "replayed nonce"


@dataclass
class Grant:
    client_id: str
    redirect_uri: str
    nonce: str
    challenge: str
    claims: dict


@dataclass
class OpenIdProvider:
    client_id: str = "kynangso"
    client_secret: str = "bi-mat-cua-ung-dung"
    redirect_uris: tuple[str, ...] = ()
    post_logout_uris: tuple[str, ...] = ()
    claims: dict = field(default_factory=dict)  # of the person signed in at the provider
    fault: str | None = None
    nonces: list[str] = field(default_factory=list)  # of every authorization request, in order
    logouts: list[dict] = field(default_factory=list)
    issuer: str = ""

    def __post_init__(self):
        self.key, self.rogue_key = _keys()
        self.grants: dict[str, Grant] = {}

    def signs_in(self, **claims) -> None:
        """The person who is signed in at the provider when the browser arrives at its authorize endpoint."""
        self.claims = claims

    def misbehave(self, fault: str | None) -> None:
        """The next ID tokens carry this fault (None: well-formed again)."""
        self.fault = fault

    # endpoints
    def __call__(self, environ, start_response):
        request = Request(environ)
        handler = {
            "/.well-known/openid-configuration": self.discovery,
            "/jwks": self.jwks,
            "/authorize": self.authorize,
            "/token": self.token,
            "/logout": self.end_session,
        }.get(request.path)
        response = handler(request) if handler else Response("not found", status=404)
        return response(environ, start_response)

    def discovery(self, request):
        return _json(
            {
                "issuer": self.issuer,
                "authorization_endpoint": self.issuer + "/authorize",
                "token_endpoint": self.issuer + "/token",
                "jwks_uri": self.issuer + "/jwks",
                "end_session_endpoint": self.issuer + "/logout",
                "response_types_supported": ["code"],
                "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "code_challenge_methods_supported": ["S256"],
                "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
                "scopes_supported": ["openid", "profile"],
            }
        )

    def jwks(self, request):
        return _json(KeySet([self.key]).as_dict(private=False))

    def authorize(self, request):
        args = request.args
        if args.get("client_id") != self.client_id or args.get("redirect_uri") not in self.redirect_uris:
            return Response("unknown client or redirect URI", status=400)  # never redirect to an unknown place
        if args.get("response_type") != "code" or "openid" not in args.get("scope", "").split():
            return _redirect(args["redirect_uri"], error="unsupported_response_type", state=args.get("state"))
        if args.get("code_challenge_method") != "S256" or not args.get("code_challenge"):
            return _redirect(args["redirect_uri"], error="invalid_request", state=args.get("state"))
        self.nonces.append(args.get("nonce", ""))
        code = secrets.token_urlsafe(24)
        self.grants[code] = Grant(
            self.client_id, args["redirect_uri"], args.get("nonce", ""), args["code_challenge"], dict(self.claims)
        )
        return _redirect(args["redirect_uri"], code=code, state=args.get("state"))

    def token(self, request):
        form = request.form
        client_id, secret = form.get("client_id"), form.get("client_secret")
        if request.authorization and request.authorization.type == "basic":
            client_id, secret = request.authorization.username, request.authorization.password
        if client_id != self.client_id or secret != self.client_secret:
            return _json({"error": "invalid_client"}, 401)
        grant = self.grants.pop(form.get("code", ""), None)  # a code is used once
        if (
            form.get("grant_type") != "authorization_code"
            or grant is None
            or grant.client_id != client_id
            or form.get("redirect_uri") != grant.redirect_uri
        ):
            return _json({"error": "invalid_grant"}, 400)
        verifier = form.get("code_verifier", "")
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
        if challenge != grant.challenge:
            return _json({"error": "invalid_grant", "error_description": "PKCE verifier"}, 400)
        return _json(
            {
                "access_token": secrets.token_urlsafe(24),
                "token_type": "Bearer",
                "expires_in": 300,
                "id_token": self.id_token(grant),
            }
        )

    def id_token(self, grant: Grant) -> str:
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "aud": self.client_id,
            "iat": now,
            "exp": now + 300,
            "nonce": grant.nonce,
            "sub": "vneid-subject",
            **grant.claims,
        }
        key = self.key
        if self.fault == WRONG_AUDIENCE:
            claims["aud"] = "ung-dung-khac"
        elif self.fault == EXPIRED:
            claims["iat"], claims["exp"] = now - 7200, now - 3600
        elif self.fault == WRONG_KEY:
            key = self.rogue_key
        elif self.fault == REPLAYED_NONCE:
            claims["nonce"] = self.nonces[0]
        return jwt.encode({"alg": "RS256", "kid": key.kid}, claims, key)

    def end_session(self, request):
        self.logouts.append(dict(request.args))
        target = request.args.get("post_logout_redirect_uri")
        if target in self.post_logout_uris and request.args.get("client_id") == self.client_id:
            return _redirect(target, state=request.args.get("state"))
        return Response("signed out")


@functools.cache
def _keys() -> tuple[RSAKey, RSAKey]:
    """The provider's signing key and a rogue one with the same key id (a forged token that names the real key);
    made once per test run, as generating RSA keys is slow."""
    return tuple(
        RSAKey.generate_key(2048, parameters={"kid": "vneid-1", "use": "sig", "alg": "RS256"}) for _ in range(2)
    )


def _json(body, status=200):
    return Response(json.dumps(body), status=status, content_type="application/json")


def _redirect(uri, **params):
    query = urlencode({key: value for key, value in params.items() if value is not None})
    return Response(status=302, headers={"Location": f"{uri}?{query}"})


class RunningProvider:
    """The provider served by a real HTTP server (werkzeug's) on 127.0.0.1 and a free port, in a thread."""

    def __init__(self, provider: OpenIdProvider):
        self.provider = provider
        self.server = make_server("127.0.0.1", 0, provider, threaded=True)
        provider.issuer = f"http://127.0.0.1:{self.server.port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> OpenIdProvider:
        self.thread.start()
        return self.provider

    def __exit__(self, *exc_info):
        self.server.shutdown()
        self.thread.join(timeout=5)
