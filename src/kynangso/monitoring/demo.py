"""The monitoring app's part of the demo province (idempotent: running it twice changes nothing): the indicator
catalogue, the Đồng Tháp "Bình dân học vụ số" targets copied onto the demo province, and a roll-up."""

from pathlib import Path

from kynangso.monitoring import targets
from kynangso.monitoring.rollup import run_full_rollup
from kynangso.numbers import vietnamese_number
from kynangso.plans import api as plans

DEMO_PROVINCE_CODE = "99"
DEMO_PLAN_KEY = "dong-thap-binh-dan-hoc-vu-so"


def _ensure_plan() -> bool:
    if plans.plan_by_key(DEMO_PLAN_KEY) is not None:
        return True
    path = Path(plans.__file__).resolve().parent / "data" / "dong-thap.yaml"
    return path.exists() and not plans.import_plan(path).problems


def populate(*, today, stdout) -> None:
    """Add this app's demo records to the demo province."""
    targets.load_indicator_catalogue()
    if _ensure_plan():
        for line in targets.load_seed_targets(unit_code=DEMO_PROVINCE_CODE, plan_key=DEMO_PLAN_KEY):
            stdout.write(f"  {line}\n")
    result = run_full_rollup(today=today)
    stdout.write(
        f"  Tổng hợp chỉ số: {result.indicators} chỉ số, {result.periods} kỳ, "
        f"{vietnamese_number(result.values)} giá trị ({vietnamese_number(result.seconds, 1)} giây).\n"
    )
