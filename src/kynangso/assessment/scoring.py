"""Scoring a saved answer against its item version, and the profile per domain and competence of an attempt."""
import math

from kynangso.assessment.models import ItemType, ItemVersion
from kynangso.text import search_key


def parse_number(text) -> float | None:
    """A number as Vietnamese write it ("3,5", "1.200", "1.200,5") or as a plain float."""
    if isinstance(text, (int, float)):
        return float(text)
    value = str(text or "").strip().replace(" ", "")
    if not value:
        return None
    if "," in value:
        value = value.replace(".", "").replace(",", ".")
    elif value.count(".") > 1 or (value.count(".") == 1 and len(value.split(".")[1]) == 3 and value[0] != "0"):
        value = value.replace(".", "")  # "1.200" is twelve hundred in Vietnamese
    try:
        number = float(value)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def is_correct(version: ItemVersion, answer: dict | None) -> bool:
    """Whole-item scoring (right or wrong): every part must be right. Partial credit is not given (ADR 0009)."""
    if not answer:
        return False
    body = version.body
    if version.type in (ItemType.SINGLE_CHOICE, ItemType.TRUE_FALSE):
        right = [o["id"] for o in body["options"] if o["correct"]]
        return answer.get("choice") in right and len(right) == 1
    if version.type == ItemType.MULTIPLE_RESPONSE:
        return set(answer.get("choices") or []) == {o["id"] for o in body["options"] if o["correct"]}
    if version.type == ItemType.ORDERING:
        return list(answer.get("order") or []) == [step["id"] for step in body["steps"]]
    if version.type == ItemType.MATCHING:
        given = answer.get("pairs") or {}
        return all(given.get(p["left_id"]) == p["right_id"] for p in body["pairs"])
    if version.type == ItemType.SHORT_TEXT:
        given = search_key(answer.get("text") or "")
        return bool(given) and given in {search_key(a) for a in body["answers"]}
    if version.type == ItemType.NUMERIC:
        given = parse_number(answer.get("number"))
        return given is not None and abs(given - body["answer"]) <= body["tolerance"] + 1e-9
    return False


def profile(rows, *, pass_percent: int, domain_pass_percent: int | None, competence_names: dict,
            domain_names: dict, required_levels: dict) -> tuple[float, bool, dict]:
    """`rows`: (competence code, domain code, correct) per item. Returns the overall percent, pass, and the profile."""
    competences: dict[str, dict] = {}
    domains: dict[str, dict] = {}
    for competence, domain, correct in rows:
        for bucket, key, names in ((competences, competence, competence_names), (domains, domain, domain_names)):
            entry = bucket.setdefault(key, {"code": key, "name": names.get(key, key), "correct": 0, "total": 0})
            entry["total"] += 1
            entry["correct"] += int(bool(correct))
            if bucket is competences:
                entry["domain"] = domain
    for entry in [*competences.values(), *domains.values()]:
        entry["percent"] = round(100 * entry["correct"] / entry["total"], 1) if entry["total"] else 0.0
    for entry in competences.values():
        entry["required_level"] = required_levels.get(entry["code"])
        entry["met"] = entry["percent"] >= pass_percent
    for entry in domains.values():
        entry["met"] = domain_pass_percent is None or entry["percent"] >= domain_pass_percent
    total = sum(e["total"] for e in domains.values())
    overall = round(100 * sum(e["correct"] for e in domains.values()) / total, 1) if total else 0.0
    passed = overall >= pass_percent and all(e["met"] for e in domains.values())

    def order(code):
        return tuple(int(part) if part.isdigit() else part for part in code.split("."))

    result = {"overall_percent": overall, "passed": passed,
              "domains": sorted(domains.values(), key=lambda e: order(e["code"])),
              "competences": sorted(competences.values(), key=lambda e: order(e["code"]))}
    return overall, passed, result
