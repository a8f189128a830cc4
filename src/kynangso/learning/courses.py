"""Authoring courses: parsing competence lists, phone-sized images, publishing a draft as an immutable version, and
loading the courses shipped in content/courses (ADR 0010)."""

import datetime
import io
import re
from pathlib import Path

import yaml
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from kynangso.accounts import api as accounts
from kynangso.errors import DomainError, ErrorCode
from kynangso.learning.illustrations import sanitise_svg
from kynangso.learning.models import (
    CompletionRule,
    Course,
    CourseCompetence,
    CourseVersion,
    FileKind,
    Lesson,
    LessonFile,
    Section,
    VersionCompetence,
)
from kynangso.learning.rendering import image_references, render_lesson_markdown
from kynangso.people import api as people
from kynangso.text import search_key

PHONE_IMAGE_WIDTH = 960  # wide enough for a 3x phone screen of 320 CSS px, small enough for a slow network
_COMPETENCE = re.compile(r"^\s*(\d+(?:\.\d+)*)\s*:\s*(\d+)\s*$")


def parse_competences(text) -> list[tuple[str, int]]:
    """«2.3:3, 4.1:1» (or a list of such strings) → [("2.3", 3), ("4.1", 1)]."""
    parts = text if isinstance(text, list | tuple) else re.split(r"[,;\n]", text or "")
    result = []
    for part in parts:
        if not str(part).strip():
            continue
        match = _COMPETENCE.match(str(part))
        if not match:
            raise DomainError(_("Năng lực «%(value)s» phải viết dạng mã:bậc, ví dụ 2.3:2.") % {"value": part})
        result.append((match.group(1), int(match.group(2))))
    return result


def parse_codes(text) -> list[str]:
    parts = text if isinstance(text, list | tuple) else re.split(r"[\s,;]+", text or "")
    return [str(part).strip() for part in parts if str(part).strip()]


def phone_sized_image(data: bytes, name: str) -> tuple[ContentFile, int, int]:
    """The image re-encoded no wider than PHONE_IMAGE_WIDTH (JPEG, or PNG when it has transparency)."""
    from PIL import Image, UnidentifiedImageError

    try:
        image = Image.open(io.BytesIO(data))
        image.load()
    except (UnidentifiedImageError, OSError) as exc:
        raise DomainError(_("Tệp «%(name)s» không phải là ảnh.") % {"name": name}) from exc
    if image.width > PHONE_IMAGE_WIDTH:
        image = image.resize((PHONE_IMAGE_WIDTH, round(image.height * PHONE_IMAGE_WIDTH / image.width)))
    buffer = io.BytesIO()
    stem = Path(name).stem
    if image.mode in ("RGBA", "LA", "P"):
        image.save(buffer, "PNG", optimize=True)
        filename = f"{stem}.png"
    else:
        image.convert("RGB").save(buffer, "JPEG", quality=75, optimize=True, progressive=True)
        filename = f"{stem}.jpg"
    return ContentFile(buffer.getvalue(), name=filename), image.width, image.height


def attach_file(*, lesson: Lesson, kind: str, name: str, data: bytes, title: str = "") -> LessonFile:
    """Add an image (made phone-sized) or a document to a lesson's draft. Files are never changed once added."""
    if lesson.files.filter(name=name).exists():
        raise DomainError(_("Bài đã có tệp tên «%(name)s».") % {"name": name})
    record = LessonFile(lesson=lesson, kind=kind, name=name, title=title)
    if kind == FileKind.IMAGE:
        content, record.width, record.height = phone_sized_image(data, name)
    else:
        content = ContentFile(data, name=Path(name).name)
    record.size_bytes = content.size
    record.file.save(content.name, content, save=False)
    record.save()
    return record


