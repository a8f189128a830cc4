"""A published course as a printable A4 handout (PDF, WeasyPrint) for classes and community digital teams: every
lesson with its illustrations, the practice questions without their answers, an answer key at the end, who reviewed
the lessons, and the CC BY 4.0 licence (ADR 0044)."""

import base64
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import timezone

from kynangso.assessment import api as assessment
from kynangso.learning.cartridge import LICENCE_URL, licence_notice, split_illustrations
from kynangso.learning.courses import reviews_of
from kynangso.learning.models import CourseVersion
from kynangso.people import api as people

LETTERS = "ABCDEFGHIJ"


@dataclass
class HandoutQuestion:
    number: int
    question: object  # assessment.PracticeQuestion
    answer: str


def _with_images(html: str) -> str:
    """The lesson's drawings as <img> of data: URIs: WeasyPrint draws SVG images, not inline SVG."""
    html, files = split_illustrations(html)
    for name, (svg, _alt) in files.items():
        uri = "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
        html = html.replace(f'src="{name}"', f'src="{uri}"')
    return html


def handout_context(version: CourseVersion) -> dict:
    lessons, number = [], 0
    for section in version.outline.get("sections", []):
        for lesson in section["lessons"]:
            questions = assessment.practice_questions(item_codes=lesson["practice"]) if lesson["practice"] else []
            answers = assessment.practice_answer_texts(version_ids=[q.version_id for q in questions])
            numbered = []
            for question in questions:
                number += 1
                numbered.append(HandoutQuestion(number, question, answers.get(question.version_id, "")))
            lessons.append(
                {
                    "section": section["title"],
                    "lesson": lesson,
                    "html": _with_images(lesson["html"]),
                    "questions": numbered,
                }
            )
    groups = [
        str(people.TargetGroup(g).label)
        for g in version.target_groups.strip(",").split(",")
        if g in people.TargetGroup.values
    ]
    return {
        "version": version,
        "lessons": lessons,
        "reviews": reviews_of(version),
        "groups": groups,
        "letters": LETTERS,
        "licence": licence_notice(version),
        "licence_url": LICENCE_URL,
        "printed_on": timezone.localdate(),
        "has_questions": number > 0,
    }


def handout_pdf(version: CourseVersion) -> bytes:
    from weasyprint import HTML  # imported here: loading WeasyPrint takes a moment and only downloads need it

    return HTML(string=render_to_string("learning/handout/handout.html", handout_context(version))).write_pdf()
