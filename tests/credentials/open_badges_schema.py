"""The official 1EdTech Open Badges 3.0 JSON schema, and a check that a credential passes it."""

import json
from functools import cache
from pathlib import Path

from jsonschema import Draft201909Validator

SCHEMA = Path(__file__).parent / "open_badges" / "ob_v3p0_achievementcredential_schema.json"


@cache
def validator() -> Draft201909Validator:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    Draft201909Validator.check_schema(schema)
    return Draft201909Validator(schema)


def schema_errors(document: dict) -> list[str]:
    """Each place where `document` breaks the official schema, as "path: message"; [] when it passes."""
    return [
        f"{'/'.join(str(part) for part in error.absolute_path) or '(root)'}: {error.message}"
        for error in sorted(validator().iter_errors(document), key=lambda error: list(error.absolute_path))
    ]


def assert_passes_open_badges_schema(document: dict) -> None:
    errors = schema_errors(document)
    assert not errors, "the credential breaks the official Open Badges 3.0 schema:\n" + "\n".join(errors)
