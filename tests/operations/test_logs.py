"""Every request has an id, sent back to the client and on every log line it causes; access lines hold no personal
data (the route pattern, never the path or the query string)."""

import json
import logging

import pytest

from kynangso.operations import logs
from tests.assessment.conftest import resident  # noqa: F401  (fixture)


def test_a_plain_proxy_id_is_kept_and_anything_else_replaced():
    assert logs.new_request_id("nginx-4f2a9c01") == "nginx-4f2a9c01"
    for offered in (None, "", "short", "x" * 65, "id\nwith newline", 'quote"d-request'):
        assert logs.new_request_id(offered) != offered
        assert len(logs.new_request_id(offered)) == 32


@pytest.mark.django_db
def test_the_access_line_has_the_request_id_and_the_route_but_not_the_path(client, caplog, resident):
    with caplog.at_level(logging.INFO, logger="kynangso.access"):
        response = client.get(f"/nguoi/{resident.pk}/?q=0123", HTTP_X_REQUEST_ID="proxy-id-12345678")
    assert response["X-Request-ID"] == "proxy-id-12345678"
    [line] = [record for record in caplog.records if record.name == "kynangso.access"]
    assert line.request_id == "proxy-id-12345678"
    assert line.route == "nguoi/<int:person_id>/"
    assert f"nguoi/{resident.pk}/" not in line.getMessage() and "0123" not in line.getMessage()
    assert not any(str(resident.pk) == str(value) for value in (line.route, line.method, line.status))


def test_json_log_lines_are_one_object_with_the_request_id(capsys):
    from pythonjsonlogger.json import JsonFormatter

    handler = logging.StreamHandler()
    handler.addFilter(logs.RequestIdFilter())
    handler.setFormatter(JsonFormatter("%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s"))
    logger = logging.getLogger("kynangso.test_json")
    logger.addHandler(handler)
    token = logs.bind_request_id("req-abcdef12")
    try:
        logger.warning("đã có lỗi")
    finally:
        logs.unbind_request_id(token)
        logger.removeHandler(handler)
    record = json.loads(capsys.readouterr().err.strip().splitlines()[-1])
    assert record["request_id"] == "req-abcdef12" and record["message"] == "đã có lỗi"
