"""Whatever file an author uploads, the item import answers with a report (items, notes, questions left out) or one
clear refusal, never a traceback or an HTTP 500: the real Moodle 5.1 export files, mutated by hypothesis (bytes cut,
doubled or replaced, Moodle/GIFT syntax spliced in anywhere), go through the readers, the service (a dry run and a
real run) and the web page."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kynangso.accounts.models import Role
from kynangso.assessment import imports
from kynangso.assessment.interchange import read_gift, read_moodle_xml
from kynangso.errors import DomainError
from tests.factories import make_user

FIXTURES = Path(__file__).parent / "fixtures" / "moodle-5.1"
SOURCES = {
    "questions.xml": (FIXTURES / "questions.xml").read_bytes(),
    "questions.gift.txt": (FIXTURES / "questions.gift.txt").read_bytes(),
}
FUZZ = settings(
    max_examples=60,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Pieces of both formats, so mutations hit the parsers' structure and not only their error paths.
_SNIPPETS = [
    b'<question type="multichoice">',
    b'<question type="gapselect">',
    b'<question type="">',
    b"</question>",
    b'<answer fraction="abc">',
    b'<answer fraction="1e308">',
    b'<answer fraction="-0">',
    b"</answer>",
    b"<text>",
    b"</text>",
    b"<![CDATA[<p>x</p>",
    b"]]>",
    b'<file name="a.png" encoding="base64">!!!</file>',
    b"<tolerance>nan</tolerance>",
    b"<tolerance>-5</tolerance>",
    b"<single>maybe</single>",
    b"<usecase>2</usecase>",
    b"<tags><tag><text>kns-level:99</text></tag></tags>",
    b"<tag><text>kns-competence:</text></tag>",
    b"<tag><text>kns-id:" + b"X" * 200 + b"</text></tag>",
    b"<idnumber>a b/c</idnumber>",
    b"<subquestion>",
    b"<!DOCTYPE quiz>",
    b"&amp;",
    b"&#0;",
    b"&bogus;",
    b"\x00",
    b"\xff\xfe",
    b"\xc3",
    b"\r\n",
    b"\n\n",
    b"{",
    b"}",
    b"~",
    b"=",
    b"#",
    b"####",
    b"->",
    b"%50%",
    b"%-100%",
    b"%abc%",
    b"::",
    b"\\",
    b"\\n",
    b"{#",
    b"{#1..",
    b"..",
    b":",
    b"{T}",
    b"{FALSE#",
    b"{>2 ALL",
    b"[html]",
    b"// [id:",
    b"// [tag:kns-level:x]",
    b"$CATEGORY: $course$/top/KNS/TT02-2025/4.2\n\n",
    "câu hỏi tiếng Việt".encode(),
    b'<img src="@@PLUGINFILE@@/',
]


@st.composite
def mutated(draw):
    name = draw(st.sampled_from(sorted(SOURCES)))
    data = bytearray(SOURCES[name])
    for _ in range(draw(st.integers(min_value=1, max_value=6))):
        at = draw(st.integers(min_value=0, max_value=len(data)))
        kind = draw(st.sampled_from(["cut", "insert", "replace", "double", "truncate"]))
        size = draw(st.integers(min_value=1, max_value=400))
        if kind == "cut":
            del data[at : at + size]
        elif kind == "truncate":
            del data[at:]
        elif kind == "double":
            data[at:at] = data[at : at + size]
        else:
            piece = draw(st.one_of(st.sampled_from(_SNIPPETS), st.binary(max_size=12)))
            data[at : at + (size if kind == "replace" else 0)] = piece
    return name, bytes(data)


@pytest.fixture
def author(province):
    return make_user("bientap_f", Role.CONTENT_AUTHOR, province.a)


def _readers_never_raise(name: str, data: bytes) -> None:
    if name.endswith(".xml"):
        items, problems = read_moodle_xml(data)
    else:
        items, problems = read_gift(data.decode("utf-8", errors="replace"))
    assert all(isinstance(item, dict) and item.get("type") for item in items)
    assert all(str(problem) for problem in problems)


@pytest.mark.django_db
@FUZZ
@given(case=mutated())
def test_mutated_moodle_files_never_crash_the_readers_or_the_import(author, framework, case):
    name, data = case
    _readers_never_raise(name, data)
    try:
        dry = imports.import_upload(filename=name, data=data, actor=author, dry_run=True)
    except DomainError as error:  # e.g. a GIFT file that is no longer UTF-8: one clear refusal
        assert error.message and "Traceback" not in error.message
        return
    real = imports.import_upload(filename=name, data=data, actor=author)
    assert (dry.counts, dry.problems, dry.refused) == (real.counts, real.problems, real.refused)
    assert real.refused or real.items + len(real.problems) > 0


@pytest.mark.django_db
@settings(FUZZ, max_examples=15)
@given(case=mutated())
def test_mutated_moodle_files_never_give_a_500_on_the_page(client, author, framework, case):
    name, data = case
    client.force_login(author)
    page = client.post("/sat-hach/ngan-hang/nhap/", {"file": SimpleUploadedFile(name, data)})
    assert page.status_code in (200, 422)
