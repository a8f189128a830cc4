"""Loading frameworks from the YAML files in `content/frameworks/`: created or updated in place, by code."""

from pathlib import Path

import yaml
from django.db import transaction
from django.utils.translation import gettext as _

from kynangso.errors import DomainError
from kynangso.frameworks.models import Competence, Domain, Framework, ProficiencyLevel
from kynangso.text import normalize_text


def _text(value) -> str:
    return normalize_text(str(value or "")).strip()


def _check(data: dict, source: str) -> None:
    problems = [
        _("thiếu %(key)s") % {"key": key}
        for key in ("code", "name", "version", "levels", "domains")
        if not data.get(key)
    ]
    numbers = [level.get("code") for level in data.get("levels") or []]
    if numbers and numbers != list(range(1, len(numbers) + 1)):
        problems.append(_("các bậc phải đánh số liên tiếp từ 1"))
    seen = set()
    group_codes = {str(g.get("code")) for g in data.get("target_groups") or [] if isinstance(g, dict)}
    for domain in data.get("domains") or []:
        for competence in domain.get("competences") or []:
            code = str(competence.get("code", ""))
            if not code or not competence.get("name"):
                problems.append(_("miền %(domain)s có năng lực thiếu mã hoặc tên") % {"domain": domain.get("code")})
            if code in seen:
                problems.append(_("mã năng lực %(code)s bị trùng") % {"code": code})
            for group in competence.get("groups") or []:
                if str(group) not in group_codes:
                    problems.append(
                        _("năng lực %(code)s dành cho nhóm «%(group)s» mà khung không có")
                        % {"code": code, "group": group}
                    )
            for target in competence.get("maps_to") or []:
                if str(target).count("|") != 1 or not all(str(target).split("|")):
                    problems.append(
                        _("năng lực %(code)s: «%(target)s» phải có dạng KHUNG|mã năng lực")
                        % {"code": code, "target": target}
                    )
            seen.add(code)
    if problems:
        raise DomainError(
            _("Tệp khung %(source)s không hợp lệ: %(problems)s.") % {"source": source, "problems": "; ".join(problems)}
        )


@transaction.atomic
def load_framework(data: dict, *, source: str = "") -> Framework:
    """Create or update one framework from its data (the format of content/README.md). Codes are the identity:
    a competence keeps its row (and everything that refers to it) when its name or description changes."""
    _check(data, source or str(data.get("code")))
    framework, _created = Framework.objects.update_or_create(
        code=_text(data["code"]),
        defaults={
            "name": _text(data["name"]),
            "name_en": _text(data.get("name_en")),
            "source": _text(data.get("source")),
            "version": _text(data["version"]),
            "confirmed": bool(data.get("confirmed")),
            "note": _text(data.get("note")),
            "target_groups": [
                {"code": _text(g["code"]), "name": _text(g["name"])} for g in data.get("target_groups") or []
            ],
        },
    )
    for level in data["levels"]:
        ProficiencyLevel.objects.update_or_create(
            framework=framework,
            number=int(level["code"]),
            defaults={
                "name": _text(level["name"]),
                "tier": _text(level["tier"]),
                "tier_name": _text(level["tier_name"]),
            },
        )
    framework.levels.filter(number__gt=len(data["levels"])).delete()
    order = 0
    for domain_order, domain_data in enumerate(data["domains"], start=1):
        domain, _created = Domain.objects.update_or_create(
            framework=framework,
            code=_text(domain_data["code"]),
            defaults={
                "name": _text(domain_data["name"]),
                "name_en": _text(domain_data.get("name_en")),
                "order": domain_order,
            },
        )
        for competence_data in domain_data["competences"]:
            order += 1
            Competence.objects.update_or_create(
                framework=framework,
                code=_text(competence_data["code"]),
                defaults={
                    "domain": domain,
                    "name": _text(competence_data["name"]),
                    "name_en": _text(competence_data.get("name_en")),
                    "description": _text(competence_data.get("description")),
                    "confirmed": bool(competence_data.get("confirmed")),
                    "order": order,
                    "groups": [_text(g) for g in competence_data.get("groups") or []],
                    "maps_to": [_text(m) for m in competence_data.get("maps_to") or []],
                },
            )
    return framework


def load_framework_file(path: Path) -> Framework:
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise DomainError(
            _("Tệp %(name)s không đúng định dạng YAML: %(error)s") % {"name": Path(path).name, "error": exc}
        ) from exc
    return load_framework(data, source=Path(path).name)
