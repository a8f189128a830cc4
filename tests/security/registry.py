"""Every URL pattern of the site, walked from the URL configuration, and the registry that says how the security
tests request each one: public, a collection (the answer may be 200 but must not carry an outside object), or one
object (the outside object must be refused). A pattern that is not in the registry makes the matrix test fail, so
that nobody adds a page without saying what scope it has."""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver

PUBLIC = "public"  # anyone may read it; what it shows is public by design (verification page, figures, content)
COLLECTION = "collection"  # a list, a form or an export: may answer 200, never with an outside object's data
OBJECT = "object"  # one object named in the URL: the outside one must be refused (403, 404, login)
NOT_RUN = "not run"  # cannot be requested in the tests' environment; the reason is the note


@dataclass(frozen=True)
class Entry:
    kind: str
    kwargs: Callable | None = None  # (world, side) -> URL kwargs; side is world.inside or world.outside
    method: str = "GET"
    query: Callable | None = None  # (world, side) -> query string aimed at the side's objects (collections)
    data: Callable | None = None  # (world, side) -> POST data
    api: bool = False  # authenticate with the role's bearer token instead of the session
    note: str = ""
    # A POST form that answers every refusal by a redirect back to its list with a message: the redirect is a
    # refusal only if this says the object is unchanged. (world, side) -> bool
    redirect_back: str = ""
    unchanged: Callable | None = None
    reachable: bool = True  # some role in the world may open the inside object (false: superusers only)


