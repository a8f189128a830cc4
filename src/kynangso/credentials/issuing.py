"""Issuing certificates: building and signing the OpenBadgeCredential, once per person and achievement, alone or in
batches; concurrent or repeated issuing never makes a second certificate (a unique constraint decides)."""

import datetime
import hashlib
import logging
import secrets
import unicodedata
import uuid
from collections.abc import Callable

from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction
from django.db.models import CharField, Exists, OuterRef
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _

from kynangso.assessment import api as assessment
from kynangso.credentials import achievements, issuer, keys
from kynangso.credentials.achievements import AchievementInfo
from kynangso.credentials.data_integrity import add_proof
from kynangso.credentials.models import AchievementKind, Credential, StatusListCounter
from kynangso.credentials.status_list import credential_status_entry
from kynangso.errors import DomainError
from kynangso.learning import api as learning
from kynangso.people import api as people

logger = logging.getLogger(__name__)

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"


def _timestamp(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def name_identity_hash(full_name: str, salt: str) -> str:
    """OB 3.0 `identityHash` of a name: "sha256$" + hex SHA-256 of the NFC name followed by the salt. Whoever is
    shown the holder's ID card can check it; nobody can read the name from the certificate."""
    text = unicodedata.normalize("NFC", full_name.strip()) + salt
    return "sha256$" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def build_credential(
    *,
    public_id: uuid.UUID,
    achievement: AchievementInfo,
    holder_name: str,
    achieved_at: datetime.datetime,
    issued_at: datetime.datetime,
    status_index: int,
) -> dict:
    """The unsigned W3C VC 2.0 / Open Badges 3.0 `OpenBadgeCredential`. The holder is a fresh `urn:uuid` and a
    salted hash of their name: no national ID, no readable personal data."""
    salt = secrets.token_hex(8)
    list_number, offset = divmod(status_index, issuer.STATUS_LIST_LENGTH)
    status_url = issuer.status_list_url(list_number)
    return {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": issuer.credential_url(public_id),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": issuer.issuer_profile(),
        "validFrom": _timestamp(issued_at),
        "awardedDate": _timestamp(achieved_at),
        "name": _("Chứng nhận: %(name)s") % {"name": achievement.name},
        "credentialSubject": {
            "id": f"urn:uuid:{uuid.uuid4()}",
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityType": "name",
                    "hashed": True,
                    "identityHash": name_identity_hash(holder_name, salt),
                    "salt": salt,
                }
            ],
            "achievement": achievement.as_open_badge(),
        },
        "credentialStatus": credential_status_entry(status_list_credential_url=status_url, index=offset),
    }


def signing_key() -> keys.SigningKey:
    """The active signing key; without one, a Vietnamese DomainError, so a job records why it failed (the hourly
    `issue-credentials` issues what it could not once a key is installed)."""
    try:
        return keys.active_signing_key()
    except ImproperlyConfigured as exc:
        raise DomainError(str(exc)) from None


def allocate_status_indexes(count: int) -> list[int]:
    """`count` unused status-list indexes. Locks the counter row until the caller's transaction ends, so call it
    inside one and as late as possible."""
    StatusListCounter.objects.bulk_create([StatusListCounter(id=1)], ignore_conflicts=True)
    counter = StatusListCounter.objects.select_for_update().get(id=1)
    first = counter.next_position
    counter.next_position = first + count
    counter.save(update_fields=["next_position"])
    return [issuer.status_position(position) for position in range(first, first + count)]


def _signed_credential(
    *,
    key: keys.SigningKey,
    person_id: int,
    holder_name: str,
    achievement: AchievementInfo,
    achieved_at: datetime.datetime,
    issued_at: datetime.datetime,
    status_index: int,
) -> Credential:
    public_id = uuid.uuid4()
    document = build_credential(
        public_id=public_id,
        achievement=achievement,
        holder_name=holder_name,
        achieved_at=achieved_at,
        issued_at=issued_at,
        status_index=status_index,
    )
    signed = add_proof(
        document,
        private_key=key.private_key,
        verification_method=issuer.verification_method(key.key_id),
        created=_timestamp(issued_at),
        proof_set=True,
    )
    return Credential(
        public_id=public_id,
        person_id=person_id,
        achievement_kind=achievement.kind,
        achievement_code=achievement.code,
        achievement_name=achievement.name,
        achieved_at=achieved_at,
        issued_at=issued_at,
        key_id=key.key_id,
        status_index=status_index,
        document=signed,
    )


