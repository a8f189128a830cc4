"""The roll-up benchmark still runs end to end on a tiny national-like set, so `benchmarks/run` does not rot.

It needs PostgreSQL (COPY, its own database) and runs in a child process, because it sets up Django on that database,
which pytest's already configured Django cannot switch to."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks import rollup
from tests.conftest import database_is_postgresql

REPO_ROOT = Path(__file__).resolve().parents[2]


def test_server_url_is_taken_from_a_database_url():
    assert rollup._server_url("postgres://postgres@127.0.0.1:5432/kns_mon") == "postgres://postgres@127.0.0.1:5432/"
    assert rollup._server_url("postgres://postgres@127.0.0.1:5432/") == "postgres://postgres@127.0.0.1:5432/"


def test_values_checksum_ignores_row_order():
    rows = [(1, 2, None, 3, None), (1, 1, None, 5, 10)]
    assert rollup.values_checksum(rows) == rollup.values_checksum(list(reversed(rows)))
    assert rollup.values_checksum(rows) != rollup.values_checksum(rows[:1])


@pytest.mark.skipif(not database_is_postgresql(), reason="the roll-up benchmark needs PostgreSQL (DATABASE_URL)")
def test_benchmark_runs_end_to_end_and_duckdb_and_incremental_agree(tmp_path):
    env = dict(os.environ, KYNANGSO_DATA_DIR=str(tmp_path / "data"))
    env.pop("DJANGO_SETTINGS_MODULE", None)
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks.rollup",
            "--persons",
            "3000",
            "--provinces",
            "2",
            "--communes",
            "40",
            "--new-results",
            "100",
            "--database-name",
            f"kns_bench_rollup_t{os.getpid()}",
            "--regenerate",
            "--drop-after",
        ],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    output = completed.stdout + completed.stderr
    assert completed.returncode == 0, output
    assert "Sinh dữ liệu (COPY): 3,000 người" in output
    assert "kết quả trùng khớp" in output
    assert "Tính bổ sung sau 100 kết quả mới: 100 người" in output
    assert "Kiểm tra: tính bổ sung bằng tính lại toàn bộ" in output
    assert output.count("sàn (quét đơn giản)") == len(rollup.FLOOR_QUERIES) == 3
    assert "KẾT QUẢ: ĐÚNG" in output
