"""Item families: one scenario written once as a template with `{name}` placeholders and a list of `variants`, each
giving the values (and, optionally, which options are right). A family is expanded into one concrete item per
variant, `<family id>-<n>`, each carrying `family: <family id>`: the loader stores them as ordinary items, the draw
puts at most one variant of a family on a form and counts the family once in a taker's exposure, and the pool rule
counts a family as one item (docs/item-writing.md, rule 12). Pure Python, no database."""

from __future__ import annotations

import copy
import re

from django.utils.translation import gettext as _

from kynangso.assessment.interchange.validation import Problem, parse_number

_FIELD = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


def is_family(entry: dict) -> bool:
    return isinstance(entry, dict) and "variants" in entry


def _fill(value, values: dict, missing: set[str]):
    """`value` with every `{name}` replaced from `values` (recursively through lists and dicts)."""
    if isinstance(value, str):

        def one(match):
            name = match.group(1)
            if name not in values:
                missing.add(name)
                return match.group(0)
            return str(values[name])

        return _FIELD.sub(one, value)
    if isinstance(value, list):
        return [_fill(v, values, missing) for v in value]
    if isinstance(value, dict):
        return {k: _fill(v, values, missing) for k, v in value.items()}
    return value


def expand(entry: dict, location: str = "") -> tuple[list[dict], list[Problem]]:
    """The concrete items of a family entry, and what is wrong with it (then no item)."""
    family_id = str(entry.get("id") or "")
    where = location or family_id or "?"
    variants = entry.get("variants")
    problems: list[Problem] = []
    if not isinstance(variants, list) or len(variants) < 2 or not all(isinstance(v, dict) for v in variants):
        return [], [Problem(where, _("họ câu hỏi cần ít nhất 2 biến thể, mỗi biến thể là một bảng giá trị"))]
    template = {key: value for key, value in entry.items() if key != "variants"}
    items = []
    for number, values in enumerate(variants, start=1):
        values = {str(k): v for k, v in values.items()}
        right = values.pop("correct", None)
        missing: set[str] = set()
        item = _fill(copy.deepcopy(template), values, missing)
        item["id"] = f"{family_id}-{number}"
        item["family"] = family_id
        if missing:
            problems.append(
                Problem(
                    f"{where} biến thể {number}",
                    _("thiếu giá trị cho %(names)s") % {"names": ", ".join(sorted(missing))},
                )
            )
        if right is not None:
            options = item.get("options")
            numbers = right if isinstance(right, list) else [right]
            if not isinstance(options, list) or not all(isinstance(n, int) and 1 <= n <= len(options) for n in numbers):
                problems.append(
                    Problem(f"{where} biến thể {number}", _("«correct» phải là số thứ tự (từ 1) của phương án đúng"))
                )
            else:
                item["options"] = [
                    {**option, "correct": index in numbers} for index, option in enumerate(options, start=1)
                ]
        for key in ("answer", "tolerance"):
            if isinstance(item.get(key), str):
                parsed = parse_number(item[key])
                item[key] = parsed if parsed is not None else item[key]
        items.append(item)
    return (items if not problems else []), problems


def expand_all(entries: list, source: str = "") -> tuple[list[dict], list[Problem]]:
    """Every entry of an item file with its families expanded, in file order."""
    items: list[dict] = []
    problems: list[Problem] = []
    for index, entry in enumerate(entries, start=1):
        if is_family(entry):
            expanded, found = expand(entry, f"{source} #{index} ({entry.get('id') or '?'})")
            items.extend(expanded)
            problems.extend(found)
        else:
            items.append(entry)
    return items, problems
