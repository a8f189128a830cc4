"""Personal learning paths: from a person's target groups, the standards they must meet and their latest assessment
profile (or a short self-assessment), the lessons that close their gaps, in order, marked as they are learnt."""

from dataclasses import dataclass, field

from django.db.models import F

from kynangso.assessment import api as assessment
from kynangso.frameworks import api as frameworks
from kynangso.learning.models import CourseVersion, LessonProgress, SelfAssessment
from kynangso.people import api as people


def _order(code: str) -> tuple:
    return tuple(int(part) if part.isdigit() else 0 for part in code.split("."))


@dataclass
class PathStep:
    course_code: str
    course_title: str
    lesson_id: int
    lesson_title: str
    minutes: int
    competences: list[str]
    seen: bool


@dataclass
class LearningPath:
    source: str  # "profile", "self" or "" when the person must first answer the self-assessment
    required: dict[str, int] = field(default_factory=dict)  # competence code → level the standard asks for
    gaps: list[str] = field(default_factory=list)
    steps: list[PathStep] = field(default_factory=list)
    framework_code: str = "TT02-2025"

    @property
    def next_step(self) -> PathStep | None:
        return next((step for step in self.steps if not step.seen), None)

    @property
    def done_count(self) -> int:
        return sum(1 for step in self.steps if step.seen)


def required_levels(person) -> tuple[dict[str, int], str]:
    """The competences (and the highest level) the standards of the person's target groups ask for."""
    required: dict[str, int] = {}
    framework_code = "TT02-2025"
    for standard in assessment.standards_for_person(person):
        framework_code = standard.framework_code
        for row in standard.blueprint.all():
            required[row.competence_code] = max(required.get(row.competence_code, 0), row.level)
    return dict(sorted(required.items(), key=lambda pair: _order(pair[0]))), framework_code


def self_assessment_questions(person) -> list[dict]:
    """One question per competence the person's standard asks for: its code, name and description."""
    required, framework_code = required_levels(person)
    names = {c.code: c for c in frameworks.competences(framework_code).filter(code__in=list(required))}
    return [
        {
            "code": code,
            "name": names[code].name if code in names else code,
            "description": names[code].description if code in names else "",
        }
        for code in required
    ]


def save_self_assessment(*, person, answers: dict[str, bool]) -> SelfAssessment:
    required, _framework = required_levels(person)
    return SelfAssessment.objects.create(person=person, answers={code: bool(answers.get(code)) for code in required})


def learning_path(person) -> LearningPath:
    required, framework_code = required_levels(person)
    path = LearningPath(source="", required=required, framework_code=framework_code)
    profile = assessment.latest_profile(person)
    if profile and profile.get("competences"):
        met = {entry["code"] for entry in profile["competences"] if entry.get("met")}
        path.source = "profile"
        path.gaps = [code for code in required if code not in met]
    else:
        latest = SelfAssessment.objects.filter(person=person).first()
        if latest is None:
            return path
        path.source = "self"
        path.gaps = [code for code in required if not latest.answers.get(code)]
    if not path.gaps:
        return path
    seen = set(LessonProgress.objects.filter(enrolment__person=person).values_list("lesson_id", flat=True))
    path.steps = _steps(path.gaps, required, _versions_by_fit(people.current_groups(person)), seen)
    return path


def _level_distance(level: int, required: int) -> tuple[int, int]:
    """How near a lesson's level is to the one needed: at or below it first (the nearest below first), then
    above it (the nearest first). A lesson tagged above the need still teaches the competence."""
    return (0, required - level) if level <= required else (1, level - required)


def _steps(gaps: list[str], required: dict[str, int], versions: tuple[list, list], seen: set[int]) -> list[PathStep]:
    """For each gap in order, the lessons that teach its competence, nearest level first; from the courses meant
    for the person's groups, or from the others when none of those teaches it."""
    targeted, others = versions
    ordered: dict[int, tuple[tuple, PathStep]] = {}
    for gap_rank, code in enumerate(gaps):
        need = max(required.get(code, 1), 1)
        for pool in (targeted, others):
            found = [
                (version_rank, version, position, lesson, level)
                for version_rank, version in enumerate(pool)
                for position, lesson in enumerate(version.lessons())
                for lesson_code, level in lesson["competences"]
                if lesson_code == code
            ]
            if found:
                break
        for version_rank, version, position, lesson, level in found:
            key = (gap_rank, _level_distance(level, need), version_rank, position)
            if lesson["id"] in ordered:
                ordered[lesson["id"]][1].competences.append(code)
                continue
            ordered[lesson["id"]] = (
                key,
                PathStep(
                    course_code=version.course.code,
                    course_title=version.title,
                    lesson_id=lesson["id"],
                    lesson_title=lesson["title"],
                    minutes=lesson["minutes"],
                    competences=[code],
                    seen=lesson["id"] in seen,
                ),
            )
    return [step for _key, step in sorted(ordered.values(), key=lambda pair: pair[0])]


@dataclass(frozen=True)
class LessonLink:
    course_code: str
    course_title: str
    lesson_id: int
    lesson_title: str
    minutes: int


def lessons_for_competences(
    competence_codes, *, groups: list[str], per_competence: int = 2
) -> dict[str, list[LessonLink]]:
    """For each competence code, the first lessons (at most `per_competence`) of the published courses meant for
    `groups` that teach it: what a result page suggests for the competences a taker did not meet."""
    wanted = list(dict.fromkeys(competence_codes))
    found: dict[str, list[LessonLink]] = {code: [] for code in wanted}
    for code in wanted:
        for pool in _versions_by_fit(groups):
            for version in pool:
                for lesson in version.lessons():
                    if len(found[code]) < per_competence and any(c == code for c, _level in lesson["competences"]):
                        found[code].append(
                            LessonLink(
                                course_code=version.course.code,
                                course_title=version.title,
                                lesson_id=lesson["id"],
                                lesson_title=lesson["title"],
                                minutes=lesson["minutes"],
                            )
                        )
            if found[code]:
                break
    return found


def _versions_by_fit(groups: list[str]) -> tuple[list[CourseVersion], list[CourseVersion]]:
    """The published courses meant for one of `groups`, and the others (used only for a competence none of the
    first teaches: a pupil is not sent to an officials' course while a pupils' course covers the need)."""
    versions = sorted(
        CourseVersion.objects.filter(course__published_version=F("pk")).select_related("course"), key=lambda v: v.title
    )
    targeted = [v for v in versions if any(f",{group}," in v.target_groups for group in groups)]
    return targeted, [v for v in versions if v not in targeted]
