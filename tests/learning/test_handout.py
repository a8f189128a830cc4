"""The printable handout: an A4 PDF of a published course with its lessons, drawings, practice questions (answers
only in the key at the end), the lesson reviews and the CC BY 4.0 licence."""

import io

from pypdf import PdfReader

from kynangso.learning import handout

A4 = (595.28, 841.89)  # points


def read(course) -> PdfReader:
    return PdfReader(io.BytesIO(handout.handout_pdf(course.published_version)))


def text_of(reader: PdfReader) -> str:
    return "\n".join(page.extract_text() for page in reader.pages)


def test_the_handout_is_a4_with_every_lesson_and_the_licence(basic):
    reader = read(basic)
    assert all(
        abs(float(page.mediabox.width) - A4[0]) < 1 and abs(float(page.mediabox.height) - A4[1]) < 1
        for page in reader.pages
    )
    text = " ".join(text_of(reader).split())
    for number, lesson in enumerate(basic.published_version.lessons(), start=1):
        assert f"Bài {number}. {lesson['title']}" in text
    assert "CC BY 4.0" in text and "Đáp án phần luyện tập" in text


def test_practice_answers_appear_only_in_the_key_at_the_end(basic):
    context = handout.handout_context(basic.published_version)
    questions = [q for entry in context["lessons"] for q in entry["questions"]]
    assert len(questions) >= 10 and all(q.answer for q in questions)
    assert [q.number for q in questions] == list(range(1, len(questions) + 1))
    reader = read(basic)
    key_start = next(index for index, page in enumerate(reader.pages) if "Đáp án phần luyện tập" in page.extract_text())
    body = " ".join(" ".join(page.extract_text() for page in reader.pages[:key_start]).split())
    key = " ".join(" ".join(page.extract_text() for page in reader.pages[key_start:]).split())
    assert questions[0].question.prompt.split()[0] in body
    assert f"Câu 1: {questions[0].answer}"[:40] in key


def test_a_course_with_a_drawing_and_a_review_prints_both(pupils_course):
    context = handout.handout_context(pupils_course.published_version)
    assert 'src="data:image/svg+xml;base64,' in context["lessons"][0]["html"]
    assert "<svg" not in context["lessons"][0]["html"]
    text = " ".join(text_of(read(pupils_course)).split())
    assert "Nguyễn Thị Lan (giáo viên) duyệt ngày 20/11/2026" in text
    assert "Đáp án" not in text  # a course without practice questions has no key
