"""What the plans app asks of the apps above it, as ports they plug in from `ready()` (ADR 0037).

Monitoring holds each plan's targets and reads the plans, so it sits above plans; the emulation ranking still weighs
the lead units' progress towards those targets, and asks monitoring for it here.
"""

from kynangso.ports import Port

target_attainment = Port(
    "plans.target_attainment",
    "target_attainment(plan_id=, unit_ids=, year=) -> {unit id: mean progress 0..1 towards the plan's targets}, "
    "units without any figure left out; provided by monitoring.",
)
