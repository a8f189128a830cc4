"""Errors are structured: every DomainError carries a code from one closed list, and the REST API answers each code
with the status of one table (issue 14)."""

import re
from pathlib import Path

import pytest

from kynangso.errors import HTTP_STATUS, DomainError, ErrorCode, http_status

SRC = Path(__file__).resolve().parents[1] / "src" / "kynangso"


def test_an_error_without_a_code_is_a_bad_request():
    error = DomainError("Thiếu tên.")
    assert error.code is ErrorCode.BAD_REQUEST and http_status(error.code) == 400


def test_a_code_outside_the_list_fails_at_once():
    with pytest.raises(ValueError):
        DomainError("…", code="forbiden")


def test_codes_compare_with_their_text_and_keep_their_status():
    error = DomainError("Không tìm thấy.", code="not_found")
    assert error.code == "not_found" and error.code is ErrorCode.NOT_FOUND
    assert {code.value: http_status(code) for code in HTTP_STATUS} == {
        "forbidden": 403,
        "not_found": 404,
        "duplicate": 409,
        "rate_limited": 429,
    }
    assert http_status("state") == 400


def test_every_code_written_in_the_source_is_in_the_list():
    written = set()
    for path in SRC.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for call in re.finditer(r"DomainError\((?:[^()]|\([^()]*\))*\)", text, re.S):
            written.update(re.findall(r'code="([a-z_]+)"', call.group(0)))
    assert written, "the scan found no code at all"
    assert written <= {code.value for code in ErrorCode}


@pytest.mark.parametrize("code, status", [("duplicate", 409), ("forbidden", 403), ("state", 400), (None, 400)])
def test_the_api_answers_a_domain_error_with_its_code_and_the_status_of_the_table(rf, code, status):
    import json

    from kynangso.rest import domain_error

    response = domain_error(rf.get("/api/v1/"), DomainError("Đã có rồi.", code=code, field="name"))
    body = json.loads(response.content)
    assert response.status_code == status
    assert body["code"] == (code or "bad_request") and body["message"] == "Đã có rồi." and body["field"] == "name"