def _lesson_outline(lesson: Lesson) -> dict:
    files = list(lesson.files.all())
    images = {
        f.name: {"url": f.file.url, "width": f.width, "height": f.height} for f in files if f.kind == FileKind.IMAGE
    }
    video = None
    if lesson.video_file or lesson.video_url:
        video = {
            "file": lesson.video_file.url if lesson.video_file else "",
            "link": lesson.video_url,
            "captions": lesson.captions_file.url if lesson.captions_file else "",
        }
    return {
        "id": lesson.pk,
        "key": lesson.key,
        "title": lesson.title,
        "minutes": lesson.minutes,
        "html": render_lesson_markdown(lesson.body, images=images, illustrations=lesson.illustrations),
        "competences": [[code, level] for code, level in parse_competences(lesson.competences)],
        "practice": parse_codes(lesson.practice_codes),
        "video": video,
        "downloads": [
            {"title": f.title or f.name, "url": f.file.url, "size": f.size_bytes}
            for f in files
            if f.kind == FileKind.DOWNLOAD
        ],
    }


def draft_outline(course: Course) -> dict:
    sections = []
    lessons = course.lessons.filter(retired=False).prefetch_related("files").order_by("section__order", "order", "id")
    by_section: dict[int, list] = {}
    for lesson in lessons:
        by_section.setdefault(lesson.section_id, []).append(_lesson_outline(lesson))
    for section in course.sections.order_by("order", "id"):
        if by_section.get(section.pk):
            sections.append({"title": section.title, "lessons": by_section[section.pk]})
    return {"sections": sections}


def _catalogue_facts(course: Course) -> dict:
    return {
        "title": course.title,
        "summary": course.summary,
        "framework_code": course.framework_code,
        "target_groups": "," + ",".join(sorted(course.target_groups)) + "," if course.target_groups else ",",
        "estimated_minutes": course.estimated_minutes,
        "completion_rule": course.completion_rule,
        "practice_pass_ratio": course.practice_pass_ratio,
        "issues_certificate": course.issues_certificate,
        "reviews": course.reviews,
    }


def _differs_from_published(course: Course, outline: dict, facts: dict, competences: list) -> bool:
    current = course.published_version
    if current is None:
        return True
    same_facts = all(getattr(current, key) == value for key, value in facts.items())
    same_competences = sorted(current.competences.values_list("competence_code", "level")) == sorted(competences)
    return not (same_facts and same_competences and current.outline == outline)


def check_draft(course: Course) -> None:
    unknown = [group for group in course.target_groups if group not in people.TargetGroup.values]
    if unknown:
        raise DomainError(_("Nhóm đối tượng không có trong danh mục: %(groups)s.") % {"groups": ", ".join(unknown)})
    if not course.lessons.filter(retired=False).exists():
        raise DomainError(_("Khóa học chưa có bài học nào nên chưa xuất bản được."))


