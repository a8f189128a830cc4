"""Import of a plan from a YAML or XLSX file (formats in docs/plans.md): validate everything first, then all or nothing."""

import datetime
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.db import transaction
from django.db.models import Count

from kynangso.errors import DomainError
from kynangso.orgs import api as orgs
from kynangso.plans import services
from kynangso.plans.models import Plan, Recurrence
from kynangso.plans.selectors import resolve_unit_label
from kynangso.tabular import check_upload_size, check_xlsx_archive, limit_problems
from kynangso.text import normalize_text

RECURRENCE_WORDS = {
    "một lần": Recurrence.ONE_OFF,
    "hằng tháng": Recurrence.MONTHLY,
    "hàng tháng": Recurrence.MONTHLY,
    "hằng quý": Recurrence.QUARTERLY,
    "hàng quý": Recurrence.QUARTERLY,
    "hằng năm": Recurrence.YEARLY,
    "hàng năm": Recurrence.YEARLY,
    **{value: value for value in Recurrence.values},
}
RECURRENCE_HINT = "một lần, hằng tháng, hằng quý, hằng năm"
_KEY = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_DAY_MONTH = re.compile(r"^(\d{1,2})/(\d{1,2})$")


class _Located(dict):
    """A YAML mapping that remembers the line of each key (1-based)."""

    line = 0
    key_lines: dict


class _LineLoader(yaml.SafeLoader):
    pass


def _construct_mapping(loader, node):
    loader.flatten_mapping(node)
    mapping = _Located()
    mapping.line = node.start_mark.line + 1
    mapping.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.key_lines[key] = key_node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)


@dataclass
class UnitRef:
    label: str
    unit: object = None


@dataclass
class PlanImportReport:
    problems: list[str] = field(default_factory=list)
    plan: Plan | None = None
    created: bool = False
    tasks: int = 0
    occurrences: int = 0
    unresolved_labels: list[str] = field(default_factory=list)
    dry_run: bool = False


class _Problems:
    def __init__(self):
        self.items: list[str] = []

    def at(self, line, message):
        """`line` is a line number of a YAML file, or a place in a workbook ("Trang «Nhiệm vụ», dòng 4")."""
        self.items.append(f"Dòng {line}: {message}" if isinstance(line, int) else f"{line}: {message}")

    def task(self, code, message):
        self.items.append(f"Nhiệm vụ {code}: {message}")


def _line(mapping, key=None) -> int:
    if isinstance(mapping, _Located):
        return mapping.key_lines.get(key, mapping.line) if key is not None else mapping.line
    return 1


def _string(mapping, key, problems, *, required=True, where=None) -> str:
    value = mapping.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            (where or (lambda message: problems.at(_line(mapping), message)))(f"thiếu '{key}'")
        return ""
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        problems.at(_line(mapping, key), f"'{key}' phải là một đoạn văn bản")
        return ""
    return str(value).strip()


def _date(value, *, end: bool):
    """A date, or a year (1 January, or 31 December for an end)."""
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int) and 1900 <= value <= 2200:
        return datetime.date(value, 12, 31) if end else datetime.date(value, 1, 1)
    return None


def _unit(value, problems, line, unresolved) -> UnitRef | None:
    """A unit reference: a literal label (resolved by official code or exact name when possible) or
    {code: …, label: …} where the code must exist."""
    if isinstance(value, dict):
        code, label = str(value.get("code") or "").strip(), normalize_text(value.get("label") or "")
        unit = orgs.unit_by_code(code) if code else None
        if code and unit is None:
            problems.at(line, f"không có đơn vị mã '{code}'")
            return None
        if not label and unit is None:
            problems.at(line, "đơn vị cần có 'code' hoặc 'label'")
            return None
        return UnitRef(label=label or unit.name, unit=unit)
    if isinstance(value, str) and value.strip():
        label = normalize_text(value)
        unit = resolve_unit_label(label)
        if unit is None:
            unresolved.append(label)
        return UnitRef(label=label, unit=unit)
    problems.at(line, "đơn vị phải là tên đơn vị hoặc {code, label}")
    return None


def _list(mapping, key, problems) -> list:
    value = mapping.get(key) or []
    if not isinstance(value, list):
        problems.at(_line(mapping, key), f"'{key}' phải là một danh sách")
        return []
    return value


