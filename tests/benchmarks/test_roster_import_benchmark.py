"""The roster benchmark still runs end to end (on a few rows), so `benchmarks/run` does not rot between releases."""

import io

from benchmarks import roster_import


def test_benchmark_runs_every_step_on_a_small_roster(db, tmp_path):
    out = io.StringIO()
    results = roster_import.run(rows=60, workdir=tmp_path, out=out)
    assert {"bulk_create", "dry_run", "dry_run_csv", "import", "reimport"} <= set(results.steps)
    assert results.ratio > 0
    assert "chậm hơn bulk_create" in out.getvalue()


def test_generated_rows_are_valid_and_unique(db):
    units = roster_import.make_unit_tree()
    rows = roster_import.generate_roster(500, units)
    assert len({row[3] for row in rows}) == 500
