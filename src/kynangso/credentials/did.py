"""The issuer's did:web identity: its DID document of Multikey verification methods and resolving keys from it."""

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from kynangso.credentials.keys import public_key_from_multibase, public_key_multibase

DID_CONTEXTS = ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"]


def did_web_for_host(host: str) -> str:
    """`did:web:<host>` with a port's colon percent-encoded, e.g. did:web:localhost%3A8000."""
    host = host.strip().lower()
    if not host or "/" in host or "#" in host or "?" in host:
        raise ValueError(f"not a host name: {host!r}")
    return "did:web:" + host.replace(":", "%3A")


def did_document(did: str, keys: dict[str, Ed25519PublicKey]) -> dict:
    """The DID document of `did`: one Multikey verification method `<did>#<key-id>` per key, all of them
    assertion methods, so credentials signed by a retired key still resolve."""
    methods = [
        {
            "id": f"{did}#{key_id}",
            "type": "Multikey",
            "controller": did,
            "publicKeyMultibase": public_key_multibase(public_key),
        }
        for key_id, public_key in sorted(keys.items())
    ]
    return {
        "@context": DID_CONTEXTS,
        "id": did,
        "verificationMethod": methods,
        "assertionMethod": [method["id"] for method in methods],
    }


def resolve_local_key(
    verification_method_url: str, keys: dict[str, Ed25519PublicKey], *, did: str | None = None
) -> Ed25519PublicKey | None:
    """The key a `<did>#<key-id>` URL names among `keys` (by key id); None when unknown or, if `did` is given,
    when the URL belongs to another DID."""
    controller, separator, key_id = verification_method_url.partition("#")
    if not separator or (did is not None and controller != did):
        return None
    return keys.get(key_id)


def assertion_keys(document: dict) -> dict[str, Ed25519PublicKey]:
    """The Ed25519 Multikey assertion methods of a DID document, by absolute verification method id; methods that
    are not assertion methods, or not Ed25519 Multikeys, are left out."""
    did = document.get("id", "")

    def absolute(method_id: str) -> str:
        return did + method_id if method_id.startswith("#") else method_id

    assertion = {
        absolute(item if isinstance(item, str) else item.get("id", ""))
        for item in document.get("assertionMethod", [])
        if isinstance(item, (str, dict))
    }
    embedded = [item for item in document.get("assertionMethod", []) if isinstance(item, dict)]
    keys = {}
    for method in list(document.get("verificationMethod", [])) + embedded:
        if not isinstance(method, dict) or method.get("type") != "Multikey":
            continue
        method_id = absolute(method.get("id", ""))
        if method_id not in assertion:
            continue
        try:
            keys[method_id] = public_key_from_multibase(method.get("publicKeyMultibase", ""))
        except ValueError:
            continue
    return keys
