"""Bitstring Status List: the revocation bitstring encodes, decodes and reads bit by bit as the W3C spec says."""

import base64
import gzip
import re

import pytest

from kynangso.credentials import status_list

# The encodedList of the spec's example credential: 131,072 bits, none set.
SPEC_EXAMPLE = "uH4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA"


def test_revoked_indexes_round_trip():
    revoked = {0, 1, 7, 8, 42, 1000, 131_071}
    encoded = status_list.encode_status_list(revoked)
    assert {index for index in range(131_072) if status_list.is_set(encoded, index)} == revoked


def test_index_zero_is_the_leftmost_bit_of_the_first_byte():
    bitstring = status_list.decode_status_list(status_list.encode_status_list({0, 9, 15}))
    assert bitstring[0] == 0b1000_0000
    assert bitstring[1] == 0b0100_0001
    assert not any(bitstring[2:])


def test_raw_bytes_are_read_in_the_same_order():
    encoded = status_list.encode_status_list(b"\x80\x01")
    assert status_list.is_set(encoded, 0)
    assert status_list.is_set(encoded, 15)
    assert not status_list.is_set(encoded, 1)


def test_a_list_holds_at_least_131072_bits_for_herd_privacy():
    assert len(status_list.decode_status_list(status_list.encode_status_list(set()))) * 8 == 131_072
    assert len(status_list.decode_status_list(status_list.encode_status_list(b"\xff"))) * 8 == 131_072
    with pytest.raises(ValueError):
        status_list.encode_status_list(set(), length=1024)


def test_a_longer_list_keeps_its_length():
    encoded = status_list.encode_status_list({200_000}, length=262_144)
    assert len(status_list.decode_status_list(encoded)) * 8 == 262_144
    assert status_list.is_set(encoded, 200_000)


def test_an_index_outside_the_list_is_refused():
    with pytest.raises(ValueError):
        status_list.encode_status_list({131_072})
    with pytest.raises(ValueError):
        status_list.encode_status_list({-1})
    with pytest.raises(ValueError):
        status_list.is_set(status_list.encode_status_list(set()), 131_072)


def test_the_encoding_is_gzip_in_multibase_base64url_without_padding():
    encoded = status_list.encode_status_list({3})
    assert encoded.startswith("u")
    assert re.fullmatch(r"u[A-Za-z0-9_-]+", encoded)
    body = encoded[1:]
    assert gzip.decompress(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))[0] == 0b0001_0000


def test_the_encoding_is_deterministic():
    assert status_list.encode_status_list({5, 6}) == status_list.encode_status_list({6, 5})


def test_the_spec_example_decodes_to_an_empty_list():
    bitstring = status_list.decode_status_list(SPEC_EXAMPLE)
    assert len(bitstring) == 16_384
    assert not any(bitstring)


@pytest.mark.parametrize("encoded", ["", "zH4sI", "u!!!", "uAAAA", SPEC_EXAMPLE[:30], 42])
def test_anything_but_an_encoded_list_is_refused(encoded):
    with pytest.raises(ValueError):
        status_list.decode_status_list(encoded)


def test_an_inflation_bomb_is_refused(monkeypatch):
    monkeypatch.setattr(status_list, "MAXIMUM_BYTES", 1024)
    with pytest.raises(ValueError):
        status_list.decode_status_list(status_list.encode_status_list(set()))


def test_the_status_list_credential_has_the_spec_shape():
    url = "https://kynangso.thunghiem.gov.vn/trang-thai/1"
    encoded = status_list.encode_status_list({42})
    credential = status_list.status_list_credential(
        url=url, issuer="did:web:kynangso.thunghiem.gov.vn", encoded_list=encoded, valid_from="2026-03-15T00:00:00Z"
    )
    assert credential == {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": "did:web:kynangso.thunghiem.gov.vn",
        "validFrom": "2026-03-15T00:00:00Z",
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encoded,
        },
    }


def test_a_credential_status_entry_points_at_its_bit():
    url = "https://kynangso.thunghiem.gov.vn/trang-thai/1"
    assert status_list.credential_status_entry(status_list_credential_url=url, index=42) == {
        "id": f"{url}#42",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": "42",
        "statusListCredential": url,
    }