def walk_patterns(patterns=None, prefix="", namespace=""):
    """(name or route, route, pattern) of every URL pattern, names with their namespaces (`web:person`)."""
    patterns = get_resolver().url_patterns if patterns is None else patterns
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from walk_patterns(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            route = prefix + str(pattern.pattern)
            name = f"{namespace}:{pattern.name}" if pattern.name and namespace else (pattern.name or "")
            yield name or f"route:{route}", route, pattern


def _o(attribute, key="pk"):
    """kwargs builder: {key: side.<attribute>.pk}."""

    def build(world, side):
        value = side
        for part in attribute.split("."):
            value = getattr(value, part)
        return {key: value if not hasattr(value, "pk") else value.pk}

    return build


_person = _o("person", "person_id")
_attempt = _o("attempt", "attempt_id")
_class = _o("training_class", "class_id")
_occurrence = _o("occurrence", "occurrence_id")
_report = _o("report", "report_id")
_job = _o("job", "job_id")


def _survey_token(side) -> str:
    from kynangso.survey import api as survey

    return survey.token_for(side.interview.pk)


def _public_id(world, side):
    return {"public_id": side.credential.public_id}


def search(side) -> str:
    """A search term that finds the side's objects without being one of its markers: pages echo the query back."""
    return side.markers[0][3:]


PAGES: dict[str, Entry] = {
    # The site shell and people pages (web)
    "web:home": Entry(PUBLIC),
    # for machines (docs/deployment.md): no personal data and no figures, only "ok" and counts of requests and jobs
    "healthz": Entry(PUBLIC),
    "readyz": Entry(PUBLIC),
    "metrics": Entry(PUBLIC, note="loopback or a bearer token only; route patterns, never ids"),
    "web:text_size": Entry(PUBLIC, method="POST", data=lambda w, s: {"size": "large"}),
    "web:login": Entry(PUBLIC),
    "web:logout": Entry(PUBLIC, method="POST"),
    "web:dashboard": Entry(COLLECTION),
    "web:people": Entry(COLLECTION, query=lambda w, s: f"q={search(s)}&unit={s.unit.pk}"),
    "web:people_export": Entry(COLLECTION, query=lambda w, s: f"q={search(s)}&unit={s.unit.pk}"),
    "web:person": Entry(OBJECT, _person),
    "web:person_reveal": Entry(OBJECT, _person, method="POST"),
    "web:person_join_team": Entry(OBJECT, _person, method="POST", note="records a community team joined (404 outside)"),
    "web:person_leave_team": Entry(OBJECT, _person, method="POST", note="records a community team left (404 outside)"),
    "web:roster_upload": Entry(COLLECTION),
    "web:roster_template": Entry(COLLECTION),
    # The world's jobs are finished roster checks without files: confirming or fetching an error file fails for
    # everyone, so only the refusal of the outside job is checked.
    "web:roster_confirm": Entry(OBJECT, _job, method="POST", reachable=False),
    "web:job": Entry(OBJECT, _job),
    "web:job_error_file": Entry(OBJECT, _job, reachable=False),
    "set_language": Entry(PUBLIC, method="POST", data=lambda w, s: {"language": "vi"}),
    # Sign-in with the identity provider (ADR 0041): nothing of anyone's is shown; without a provider configured
    # (as here) both are not found, and tests/oidc runs them against a real provider.
    "oidc:start": Entry(PUBLIC, note="redirects to the configured provider"),
    "oidc:callback": Entry(PUBLIC, note="answers only a code and state this browser's session asked for"),
    # Accounts
    "accounts:account": Entry(COLLECTION),
    "accounts:password_change": Entry(COLLECTION),
    "accounts:password_reset": Entry(PUBLIC),
    "accounts:password_reset_issue": Entry(OBJECT, _person),
    "accounts:two_factor": Entry(COLLECTION),
    "accounts:two_factor_disable": Entry(COLLECTION),
    "accounts:two_factor_verify": Entry(COLLECTION),
    # Assessment
    "assessment:mine": Entry(COLLECTION),
    "assessment:assist": Entry(COLLECTION, query=lambda w, s: f"q={search(s)}"),
    "assessment:item_analysis": Entry(COLLECTION),
    "assessment:import_items": Entry(COLLECTION),
    "assessment:validity_index": Entry(COLLECTION),
    "assessment:validity_report": Entry(COLLECTION, lambda w, s: {"code": w.standard.code}),
    "assessment:start": Entry(
        COLLECTION, lambda w, s: {"code": w.standard.code}, method="POST", data=lambda w, s: {"person": s.person.pk}
    ),
    "assessment:attempt": Entry(OBJECT, _attempt),
    # The world's attempts are submitted: saving an answer is refused to everyone, so only the refusal is checked.
    "assessment:save": Entry(
        OBJECT, lambda w, s: {"attempt_id": s.attempt.pk, "position": 1}, method="POST", reachable=False
    ),
    "assessment:advance": Entry(OBJECT, _attempt, method="POST"),
    "assessment:review": Entry(OBJECT, _attempt),
    "assessment:submit": Entry(OBJECT, _attempt, method="POST"),
    "assessment:result": Entry(OBJECT, _attempt),
    # Learning (course content is public; classes are scoped to their organising unit)
    "learning:catalogue": Entry(PUBLIC),
    "learning:path": Entry(COLLECTION),
    "learning:path_of": Entry(OBJECT, _person),
    "learning:group_enrol": Entry(COLLECTION, query=lambda w, s: f"unit={s.unit.pk}"),
    # The helper's search (a name in the query string: identifiers are refused there) lists only people in scope.
    "learning:assist": Entry(COLLECTION, query=lambda w, s: f"q={search(s)}"),
    "learning:assist_end": Entry(COLLECTION, method="POST"),
    "learning:course": Entry(PUBLIC, lambda w, s: {"code": "ky-nang-so-co-ban"}),
    "learning:enrol": Entry(
        PUBLIC, lambda w, s: {"code": "ky-nang-so-co-ban"}, method="POST", note="enrols the actor themself"
    ),
    "learning:cartridge": Entry(
        PUBLIC,
        lambda w, s: {"code": "ky-nang-so-co-ban"},
        note="open e-library: a published course's package, for anyone (ADR 0044)",
    ),
    "learning:handout": Entry(
        PUBLIC,
        lambda w, s: {"code": "ky-nang-so-co-ban"},
        note="open e-library: a published course's printable handout, for anyone (ADR 0044)",
    ),
    "learning:lesson": Entry(PUBLIC, lambda w, s: {"code": "ky-nang-so-co-ban", "lesson_id": 1}),
    "learning:practice": Entry(
        PUBLIC,
        lambda w, s: {"code": "ky-nang-so-co-ban", "lesson_id": 1, "version_id": 1},
        method="POST",
        note="answers a practice question for the actor themself",
    ),
    "learning:classes": Entry(COLLECTION),
    "learning:attendance": Entry(OBJECT, _class),
    "learning:attendance_import": Entry(OBJECT, _class),
    "learning:attendance_template": Entry(OBJECT, _class),
    # Certificates (the verification page and the signed documents' linked data are public by design: the QR code)
    "credentials:check": Entry(PUBLIC),
    "credentials:mine": Entry(COLLECTION),
    "credentials:manage": Entry(COLLECTION, query=lambda w, s: f"q={search(s)}&unit={s.unit.pk}"),
    "credentials:export": Entry(COLLECTION),
    "credentials:reexport": Entry(OBJECT, _o("national_export", "export_id"), method="POST"),
    "credentials:status_list": Entry(PUBLIC, lambda w, s: {"list_number": 0}),
    "credentials:achievement": Entry(PUBLIC, lambda w, s: {"kind": "standard", "code": w.standard.code}),
    "credentials:achievement_image": Entry(PUBLIC, lambda w, s: {"kind": "standard", "code": w.standard.code}),
    "credentials:competence": Entry(PUBLIC, lambda w, s: {"framework_code": "TT02-2025", "code": "1.1"}),
    "credentials:verify": Entry(PUBLIC, _public_id, note="the QR code's public verification page"),
    "credentials:pdf": Entry(OBJECT, _public_id),
    "credentials:json": Entry(OBJECT, _public_id),
    "credentials:revoke": Entry(OBJECT, _public_id),
    "did_document": Entry(PUBLIC),
    # Plans
    "plans:index": Entry(COLLECTION),
    "plans:mine": Entry(COLLECTION),
    "plans:occurrence": Entry(OBJECT, _occurrence),
    "plans:evidence": Entry(OBJECT, _o("evidence", "evidence_id")),
    "plans:upload": Entry(COLLECTION),
    "plans:upload_template": Entry(COLLECTION),
    # A plan's board shows only the tasks in the viewer's scope: the outside plan may answer, without its tasks.
    "plans:board": Entry(COLLECTION, _o("plan", "plan_id")),
    "plans:timeline": Entry(COLLECTION, _o("plan", "plan_id")),
    "plans:export": Entry(COLLECTION, _o("plan", "plan_id")),
    # Monitoring (the public figures are public by design)
    "monitoring:dashboard": Entry(COLLECTION),
    "monitoring:unit": Entry(OBJECT, _o("unit", "unit_id")),
    "monitoring:ranking": Entry(OBJECT, _o("unit", "unit_id")),
    "monitoring:public": Entry(PUBLIC),
    "monitoring:entry_start": Entry(COLLECTION),
    "monitoring:entry": Entry(OBJECT, lambda w, s: {"unit_id": s.unit.pk, "year": s.report.year}),
    "monitoring:approvals": Entry(COLLECTION),
    "monitoring:decide": Entry(
        OBJECT,
        _o("manual_value", "value_id"),
        method="POST",
        data=lambda w, s: {"action": "approve"},
        redirect_back="/theo-doi/phe-duyet/",
        unchanged=lambda w, s: type(s.manual_value).objects.get(pk=s.manual_value.pk).status == s.manual_value.status,
    ),
    "monitoring:allocation_start": Entry(COLLECTION),
    "monitoring:allocation": Entry(OBJECT, _o("target", "target_id")),
    # The digital-skills survey: the province's pages are scoped to the surveyed province, an interview to the
    # interviewer it is given to within their commune
    "survey:index": Entry(COLLECTION),
    "survey:detail": Entry(OBJECT, _o("survey", "survey_id")),
    "survey:assign": Entry(
        OBJECT,
        _o("survey", "survey_id"),
        method="POST",
        data=lambda w, s: {"interviewer": "ho_tro_a", "interview": [s.interview.pk]},
    ),
    "survey:estimate": Entry(OBJECT, _o("survey", "survey_id"), method="POST"),
    "survey:mine": Entry(COLLECTION),
    "survey:interview": Entry(OBJECT, _o("interview", "interview_id")),
    "survey:outcome": Entry(
        OBJECT, _o("interview", "interview_id"), method="POST", data=lambda w, s: {"status": "refused"}
    ),
    "survey:self": Entry(
        PUBLIC,
        lambda w, s: {"token": _survey_token(s)},
        note="the resident's signed link is the key: it names one interview, expires, and the page "
        "shows no personal data",
    ),
    # Annual reports
    "reports:index": Entry(COLLECTION),
    "reports:detail": Entry(OBJECT, _report),
    "reports:approve": Entry(OBJECT, _report, method="POST"),
    "reports:return": Entry(OBJECT, _report, method="POST", data=lambda w, s: {"comment": "Bo sung"}),
    "reports:download": Entry(OBJECT, lambda w, s: {"report_id": s.report.pk, "fmt": "xlsx"}),
    "reports:province": Entry(OBJECT, lambda w, s: {"province_id": s.unit.parent_id, "year": s.report.year}),
    "reports:province_download": Entry(
        OBJECT, lambda w, s: {"province_id": s.unit.parent_id, "year": s.report.year, "fmt": "xlsx"}
    ),
    # Learning on other platforms: the xAPI resource answers only a platform's HTTP Basic credentials (a session
    # or a bearer token gets 401) and shows a platform only its own statements; the pages are scoped lists.
    "xapi:statements": Entry(PUBLIC, note="401 without a platform's Basic credentials; a platform reads only its own"),
    "xapi:about": Entry(PUBLIC),
    "integration:import": Entry(COLLECTION),
    "integration:import_template": Entry(COLLECTION),
    "integration:waiting": Entry(COLLECTION),
    # REST API (bearer tokens)
    "api:openapi-json": Entry(PUBLIC),
    "api:openapi-view": Entry(PUBLIC),
    "api:api-root": Entry(PUBLIC),
    "api:obtain_token": Entry(PUBLIC, method="POST", api=True),
    "api:list_tokens": Entry(COLLECTION, api=True),
    "api:revoke_token": Entry(OBJECT, _o("api_token", "token_id"), method="DELETE", api=True),
    "api:list_units": Entry(COLLECTION, api=True),
    "api:create_unit": Entry(COLLECTION, method="POST", api=True),
    "api:read_unit": Entry(OBJECT, _o("unit", "unit_id"), api=True),
    "api:update_unit": Entry(OBJECT, _o("unit", "unit_id"), method="PATCH", api=True),
    "api:list_people": Entry(COLLECTION, api=True, query=lambda w, s: f"q={search(s)}&unit_id={s.unit.pk}"),
    "api:register_person": Entry(COLLECTION, method="POST", api=True),
    "api:search_people": Entry(COLLECTION, method="POST", api=True, data=lambda w, s: {"q": s.national_id}),
    "api:read_person": Entry(OBJECT, _person, api=True),
    "api:update_person": Entry(OBJECT, _person, method="PATCH", api=True),
    "api:read_personal_data": Entry(OBJECT, _person, api=True),
    "api:my_standards": Entry(COLLECTION, api=True),
    "api:start": Entry(COLLECTION, method="POST", api=True),
    "api:read": Entry(OBJECT, _attempt, api=True),
    "api:save": Entry(
        OBJECT,
        lambda w, s: {"attempt_id": s.attempt.pk, "position": 1},
        method="PUT",
        api=True,
        data=lambda w, s: {"answer": {"text": "a"}},
        reachable=False,
    ),
    "api:next_item": Entry(OBJECT, _attempt, method="POST", api=True),
    "api:submit": Entry(OBJECT, _attempt, method="POST", api=True),
    "api:result": Entry(OBJECT, _attempt, api=True),
    "api:courses": Entry(PUBLIC, api=True),
    "api:my_enrolments": Entry(COLLECTION, api=True),
    "api:enrol": Entry(
        PUBLIC, lambda w, s: {"code": "ky-nang-so-co-ban"}, method="POST", api=True, note="enrols the actor themself"
    ),
    "api:lesson_seen": Entry(
        PUBLIC,
        lambda w, s: {"code": "ky-nang-so-co-ban", "lesson_id": 1},
        method="POST",
        api=True,
        note="records the actor's own progress",
    ),
    "api:verify": Entry(PUBLIC, method="POST", api=True),
    "api:verification_of": Entry(PUBLIC, _public_id, api=True, note="public verification of a certificate"),
    "api:mine": Entry(COLLECTION, api=True),
    "api:my_tasks": Entry(COLLECTION, api=True),
    "api:occurrence": Entry(OBJECT, _occurrence, api=True),
    "api:report": Entry(
        OBJECT, _occurrence, method="POST", api=True, data=lambda w, s: {"status": "in_progress", "progress": 10}
    ),
    # The indicator API: the catalogue is the same for everyone; values, targets and manual values are scoped
    "api:list_indicators": Entry(COLLECTION, api=True),
    "api:read_indicator": Entry(COLLECTION, lambda w, s: {"code": w.indicator.code}, api=True),
    "api:list_indicator_values": Entry(OBJECT, api=True, query=lambda w, s: f"unit={s.unit.pk}"),
    "api:analytics": Entry(OBJECT, api=True, query=lambda w, s: f"dimension=ou:{s.unit.pk}"),
    "api:list_targets": Entry(OBJECT, api=True, query=lambda w, s: f"unit={s.unit.pk}"),
    "api:progress": Entry(OBJECT, api=True, query=lambda w, s: f"unit={s.unit.pk}&include=children"),
    "api:list_manual_values": Entry(OBJECT, api=True, query=lambda w, s: f"unit={s.unit.pk}&year={s.report.year}"),
    "api:submit_manual_value": Entry(
        OBJECT,
        method="POST",
        api=True,
        data=lambda w, s: {"indicator": w.indicator.code, "unit_id": s.unit.pk, "year": s.report.year, "value": 3},
    ),
    "api:list_pending_manual_values": Entry(COLLECTION, api=True),
    "api:read_manual_value": Entry(OBJECT, _o("manual_value", "value_id"), api=True),
    "api:approve_manual_value": Entry(OBJECT, _o("manual_value", "value_id"), method="POST", api=True),
    "api:return_manual_value": Entry(
        OBJECT, _o("manual_value", "value_id"), method="POST", api=True, data=lambda w, s: {"comment": "Bo sung"}
    ),
    # Annual reports through the API
    "api:list_annual_reports": Entry(COLLECTION, api=True),
    "api:read_annual_report": Entry(OBJECT, _report, api=True),
    "api:download_annual_report": Entry(OBJECT, lambda w, s: {"report_id": s.report.pk, "fmt": "xlsx"}, api=True),
    "api:province_report_status": Entry(
        OBJECT, lambda w, s: {"province_id": s.unit.parent_id, "year": s.report.year}, api=True
    ),
    "api:download_province_report": Entry(
        OBJECT, lambda w, s: {"province_id": s.unit.parent_id, "year": s.report.year, "fmt": "xlsx"}, api=True
    ),
    # The back office's own pages (the model pages are generated from the admin registry below)
    "admin:index": Entry(COLLECTION),
    "admin:login": Entry(PUBLIC),
    "admin:logout": Entry(PUBLIC, method="POST"),
    "admin:password_change": Entry(COLLECTION),
    "admin:password_change_done": Entry(COLLECTION),
    "admin:autocomplete": Entry(
        COLLECTION,
        query=lambda w, s: f"term={search(s)}&app_label=learning&model_name=trainingclass&field_name=organising_unit",
    ),
    "admin:jsi18n": Entry(PUBLIC),
    "admin:view_on_site": Entry(NOT_RUN, note="redirects to an object's get_absolute_url; none is defined"),
    "admin:auth_user_password_change": Entry(OBJECT, lambda w, s: {"id": s.learner.pk}, reachable=False),
    "admin:otp_totp_totpdevice_config": Entry(OBJECT, lambda w, s: {"pk": s.totp_device.pk}, reachable=False),
    "admin:otp_totp_totpdevice_qrcode": Entry(OBJECT, lambda w, s: {"pk": s.totp_device.pk}, reachable=False),
    "admin:app_list": Entry(COLLECTION, lambda w, s: {"app_label": "people"}),
    "route:quan-tri/(?P<url>.*)$": Entry(NOT_RUN, note="the admin's catch-all redirect to a final slash"),
}

# django-rq's dashboard needs a Redis server, which the tests do not run; it is for system administrators only.
NOT_RUN_PREFIXES = ("admin:django_rq",)

# Admin models whose objects belong to a commune: how to find the side's object. Models not listed here hold the
# product's content or configuration (frameworks, items, indicators…) or logs, with no object in the world.
ADMIN_OBJECTS: dict[str, Callable | None] = {
    "people.person": lambda side: side.person,
    "people.personaldataaccess": None,
    "people.personchange": None,  # a person's change history; its list is checked, its rows are not looked up
    "orgs.orgunit": lambda side: side.unit,
    "orgs.unitdenominator": None,
    "orgs.letterhead": None,  # what a unit prints as issuer and signer; the world sets none, its list is checked
    "accounts.user": lambda side: side.learner,
    "accounts.roleassignment": lambda side: side.admin.role_assignments.first(),
    "accounts.apitoken": lambda side: side.api_token,
    "accounts.passwordreset": None,  # one-time reset codes (digests); none in the world
    "jobs.job": lambda side: side.job,
    "learning.trainingclass": lambda side: side.training_class,
    "learning.enrolment": None,  # the world loads no course (slow); the changelist is still checked
    "assessment.attempt": lambda side: side.attempt,
    "plans.plan": None,  # a plan is a public administrative document (KH-UBND); its tasks are scoped
    "plans.task": lambda side: side.occurrence.task,
    "plans.occurrence": lambda side: side.occurrence,
    "plans.recognition": None,
    "monitoring.manualvalue": lambda side: side.manual_value,
    # Platforms, the mapping, linked accounts and statements of the province; the world holds none
    "integration.platform": None,
    "integration.activitymapping": None,
    "integration.externalaccount": None,
    "integration.statement": None,
    "otp_totp.totpdevice": lambda side: side.totp_device,  # superusers only
    # Content and configuration, the same for every unit
    "auth.group": None,
    "django_rq.dashboard": None,
    "axes.accessattempt": None,
    "axes.accesslog": None,
    "axes.accessfailurelog": None,
    "frameworks.framework": None,
    "frameworks.competence": None,
    "learning.course": None,
    "learning.lesson": None,
    "learning.courseversion": None,
    "assessment.standard": None,
    "assessment.item": None,
    "monitoring.indicator": None,
    "monitoring.target": None,
}

# Admin models only a superuser changes, and actions no role has: the outside object is still refused to every
# role, but no role is expected to reach the inside one.
SUPERUSER_ONLY = {"otp_totp.totpdevice", "accounts.user", "accounts.apitoken", "jobs.job", "assessment.attempt"}
NO_ROLE_DELETES = {
    "orgs.orgunit",
    "accounts.roleassignment",
    "people.person",
    "jobs.job",
    "assessment.attempt",
    "plans.task",
    "plans.occurrence",
    "monitoring.manualvalue",
    "learning.trainingclass",
}

# Query-string lookups on protected fields of a person, as an intruder would try them in a changelist.
PROTECTED_LOOKUPS = {
    "people.person": lambda side: [
        f"phone__startswith={side.phone[:6]}",
        f"phone={side.phone}",
        f"birth_date__month={side.person.birth_date.month}",
        f"national_id_last_digits={side.national_id[-3:]}",
    ],
}


def _admin_entries() -> dict[str, Entry]:
    entries = {}
    for model in admin.site._registry:
        label = model._meta.label_lower
        if label not in ADMIN_OBJECTS:
            continue  # reported by the coverage test
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        finder = ADMIN_OBJECTS[label]
        entries[f"{prefix}_changelist"] = Entry(
            COLLECTION, query=lambda w, s: f"q={search(s)}", note=f"{label} changelist"
        )
        entries[f"{prefix}_add"] = Entry(COLLECTION)
        for action in ("change", "history", "delete"):
            if finder is None:
                entries[f"{prefix}_{action}"] = Entry(NOT_RUN, note=f"{label}: content or log, no object in scope")
            else:
                reachable = label not in SUPERUSER_ONLY and not (action == "delete" and label in NO_ROLE_DELETES)
                entries[f"{prefix}_{action}"] = Entry(
                    OBJECT, (lambda f: lambda w, s: {"object_id": f(s).pk})(finder), reachable=reachable
                )
    return entries


def registry() -> dict[str, Entry]:
    return {**PAGES, **_admin_entries()}


def is_admin_object_redirect(key: str) -> bool:
    """The admin's unnamed `<model>/<object_id>/` patterns only redirect to the named change page."""
    return key.startswith("route:quan-tri/") and key.endswith("/<path:object_id>/")


def covered(key: str, entries: dict[str, Entry]) -> bool:
    return key in entries or key.startswith(NOT_RUN_PREFIXES) or is_admin_object_redirect(key)


def url_entries():
    """(key, route, entry) for every URL pattern that has a registry entry."""
    entries = registry()
    seen = set()
    for key, route, _pattern in walk_patterns():
        if key in seen:
            continue
        seen.add(key)
        if key in entries:
            yield key, route, entries[key]
