"""Job functions the job tests run (jobs must be importable module-level functions)."""

from kynangso.errors import DomainError

RUNS = []


def count_to(context, *, up_to: int) -> dict:
    for done in range(up_to + 1):
        context.progress(done, up_to)
    RUNS.append(up_to)
    return {"counted": up_to}


def refuse(context) -> None:
    raise DomainError("Tệp không có dòng nào để nhập.")


def crash(context) -> None:
    raise RuntimeError("internal detail that must not reach the user")
