"""Public interface of the frameworks app: frameworks, their domains, competences and levels."""

from kynangso.frameworks.loader import load_framework, load_framework_file
from kynangso.frameworks.models import Competence, Domain, Framework, ProficiencyLevel

__all__ = [
    "Competence",
    "Domain",
    "Framework",
    "ProficiencyLevel",
    "competence",
    "competences",
    "framework_by_code",
    "load_framework",
    "load_framework_file",
    "level_name",
    "competences_for_group",
    "assessed_by",
    "all_competences",
]


def framework_by_code(code: str) -> Framework | None:
    return Framework.objects.filter(code=code).first()


def competence(framework_code: str, code: str) -> Competence | None:
    """The competence `code` (e.g. "4.2") of the framework `framework_code`, or None."""
    return Competence.objects.select_related("domain").filter(framework__code=framework_code, code=code).first()


def competences(framework_code: str):
    """Every competence of the framework in its order, with its domain."""
    return Competence.objects.select_related("domain").filter(framework__code=framework_code).order_by("order")


def level_name(framework_id: int, number: int) -> str:
    level = ProficiencyLevel.objects.filter(framework_id=framework_id, number=number).first()
    return str(level) if level else str(number)


def competences_for_group(framework_code: str, group: str) -> list[Competence]:
    """The competences of the framework for one of its target groups (those for no group in particular included),
    e.g. QĐ 757's citizens have group 0, the other groups do not."""
    return [c for c in competences(framework_code) if not c.groups or group in c.groups]


def assessed_by(framework_code: str, code: str) -> list[tuple[str, str]]:
    """(framework code, competence code) of the competences that assess this one (its `maps_to`), e.g. QĐ 757's
    0.2 is assessed by TT02-2025's 4.1, 5.1 and 1.3."""
    found = competence(framework_code, code)
    pairs = []
    for target in found.maps_to if found else []:
        framework, _sep, mapped = str(target).partition("|")
        pairs.append((framework, mapped))
    return pairs


def all_competences():
    """Every competence of every framework, with its framework, in the frameworks' own order."""
    return Competence.objects.select_related("framework", "domain").order_by("framework__code", "order")
