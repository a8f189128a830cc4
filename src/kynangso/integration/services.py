"""Writes of the integration app: platforms and their credentials, the activity mapping, linked accounts, storing
statements (once, by id; voiding) and turning them into outside completions."""

import hashlib
import secrets
import uuid
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kynangso.accounts import api as accounts
from kynangso.assessment import api as assessment
from kynangso.errors import DomainError, ErrorCode
from kynangso.integration import statements as xapi
from kynangso.integration.models import (
    ActivityMapping,
    ExternalAccount,
    Origin,
    OutsideCompletion,
    Platform,
    Statement,
    StatementStatus,
)
from kynangso.learning import api as learning
from kynangso.orgs import api as orgs
from kynangso.people import api as people

MANAGE = accounts.capabilities.INDICATORS_MANAGE  # the province's admin manages platforms and the mapping
SECRET_PREFIX = "xapi_"
# Statements that may become a completion once a mapping or a linked account appears.
_WAITING = (StatementStatus.UNMAPPED, StatementStatus.UNMATCHED, StatementStatus.OUT_OF_SCOPE)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _require(actor, unit_id: int) -> None:
    if actor is None:
        raise ValueError("actor is required")
    if accounts.is_system(actor):
        return
    if not accounts.has_capability(actor, MANAGE, unit_id):
        raise DomainError(
            _("Bạn không có quyền quản lý kết nối với nền tảng học tập khác tại đơn vị này."), code=ErrorCode.FORBIDDEN
        )


# --- platforms and credentials ------------------------------------------------------------------------------------


def register_platform(*, actor, unit_id: int, name: str, username: str) -> Platform:
    """A new sending platform of the unit (no credentials yet: `issue_platform_secret`)."""
    _require(actor, unit_id)
    username = username.strip().lower()
    if not name.strip() or not username:
        raise DomainError(_("Hãy nhập tên nền tảng và tên đăng nhập xAPI."), field="name", code=ErrorCode.INVALID)
    if Platform.objects.filter(username=username).exists():
        raise DomainError(
            _("Tên đăng nhập xAPI «%(name)s» đã có.") % {"name": username}, field="username", code=ErrorCode.DUPLICATE
        )
    return Platform.objects.create(
        unit_id=unit_id, name=name.strip(), username=username, created_by=accounts.recorded_user(actor)
    )


def issue_platform_secret(*, actor, platform: Platform) -> str:
    """Issue new HTTP Basic credentials to the platform (the old secret stops working); returns the secret, shown
    once and never stored."""
    _require(actor, platform.unit_id)
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    platform.secret_digest = _digest(secret)
    platform.secret_prefix = secret[:10]
    platform.issued_at = timezone.now()
    platform.revoked_at = None
    platform.is_active = True
    platform.save(update_fields=["secret_digest", "secret_prefix", "issued_at", "revoked_at", "is_active"])
    return secret


def revoke_platform_secret(*, actor, platform: Platform) -> None:
    """The platform's credentials stop working at once; its statements stay."""
    _require(actor, platform.unit_id)
    platform.secret_digest = ""
    platform.revoked_at = timezone.now()
    platform.is_active = False
    platform.save(update_fields=["secret_digest", "revoked_at", "is_active"])


def platform_for_credentials(username: str, secret: str) -> Platform | None:
    """The active platform these HTTP Basic credentials belong to (compared by digest), or None; records its use."""
    if not username or not secret.startswith(SECRET_PREFIX):
        return None
    platform = Platform.objects.filter(username=username.strip().lower(), is_active=True).first()
    if (
        platform is None
        or not platform.secret_digest
        or not secrets.compare_digest(platform.secret_digest, _digest(secret))
    ):
        return None
    now = timezone.now()
    if platform.last_used_at is None or (now - platform.last_used_at).total_seconds() > 60:
        Platform.objects.filter(pk=platform.pk).update(last_used_at=now)
    return platform


# --- the mapping and linked accounts -------------------------------------------------------------------------------


