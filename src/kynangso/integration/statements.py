"""What an xAPI statement says, read without the database: checking one (ralph-malph's pydantic models of xAPI
1.0.3, ADR 0042), the identity of its actor (the inverse functional identifier), what it compares equal to, and
whether it tells of a completion or a pass."""

import datetime
import json
import re
import uuid

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from pydantic import ValidationError
from ralph.models.xapi.base.statements import BaseXapiStatement

from kynangso.errors import DomainError, ErrorCode

# Versions of the specification a client may name in X-Experience-API-Version (1.0.x and 2.0.x).
VERSION_PATTERN = re.compile(r"^(1\.0(\.\d+)?|2\.0(\.\d+)?)$")
VOIDED = "http://adlnet.gov/expapi/verbs/voided"
COMPLETED = "http://adlnet.gov/expapi/verbs/completed"
PASSED = "http://adlnet.gov/expapi/verbs/passed"
FAILED = "http://adlnet.gov/expapi/verbs/failed"
# Fields the LRS sets or that do not change what a statement means: ignored when a statement sent again is
# compared with the stored one (xAPI "Statement Comparison Requirements").
_NOT_COMPARED = ("id", "stored", "authority", "version")


def invalid(message: str) -> DomainError:
    return DomainError(message, field="statement", code=ErrorCode.INVALID)


def _drop_empty_extensions(value):
    """Open edX's event-routing-backends sends `"extensions": {}`; the specification allows an empty extensions
    map, ralph's models refuse every empty value, so empty maps of extensions are dropped before checking."""
    if isinstance(value, dict):
        return {
            key: _drop_empty_extensions(inner)
            for key, inner in value.items()
            if not (key == "extensions" and inner == {})
        }
    if isinstance(value, list):
        return [_drop_empty_extensions(inner) for inner in value]
    return value


def check_statement(document) -> dict:
    """The statement, checked against xAPI's rules (ralph-malph's models); a Vietnamese 400 error naming the first
    broken rule otherwise. Statements of version 2.0.x are checked against the same rules (the statement's
    structure did not change in 2.0)."""
    if not isinstance(document, dict):
        raise invalid(_("Mỗi bản ghi xAPI phải là một đối tượng JSON."))
    document = _drop_empty_extensions(document)
    version = document.get("version")
    if version is not None and (not isinstance(version, str) or not VERSION_PATTERN.match(version)):
        raise invalid(_("Phiên bản xAPI không được hỗ trợ: %(version)s.") % {"version": version})
    if document.get("attachments"):
        raise invalid(_("Hệ thống chưa nhận tệp đính kèm trong bản ghi xAPI."))
    checked = dict(document)
    if isinstance(version, str) and version.startswith("2."):
        checked["version"] = "1.0.3"
    try:
        BaseXapiStatement.model_validate(checked)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first.get("loc", ()))
        raise invalid(
            _("Bản ghi xAPI không hợp lệ ở «%(where)s»: %(problem)s")
            % {"where": where or "statement", "problem": first.get("msg", "")}
        ) from exc
    if "id" in document:
        parse_id(document["id"])
    return document


def parse_id(value) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except ValueError as exc:
        raise invalid(_("Mã bản ghi (id) phải là UUID: %(value)s.") % {"value": value}) from exc


def actor_key(agent) -> str:
    """The agent's or identified group's inverse functional identifier as one string (`mbox:…`, `mbox_sha1sum:…`,
    `openid:…`, `account:<homePage>|<name>`); an anonymous group is keyed by its members."""
    if not isinstance(agent, dict):
        raise invalid(_("Tác nhân (actor, agent) phải là một đối tượng JSON."))
    for field in ("mbox", "mbox_sha1sum", "openid"):
        if agent.get(field):
            return f"{field}:{agent[field]}"
    account = agent.get("account")
    if isinstance(account, dict) and account.get("homePage") and account.get("name"):
        return f"account:{account['homePage']}|{account['name']}"
    members = agent.get("member")
    if agent.get("objectType") == "Group" and isinstance(members, list) and members:
        return "group:" + ",".join(sorted(actor_key(member) for member in members))
    raise invalid(_("Tác nhân không có định danh (mbox, mbox_sha1sum, openid hoặc account)."))


def account_name(agent) -> str:
    """The name of the agent's account on its platform ("" for other identifiers): where a platform that knows it
    may put the person's national ID."""
    account = agent.get("account") if isinstance(agent, dict) else None
    return str(account.get("name", "")) if isinstance(account, dict) else ""


def comparable(document: dict) -> str:
    """The statement as compared with another of the same id: without what the LRS sets, the timestamp as an
    instant, keys sorted."""
    kept = {key: value for key, value in document.items() if key not in _NOT_COMPARED}
    if "timestamp" in kept:
        moment = parse_datetime(str(kept["timestamp"]))
        kept["timestamp"] = moment.astimezone(datetime.UTC).isoformat() if moment else kept["timestamp"]
    return json.dumps(kept, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def timestamp_of(document: dict, stored: datetime.datetime) -> datetime.datetime:
    """When it happened: the statement's timestamp (aware), or when it was stored."""
    moment = parse_datetime(str(document.get("timestamp") or ""))
    if moment is None:
        return stored
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, datetime.UTC)
    return moment


def activity_of(document: dict) -> str:
    """The object's id when the object is an activity, else ""."""
    target = document.get("object") or {}
    if target.get("objectType", "Activity") == "Activity":
        return str(target.get("id", ""))
    return ""


def voided_target(document: dict) -> uuid.UUID | None:
    """The id of the statement a voiding statement voids, or None for any other statement."""
    if (document.get("verb") or {}).get("id") != VOIDED:
        return None
    target = document.get("object") or {}
    if target.get("objectType") != "StatementRef":
        raise invalid(_("Lệnh hủy (voided) phải trỏ tới một bản ghi (objectType «StatementRef»)."))
    return parse_id(target.get("id"))


def is_achievement(document: dict) -> bool:
    """Whether the statement tells of a completion or a pass: the verbs completed or passed (unless the result says
    it failed), or any other verb but failed with a successful result (Open edX's graded problem: `evaluated`,
    `success: true`)."""
    verb = (document.get("verb") or {}).get("id")
    success = (document.get("result") or {}).get("success")
    if verb in (COMPLETED, PASSED):
        return success is not False
    return verb not in (FAILED, VOIDED) and success is True


def registration_of(document: dict) -> uuid.UUID | None:
    value = (document.get("context") or {}).get("registration")
    return parse_id(value) if value else None
