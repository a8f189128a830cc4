"""What a certificate attests: a standard passed, a course completed or a training class attended, with its
competences, as an OB 3.0 Achievement."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from kynangso.assessment import api as assessment
from kynangso.credentials import issuer
from kynangso.credentials.models import AchievementKind
from kynangso.errors import DomainError
from kynangso.frameworks import api as frameworks
from kynangso.learning import api as learning

# OB 3.0 AchievementType of each kind of achievement
ACHIEVEMENT_TYPES = {
    AchievementKind.STANDARD: "Competency",
    AchievementKind.COURSE: "Certificate",
    AchievementKind.TRAINING_CLASS: "CertificateOfCompletion",
}


# OB 3.0 AlignmentTargetType of a competence of a framework
ALIGNMENT_TARGET_TYPE = "ceasn:Competency"


@dataclass(frozen=True)
class Alignment:
    framework_code: str
    code: str
    name: str


@dataclass(frozen=True)
class AchievementInfo:
    kind: str
    code: str
    name: str
    description: str
    criteria: str
    alignments: list[Alignment] = field(default_factory=list)

    def as_open_badge(self) -> dict:
        """The OB 3.0 `Achievement` (id, type, name, description, criteria required), competences as alignments."""
        achievement = {
            "id": issuer.achievement_url(self.kind, self.code),
            "type": ["Achievement"],
            "achievementType": ACHIEVEMENT_TYPES[self.kind],
            "name": self.name,
            "description": self.description or self.criteria,
            "image": {
                "id": issuer.achievement_image_url(self.kind, self.code),
                "type": "Image",
                "caption": _("Huy hiệu: %(name)s") % {"name": self.name},
            },
            "criteria": {"narrative": self.criteria},
            "humanCode": self.code,
            "inLanguage": "vi",
        }
        if self.alignments:
            achievement["alignment"] = [
                {
                    "type": ["Alignment"],
                    "targetName": f"{alignment.code} {alignment.name}".strip(),
                    "targetUrl": issuer.competence_url(alignment.framework_code, alignment.code),
                    "targetCode": alignment.code,
                    "targetFramework": alignment.framework_code,
                    # The CASE/CEASN term for a competence; the schema allows only its enumerated terms or "ext:…".
                    "targetType": ALIGNMENT_TARGET_TYPE,
                }
                for alignment in self.alignments
            ]
        return achievement


def _alignments(competences) -> list[Alignment]:
    """An alignment for each (framework code, competence code), named from the framework."""
    alignments = []
    for framework_code, competence_code in competences:
        competence = frameworks.competence(framework_code, competence_code)
        alignments.append(
            Alignment(framework_code=framework_code, code=competence_code, name=competence.name if competence else "")
        )
    return alignments


def standard_achievement(code: str) -> AchievementInfo:
    """The standard `code`, its competences being those its blueprint draws items from."""
    standard = assessment.standard_by_code(code)
    if standard is None:
        raise DomainError(_("Không có chuẩn kỹ năng số mã «%(code)s».") % {"code": code}, code="not_found")
    competence_codes = sorted(
        {row.competence_code for row in standard.blueprint.all()},
        key=lambda value: [int(part) if part.isdigit() else part for part in value.split(".")],
    )
    alignments = _alignments((standard.framework_code, code) for code in competence_codes)
    criteria = _("Đạt bài sát hạch chuẩn «%(name)s» với điểm tối thiểu %(percent)s%%.") % {
        "name": standard.name,
        "percent": standard.pass_percent,
    }
    return AchievementInfo(
        kind=AchievementKind.STANDARD,
        code=standard.code,
        name=standard.name,
        description=standard.description or criteria,
        criteria=criteria,
        alignments=alignments,
    )


def course_achievement(code: str) -> AchievementInfo | None:
    """The course `code` as an achievement, or None when there is no such published course or it does not lead to
    a certificate."""
    course = learning.course_achievement(code)
    if course is None or not course.issues_certificate:
        return None
    alignments = _alignments((framework, code) for framework, code, _level in course.competences)
    criteria = _("Hoàn thành khóa học «%(title)s».") % {"title": course.title}
    return AchievementInfo(
        kind=AchievementKind.COURSE,
        code=course.code,
        name=course.title,
        description=course.description or criteria,
        criteria=criteria,
        alignments=alignments,
    )


def class_achievement(code: str) -> AchievementInfo | None:
    """The training class whose id is `code` as an achievement, or None when there is no such class or it issues no
    certificate of attendance."""
    training_class = learning.class_achievement(int(code)) if code.isdigit() else None
    if training_class is None or not training_class.issues_certificate:
        return None
    alignments = _alignments((framework, code) for framework, code, _level in training_class.competences)
    criteria = _("Tham dự lớp tập huấn «%(title)s» (%(mode)s) do %(unit)s tổ chức từ %(start)s đến %(end)s.") % {
        "title": training_class.title,
        "mode": training_class.mode_label.lower(),
        "unit": training_class.organising_unit,
        "start": f"{training_class.starts_on:%d/%m/%Y}",
        "end": f"{training_class.ends_on:%d/%m/%Y}",
    }
    return AchievementInfo(
        kind=AchievementKind.TRAINING_CLASS,
        code=str(training_class.class_id),
        name=training_class.title,
        description=criteria,
        criteria=criteria,
        alignments=alignments,
    )


def achievement(kind: str, code: str) -> AchievementInfo | None:
    if kind == AchievementKind.STANDARD:
        return standard_achievement(code)
    if kind == AchievementKind.COURSE:
        return course_achievement(code)
    if kind == AchievementKind.TRAINING_CLASS:
        return class_achievement(code)
    raise DomainError(_("Loại thành tích không hợp lệ."))