def save_mapping(
    *,
    actor,
    unit_id: int,
    activity_id: str,
    course_code: str = "",
    standard_code: str = "",
    is_prefix: bool = False,
    note: str = "",
) -> ActivityMapping:
    """Say that the outside activity (or every activity under the prefix) counts as our course or standard; the
    statements waiting for such a mapping are taken in at once."""
    _require(actor, unit_id)
    activity_id, course_code, standard_code = activity_id.strip(), course_code.strip(), standard_code.strip()
    if not activity_id:
        raise DomainError(
            _("Hãy nhập mã hoạt động (IRI) trên nền tảng khác."), field="activity_id", code=ErrorCode.INVALID
        )
    if bool(course_code) == bool(standard_code):
        raise DomainError(
            _("Hãy chọn đúng một: khóa học hoặc chuẩn kỹ năng số mà hoạt động này được tính là."),
            field="course_code",
            code=ErrorCode.INVALID,
        )
    if course_code and learning.course_achievement(course_code) is None:
        raise DomainError(
            _("Không có khóa học đã xuất bản với mã %(code)s.") % {"code": course_code},
            field="course_code",
            code=ErrorCode.INVALID,
        )
    if standard_code and assessment.standard_by_code(standard_code) is None:
        raise DomainError(
            _("Không có chuẩn kỹ năng số với mã %(code)s.") % {"code": standard_code},
            field="standard_code",
            code=ErrorCode.INVALID,
        )
    mapping, _created = ActivityMapping.objects.update_or_create(
        unit_id=unit_id,
        activity_id=activity_id,
        is_prefix=is_prefix,
        defaults={
            "course_code": course_code,
            "standard_code": standard_code,
            "note": note[:255],
            "created_by": accounts.recorded_user(actor),
        },
    )
    platform_ids = Platform.objects.filter(unit_id__in=orgs.subtree_unit_ids([unit_id])).values("id")
    reprocess_statements(Statement.objects.filter(platform_id__in=platform_ids, status=StatementStatus.UNMAPPED))
    return mapping


def link_external_account(*, actor, platform: Platform, actor_key: str, person_id: int) -> ExternalAccount:
    """Say that the platform's account `actor_key` is the person's (an admin who may change the person's record);
    that account's waiting statements are taken in at once."""
    person = (
        people.person_in_scope(actor, accounts.capabilities.PEOPLE_CHANGE, person_id)
        if not accounts.is_system(actor)
        else people.people_with_ids([person_id]).first()
    )
    if person is None:
        raise DomainError(_("Không tìm thấy người này trong phạm vi của bạn."), code=ErrorCode.NOT_FOUND)
    link, _created = ExternalAccount.objects.update_or_create(
        platform=platform, actor_key=actor_key, defaults={"person": person, "created_by": accounts.recorded_user(actor)}
    )
    reprocess_statements(Statement.objects.filter(platform=platform, actor_key=actor_key))
    return link


# --- statements ----------------------------------------------------------------------------------------------------


def mapping_for(platform: Platform, activity_id: str) -> ActivityMapping | None:
    """The province's mapping of the activity: an exact one, else the longest prefix."""
    if not activity_id:
        return None
    units = orgs.ancestors(platform.unit)
    candidates = ActivityMapping.objects.filter(unit_id__in=[unit.pk for unit in units]).filter(
        Q(activity_id=activity_id, is_prefix=False) | Q(is_prefix=True)
    )
    exact = [m for m in candidates if not m.is_prefix]
    if exact:
        return exact[0]
    prefixes = [m for m in candidates if activity_id.startswith(m.activity_id)]
    return max(prefixes, key=lambda m: len(m.activity_id)) if prefixes else None


def _person_for(platform: Platform, key: str, agent: dict):
    link = ExternalAccount.objects.filter(platform=platform, actor_key=key).select_related("person").first()
    if link is not None:
        return link.person
    name = xapi.account_name(agent).strip()
    if len(name) == 12 and name.isdigit():
        return people.person_by_national_id(name)
    return None


def _in_platform_scope(platform: Platform, person) -> bool:
    inside = orgs.subtree_unit_ids([platform.unit_id])
    units = [unit for unit in (person.residence_unit_id, person.workplace_unit_id) if unit]
    return bool(units) and orgs.units().filter(pk__in=units, id__in=inside).exists()


def _process(statement: Statement) -> None:
    """Decide what the statement counts for, and write or void its outside completion."""
    document = statement.document
    existing = OutsideCompletion.objects.filter(statement=statement).first()
    status, person, mapping = StatementStatus.NOT_ACHIEVEMENT, None, None
    if statement.voided:
        status = StatementStatus.VOIDED
    elif statement.voids_statement_id:
        status = StatementStatus.VOIDING
    elif xapi.is_achievement(document):
        mapping = mapping_for(statement.platform, statement.activity_id)
        person = _person_for(statement.platform, statement.actor_key, document.get("actor") or {})
        if mapping is None:
            status = StatementStatus.UNMAPPED
        elif person is None:
            status = StatementStatus.UNMATCHED
        elif not _in_platform_scope(statement.platform, person):
            status, person = StatementStatus.OUT_OF_SCOPE, None
        else:
            status = StatementStatus.COUNTED
    statement.status = status
    statement.person = person
    statement.save(update_fields=["status", "person"])
    now = timezone.now()
    if status == StatementStatus.COUNTED and existing is None and mapping is not None and person is not None:
        done_at = min(statement.timestamp, statement.stored_at)
        OutsideCompletion.objects.create(
            key=f"xapi:{statement.statement_id}",
            person=person,
            course_code=mapping.course_code,
            standard_code=mapping.standard_code,
            done_at=done_at,
            done_on=timezone.localdate(done_at),
            origin=Origin.XAPI,
            platform=statement.platform,
            statement=statement,
            activity_id=statement.activity_id,
            recorded_at=now,
        )
    elif status != StatementStatus.COUNTED and existing is not None and existing.voided_at is None:
        existing.voided_at = now
        existing.save(update_fields=["voided_at"])