def _parse(document, problems: _Problems, unresolved: list) -> dict | None:
    if not isinstance(document, dict) or not isinstance(document.get("plan"), dict):
        problems.at(1, "tệp phải có mục 'plan'")
        return None
    source = document["plan"]
    plan = {
        "key": _string(source, "key", problems),
        "number_symbol": normalize_text(_string(source, "number_symbol", problems, required=False)),
        "title": _string(source, "title", problems),
        "issuing_body": _string(source, "issuing_body", problems),
        "purpose": _string(source, "purpose", problems, required=False),
        "funding": _string(source, "funding", problems, required=False),
        "legal_bases": [normalize_text(text) for text in _list(source, "legal_bases", problems)],
        "owner_unit": None,
        "owner_unit_label": "",
        "annual_report_due": None,
    }
    if plan["key"] and not _KEY.match(plan["key"]):
        problems.at(_line(source, "key"), "'key' chỉ gồm chữ thường không dấu, số và dấu gạch ngang")
    issued_on = source.get("issued_on")
    if issued_on is not None and not isinstance(issued_on, datetime.date):
        problems.at(_line(source, "issued_on"), "'issued_on' phải là ngày dạng NNNN-TT-NN")
        issued_on = None
    plan["issued_on"] = issued_on
    issued_year = source.get("issued_year") or (issued_on.year if issued_on else None)
    if not isinstance(issued_year, int):
        problems.at(_line(source, "issued_year"), "thiếu hoặc sai 'issued_year' (năm ban hành)")
    plan["issued_year"] = issued_year
    period = source.get("period") or {}
    plan["period_start"] = _date(period.get("start"), end=False) if isinstance(period, dict) else None
    plan["period_end"] = _date(period.get("end"), end=True) if isinstance(period, dict) else None
    if not plan["period_start"] or not plan["period_end"] or plan["period_end"] < plan["period_start"]:
        problems.at(_line(source, "period"), "'period' cần 'start' và 'end' (năm hoặc ngày) theo đúng thứ tự")
    if source.get("owner_unit"):
        owner = _unit(source["owner_unit"], problems, _line(source, "owner_unit"), unresolved)
        if owner:
            plan["owner_unit"], plan["owner_unit_label"] = owner.unit, owner.label
    if source.get("annual_report_due"):
        match = _DAY_MONTH.match(str(source["annual_report_due"]).strip())
        try:
            day, month = (int(match[1]), int(match[2])) if match else (0, 0)
            datetime.date(2024, month, day)
            plan["annual_report_due"] = (month, day)
        except ValueError:
            problems.at(_line(source, "annual_report_due"), "'annual_report_due' phải có dạng NN/TT, ví dụ 15/12")

    objectives = []
    for order, item in enumerate(_list(document, "objectives", problems), start=1):
        if not isinstance(item, dict):
            problems.at(_line(document, "objectives"), "mỗi mục tiêu phải có 'code' và 'text'")
            continue
        target_year = item.get("target_year")
        if target_year is not None and not isinstance(target_year, int):
            problems.at(_line(item, "target_year"), "'target_year' phải là một năm")
            target_year = None
        objectives.append(
            {
                "code": _string(item, "code", problems),
                "text": _string(item, "text", problems),
                "target_year": target_year,
                "order": order,
                "indicator_code": _string(item, "indicator", problems, required=False),
            }
        )

    groups, seen_tasks = [], set()
    for group_order, item in enumerate(_list(document, "task_groups", problems), start=1):
        if not isinstance(item, dict):
            problems.at(_line(document, "task_groups"), "mỗi nhóm nhiệm vụ phải có 'code', 'title' và 'tasks'")
            continue
        group = {
            "code": _string(item, "code", problems),
            "title": _string(item, "title", problems),
            "order": group_order,
            "tasks": [],
        }
        for task_order, task in enumerate(_list(item, "tasks", problems), start=1):
            parsed = _parse_task(task, problems, unresolved, plan, task_order, item)
            if parsed is None:
                continue
            if parsed["code"] in seen_tasks:
                problems.at(_line(task, "code"), f"mã nhiệm vụ {parsed['code']} bị trùng")
            seen_tasks.add(parsed["code"])
            group["tasks"].append(parsed)
        groups.append(group)

    responsibilities = []
    for order, item in enumerate(_list(document, "responsibilities", problems), start=1):
        if not isinstance(item, dict):
            problems.at(_line(document, "responsibilities"), "mỗi trách nhiệm phải có 'code', 'unit' và 'text'")
            continue
        unit = _unit(item.get("unit"), problems, _line(item, "unit"), unresolved) if item.get("unit") else None
        if unit is None and not item.get("unit"):
            problems.at(_line(item), "thiếu 'unit'")
        responsibilities.append(
            {
                "code": _string(item, "code", problems),
                "unit": unit,
                "text": _string(item, "text", problems),
                "order": order,
            }
        )
    return {"plan": plan, "objectives": objectives, "groups": groups, "responsibilities": responsibilities}


