"""Scoring a saved answer against its item version, the profile per domain and competence of an attempt, and how
much of that profile a taker may be shown."""

import math
import re
import unicodedata

from django.utils.translation import gettext as _

from kynangso.assessment.models import ItemType, ItemVersion
from kynangso.text import search_key

# A competence (or domain) is reported met / not met, with its count of right answers, only when the form held at
# least this many of its items. Right/wrong over one or two items is noise as a verdict, and it tells the taker the
# key of those items.
MIN_ITEMS_PER_VERDICT = 3
# A standard's pass floor per domain applies only to domains with at least this many items on the form.
MIN_ITEMS_FOR_DOMAIN_FLOOR = 4


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


_QUANTITY = re.compile(r"^\s*(?P<number>[-+]?[\d.,\s]*\d[\d.,]*(?:[eE][-+]?\d+)?)\s*(?P<unit>[^\d\s].{0,19})?\s*$")


def split_quantity(text) -> tuple[float | None, str]:
    """(number, unit) of an answer such as "2560", "2,5 GB" or "2.560 MB"; the unit is "" when none is written."""
    match = _QUANTITY.match(str(text or ""))
    if match is None:
        return parse_number(text), ""
    return parse_number(match.group("number")), (match.group("unit") or "").strip()


def is_percent_sign(unit: str) -> bool:
    return unit.strip() in ("%", "％")


def _numeric_value(body: dict, text) -> float | None:
    """The answer in the item's main unit: a number alone is in it; with a unit, that unit's multiplier converts it
    (Moodle's rule: value in the unit ÷ multiplier); an unknown unit gives no value."""
    number, unit = split_quantity(text)
    if number is None:
        return None
    if not unit:
        return number
    if is_percent_sign(unit) and not body.get("units"):
        return number  # «25%», «25 %» to an item without units of its own: the answer is the number of percent
    for known in body.get("units") or []:
        if known["unit"].casefold() == unit.casefold() and known["multiplier"]:
            return number / known["multiplier"]
    return None


def credit(version: ItemVersion, answer: dict | None) -> float:
    """The share of the item's point the answer earns, 0 to 1 (ADR 0035). Without partial credit in the item this
    is 1 or 0, as `is_correct`. Single choice: the chosen option's credit (the right one 1); multiple response with
    weights (as Moodle): the sum of the chosen options' weights, between 0 and 1; short answer: 1 for an accepted
    answer, else the credit of a partly accepted one."""
    if not answer:
        return 0.0
    body = version.body
    if version.type == ItemType.SINGLE_CHOICE:
        chosen = next((o for o in body["options"] if o["id"] == answer.get("choice")), None)
        if chosen is None:
            return 0.0
        return 1.0 if chosen["correct"] else max(0.0, float(chosen.get("credit") or 0.0))
    if version.type == ItemType.MULTIPLE_RESPONSE and any("credit" in o for o in body["options"]):
        chosen = set(answer.get("choices") or [])
        total = sum(float(o.get("credit") or 0.0) for o in body["options"] if o["id"] in chosen)
        return round(min(1.0, max(0.0, total)), 6)
    if version.type == ItemType.NUMERIC and not is_correct(version, answer):
        given = _numeric_value(body, answer.get("number"))
        credits = [
            float(p["credit"])
            for p in body.get("partial_numbers") or []
            if given is not None and abs(given - p["answer"]) <= p["tolerance"] + 1e-9
        ]
        return max(credits, default=0.0)
    if version.type == ItemType.SHORT_TEXT and not is_correct(version, answer):
        given = _text_key(answer.get("text") or "", body.get("case_sensitive", False))
        credits = [
            float(a["credit"])
            for a in body.get("partial_answers") or []
            if given and _text_key(a["text"], body.get("case_sensitive", False)) == given
        ]
        return max(credits, default=0.0)
    return 1.0 if is_correct(version, answer) else 0.0


def _text_key(text: str, case_sensitive: bool) -> str:
    """How short answers compare: without case and diacritics, or (Moodle's «phân biệt hoa thường») exactly, save
    for surrounding and repeated blanks."""
    if case_sensitive:
        return " ".join(unicodedata.normalize("NFC", str(text)).split())
    return search_key(text)


def is_correct(version: ItemVersion, answer: dict | None) -> bool:
    """Whole-item scoring (right or wrong): every part must be right (ADR 0009); `credit` gives partial credit."""
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
        case_sensitive = body.get("case_sensitive", False)
        given = _text_key(answer.get("text") or "", case_sensitive)
        return bool(given) and given in {_text_key(a, case_sensitive) for a in body["answers"]}
    if version.type == ItemType.NUMERIC:
        given = _numeric_value(body, answer.get("number"))
        return given is not None and abs(given - body["answer"]) <= body["tolerance"] + 1e-9
    return False


