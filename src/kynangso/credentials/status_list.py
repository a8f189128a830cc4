"""W3C Bitstring Status List v1.0: the compressed revocation bitstring, its credential, a credential's entry."""

import base64
import gzip
import zlib
from collections.abc import Iterable

# The spec's minimum (16 KiB) so that one set bit does not single out a holder among too few credentials.
MINIMUM_LENGTH = 131_072
# A status list that inflates beyond this is refused rather than exhausting memory (1,073,741,824 entries).
MAXIMUM_BYTES = 128 * 1024 * 1024


def encode_status_list(bits: bytes | bytearray | Iterable[int], length: int = MINIMUM_LENGTH) -> str:
    """`encodedList`: GZIP of the bitstring, as multibase base64url without padding ('u' prefix).

    `bits` is either the raw bitstring (padded with zeros up to `length` bits) or the set indexes (e.g. the revoked
    ones); index 0 is the leftmost (most significant) bit of the first byte.
    """
    if length < MINIMUM_LENGTH or length % 8:
        raise ValueError(f"a status list holds a multiple of 8 bits, at least {MINIMUM_LENGTH}")
    if isinstance(bits, (bytes, bytearray)):
        bitstring = bytearray(bits)
        bitstring.extend(bytes(max(0, length // 8 - len(bitstring))))
    else:
        bitstring = bytearray(length // 8)
        for index in bits:
            if not 0 <= index < length:
                raise ValueError(f"status list index {index} is outside 0..{length - 1}")
            bitstring[index // 8] |= 0x80 >> (index % 8)
    compressed = gzip.compress(bytes(bitstring), mtime=0)
    return "u" + base64.urlsafe_b64encode(compressed).decode("ascii").rstrip("=")


def decode_status_list(encoded: str) -> bytearray:
    """The bitstring of an `encodedList`; raises ValueError when it is not one."""
    if not isinstance(encoded, str) or not encoded.startswith("u"):
        raise ValueError("encodedList must be multibase base64url ('u' prefix)")
    body = encoded[1:]
    try:
        compressed = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
        inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
        bitstring = inflater.decompress(compressed, MAXIMUM_BYTES)
    except (ValueError, zlib.error) as exc:
        raise ValueError("encodedList is not GZIP data in base64url") from exc
    if inflater.unconsumed_tail:
        raise ValueError("status list is too large")
    if not inflater.eof:
        raise ValueError("encodedList is truncated")
    return bytearray(bitstring)


def is_set(encoded: str, index: int) -> bool:
    """Whether the bit at `index` is 1 (for a revocation list: the credential is revoked)."""
    bitstring = decode_status_list(encoded)
    if not 0 <= index < len(bitstring) * 8:
        raise ValueError(f"status list index {index} is outside the list")
    return bool(bitstring[index // 8] & (0x80 >> (index % 8)))


def status_list_credential(
    *,
    url: str,
    issuer: str | dict,
    encoded_list: str,
    valid_from: str | None = None,
    valid_until: str | None = None,
    status_purpose: str = "revocation",
) -> dict:
    """An unsigned `BitstringStatusListCredential` published at `url`."""
    credential = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer,
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": status_purpose,
            "encodedList": encoded_list,
        },
    }
    if valid_from:
        credential["validFrom"] = valid_from
    if valid_until:
        credential["validUntil"] = valid_until
    return credential


def credential_status_entry(*, status_list_credential_url: str, index: int, status_purpose: str = "revocation") -> dict:
    """The `credentialStatus` of a credential kept at `index` of the list at `status_list_credential_url`."""
    if index < 0:
        raise ValueError("status list index must not be negative")
    return {
        "id": f"{status_list_credential_url}#{index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": status_purpose,
        "statusListIndex": str(index),
        "statusListCredential": status_list_credential_url,
    }