def _existing(person_id: int, kind: str, code: str) -> Credential | None:
    return Credential.objects.filter(person_id=person_id, achievement_kind=kind, achievement_code=code).first()


def issue_credential(
    *, person_id: int, kind: str, code: str, achieved_at: datetime.datetime, achievement: AchievementInfo | None = None
) -> Credential:
    """The person's certificate for the achievement: the existing one, or a new one signed with the active key.
    Safe to call again, or at the same time from several workers."""
    existing = _existing(person_id, kind, code)
    if existing:
        return existing
    achievement = achievement or achievements.achievement(kind, code)
    if achievement is None:
        raise DomainError(_("Thành tích «%(code)s» không được cấp chứng nhận.") % {"code": code})
    holder_name = people.full_names([person_id])[person_id]
    key = signing_key()
    with transaction.atomic():
        [status_index] = allocate_status_indexes(1)
        # Whoever held the counter before us may have issued this very certificate; look again under the lock.
        existing = _existing(person_id, kind, code)
        if existing:
            return existing
        credential = _signed_credential(
            key=key,
            person_id=person_id,
            holder_name=holder_name,
            achievement=achievement,
            achieved_at=achieved_at,
            issued_at=timezone.now(),
            status_index=status_index,
        )
        try:
            with transaction.atomic():
                credential.save(force_insert=True)
        except IntegrityError:
            existing = _existing(person_id, kind, code)
            if existing is None:
                raise
            return existing
    return credential


def issue_for_attempt(attempt_id: int) -> Credential | None:
    """The certificate of a passing attempt (None if the attempt did not pass). Refused (DomainError with code
    "not_eligible", logged) when the person did not belong to the standard's target group on the day they sat it:
    the exam start checks this too, but a certificate is what the nation relies on, so it is checked again here."""
    attempt = assessment.passed_attempts().filter(id=attempt_id).first()
    if attempt is None:
        return None
    if not assessment.eligible_passed_attempts().filter(id=attempt_id).exists():
        logger.warning(
            "Certificate refused: attempt %s of standard %s was sat outside the standard's target group.",
            attempt_id,
            attempt["standard__code"],
        )
        raise DomainError(
            _("Không cấp chứng nhận: người dự thi không thuộc nhóm đối tượng của chuẩn «%(code)s» vào ngày thi.")
            % {"code": attempt["standard__code"]},
            code="not_eligible",
        )
    return issue_credential(
        person_id=attempt["person_id"],
        kind=AchievementKind.STANDARD,
        code=attempt["standard__code"],
        achieved_at=attempt["submitted_at"],
    )


def missing_standard_credentials():
    """Passing attempts whose person holds no certificate for that standard, earliest first (set-based). Only
    attempts sat inside the standard's target group are owed a certificate (`ineligible_passed_attempts`)."""
    has_one = Credential.objects.filter(
        person_id=OuterRef("person_id"),
        achievement_kind=AchievementKind.STANDARD,
        achievement_code=OuterRef("standard__code"),
    )
    return assessment.eligible_passed_attempts().filter(~Exists(has_one)).order_by("submitted_at", "id")


def ineligible_passed_attempts():
    """Passing attempts sat outside the standard's target group (started before the exam start checked it, or
    written around the engine): never issued a certificate, logged by `issue_missing` for the province to review."""
    return assessment.passed_attempts().exclude(id__in=assessment.eligible_passed_attempts().values("id"))


def missing_course_credentials(course_codes):
    """Completions of the given courses whose person holds no certificate for that course (set-based)."""
    has_one = Credential.objects.filter(
        person_id=OuterRef("person_id"),
        achievement_kind=AchievementKind.COURSE,
        achievement_code=OuterRef("course__code"),
    )
    return (
        learning.course_completions()
        .filter(course__code__in=course_codes)
        .filter(~Exists(has_one))
        .order_by("completed_on", "person_id")
    )