def reprocess_statements(queryset) -> int:
    """Take in again the statements that were waiting (a mapping or a linked account appeared)."""
    count = 0
    for statement in queryset.filter(status__in=_WAITING, voided=False).select_related("platform"):
        _process(statement)
        count += 1
    return count


def _authority(platform: Platform, request_host: str) -> dict:
    return {
        "objectType": "Agent",
        "name": platform.name,
        "account": {"homePage": request_host, "name": platform.username},
    }


@transaction.atomic
def store_statements(
    *, platform: Platform, documents: Iterable, statement_id: uuid.UUID | None = None, home_page: str = ""
) -> list[uuid.UUID]:
    """Store the statements a platform sent (all or none) and return their ids, in order.

    A statement whose id is already stored with the same content is not stored again; with other content the whole
    request is refused (409). A voiding statement hides its target and undoes the target's completion; a platform
    may void only its own statements (403). `statement_id` is the id of a PUT, which a body's id must match."""
    documents = [xapi.check_statement(document) for document in documents]
    if not documents:
        raise xapi.invalid(_("Yêu cầu không có bản ghi nào."))
    if statement_id is not None:
        if len(documents) != 1:
            raise xapi.invalid(_("PUT gửi đúng một bản ghi."))
        if "id" in documents[0] and xapi.parse_id(documents[0]["id"]) != statement_id:
            raise xapi.invalid(_("Mã bản ghi trong nội dung khác với statementId của yêu cầu."))
        documents[0] = {**documents[0], "id": str(statement_id)}
    ids = [xapi.parse_id(document["id"]) if "id" in document else uuid.uuid4() for document in documents]
    if len(set(ids)) != len(ids):
        raise xapi.invalid(_("Một yêu cầu gửi hai bản ghi cùng mã (id)."))
    stored = {row.statement_id: row for row in Statement.objects.filter(statement_id__in=ids)}
    now = timezone.now()
    new = []
    for statement_uuid, document in zip(ids, documents, strict=True):
        if statement_uuid in stored:
            if xapi.comparable(stored[statement_uuid].document) != xapi.comparable(document):
                raise DomainError(
                    _("Bản ghi %(id)s đã được lưu với nội dung khác; một mã bản ghi chỉ dùng cho một nội dung.")
                    % {"id": statement_uuid},
                    code=ErrorCode.DUPLICATE,
                )
            continue
        new.append((statement_uuid, document))
    voids: dict[uuid.UUID, uuid.UUID] = {}
    for statement_uuid, document in new:
        voided_id = xapi.voided_target(document)
        if voided_id is not None:
            voids[statement_uuid] = voided_id
    targets = {
        row.statement_id: row
        for row in Statement.objects.select_for_update().filter(statement_id__in=list(voids.values()))
    }
    for target_id in voids.values():
        if target_id not in targets:
            continue  # the specification lets a statement void one this LRS never saw
        target = targets[target_id]
        if target.platform_id != platform.pk:
            raise DomainError(_("Nền tảng chỉ được hủy bản ghi do chính mình gửi."), code=ErrorCode.FORBIDDEN)
        if target.voids_statement_id is not None:
            raise xapi.invalid(_("Không thể hủy một lệnh hủy."))
    for statement_uuid, document in new:
        full = {
            **document,
            "id": str(statement_uuid),
            "stored": now.isoformat(),
            "authority": _authority(platform, home_page),
            "version": document.get("version", "1.0.0"),
        }
        registration = xapi.registration_of(document)
        statement = Statement.objects.create(
            statement_id=statement_uuid,
            platform=platform,
            document=full,
            stored_at=now,
            timestamp=xapi.timestamp_of(document, now),
            actor_key=xapi.actor_key(document["actor"]),
            verb_id=document["verb"]["id"],
            activity_id=xapi.activity_of(document),
            registration=registration,
            voids_statement_id=voids.get(statement_uuid),
            status=StatementStatus.NOT_ACHIEVEMENT,
        )
        statement.platform = platform
        _process(statement)
    for target in targets.values():
        if not target.voided:
            target.voided = True
            target.save(update_fields=["voided"])
            target.platform = platform
            _process(target)
    return ids
