"""Content coverage: for every standard and every competence its blueprint asks, the published lessons that teach it
at or below the level needed and the live exam items that test it; and the target groups no course is written for.
Also the published lessons no second reader has reviewed yet. Read by `kynangso content-report` (docs/learning.md)."""

from dataclasses import dataclass, field

from django.db.models import F

from kynangso.assessment import api as assessment
from kynangso.frameworks import api as frameworks
from kynangso.learning.models import CourseVersion
from kynangso.people import api as people


@dataclass
class CoveredLesson:
    course_code: str
    lesson_key: str
    title: str
    level: int

    def __str__(self) -> str:
        return f"{self.course_code}/{self.lesson_key} (bậc {self.level})"


@dataclass
class Cell:
    """One competence of one standard: the lowest level its blueprint asks, and what covers it."""

    standard_code: str
    target_group: str
    competence_code: str
    competence_name: str
    level: int
    lessons: list[CoveredLesson] = field(default_factory=list)
    items: int = 0

    @property
    def covered(self) -> bool:
        return bool(self.lessons)


@dataclass
class CoverageReport:
    cells: list[Cell]
    groups_without_course: list[tuple[str, str]]  # (code, label)
    unreviewed: list[str] = field(default_factory=list)  # «course/lesson» of published lessons no one reviewed

    @property
    def uncovered(self) -> list[Cell]:
        return [cell for cell in self.cells if not cell.covered]

    @property
    def complete(self) -> bool:
        return not self.uncovered and not self.groups_without_course


def _order(code: str) -> tuple:
    return tuple(int(part) if part.isdigit() else 0 for part in code.split("."))


def _published_lessons() -> tuple[list[tuple[str, dict]], set[str], list[str]]:
    """(course code, lesson) of every published course's lessons, the target groups those courses name, and the
    lessons without a recorded review («course/lesson»)."""
    lessons, groups, unreviewed = [], set(), []
    versions = CourseVersion.objects.filter(course__published_version=F("pk")).select_related("course")
    for version in sorted(versions, key=lambda v: v.course.code):
        groups.update(group for group in version.target_groups.split(",") if group)
        lessons.extend((version.course.code, lesson) for lesson in version.lessons())
        reviewed = {review["lesson"].rsplit(".", 1)[0] for review in version.reviews}
        unreviewed += [
            f"{version.course.code}/{lesson['key']}" for lesson in version.lessons() if lesson["key"] not in reviewed
        ]
    return lessons, groups, unreviewed


def _live_items() -> list[tuple[str, int, list]]:
    return list(
        assessment.Item.objects.filter(use="assessment", live_version__isnull=False).values_list(
            "competence_code", "level", "groups"
        )
    )


def content_coverage() -> CoverageReport:
    """The coverage of every standard in the database by the published courses and the live item bank. A lesson
    covers a standard's competence when its tag level is at or below the lowest level the blueprint asks of it; an
    item counts when it tests the competence at one of the blueprint's levels and serves the standard's group."""
    lessons, course_groups, unreviewed = _published_lessons()
    items = _live_items()
    names: dict[tuple[str, str], str] = {}
    cells = []
    for standard in assessment.Standard.objects.prefetch_related("blueprint").order_by("code"):
        levels: dict[str, set[int]] = {}
        for row in standard.blueprint.all():
            levels.setdefault(row.competence_code, set()).add(row.level)
        for code in sorted(levels, key=_order):
            key = (standard.framework_code, code)
            if key not in names:
                found = frameworks.competence(standard.framework_code, code)
                names[key] = found.name if found else ""
            need = min(levels[code])
            cell = Cell(
                standard_code=standard.code,
                target_group=standard.target_group,
                competence_code=code,
                competence_name=names[key],
                level=need,
            )
            cell.lessons = [
                CoveredLesson(course_code, lesson["key"], lesson["title"], level)
                for course_code, lesson in lessons
                for lesson_code, level in lesson["competences"]
                if lesson_code == code and level <= need
            ]
            cell.items = sum(
                1
                for item_code, level, groups in items
                if item_code == code and level in levels[code] and (not groups or standard.target_group in groups)
            )
            cells.append(cell)
    without = [(value, str(label)) for value, label in people.TargetGroup.choices if value not in course_groups]
    return CoverageReport(cells=cells, groups_without_course=without, unreviewed=unreviewed)