def profile(
    rows,
    *,
    pass_percent: int,
    domain_pass_percent: int | None,
    competence_names: dict,
    domain_names: dict,
    required_levels: dict,
) -> tuple[float, bool, dict]:
    """`rows`: (competence code, domain code, correct) per item, or (…, correct, points) when the standard gives
    partial credit: percents then count the points (0 to 1 per item), `correct` still counts wholly right answers.
    Returns the overall percent, pass, and the profile."""
    competences: dict[str, dict] = {}
    domains: dict[str, dict] = {}
    points: dict[tuple[int, str], float] = {}
    for row in rows:
        competence, domain, correct = row[:3]
        earned = float(row[3]) if len(row) > 3 else float(bool(correct))
        for bucket, key, names in ((competences, competence, competence_names), (domains, domain, domain_names)):
            entry = bucket.setdefault(key, {"code": key, "name": names.get(key, key), "correct": 0, "total": 0})
            entry["total"] += 1
            entry["correct"] += int(bool(correct))
            points[(id(bucket), key)] = points.get((id(bucket), key), 0.0) + earned
            if bucket is competences:
                entry["domain"] = domain
    for bucket in (competences, domains):
        for key, entry in bucket.items():
            entry["percent"] = round(100 * points[(id(bucket), key)] / entry["total"], 1) if entry["total"] else 0.0
    for entry in competences.values():
        entry["required_level"] = required_levels.get(entry["code"])
        entry["met"] = entry["percent"] >= pass_percent
    for entry in domains.values():
        # A floor over one to three items would let one item decide pass or fail: it applies from
        # MIN_ITEMS_FOR_DOMAIN_FLOOR items of the domain on the form.
        entry["floor_applies"] = domain_pass_percent is not None and entry["total"] >= MIN_ITEMS_FOR_DOMAIN_FLOOR
        entry["met"] = not entry["floor_applies"] or entry["percent"] >= domain_pass_percent
    reported_domains, reported_competences = reported_codes(list(domains.values()), list(competences.values()))
    for entry in competences.values():
        entry["reported"] = entry["code"] in reported_competences
        if not entry["reported"]:
            entry["met"] = None  # not demonstrated either way: learning paths treat it as still to learn
    for entry in domains.values():
        entry["reported"] = entry["code"] in reported_domains  # `met` stays: the domain floor is part of passing
    total = sum(e["total"] for e in domains.values())
    overall = round(100 * sum(points[(id(domains), k)] for k in domains) / total, 1) if total else 0.0
    passed = overall >= pass_percent and all(e["met"] for e in domains.values())

    def order(code):
        return tuple(int(part) if part.isdigit() else part for part in code.split("."))

    result = {
        "overall_percent": overall,
        "passed": passed,
        "domains": sorted(domains.values(), key=lambda e: order(e["code"])),
        "competences": sorted(competences.values(), key=lambda e: order(e["code"])),
    }
    return overall, passed, result


def reported_codes(
    domains: list[dict], competences: list[dict], min_items: int = MIN_ITEMS_PER_VERDICT
) -> tuple[set[str], set[str]]:
    """The domains and competences whose right-answer counts may be shown, from their item counts alone.

    Each has at least `min_items` items, and no difference of shown counts isolates fewer than `min_items` items:
    a domain's count minus its shown competences, or the overall score minus the shown domains (and the shown
    competences of hidden domains), would otherwise tell the right/wrong of the one or two items left over. Where
    such a remainder is too small, the smallest shown count next to it is hidden too, until none is."""
    domain_total = {d["code"]: d["total"] for d in domains}
    competence_total = {c["code"]: c["total"] for c in competences}
    domain_of = {c["code"]: c.get("domain") for c in competences}
    shown_domains = {code for code, total in domain_total.items() if total >= min_items}
    shown_competences = {code for code, total in competence_total.items() if total >= min_items}

    def too_small(remainder: int) -> bool:
        return 0 < remainder < min_items

    changed = True
    while changed:
        changed = False
        for domain in sorted(shown_domains):
            inside = [c for c in shown_competences if domain_of[c] == domain]
            if too_small(domain_total[domain] - sum(competence_total[c] for c in inside)):
                shown_competences.discard(min(inside, key=lambda c: (competence_total[c], c)))
                changed = True
        outermost = [(domain_total[d], d, shown_domains) for d in shown_domains] + [
            (competence_total[c], c, shown_competences) for c in shown_competences if domain_of[c] not in shown_domains
        ]
        if outermost and too_small(sum(domain_total.values()) - sum(size for size, _code, _set in outermost)):
            _size, code, among = min(outermost, key=lambda node: (node[0], node[1]))
            among.discard(code)
            changed = True
    return shown_domains, shown_competences


def taker_profile(profile: dict, min_items: int = MIN_ITEMS_PER_VERDICT) -> dict:
    """The domains and competences of a stored profile as the taker (and the result page, and the API) may see
    them: a count, percent and verdict only where `reported_codes` allows, otherwise the number of items and a note
    that there were too few to judge. Worked out from the item counts, so profiles stored before the rule are shown
    under it too."""
    domains, competences = profile.get("domains", []), profile.get("competences", [])
    shown_domains, shown_competences = reported_codes(domains, competences, min_items)

    def entries(rows, shown, note):
        result = []
        for row in rows:
            entry = {**row, "reported": row["code"] in shown}
            if not entry["reported"]:
                entry.update(correct=None, percent=None, met=None, note=note)
            result.append(entry)
        return result

    return {
        "domains": entries(domains, shown_domains, _("Chưa đủ câu hỏi để đánh giá riêng miền năng lực này.")),
        "competences": entries(competences, shown_competences, _("Chưa đủ câu hỏi để đánh giá riêng năng lực này.")),
    }
