"""Public interface of the frameworks app: frameworks, their domains, competences and levels."""
from kynangso.frameworks.loader import load_framework, load_framework_file
from kynangso.frameworks.models import Competence, Domain, Framework, ProficiencyLevel

__all__ = ["Competence", "Domain", "Framework", "ProficiencyLevel", "competence", "competences",
           "framework_by_code", "load_framework", "load_framework_file", "level_name"]


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
