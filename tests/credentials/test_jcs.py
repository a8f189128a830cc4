"""Our fast JCS path writes exactly what the RFC 8785 reference implementation writes, and defers to it otherwise."""

import json
import random

import pytest
import rfc8785

from kynangso.credentials.jcs import canonicalize

TRICKY = [
    {"b": 1, "a": [True, False, None], "": "rỗng"},
    {"ctrl": "".join(chr(code) for code in range(0x20)) + '"\\/\x7f\u2028\u2029'},
    {"vi": "Cộng hòa xã hội chủ nghĩa Việt Nam", "Đ": {"ệ": "ữ", "e": "z"}},
    {"\ue000": 1, "\U0001f600": 2, "a": "😀"},  # astral key: UTF-16 order differs from code-point order
    {"float": 1.5, "int": 10, "exp": 1e21, "small": 1e-7, "neg": -0.0},
    [2**53 - 1, -(2**53 - 1), 10**15],
    "chuỗi đơn",
    1.5,
    42,
    {"time": "2026-12-01T17:58:48.123Z", "port": "http://127.0.0.1:8000/a,1.5"},
]


@pytest.mark.parametrize("value", TRICKY)
def test_the_canonical_form_equals_the_reference(value):
    assert canonicalize(value) == rfc8785.dumps(value)


def test_random_documents_canonicalize_as_the_reference():
    rng = random.Random(8785)
    alphabet = 'aAzZ09 -_:.,[]{}"\\\n\t\x00\x1fàáảãạăằđêệơớưừỹ€\ue000\uffff😀'

    def text():
        return "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 8)))

    def value(depth=0):
        kind = rng.randint(0, 7 if depth < 4 else 4)
        if kind == 0:
            return text()
        if kind == 1:
            return rng.randint(-(2**53 - 1), 2**53 - 1)
        if kind == 2:
            return rng.choice([True, False, None])
        if kind == 3:
            return rng.uniform(-1e6, 1e6)
        if kind == 4:
            return rng.randint(-100, 100)
        if kind in (5, 6):
            return {text(): value(depth + 1) for _ in range(rng.randint(0, 5))}
        return [value(depth + 1) for _ in range(rng.randint(0, 5))]

    for _ in range(2000):
        document = value()
        assert canonicalize(document) == rfc8785.dumps(document), json.dumps(document)


def test_values_rfc8785_forbids_are_refused():
    for forbidden in (float("nan"), float("inf"), 2**60):
        with pytest.raises(Exception):  # noqa: B017  (rfc8785 raises its own error types)
            canonicalize(forbidden)


def test_a_host_with_an_ip_address_keeps_the_fast_path_correct():
    value = {"id": "did:web:127.0.0.1%3A8000", "n": [1, 2.5, "a,1.5", {"x": 1e300}], "m": ":3.0"}
    assert canonicalize(value) == rfc8785.dumps(value)
