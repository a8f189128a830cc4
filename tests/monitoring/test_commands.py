"""`kynangso rollup` and `kynangso load-indicators`."""

import datetime
from io import StringIO

from django.core.management import call_command

from kynangso.monitoring.models import Indicator, IndicatorValue, RollupState


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_load_indicators_loads_the_catalogue_and_says_which_plans_were_skipped(db):
    output = run("load-indicators")
    assert "Danh mục:" in output and "chưa có kế hoạch" in output
    assert Indicator.objects.filter(code="nguoi-dan-lao-dong-dat-chuan").exists()


def test_rollup_full_for_a_year_computes_values_and_records_the_run(scene, resident_pass_rate):
    output = run("rollup", "--full", "--year", "2025", "--granularity", "year")
    assert "Đã tổng hợp (toàn bộ)" in output
    assert set(IndicatorValue.objects.values_list("period_end", flat=True)) == {datetime.date(2025, 12, 31)}
    assert RollupState.objects.get().last_run_kind == "full"


def test_rollup_without_options_is_incremental_after_a_full_run(scene, resident_pass_rate):
    run("rollup", "--full")
    assert "Đã tổng hợp (phần thay đổi)" in run("rollup")
