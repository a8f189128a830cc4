"""JSON Canonicalization Scheme (RFC 8785): the one byte form of a JSON value that we hash and sign."""
from typing import Any

import rfc8785


def canonicalize(value: Any) -> bytes:
    """The RFC 8785 canonical UTF-8 bytes of a JSON-compatible value (dict, list, str, int, float, bool, None)."""
    return rfc8785.dumps(value)
