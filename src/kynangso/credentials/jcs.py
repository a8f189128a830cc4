"""JSON Canonicalization Scheme (RFC 8785): the one byte form of a JSON value that we hash and sign."""

import json
from typing import Any

import rfc8785

# Integers beyond ±(2**53 - 1) have no exact I-JSON (IEEE 754 double) form; RFC 8785 refuses them.
_SAFE_INTEGER = 2**53 - 1
# Every byte but the lead bytes of 4-byte UTF-8 sequences (characters beyond the Basic Multilingual Plane).
_BELOW_ASTRAL_LEAD = bytes(range(0xF0))


class _NotPlain(Exception):
    pass


def _refuse_float(text: str):
    raise _NotPlain


def _small_integer(text: str) -> int:
    number = int(text)
    if not -_SAFE_INTEGER <= number <= _SAFE_INTEGER:
        raise _NotPlain
    return number


_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), sort_keys=True, allow_nan=False)
# Reading our own output back with these hooks finds any float or large integer at C speed.
_NUMBER_CHECK = json.JSONDecoder(parse_float=_refuse_float, parse_int=_small_integer)


def canonicalize(value: Any) -> bytes:
    """The RFC 8785 canonical UTF-8 bytes of a JSON value (dicts with string keys, lists, str, int, float, bool,
    None).

    Certificates hold only strings, small integers, booleans and null. For such values RFC 8785 is exactly Python's
    own sorted, compact, non-ASCII JSON: the same escapes (\\", \\\\, \\b \\f \\n \\r \\t, lower-case \\u00XX for
    other controls) and, without characters beyond the Basic Multilingual Plane, code-point order of keys equals
    RFC 8785's UTF-16 order. The C encoder writes that several times faster than the `rfc8785` reference
    implementation, which still handles anything else (floats, whose ECMAScript form differs from Python's; large
    integers; astral characters) and raises for what RFC 8785 forbids. tests/credentials/test_jcs.py holds the two
    to the same bytes.
    """
    try:
        text = _ENCODER.encode(value)
        data = text.encode("utf-8")
        _NUMBER_CHECK.decode(text)
    except (TypeError, ValueError, _NotPlain):
        return rfc8785.dumps(value)
    if data.translate(None, _BELOW_ASTRAL_LEAD):
        return rfc8785.dumps(value)
    return data
