"""Changes of the survey app: loading a questionnaire version, creating a province's survey and drawing its sample,
assigning interviewers, recording refusals and non-contacts, the consent and the answers, and computing the
estimates. Every service takes the actor and checks its scope (ADR 0022)."""

import datetime
import hashlib
import json
import secrets
from pathlib import Path

import numpy as np
import yaml
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from kynangso.accounts import api as accounts
from kynangso.errors import DomainError
from kynangso.frameworks import api as frameworks
from kynangso.orgs import api as orgs
from kynangso.people import api as people
from kynangso.survey import estimation, instrument, sampling
from kynangso.survey.models import (
    Estimate,
    Interview,
    InterviewMode,
    InterviewStatus,
    Questionnaire,
    SampledUnit,
    Survey,
)

caps = accounts.capabilities

# Units drawn in the first stage: the territorial units where people live (communes, wards, special zones).
PSU_KINDS = ("commune", "ward", "township", "special_zone")
# The recorded denominators the weights are raked to, by margin and level.
MARGIN_KINDS = {
    "age_group": {"18-29": "adults_18_29", "30-44": "adults_30_44", "45-59": "adults_45_59", "60+": "adults_60_plus"},
    "sex": {"male": "adults_male", "female": "adults_female"},
}


def _require(actor, capability: str, unit_id: int | None) -> None:
    if actor is None:
        raise DomainError(_("Thiếu người thực hiện."), code="forbidden")
    if accounts.is_system(actor):
        return
    if not accounts.has_capability(actor, capability, unit_id):
        raise DomainError(_("Bạn không có quyền thực hiện việc này ở đơn vị này."), code="forbidden")


def _framework_domains() -> dict[str, set[str]]:
    found = {}
    for key, code in (("qd757", "QD757-2025"), ("tt02", "TT02-2025")):
        framework = frameworks.framework_by_code(code)
        if framework is not None:
            found[key] = set(framework.domains.values_list("code", flat=True))
    return found


