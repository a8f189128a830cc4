"""The exam-day benchmark still runs end to end (3 takers, a real gunicorn), so `benchmarks/run` does not rot.

It needs PostgreSQL: the server's workers write at the same time, which is what the benchmark is about. It runs in a
child process because it sets up Django on its own database (here a throwaway one named after this process), which
pytest's already configured Django cannot switch to.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks import exam_day
from tests.conftest import database_is_postgresql

REPO_ROOT = Path(__file__).resolve().parents[2]


def test_save_plan_revisits_every_fourth_save():
    plan = exam_day.save_plan(list(range(1, 19)), 24)
    assert len(plan) == 24 and set(plan) == set(range(1, 19))
    assert all(plan[i] in plan[:i] for i in range(3, 24, 4))
    assert exam_day.save_plan([1, 2, 3], 4) == [1, 2, 3, 1]


def test_answers_are_built_from_what_the_api_shows_in_stored_form():
    import random

    rng = random.Random(1)
    options = [{"id": f"o{i}", "text": ""} for i in range(4)]
    chosen = exam_day.build_answer({"type": "multiple_response", "options": options}, rng)["choices"]
    assert chosen and chosen == [o["id"] for o in options if o["id"] in chosen]
    pairs = exam_day.build_answer(
        {"type": "matching", "lefts": [{"id": "a"}, {"id": "b"}], "rights": [{"id": "x"}, {"id": "y"}]}, rng
    )["pairs"]
    assert set(pairs) == {"a", "b"} and set(pairs.values()) == {"x", "y"}
    first = {"choice": "d"}
    assert exam_day.build_answer({"type": "true_false", "options": [{"id": "d"}, {"id": "s"}]}, rng, first) != first


@pytest.mark.skipif(not database_is_postgresql(), reason="the exam-day benchmark needs PostgreSQL (DATABASE_URL)")
def test_benchmark_runs_end_to_end_and_loses_no_answer(tmp_path):
    env = dict(os.environ, KYNANGSO_DATA_DIR=str(tmp_path / "data"))
    env.pop("DJANGO_SETTINGS_MODULE", None)
    # The benchmark makes its own database on the server; it connects through the server's `postgres` database.
    server = os.environ["DATABASE_URL"].rpartition("/")[0]
    env["DATABASE_URL"] = f"{server}/postgres"
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks.exam_day",
            "--takers",
            "3",
            "--answers-per-taker",
            "4",
            "--workers",
            "1",
            "--threads",
            "2",
            "--database-name",
            f"kynangso_exam_bench_t{os.getpid()}",
        ],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = completed.stdout + completed.stderr
    assert completed.returncode == 0, output
    assert "mất 0, trùng 0, sai nội dung 0" in output
    assert "12 câu trả lời đã gửi, 12 lần lưu" in output
    assert "đã nộp 3/3 bài" in output
    assert "KẾT QUẢ: ĐẠT" in output
