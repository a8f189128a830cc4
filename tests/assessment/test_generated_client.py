"""An integrator's view of the exam: a Python client generated from the published OpenAPI schema
(openapi-python-client, as an outside team would build it) gets a token, starts an attempt, answers every item,
submits and reads the result. Every answer is parsed by the generated models, so a response that drifts from the
schema, an operation id that changes or a link that breaks fails here before it fails an integrator."""

import importlib
import json
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.serializers.json import DjangoJSONEncoder
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

from kynangso import rest
from kynangso.assessment.models import AttemptItem
from tests.assessment.answers import right_answer

PASSWORD = "Mat-khau-an-toan-2025"  # tests.factories.make_user's default


@pytest.fixture(scope="module")
def generated_client(tmp_path_factory):
    """The client package, generated from the schema the API publishes now."""
    folder = tmp_path_factory.mktemp("client")
    schema = folder / "openapi.json"
    schema.write_text(json.dumps(rest.api.get_openapi_schema(), cls=DjangoJSONEncoder), encoding="utf-8")
    config = folder / "config.yaml"
    config.write_text("post_hooks: []\npackage_name_override: kynangso_client\n", encoding="utf-8")
    generator = Path(sys.executable).parent / "openapi-python-client"
    completed = subprocess.run(
        [
            str(generator),
            "generate",
            "--path",
            str(schema),
            "--config",
            str(config),
            "--output-path",
            str(folder / "kynangso_client"),
            "--meta",
            "none",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    sys.path.insert(0, str(folder))
    try:
        yield importlib.import_module("kynangso_client")
    finally:
        sys.path.remove(str(folder))
        for name in [name for name in sys.modules if name == "kynangso_client" or name.startswith("kynangso_client.")]:
            del sys.modules[name]


@pytest.fixture
def in_process():
    """An httpx transport to Django's WSGI application, inside the test's transaction (as Django's test client)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield httpx.WSGITransport(app=WSGIHandler())
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def operation(client_package, tag: str, operation_id: str):
    return importlib.import_module(f"{client_package.__name__}.api.{tag}.{operation_id}")


def test_a_generated_client_completes_the_exam_flow(generated_client, in_process, standard, resident):
    models = importlib.import_module("kynangso_client.models")
    anonymous = generated_client.Client(
        base_url="http://testserver", httpx_args={"transport": in_process}, raise_on_unexpected_status=True
    )
    token = operation(generated_client, "accounts", "accounts_obtain_token").sync(
        client=anonymous,
        body=models.TokenRequest(username=resident.user.username, password=PASSWORD, name="phần mềm thử"),
    )
    assert isinstance(token, models.IssuedToken), token
    client = generated_client.AuthenticatedClient(
        base_url="http://testserver",
        token=token.token,
        httpx_args={"transport": in_process},
        raise_on_unexpected_status=True,
    )

    standards = operation(generated_client, "assessment", "assessment_my_standards").sync(client=client)
    assert [s.code for s in standards] == ["THU"]
    attempt = operation(generated_client, "assessment", "assessment_start").sync(
        client=client, body=models.StartIn(standard_code="THU")
    )
    assert isinstance(attempt, models.AttemptOut), attempt
    assert attempt.total == len(attempt.items) == 6

    save = operation(generated_client, "assessment", "assessment_save")
    for slot in AttemptItem.objects.select_related("item_version").filter(attempt_id=attempt.id):
        saved = save.sync(
            client=client,
            attempt_id=attempt.id,
            position=slot.position,
            body=models.AnswerIn(answer=models.AnswerInAnswer.from_dict(right_answer(slot))),
        )
        assert isinstance(saved, models.SavedOut), saved
        assert saved.revision == 1

    read = operation(generated_client, "assessment", "assessment_read").sync(client=client, attempt_id=attempt.id)
    assert read.answered == 6
    submitted = operation(generated_client, "assessment", "assessment_submit").sync(
        client=client, attempt_id=attempt.id
    )
    assert isinstance(submitted, models.ResultOut), submitted
    assert submitted.passed is True and submitted.score_percent == 100.0
    result = operation(generated_client, "assessment", "assessment_result").sync(client=client, attempt_id=attempt.id)
    assert result.to_dict() == submitted.to_dict()


def test_a_refusal_reaches_the_generated_client_as_the_documented_error_body(generated_client, in_process, db):
    models = importlib.import_module("kynangso_client.models")
    anonymous = generated_client.Client(base_url="http://testserver", httpx_args={"transport": in_process})
    refused = operation(generated_client, "accounts", "accounts_obtain_token").sync(
        client=anonymous, body=models.TokenRequest(username="khong-co-ai", password="sai-mat-khau")
    )
    assert isinstance(refused, models.ErrorOut), refused
    assert refused.code and refused.message
