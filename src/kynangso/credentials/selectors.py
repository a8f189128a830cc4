"""Reading certificates: a holder's, those in a user's scope, the monitoring view, and the revocation lists."""

from django.db.models import F, Q, QuerySet

from kynangso.accounts import api as accounts
from kynangso.credentials import issuer
from kynangso.credentials.models import AchievementKind, Credential
from kynangso.people import api as people


def issued_credentials() -> QuerySet:
    """One row per certificate: person_id, issued_at, achievement_kind, achievement_code, revoked_at."""
    return Credential.objects.order_by().values(
        "person_id", "issued_at", "achievement_kind", "achievement_code", "revoked_at"
    )


def credentials_of(person) -> QuerySet:
    return Credential.objects.filter(person=person).order_by("-achieved_at")


def credential_by_public_id(public_id) -> Credential | None:
    return Credential.objects.select_related("person").filter(public_id=public_id).first()


def credentials_in_scope(user, capability: str) -> QuerySet:
    """Certificates of the people who live or work in the units where `user` holds `capability`."""
    qs = Credential.objects.select_related("person", "person__residence_unit")
    unit_ids = accounts.scope_unit_ids(user, capability)
    if unit_ids is None:
        return qs
    return qs.filter(Q(person__residence_unit_id__in=unit_ids) | Q(person__workplace_unit_id__in=unit_ids))


def search_credentials(qs: QuerySet, query: str) -> QuerySet:
    """Narrow by the holder (name, national ID or phone, as people search does) or the achievement code."""
    query = (query or "").strip()
    if not query:
        return qs
    holders = people.search_people(people.everyone(), query=query).values("id")
    return qs.filter(Q(person_id__in=holders) | Q(achievement_code__iexact=query))


def may_view_documents(user, credential: Credential) -> bool:
    """The holder, and staff who may see results of people in scope, may download the PDF and the signed JSON."""
    if not user.is_authenticated:
        return False
    if credential.person.user_id == user.pk:
        return True
    return credentials_in_scope(user, accounts.capabilities.RESULTS_VIEW).filter(pk=credential.pk).exists()


def revoked_indexes(list_number: int) -> list[int]:
    """The revoked status indexes of status list `list_number`."""
    start = list_number * issuer.STATUS_LIST_LENGTH
    return list(
        Credential.objects.filter(
            revoked_at__isnull=False, status_index__gte=start, status_index__lt=start + issuer.STATUS_LIST_LENGTH
        ).values_list("status_index", flat=True)
    )


def status_list_exists(list_number: int) -> bool:
    start = list_number * issuer.STATUS_LIST_LENGTH
    return Credential.objects.filter(
        status_index__gte=start, status_index__lt=start + issuer.STATUS_LIST_LENGTH
    ).exists()


# Facts for the roll-up (monitoring): querysets of values with these stable names, whatever the models become.


def credential_facts(*, achievement_code: str = "") -> QuerySet:
    """One row per certificate (of the achievement `achievement_code` if given): values(f_person = person id,
    f_at = when issued, f_revoked = when revoked or null)."""
    qs = Credential.objects.order_by()
    if achievement_code:
        qs = qs.filter(achievement_code=achievement_code)
    return qs.values(f_person=F("person_id"), f_at=F("issued_at"), f_revoked=F("revoked_at"))


def credential_changes_between(since, until, *, change: str) -> QuerySet:
    """Certificates issued (change="issued") or revoked (change="revoked") in [since, until): values(f_person =
    person id, f_code = achievement code)."""
    field = {"issued": "issued_at", "revoked": "revoked_at"}[change]
    return (
        Credential.objects.order_by()
        .filter(**{f"{field}__gte": since, f"{field}__lt": until})
        .values(f_person=F("person_id"), f_code=F("achievement_code"))
    )


def standard_certificate_urls(person) -> dict[str, str]:
    """{standard code: public page of the person's newest certificate of that standard}."""
    from django.urls import reverse

    urls: dict[str, str] = {}
    for credential in credentials_of(person).filter(achievement_kind=AchievementKind.STANDARD):
        urls.setdefault(credential.achievement_code, reverse("credentials:verify", args=[credential.public_id]))
    return urls