@transaction.atomic
def load_questionnaire(*, definition: dict, actor) -> tuple[Questionnaire, bool]:
    """Store a questionnaire read from YAML: (version, created). Unchanged content keeps its version; changed
    content becomes the next version (the surveys already drawn keep theirs)."""
    _require(actor, caps.SURVEY_MANAGE, None)
    clean = instrument.validate_definition(definition, _framework_domains())
    digest = hashlib.sha256(json.dumps(clean, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
    latest = Questionnaire.objects.select_for_update().filter(code=clean["code"]).order_by("-version").first()
    if latest is not None and latest.digest == digest:
        return latest, False
    version = Questionnaire.objects.create(
        code=clean["code"],
        version=(latest.version + 1) if latest else 1,
        title=clean["title"],
        definition=clean,
        digest=digest,
    )
    return version, True


def load_questionnaire_file(*, path: Path, actor) -> tuple[Questionnaire, bool]:
    """Read a YAML file of content/surveys/ and store it (load_questionnaire)."""
    try:
        definition = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise DomainError(
            _("Tệp %(name)s không đọc được: %(error)s") % {"name": Path(path).name, "error": error}, code="invalid"
        ) from error
    return load_questionnaire(definition=definition, actor=actor)


def create_survey(
    *,
    actor,
    unit_id: int,
    year: int,
    questionnaire_code: str,
    psu_count: int,
    persons_per_psu: int,
    seed: int | None = None,
    reference_day: datetime.date | None = None,
) -> Survey:
    """A new survey of the unit (a province) in the year, with the latest version of the questionnaire; the seed
    (random unless given) makes the sample reproducible."""
    _require(actor, caps.SURVEY_MANAGE, unit_id)
    questionnaire = Questionnaire.objects.filter(code=questionnaire_code).order_by("-version").first()
    if questionnaire is None:
        raise DomainError(
            _("Không có bảng hỏi %(code)s; hãy nạp bằng «kynangso load-surveys».") % {"code": questionnaire_code},
            code="not_found",
            field="questionnaire",
        )
    if not 1 <= psu_count <= 1000 or not 1 <= persons_per_psu <= 500:
        raise DomainError(_("Cỡ mẫu không hợp lệ: từ 1 đến 1.000 xã, từ 1 đến 500 người mỗi xã."), code="invalid")
    if Survey.objects.filter(unit_id=unit_id, year=year, questionnaire__code=questionnaire_code).exists():
        raise DomainError(_("Đơn vị này đã có cuộc khảo sát năm %(year)s.") % {"year": year}, code="duplicate")
    return Survey.objects.create(
        questionnaire=questionnaire,
        unit_id=unit_id,
        year=year,
        reference_day=reference_day or datetime.date(year, 12, 31),
        seed=seed if seed is not None else secrets.randbelow(2**31),
        psu_count=psu_count,
        persons_per_psu=persons_per_psu,
        created_by=accounts.recorded_user(actor),
    )


def _communes(survey: Survey) -> list:
    """The units of the first stage: active communes and wards in the survey's area, in code order (geography)."""
    return list(orgs.units(within=[survey.unit_id], active_only=True).filter(kind__in=PSU_KINDS).order_by("code"))


def _adults_by_stratum(survey: Survey, unit_ids) -> dict[int, dict[str, list[int]]]:
    """commune id → {"age group|sex": [person ids]}: the registry's adults living in each commune's subtree."""
    day, age_min = survey.reference_day, survey.questionnaire.definition.get("age_min", 18)
    latest_birth = datetime.date(day.year - age_min, day.month, 28 if (day.month, day.day) == (2, 29) else day.day)
    home = dict(orgs.closure_rows().filter(ancestor_id__in=list(unit_ids)).values_list("descendant_id", "ancestor_id"))
    found: dict[int, dict[str, list[int]]] = {unit_id: {} for unit_id in unit_ids}
    rows = (
        people.Person.objects.filter(residence_unit_id__in=list(home), birth_date__lte=latest_birth)
        .order_by("id")
        .values_list("id", "birth_date", "sex", "residence_unit_id")
    )
    for person_id, birth_date, sex, unit_id in rows:
        group = sampling.age_group(sampling.age_on(birth_date, day))
        if group is None:
            continue
        found[home[unit_id]].setdefault(f"{group}|{sex}", []).append(person_id)
    return found


@transaction.atomic
def draw_sample(*, actor, survey_id: int) -> Survey:
    """Draw the two-stage sample of the survey, once: communes by systematic PPS on their recorded adults (the
    registry's count where none is recorded), then people from the registry within each, stratified by age group
    and sex. The same seed draws the same sample."""
    survey = Survey.objects.select_for_update().select_related("questionnaire").get(pk=survey_id)
    _require(actor, caps.SURVEY_MANAGE, survey.unit_id)
    if survey.drawn_at is not None:
        raise DomainError(_("Mẫu của cuộc khảo sát này đã được chọn."), code="state")
    communes = _communes(survey)
    recorded = dict(
        orgs.denominator_rows()
        .filter(unit_id__in=[c.pk for c in communes], year=survey.year, kind="adults")
        .values_list("unit_id", "value")
    )
    adults = _adults_by_stratum(survey, [c.pk for c in communes])
    sizes = [recorded.get(c.pk) or sum(len(ids) for ids in adults[c.pk].values()) for c in communes]
    if not any(sizes):
        raise DomainError(_("Địa bàn chưa có người trưởng thành nào trong danh sách người dân."), code="state")
    rng = np.random.default_rng(survey.seed)
    interviews = []
    for drawn in sampling.systematic_pps(sizes, survey.psu_count, rng):
        commune = communes[drawn.index]
        psu = SampledUnit.objects.create(
            survey=survey, unit=commune, size=sizes[drawn.index], probability=drawn.probability, certain=drawn.certain
        )
        for person in sampling.draw_within(adults[commune.pk], survey.persons_per_psu, rng):
            group, sex = person.stratum.split("|")
            interviews.append(
                Interview(
                    survey=survey,
                    sampled_unit=psu,
                    person_id=person.person_id,
                    age_group=group,
                    sex=sex,
                    probability=drawn.probability * person.probability,
                )
            )
    Interview.objects.bulk_create(interviews)
    survey.drawn_at = timezone.now()
    survey.save(update_fields=["drawn_at"])
    return survey


def _interview_in_scope(actor, interview_id: int, capability: str) -> Interview:
    interview = (
        Interview.objects.select_related("survey__questionnaire", "sampled_unit").filter(pk=interview_id).first()
    )
    if interview is None:
        raise DomainError(_("Không tìm thấy cuộc phỏng vấn này."), code="not_found")
    if accounts.is_system(actor):
        return interview
    unit_id = interview.sampled_unit.unit_id
    if capability == caps.SURVEY_INTERVIEW:
        if interview.interviewer_id != getattr(actor, "pk", None) or not accounts.has_capability(
            actor, capability, unit_id
        ):
            raise DomainError(_("Không tìm thấy cuộc phỏng vấn này."), code="not_found")
    else:
        _require(actor, capability, unit_id)
    return interview


@transaction.atomic
def assign_interviewer(*, actor, interview_ids, interviewer) -> int:
    """Give interviews to an interviewer (a community digital-team member or an official) who may interview in
    their commune; the actor must run the survey there. Returns how many were assigned."""
    count = 0
    for interview_id in interview_ids:
        interview = _interview_in_scope(actor, interview_id, caps.SURVEY_MANAGE)
        if not accounts.has_capability(interviewer, caps.SURVEY_INTERVIEW, interview.sampled_unit.unit_id):
            raise DomainError(
                _("Người này không phụ trách phỏng vấn ở %(unit)s.") % {"unit": interview.sampled_unit.unit.name},
                code="forbidden",
                field="interviewer",
            )
        if interview.status != InterviewStatus.PENDING:
            continue
        interview.interviewer = interviewer
        interview.save(update_fields=["interviewer"])
        count += 1
    return count


def _open(interview: Interview) -> None:
    if interview.status != InterviewStatus.PENDING:
        raise DomainError(
            _("Cuộc phỏng vấn này đã có kết quả: %(status)s.") % {"status": interview.get_status_display()},
            code="state",
        )
    if interview.survey.estimated_at is not None:
        raise DomainError(_("Cuộc khảo sát đã được tính ước lượng; không nhận thêm kết quả."), code="state")


@transaction.atomic
def record_outcome(*, actor, interview_id: int, status: str, note: str = "") -> Interview:
    """Record that the person refused or could not be contacted (counted as non-response in the estimate)."""
    interview = _interview_in_scope(actor, interview_id, caps.SURVEY_INTERVIEW)
    if status not in (InterviewStatus.REFUSED, InterviewStatus.NON_CONTACT):
        raise DomainError(_("Kết quả không hợp lệ."), code="invalid", field="status")
    _open(interview)
    interview.status, interview.note = status, note[:255]
    interview.outcome_at, interview.outcome_by = timezone.now(), accounts.recorded_user(actor)
    interview.save(update_fields=["status", "note", "outcome_at", "outcome_by"])
    return interview


def _complete(interview: Interview, *, answers: dict, consent_at, mode: str, actor) -> Interview:
    _open(interview)
    if consent_at is None:
        raise DomainError(
            _("Người được hỏi chưa đồng ý tham gia; không được hỏi hay ghi câu trả lời."),
            code="no_consent",
            field="consent",
        )
    definition = interview.survey.questionnaire.definition
    known = instrument.activity_codes(definition)
    unknown = sorted(set(answers) - known)
    if unknown:
        raise DomainError(
            _("Câu hỏi không có trong bảng hỏi: %(codes)s.") % {"codes": ", ".join(unknown)},
            code="invalid",
            field="answers",
        )
    missing = sorted(known - set(answers))
    if missing:
        raise DomainError(_("Còn %(n)s câu chưa trả lời.") % {"n": len(missing)}, code="invalid", field="answers")
    clean = {code: bool(answers[code]) for code in sorted(known)}
    levels, overall = instrument.score(definition, clean)
    now = timezone.now()
    interview.answers, interview.area_levels, interview.at_least_basic = clean, levels, overall
    interview.consent_at = min(consent_at, now)
    interview.status, interview.mode = InterviewStatus.COMPLETED, mode
    interview.outcome_at, interview.outcome_by = now, accounts.recorded_user(actor)
    interview.save()
    return interview


@transaction.atomic
def submit_interview(*, actor, interview_id: int, answers: dict, consent_at: datetime.datetime | None) -> Interview:
    """The interviewer's record of a completed interview: the time the respondent consented (taken on the phone
    before the first question, perhaps offline) and the answers (activity code → done in the last 3 months)."""
    interview = _interview_in_scope(actor, interview_id, caps.SURVEY_INTERVIEW)
    Interview.objects.select_for_update().filter(pk=interview.pk).first()
    interview.refresh_from_db()
    return _complete(interview, answers=answers, consent_at=consent_at, mode=InterviewMode.INTERVIEWER, actor=actor)


@transaction.atomic
def submit_self_interview(*, token: str, answers: dict, consent_at: datetime.datetime | None) -> Interview:
    """A resident's own answers through their link (a signed token naming the interview)."""
    from kynangso.survey.links import interview_id_for_token

    interview = (
        Interview.objects.select_for_update()
        .select_related("survey__questionnaire")
        .get(pk=interview_id_for_token(token))
    )
    return _complete(interview, answers=answers, consent_at=consent_at, mode=InterviewMode.SELF, actor=accounts.SYSTEM)


def _margins(survey: Survey) -> dict[str, dict[str, float]] | None:
    rows = dict(orgs.denominator_rows().filter(unit_id=survey.unit_id, year=survey.year).values_list("kind", "value"))
    margins = {}
    for margin, kinds in MARGIN_KINDS.items():
        if not all(rows.get(kind) for kind in kinds.values()):
            return None
        margins[margin] = {level: float(rows[kind]) for level, kind in kinds.items()}
    return margins


@transaction.atomic
def compute_estimates(*, actor, survey_id: int) -> list[Estimate]:
    """Weight the interviews and store the estimates of the survey (overall, by sex, by age group). A person not
    interviewed by now (refused, not contacted, still pending) counts as non-response; after this the survey takes
    no more answers."""
    survey = Survey.objects.select_for_update().get(pk=survey_id)
    _require(actor, caps.SURVEY_MANAGE, survey.unit_id)
    if survey.drawn_at is None:
        raise DomainError(_("Chưa chọn mẫu cho cuộc khảo sát này."), code="state")
    rows = survey.interviews.order_by("id").values_list(
        "sampled_unit_id",
        "age_group",
        "sex",
        "probability",
        "status",
        "at_least_basic",
        "sampled_unit__probability",
        "sampled_unit__size",
        "sampled_unit__certain",
    )
    cases = [
        estimation.Case(
            psu=str(psu),
            age_group=group,
            sex=sex,
            probability=probability,
            responded=status == InterviewStatus.COMPLETED,
            at_least_basic=skilled,
            psu_probability=psu_probability,
            psu_size=size,
            certain=certain,
        )
        for psu, group, sex, probability, status, skilled, psu_probability, size, certain in rows
    ]
    if not any(case.responded for case in cases):
        raise DomainError(_("Chưa có ai trả lời; chưa thể ước lượng."), code="state")
    result = estimation.estimate(cases, margins=_margins(survey))
    now = timezone.now()
    survey.estimates.all().delete()
    stored = Estimate.objects.bulk_create(
        [
            Estimate(
                survey=survey,
                domain=found.domain,
                respondents=found.respondents,
                psus=found.psus,
                value=found.value,
                standard_error=found.standard_error,
                ci_low=found.ci_low,
                ci_high=found.ci_high,
                suppressed_reason=found.suppressed_reason,
                calibrated=result.calibrated,
                computed_at=now,
            )
            for found in result.estimates
        ]
    )
    survey.estimated_at = now
    survey.save(update_fields=["estimated_at"])
    return stored


def response_counts(survey_id: int) -> dict[str, int]:
    """status → number of interviews of the survey."""
    return dict(
        Interview.objects.filter(survey_id=survey_id)
        .values("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