def missing_class_credentials(*, today: datetime.date):
    """Attendances of finished classes that issue a certificate of attendance, whose person holds none for that
    class (set-based). The achievement code of a class is its id, as text."""
    has_one = Credential.objects.filter(
        person_id=OuterRef("person_id"),
        achievement_kind=AchievementKind.TRAINING_CLASS,
        achievement_code=Cast(OuterRef("training_class_id"), CharField()),
    )
    return (
        learning.certified_attendances(ended_before=today)
        .filter(~Exists(has_one))
        .order_by("attended_on", "person_id", "training_class_id")
    )


def _owed_batches(batch_size: int):
    """Batches of (person_id, achievement, achieved_at) still owed: passed standards, certificate courses, then
    certificates of attendance of finished classes.
    Each batch is read after the previous one is committed, so what was issued meanwhile is not owed any more."""
    standards: dict[str, AchievementInfo] = {}
    while rows := list(missing_standard_credentials()[:batch_size]):
        for row in rows:
            if row["standard__code"] not in standards:
                standards[row["standard__code"]] = achievements.standard_achievement(row["standard__code"])
        yield [(row["person_id"], standards[row["standard__code"]], row["submitted_at"]) for row in rows]
    codes = set(learning.course_completions().values_list("course__code", flat=True).distinct())
    courses = {code: info for code in codes if (info := achievements.course_achievement(code))}
    zone = timezone.get_current_timezone()
    while rows := list(missing_course_credentials(list(courses))[:batch_size]):
        yield [
            (
                row["person_id"],
                courses[row["course__code"]],
                datetime.datetime.combine(row["completed_on"], datetime.time.min, tzinfo=zone),
            )
            for row in rows
        ]
    classes: dict[int, AchievementInfo | None] = {}
    today = timezone.localdate()
    while rows := list(missing_class_credentials(today=today)[:batch_size]):
        for row in rows:
            if row["training_class_id"] not in classes:
                classes[row["training_class_id"]] = achievements.class_achievement(str(row["training_class_id"]))
        yield [
            (
                row["person_id"],
                classes[row["training_class_id"]],
                datetime.datetime.combine(row["attended_on"], datetime.time.min, tzinfo=zone),
            )
            for row in rows
        ]


def issue_missing(*, batch_size: int = 1000, progress: Callable[[int, int], None] | None = None) -> int:
    """Issue every certificate still owed (passed standards, completed certificate courses), in batches of
    `batch_size` (one transaction each); returns how many were issued. Concurrent runs do not duplicate: the unique
    constraint drops the loser's rows."""
    key = signing_key()
    outside = ineligible_passed_attempts()
    if count := outside.count():
        # Each run says so again until the province has reviewed them (and revoked any issued before this check).
        first_ids = list(outside.order_by("id").values_list("id", flat=True)[:20])
        logger.warning(
            "No certificate for %s passing attempt(s) sat outside the standard's target group (first attempt ids: %s).",
            count,
            first_ids,
        )
    total = missing_standard_credentials().count()  # the bulk; course certificates add to it as they come
    issued = 0
    for rows in _owed_batches(batch_size):
        owed: dict[tuple[int, str, str], tuple[int, AchievementInfo, datetime.datetime]] = {}
        for person_id, achievement, achieved_at in rows:
            owed.setdefault((person_id, achievement.kind, achievement.code), (person_id, achievement, achieved_at))
        names = people.full_names(person_id for person_id, _kind, _code in owed)
        with transaction.atomic():
            indexes = allocate_status_indexes(len(owed))
            issued_at = timezone.now()
            batch = [
                _signed_credential(
                    key=key,
                    person_id=person_id,
                    holder_name=names[person_id],
                    achievement=achievement,
                    achieved_at=achieved_at,
                    issued_at=issued_at,
                    status_index=index,
                )
                for (person_id, achievement, achieved_at), index in zip(owed.values(), indexes, strict=True)
            ]
            Credential.objects.bulk_create(batch, ignore_conflicts=True)
        issued += Credential.objects.filter(public_id__in=[credential.public_id for credential in batch]).count()
        if progress:
            progress(issued, max(total, issued))
    return issued
