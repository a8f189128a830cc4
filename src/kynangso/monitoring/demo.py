"""The monitoring app's part of the demo province (idempotent: running it twice changes nothing): the indicator
catalogue, the demo plan's own targets to 2030 (data/demo-targets.yaml), the Đồng Tháp "Bình dân học vụ số" targets
copied onto the demo province, and a roll-up."""

from pathlib import Path

from kynangso.monitoring import targets
from kynangso.monitoring.rollup import run_full_rollup
from kynangso.numbers import vietnamese_number
from kynangso.orgs import api as orgs
from kynangso.plans import api as plans

DEMO_PROVINCE_CODE = "99"
DEMO_PLAN_KEY = "dong-thap-binh-dan-hoc-vu-so"
DEMO_TARGETS_FILE = targets.DATA_DIR / "demo-targets.yaml"


def _ensure_plan() -> bool:
    if plans.plan_by_key(DEMO_PLAN_KEY) is not None:
        return True
    path = Path(plans.__file__).resolve().parent / "data" / "dong-thap.yaml"
    return path.exists() and not plans.import_plan(path).problems


def load_demo_plan_targets() -> int:
    """The targets of the demo province's own plan (imported by the plans app's demo step), 2025 to 2030; 0 when the
    plan or the province is not there."""
    data = targets.target_entries(DEMO_TARGETS_FILE)
    plan = plans.plan_by_key(data["plan_key"])
    unit = orgs.unit_by_code(str(data["unit_code"]))
    if plan is None or unit is None:
        return 0
    return targets.copy_targets_from_entries(plan=plan, unit=unit, entries=data["targets"])


def populate(*, today, stdout) -> None:
    """Add this app's demo records to the demo province."""
    targets.load_indicator_catalogue()
    count = load_demo_plan_targets()
    if count:
        stdout.write(f"  Kế hoạch của tỉnh mô phỏng: {count} chỉ tiêu từ 2025 đến 2030.\n")
    if _ensure_plan():
        for line in targets.load_seed_targets(unit_code=DEMO_PROVINCE_CODE, plan_key=DEMO_PLAN_KEY):
            stdout.write(f"  {line}\n")
    result = run_full_rollup(today=today)
    stdout.write(
        f"  Tổng hợp chỉ số: {result.indicators} chỉ số, {result.periods} kỳ, "
        f"{vietnamese_number(result.values)} giá trị ({vietnamese_number(result.seconds, 1)} giây).\n"
    )
