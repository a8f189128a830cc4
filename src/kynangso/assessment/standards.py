"""Standards per target group: loading the defaults from content/standards/, and the province's edits."""

from pathlib import Path

import yaml
from django.db import transaction
from django.utils.translation import gettext as _

from kynangso.accounts import api as accounts
from kynangso.assessment.models import BlueprintRow, Standard, StandardMode, UniversalGroup
from kynangso.errors import DomainError
from kynangso.frameworks import api as frameworks
from kynangso.people.api import TargetGroup
from kynangso.text import normalize_text


def _problems(data: dict) -> list[str]:
    problems = []
    where = data.get("code") or "?"
    for key in ("code", "name", "target_group", "framework", "time_limit_minutes", "pass_percent", "blueprint"):
        if data.get(key) in (None, "", []):
            problems.append(_("%(where)s: thiếu %(key)s") % {"where": where, "key": key})
    if data.get("target_group") and data["target_group"] not in TargetGroup.values:
        problems.append(
            _("%(where)s: nhóm đối tượng «%(group)s» không có") % {"where": where, "group": data["target_group"]}
        )
    if not 0 < int(data.get("pass_percent") or 0) <= 100:
        problems.append(_("%(where)s: điểm đạt phải từ 1 đến 100") % {"where": where})
    if data.get("confirms_universal_for") and data["confirms_universal_for"] not in UniversalGroup.values:
        problems.append(
            _("%(where)s: nhóm xác nhận phổ cập «%(group)s» không có")
            % {"where": where, "group": data["confirms_universal_for"]}
        )
    known = {c.code for c in frameworks.competences(data.get("framework") or "")}
    if not known:
        problems.append(
            _("%(where)s: chưa có khung năng lực %(framework)s") % {"where": where, "framework": data.get("framework")}
        )
    cells = [(str(row.get("competence")), row.get("level")) for row in data.get("blueprint") or []]
    for competence, level in sorted({cell for cell in cells if cells.count(cell) > 1}):
        problems.append(
            _("%(where)s: ma trận có hai dòng cho năng lực %(code)s bậc %(level)s")
            % {"where": where, "code": competence, "level": level}
        )
    for row in data.get("blueprint") or []:
        if known and str(row.get("competence")) not in known:
            problems.append(
                _("%(where)s: năng lực %(code)s không có trong khung") % {"where": where, "code": row.get("competence")}
            )
        if not 1 <= int(row.get("level") or 0) <= 8 or int(row.get("items") or 0) < 1:
            problems.append(
                _("%(where)s: dòng ma trận %(code)s cần bậc 1–8 và ít nhất 1 câu")
                % {"where": where, "code": row.get("competence")}
            )
    return problems


@transaction.atomic
def save_standard(data: dict, *, actor, replace: bool = True) -> Standard:
    """Create or update a standard with its blueprint. With `replace` false an existing standard is left as the
    province edited it. `actor` is required: `accounts.SYSTEM` (the content loader) or a user who changes
    standards (STANDARDS_CHANGE)."""
    if not accounts.is_system(actor) and not accounts.has_capability(actor, accounts.capabilities.STANDARDS_CHANGE):
        raise DomainError(_("Bạn không có quyền sửa chuẩn kỹ năng số."), code="forbidden")
    problems = _problems(data)
    if problems:
        raise DomainError("; ".join(problems))
    existing = Standard.objects.filter(code=data["code"]).first()
    if existing is not None and not replace:
        return existing
    standard, _created = Standard.objects.update_or_create(
        code=data["code"],
        defaults={
            "name": normalize_text(data["name"]),
            "target_group": data["target_group"],
            "framework_code": data["framework"],
            "description": normalize_text(data.get("description") or ""),
            "confirms_universal_for": data.get("confirms_universal_for") or "",
            "time_limit_minutes": int(data["time_limit_minutes"]),
            "pass_percent": int(data["pass_percent"]),
            "domain_pass_percent": data.get("domain_pass_percent"),
            "max_attempts_per_year": int(data.get("max_attempts_per_year") or 3),
            "wait_hours": int(data.get("wait_hours") if data.get("wait_hours") is not None else 24),
            "mode": data.get("mode") or StandardMode.FIXED,
            "updated_by": accounts.recorded_user(actor),
            **{
                key: cast(data[key])
                for key, cast in (("cat_se_target", float), ("cat_min_items", int), ("cat_max_items", int))
                if data.get(key) is not None
            },
        },
    )
    standard.blueprint.all().delete()
    BlueprintRow.objects.bulk_create(
        [
            BlueprintRow(
                standard=standard,
                competence_code=str(row["competence"]),
                level=int(row["level"]),
                item_count=int(row["items"]),
            )
            for row in data["blueprint"]
        ]
    )
    return standard


def load_standard_file(path: Path, *, actor, replace: bool = False) -> list[Standard]:
    entries = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or []
    with transaction.atomic():
        return [save_standard(entry, actor=actor, replace=replace) for entry in entries]


def standard_for_group(group: str) -> Standard | None:
    return Standard.objects.filter(target_group=group, is_active=True).order_by("code").first()