def _parse_task(task, problems, unresolved, plan, order, group_item) -> dict | None:
    if not isinstance(task, dict):
        problems.at(_line(group_item, "tasks"), "mỗi nhiệm vụ phải là một mục có 'code', 'title', 'lead'…")
        return None
    code = _string(task, "code", problems)
    label = code or f"ở dòng {_line(task)}"

    def missing(message):
        problems.task(
            label,
            message.replace("thiếu 'title'", "thiếu tên nhiệm vụ").replace("thiếu 'lead'", "thiếu đơn vị chủ trì"),
        )

    parsed = {
        "code": code,
        "order": order,
        "title": _string(task, "title", problems, where=missing),
        "description": _string(task, "description", problems, required=False),
        "schedule_label": _string(task, "schedule", problems, required=False),
        "expected_outputs": _string(task, "outputs", problems, required=False),
    }
    lead = task.get("lead")
    if not lead:
        problems.task(label, "thiếu đơn vị chủ trì")
        parsed["lead"] = None
    else:
        parsed["lead"] = _unit(lead, problems, _line(task, "lead"), unresolved)
    cooperating = task.get("cooperating") or []
    if isinstance(cooperating, str):
        cooperating = [cooperating]
    refs = [_unit(item, problems, _line(task, "cooperating"), unresolved) for item in cooperating]
    parsed["cooperating"] = [ref for ref in refs if ref]
    word = normalize_text(str(task.get("recurrence") or "")).lower()
    if not word:
        problems.task(label, "thiếu chu kỳ (recurrence)")
    elif word not in RECURRENCE_WORDS:
        problems.at(
            _line(task, "recurrence"), f"chu kỳ '{task.get('recurrence')}' không hợp lệ; dùng: {RECURRENCE_HINT}"
        )
    parsed["recurrence"] = RECURRENCE_WORDS.get(word)
    parsed["starts_on"] = _date(task.get("start"), end=False) if "start" in task else plan["period_start"]
    parsed["ends_on"] = _date(task.get("end"), end=True) if "end" in task else plan["period_end"]
    if parsed["starts_on"] is None or parsed["ends_on"] is None or parsed["ends_on"] < parsed["starts_on"]:
        problems.at(
            _line(task, "start"),
            f"thời gian thực hiện của nhiệm vụ {label} không hợp lệ "
            "('start', 'end' là năm hoặc ngày NNNN-TT-NN, theo đúng thứ tự)",
        )
    offset = task.get("due_offset_days", 0)
    if isinstance(offset, bool) or not isinstance(offset, int):
        problems.at(_line(task, "due_offset_days"), "'due_offset_days' phải là số ngày")
        offset = 0
    parsed["due_offset_days"] = offset
    return parsed


def _task_fields(task, group):
    return {
        "group": group,
        "title": task["title"],
        "description": task["description"],
        "order": task["order"],
        "lead_unit": task["lead"].unit,
        "lead_unit_label": task["lead"].label,
        "cooperating_label": "; ".join(ref.label for ref in task["cooperating"]),
        "recurrence": task["recurrence"],
        "schedule_label": task["schedule_label"],
        "starts_on": task["starts_on"],
        "ends_on": task["ends_on"],
        "due_offset_days": task["due_offset_days"],
        "expected_outputs": task["expected_outputs"],
    }


def _existing_plan(plan_data) -> Plan | None:
    if plan_data["number_symbol"]:
        found = Plan.objects.filter(number_symbol=plan_data["number_symbol"]).first()
        if found:
            return found
    return Plan.objects.filter(key=plan_data["key"]).first()


class _DryRun(Exception):
    pass


