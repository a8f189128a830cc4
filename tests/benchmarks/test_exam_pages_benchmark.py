"""The exam-pages benchmark still runs end to end (2 browser takers and 2 REST takers, a real gunicorn), so the
figures docs/capacity.md takes from it can be measured again; and its browser answers what the exam page shows.

The end-to-end run needs PostgreSQL and runs in a child process, as the exam-day benchmark's test explains.
"""

import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks import exam_pages
from tests.conftest import database_is_postgresql

REPO_ROOT = Path(__file__).resolve().parents[2]

PAGE = """
<form method="post" action="/sat-hach/bai-thi/7/cau/1/" class="answer-form" data-position="1">
  <input type="radio" name="choice" value="a"> <input type="radio" name="choice" value="b"></form>
<form class="answer-form" data-position="2"><input type="checkbox" name="choices" value="x">
  <input type="checkbox" name="choices" value="y"></form>
<form class="answer-form" data-position="3"><select name="pos_s1"><option value="">–</option><option value="1">1</option>
  <option value="2">2</option></select><select name="pos_s2"><option value="">–</option><option value="1">1</option>
  <option value="2">2</option></select></form>
<form class="answer-form" data-position="4"><select name="pair_l1"><option value="">— chọn —</option>
  <option value="r1">A</option><option value="r2">B</option></select></form>
<form class="answer-form" data-position="5"><input type="text" inputmode="decimal" name="number" value=""></form>
<form action="/nop-bai/"><input type="text" name="outside"></form>
"""


def test_the_taker_answers_every_kind_of_item_in_the_fields_the_page_posts():
    parser = exam_pages.AnswerForms()
    parser.feed(PAGE)
    assert sorted(parser.forms) == [1, 2, 3, 4, 5]  # a form that is not an answer form is not read
    rng = random.Random(3)
    fields = {position: exam_pages.answer_fields(form, rng) for position, form in parser.forms.items()}
    assert len(fields[1]) == 1 and fields[1][0][0] == "choice" and fields[1][0][1] in {"a", "b"}
    assert fields[2] and {name for name, _value in fields[2]} == {"choices"}
    assert sorted(value for _name, value in fields[3]) == ["1", "2"]  # a place for each step, each place once
    assert fields[4][0][0] == "pair_l1" and fields[4][0][1] in {"r1", "r2"}  # never the empty «— chọn —»
    assert fields[5][0][0] == "number" and "," in fields[5][0][1]


@pytest.mark.skipif(not database_is_postgresql(), reason="the exam-pages benchmark needs PostgreSQL (DATABASE_URL)")
def test_benchmark_runs_every_page_of_a_sitting_without_an_error(tmp_path):
    env = dict(os.environ, KYNANGSO_DATA_DIR=str(tmp_path / "data"))
    env.pop("DJANGO_SETTINGS_MODULE", None)
    server = os.environ["DATABASE_URL"].rpartition("/")[0]
    env["DATABASE_URL"] = f"{server}/postgres"
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks.exam_pages",
            "--takers",
            "2",
            "--answers-per-taker",
            "3",
            "--database-name",
            f"kynangso_exam_pages_t{os.getpid()}",
        ],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    output = completed.stdout + completed.stderr
    assert completed.returncode == 0, output
    assert "trang làm bài" in output and "REST: lưu câu trả lời" in output and "LỖI" not in output
    assert "KẾT QUẢ: ĐẠT" in output