@transaction.atomic
def publish_course(*, course: Course, actor, only_if_changed: bool = False) -> CourseVersion:
    """Snapshot the draft as the next version and make it the one learners see. Progress points at lesson ids,
    which every version shares, so publishing never loses a learner's place (ADR 0010).

    `actor` must hold CONTENT_REVIEW, or be `accounts.SYSTEM` (the content loader)."""
    if not accounts.is_system(actor) and not accounts.has_capability(actor, accounts.capabilities.CONTENT_REVIEW):
        raise DomainError(_("Bạn không có quyền xuất bản khóa học."))
    given, course = course, Course.objects.select_for_update().get(pk=course.pk)
    check_draft(course)
    outline = draft_outline(course)
    facts = _catalogue_facts(course)
    competences = list(course.competences.values_list("competence_code", "level"))
    if only_if_changed and not _differs_from_published(course, outline, facts, competences):
        return course.published_version
    number = (course.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    lesson_count = sum(len(section["lessons"]) for section in outline["sections"])
    search_text = search_key(
        " ".join(
            [
                course.title,
                course.summary,
                *(lesson["title"] for section in outline["sections"] for lesson in section["lessons"]),
            ]
        )
    )
    version = CourseVersion.objects.create(
        course=course,
        number=number,
        outline=outline,
        lesson_count=lesson_count,
        search_text=search_text,
        published_by=accounts.recorded_user(actor),
        **facts,
    )
    VersionCompetence.objects.bulk_create(
        [
            VersionCompetence(version=version, framework_code=course.framework_code, competence_code=code, level=level)
            for code, level in competences
        ]
    )
    course.published_version = version
    course.save(update_fields=["published_version", "updated_at"])
    given.published_version = version
    return version


# --- the courses shipped in content/courses -------------------------------------------------------------------


def _front_matter(text: str, path: Path) -> tuple[dict, str]:
    if not text.startswith("---"):
        raise DomainError(_("Tệp %(name)s thiếu phần khai báo (front matter) ở đầu.") % {"name": path.name})
    _start, header, body = text.split("---", 2)
    return yaml.safe_load(header) or {}, body.lstrip("\n")


@transaction.atomic
def load_course_dir(folder: Path, *, actor) -> tuple[Course, bool]:
    """Create or update the draft of the course in `folder` (course.yaml + one Markdown file per lesson) and publish
    it if anything changed, as `actor` (`accounts.SYSTEM` for the content loader). Returns the course and whether a
    new version was published. Idempotent."""
    if not accounts.is_system(actor) and not accounts.has_capability(actor, accounts.capabilities.CONTENT_REVIEW):
        raise DomainError(_("Bạn không có quyền xuất bản khóa học."), code="forbidden")
    folder = Path(folder)
    meta = yaml.safe_load((folder / "course.yaml").read_text(encoding="utf-8")) or {}
    code = meta.get("code") or folder.name
    rule = meta.get("completion", CompletionRule.ALL_LESSONS_SEEN)
    if rule not in CompletionRule.values:
        raise DomainError(_("Điều kiện hoàn thành «%(rule)s» không hợp lệ.") % {"rule": rule})
    lesson_files = [
        filename
        for section in (meta.get("sections") or [{"lessons": meta.get("lessons", [])}])
        for filename in section["lessons"]
    ]
    course, _created = Course.objects.update_or_create(
        code=code,
        defaults={
            "title": meta["title"],
            "summary": " ".join(str(meta.get("summary", "")).split()),
            "framework_code": meta.get("framework", "TT02-2025"),
            "target_groups": list(meta.get("target_groups", [])),
            "estimated_minutes": int(meta.get("estimated_minutes", 30)),
            "completion_rule": rule,
            "practice_pass_ratio": float(meta.get("practice_pass_ratio", 0.7)),
            "issues_certificate": bool(meta.get("issues_certificate", False)),
            "reviews": _reviews(meta.get("reviews") or [], folder=folder, lesson_files=lesson_files),
        },
    )
    wanted = {str(code): int(level) for code, level in (meta.get("competences") or {}).items()}
    course.competences.exclude(competence_code__in=list(wanted)).delete()
    for competence_code, level in wanted.items():
        CourseCompetence.objects.update_or_create(
            course=course, competence_code=competence_code, defaults={"level": level}
        )
    sections = meta.get("sections") or [{"title": _("Bài học"), "lessons": meta.get("lessons", [])}]
    keys = []
    for section_order, section_meta in enumerate(sections, start=1):
        section = course.sections.filter(order=section_order).first() or Section(course=course, order=section_order)
        section.title = section_meta["title"]
        section.save()
        for lesson_order, filename in enumerate(section_meta["lessons"], start=1):
            path = folder / filename
            header, body = _front_matter(path.read_text(encoding="utf-8"), path)
            key = Path(filename).stem
            keys.append(key)
            Lesson.objects.update_or_create(
                course=course,
                key=key,
                defaults={
                    "section": section,
                    "order": lesson_order,
                    "title": header["title"],
                    "minutes": int(header.get("minutes", 10)),
                    "body": body,
                    "competences": ", ".join(parse_competences_as_text(header.get("competences", []))),
                    "practice_codes": "\n".join(parse_codes(header.get("practice", []))),
                    "retired": False,
                    "illustrations": _illustrations(body, folder=folder, filename=filename, key=key),
                },
            )
    course.lessons.exclude(key__in=keys).update(retired=True)
    before = course.published_version_id
    version = publish_course(course=course, actor=actor, only_if_changed=True)
    course.refresh_from_db()
    return course, version.pk != before


def _illustrations(body: str, *, folder: Path, filename: str, key: str) -> dict[str, str]:
    """The lesson's drawings (`images/<name>.svg` beside course.yaml), sanitised, by the name the text uses. Every
    image must say in words what it shows: an older learner with a screen reader, or a slow network, gets the
    words."""
    found = {}
    for source, alt in image_references(body):
        if not alt:
            raise DomainError(
                _("Hình «%(src)s» trong bài %(file)s thiếu lời mô tả: hãy viết ![mô tả hình](%(src)s).")
                % {"src": source, "file": filename},
                code=ErrorCode.ILLUSTRATION,
            )
        if not (source.startswith("images/") and source.endswith(".svg")):
            continue
        path = (folder / source).resolve()
        if path.parent != (folder / "images").resolve() or not path.is_file():
            raise DomainError(
                _("Bài %(file)s dùng hình «%(src)s» nhưng không có tệp này trong thư mục images/ của khóa học.")
                % {"src": source, "file": filename},
                code=ErrorCode.ILLUSTRATION,
            )
        found[source] = sanitise_svg(path.read_bytes(), name=f"{folder.name}/{source}", id_prefix=f"{key}-{path.stem}")
    return found


def _reviews(entries: list, *, folder: Path, lesson_files: list[str]) -> list[dict]:
    """The `reviews:` of course.yaml, checked: each names a lesson of the course, who reviewed it (name and role),
    the day and what changed. Kept with every version published (ADR 0010)."""
    reviews = []
    for entry in entries:
        lesson = str((entry or {}).get("lesson", ""))
        if lesson not in lesson_files:
            raise DomainError(
                _("Lượt duyệt bài «%(lesson)s» trong %(course)s/course.yaml không trỏ tới bài nào của khóa học.")
                % {"lesson": lesson, "course": folder.name}
            )
        when = entry.get("date")
        try:
            day = when if isinstance(when, datetime.date) else datetime.date.fromisoformat(str(when))
        except ValueError:
            day = None
        reviewer, changes = str(entry.get("reviewer") or "").strip(), " ".join(str(entry.get("changes") or "").split())
        if day is None or not reviewer or not changes:
            raise DomainError(
                _("Lượt duyệt bài «%(lesson)s» cần có người duyệt, ngày (YYYY-MM-DD) và nội dung đã sửa.")
                % {"lesson": lesson}
            )
        header, _body = _front_matter((folder / lesson).read_text(encoding="utf-8"), folder / lesson)
        reviews.append(
            {
                "lesson": lesson,
                "lesson_title": header["title"],
                "reviewer": reviewer,
                "date": day.isoformat(),
                "changes": changes,
            }
        )
    return reviews


def reviews_of(version: CourseVersion) -> list[dict]:
    """The lesson reviews kept with a version, each with its day as a date (`day`) for display."""
    return [{**review, "day": datetime.date.fromisoformat(review["date"])} for review in version.reviews]


def parse_competences_as_text(values) -> list[str]:
    return [f"{code}:{level}" for code, level in parse_competences(values)]


def load_courses(folder: Path, *, actor) -> list[tuple[Course, bool]]:
    """Load every course folder under `folder` (content/courses), as `actor` (`accounts.SYSTEM` for the loader)."""
    return [
        load_course_dir(path, actor=actor)
        for path in sorted(Path(folder).iterdir())
        if (path / "course.yaml").is_file()
    ]