def read_plan_file(path) -> tuple[object, list[str]]:
    """The plan document in the file at `path` (.yaml/.yml or .xlsx), and the problems met reading it."""
    path = Path(path)
    try:
        check_upload_size(path.stat().st_size)
        if path.suffix.lower() in {".xlsx", ".xlsm"}:
            check_xlsx_archive(path)
    except DomainError as exc:  # over the upload limits: refused before anything is parsed
        return None, [str(exc.message)]
    if path.suffix.lower() in {".xlsx", ".xlsm"}:
        from kynangso.plans.workbook import read_plan_workbook

        return read_plan_workbook(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return None, ["Dòng 1: tệp không phải văn bản UTF-8 (tệp YAML) hay tệp Excel .xlsx"]
    try:
        return yaml.load(text, Loader=_LineLoader), []  # noqa: S506 (a SafeLoader)
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else 1
        return None, [f"Dòng {line}: tệp YAML không đọc được ({exc.problem})"]
    except yaml.YAMLError as exc:
        return None, [f"Dòng 1: tệp YAML không đọc được ({exc})"]


def import_plan(path, *, dry_run: bool = False, today: datetime.date | None = None) -> PlanImportReport:
    """Import (or update) the plan described in the YAML or XLSX file at `path`.

    Every problem is collected with its place in the file, in Vietnamese; if there is any, nothing is written.
    A plan with the same number (or, while it has none, the same key) is updated: parts missing from the file are
    removed, except tasks already reported on (a problem). With `dry_run` the import runs and is rolled back.
    """
    document, problems = read_plan_file(path)
    if document is None:
        return PlanImportReport(dry_run=dry_run, problems=problems)
    return import_plan_document(document, dry_run=dry_run, today=today, reading_problems=problems)


def import_plan_document(
    document, *, dry_run: bool = False, today: datetime.date | None = None, reading_problems=()
) -> PlanImportReport:
    """Import the plan from a document shaped like the YAML file (a dict), all or nothing, as `import_plan`.
    `reading_problems` (met while reading a workbook) are listed first and also stop the import."""
    report = PlanImportReport(dry_run=dry_run)
    problems = _Problems()
    problems.items.extend(reading_problems)
    data = _parse(document, problems, report.unresolved_labels)
    if data is not None and not problems.items:
        existing = _existing_plan(data["plan"])
        if existing is not None:
            wanted = {task["code"] for group in data["groups"] for task in group["tasks"]}
            for task in existing.tasks.exclude(code__in=wanted):
                if services.task_has_reports(task):
                    problems.task(task.code, "đã có báo cáo nên không thể bỏ khỏi kế hoạch")
    report.problems = limit_problems(problems.items)
    if report.problems:
        return report
    try:
        with transaction.atomic():
            _write(data, report, today)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    except DomainError as exc:  # a rule only the database can check (e.g. the key of another plan)
        report.problems = [str(exc.message)]
        report.plan, report.tasks, report.occurrences, report.created = None, 0, 0, False
    return report


def _write(data, report, today):
    plan_data = dict(data["plan"])
    plan = _existing_plan(plan_data)
    key = plan_data.pop("key")
    if plan is None:
        plan = services.create_plan(key=key, **plan_data)
        report.created = True
    else:
        if Plan.objects.filter(key=key).exclude(pk=plan.pk).exists():
            raise DomainError(f"Kế hoạch số {plan.number_symbol} đã có, nhưng mã tệp '{key}' thuộc kế hoạch khác.")
        plan.key = key
        services.update_plan(plan=plan, **plan_data)
    plan.objectives.exclude(code__in=[item["code"] for item in data["objectives"]]).delete()
    for item in data["objectives"]:
        services.save_objective(plan=plan, **item)
    groups = {}
    for item in data["groups"]:
        groups[item["code"]] = services.save_task_group(
            plan=plan, code=item["code"], title=item["title"], order=item["order"]
        )
    wanted = {task["code"] for item in data["groups"] for task in item["tasks"]}
    for task in plan.tasks.exclude(code__in=wanted):
        services.remove_task(task=task)
    plan.task_groups.exclude(code__in=list(groups)).delete()
    for item in data["groups"]:
        for task in item["tasks"]:
            fields = _task_fields(task, groups[item["code"]])
            cooperating = [ref.unit for ref in task["cooperating"] if ref.unit is not None]
            existing = plan.tasks.filter(code=task["code"]).first()
            if existing is None:
                services.add_task(code=task["code"], cooperating_units=cooperating, today=today, **fields)
            else:
                services.update_task(task=existing, cooperating_units=cooperating, today=today, **fields)
            report.tasks += 1
    plan.responsibilities.exclude(code__in=[item["code"] for item in data["responsibilities"]]).delete()
    for item in data["responsibilities"]:
        unit = item["unit"]
        services.save_responsibility(
            plan=plan, code=item["code"], unit_label=unit.label, unit=unit.unit, text=item["text"], order=item["order"]
        )
    report.plan = plan
    report.occurrences = plan.tasks.aggregate(n=Count("occurrences"))["n"]
