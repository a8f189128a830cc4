"""The bank linter: the machine-checkable rules of docs/item-writing.md over the item files and the standards that
draw from them, without a database (`kynangso lint-items`, run in CI over content/). Each finding names its rule, the
item or standard, and what to fix, in Vietnamese."""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import yaml
from django.utils.translation import gettext as _

from kynangso.assessment import drawing, families

# The limits of docs/item-writing.md (and the issue that set them).
KEY_LONGEST_MAX_SHARE = 0.30  # of a standard's single-choice pool
KEY_LENGTH_MAX_RATIO = 1.5  # key length ÷ mean distractor length, per single-choice item
MIN_WRONG_OPTIONS = 2  # per multiple-response item
POOL_PER_DRAWN = 5  # live items (a family counts once) per item a form draws from a cell
MAX_EXPOSURE = 0.40  # of a standard's pool, after a taker's yearly attempts
NEAR_DUPLICATE_JACCARD = 0.75  # word-set overlap of two stems


@dataclass(frozen=True)
class Finding:
    rule: str
    where: str
    message: str

    def __str__(self) -> str:
        return f"[{self.rule}] {self.where}: {self.message}"


def read_items(directory: Path) -> tuple[list[dict], list[Finding]]:
    """Every item of `directory`/*.yaml with families expanded, each with `_file`; and problems of expansion."""
    items, findings = [], []
    for path in sorted(Path(directory).glob("*.yaml")):
        entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
        expanded, problems = families.expand_all(entries, path.name)
        findings += [Finding("family", p.location, p.message) for p in problems]
        for entry in entries:
            if families.is_family(entry):
                findings += _family_findings(entry)
        items += [{**item, "_file": path.name} for item in expanded]
    return items, findings


def read_standards(path: Path) -> list[dict]:
    return yaml.safe_load(Path(path).read_text(encoding="utf-8")) or []


def family_key(item: dict) -> str:
    """What counts as one item in the pool rule and in exposure: the family, else the item."""
    return str(item.get("family") or item.get("id"))


def serves(item: dict, standard: dict, competence: str, level: int) -> bool:
    """Whether a form of `standard` may draw `item` into the cell (competence, level): same framework and cell, an
    exam item, and tagged for the standard's target group (or for every group)."""
    return (
        item.get("use", "assessment") != "practice"
        and str(item.get("framework")) == str(standard["framework"])
        and str(item.get("competence")) == str(competence)
        and int(item.get("level") or 0) == int(level)
        and (not item.get("groups") or standard["target_group"] in item["groups"])
    )


def cell_pools(items: list[dict], standard: dict) -> list[tuple[dict, list[dict]]]:
    """(blueprint row, the items that serve it) per row of the standard."""
    return [
        (row, [i for i in items if serves(i, standard, str(row["competence"]), int(row["level"]))])
        for row in standard.get("blueprint") or []
    ]


def option_length(text) -> int:
    """How long an option reads (blanks collapsed): what a test-wise taker compares."""
    return len(" ".join(str(text or "").split()))


def key_is_longest(item: dict) -> bool:
    """The single-choice key is strictly longer than every distractor (a test-wise guesser's pick)."""
    options = item.get("options") or []
    keys = [option_length(o["text"]) for o in options if o.get("correct")]
    others = [option_length(o["text"]) for o in options if not o.get("correct")]
    return bool(keys and others) and max(keys) > max(others)


def key_length_ratio(item: dict) -> float:
    options = item.get("options") or []
    keys = [option_length(o["text"]) for o in options if o.get("correct")]
    others = [option_length(o["text"]) for o in options if not o.get("correct")]
    if not keys or not others:
        return 0.0
    return max(keys) / max(1.0, sum(others) / len(others))


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", unicodedata.normalize("NFC", str(text or "").casefold())))


def _family_findings(entry: dict) -> list[Finding]:
    expanded, problems = families.expand(entry)
    if problems or not expanded:
        return []
    where = str(entry.get("id"))
    found = []
    stems = [" ".join(str(i.get("stem") or "").split()) for i in expanded]
    if len(set(stems)) < len(stems):
        found.append(Finding("family", where, _("hai biến thể có cùng nội dung câu hỏi; mỗi biến thể phải khác")))
    keys = {_key_text(i) for i in expanded}
    if len(keys) < 2:
        found.append(
            Finding(
                "family",
                where,
                _("đáp án đúng giống nhau ở mọi biến thể; đổi đáp án (nội dung hoặc phương án đúng) giữa các biến thể"),
            )
        )
    return found


def _key_text(item: dict) -> str:
    if item.get("options"):
        return "|".join(sorted(" ".join(str(o["text"]).split()) for o in item["options"] if o.get("correct")))
    for key in ("answers", "sequence", "pairs", "answer"):
        if item.get(key) is not None:
            return repr(item[key])
    return ""


def item_findings(items: list[dict]) -> list[Finding]:
    """Rules that hold for every item on its own (exam and practice items alike), and between items."""
    found = []
    seen: dict[str, str] = {}
    for item in items:
        where = f"{item.get('_file', '')} {item.get('id')}".strip()
        if item.get("id") in seen:
            found.append(
                Finding("duplicate-id", where, _("mã câu hỏi trùng với %(file)s") % {"file": seen[item["id"]]})
            )
        seen.setdefault(item.get("id"), item.get("_file", ""))
        kind = item.get("type")
        options = item.get("options") or []
        if kind == "single_choice":
            ratio = key_length_ratio(item)
            if ratio > KEY_LENGTH_MAX_RATIO:
                found.append(
                    Finding(
                        "key-length",
                        where,
                        _(
                            "đáp án đúng dài gấp %(ratio)s lần trung bình các phương án nhiễu (tối đa %(limit)s); viết phương "
                            "án nhiễu cụ thể như đáp án hoặc rút gọn đáp án"
                        )
                        % {"ratio": f"{ratio:.1f}".replace(".", ","), "limit": "1,5"},
                    )
                )
        if kind == "multiple_response":
            wrong = sum(1 for o in options if not o.get("correct"))
            if wrong < MIN_WRONG_OPTIONS:
                found.append(
                    Finding(
                        "multiple-response",
                        where,
                        _(
                            "câu nhiều lựa chọn cần ít nhất %(min)s phương án sai (có %(count)s): chọn hết mọi phương án "
                            "không được đúng"
                        )
                        % {"min": MIN_WRONG_OPTIONS, "count": wrong},
                    )
                )
        if kind in ("single_choice", "multiple_response", "true_false"):
            missing = [o["text"] for o in options if not o.get("correct") and not str(o.get("why") or "").strip()]
            if missing:
                found.append(
                    Finding(
                        "why",
                        where,
                        _("phương án sai thiếu lời giải thích (why): %(options)s")
                        % {"options": "; ".join(f"«{text}»" for text in missing)},
                    )
                )
    words = [(item, _words(item.get("stem"))) for item in items]
    for (a, wa), (b, wb) in itertools.combinations(words, 2):
        if not wa or not wb or (a.get("family") and a.get("family") == b.get("family")):
            continue
        overlap = len(wa & wb) / len(wa | wb)
        if overlap >= NEAR_DUPLICATE_JACCARD:
            found.append(
                Finding(
                    "near-duplicate",
                    f"{a.get('id')} / {b.get('id')}",
                    _(
                        "hai câu hỏi gần như trùng nội dung (%(percent)s%% từ chung); viết lại một câu với tình huống khác"
                    )
                    % {"percent": round(100 * overlap)},
                )
            )
    return found


def pool_exposure(pools: list[tuple[dict, list[dict]]], attempts: int) -> float:
    """Expected share of the standard's pool a taker has seen after `attempts` forms, when every form draws the
    taker's unseen items first (the engine's rule): min(pool, attempts × drawn) per cell, over the whole pool."""
    total = sum(len({family_key(i) for i in pool}) for _row, pool in pools)
    seen = sum(min(len({family_key(i) for i in pool}), attempts * int(row["items"])) for row, pool in pools)
    return seen / total if total else 1.0


def standard_findings(items: list[dict], standard: dict) -> list[Finding]:
    """Rules on a standard's pool: size per cell, exposure after the yearly attempts, length cue, true/false share."""
    code = standard["code"]
    found = []
    pools = cell_pools(items, standard)
    for row, pool in pools:
        size, needed = len({family_key(i) for i in pool}), POOL_PER_DRAWN * int(row["items"])
        if size < needed:
            found.append(
                Finding(
                    "pool",
                    f"{code} {row['competence']}/{row['level']}",
                    _(
                        "ô năng lực %(competence)s bậc %(level)s có %(size)s câu dùng được cho nhóm %(group)s, cần ít nhất "
                        "%(needed)s (%(per)s câu cho mỗi câu rút)"
                    )
                    % {
                        "competence": row["competence"],
                        "level": row["level"],
                        "size": size,
                        "group": standard["target_group"],
                        "needed": needed,
                        "per": POOL_PER_DRAWN,
                    },
                )
            )
    attempts = int(standard.get("max_attempts_per_year") or 3)
    exposure = pool_exposure(pools, attempts)
    if exposure > MAX_EXPOSURE + 1e-9:
        found.append(
            Finding(
                "exposure",
                code,
                _(
                    "sau %(attempts)s lần thi trong năm, người thi đã thấy %(percent)s%% ngân hàng của chuẩn (tối đa 40%%): "
                    "thêm câu hoặc giảm số lần thi"
                )
                % {"attempts": attempts, "percent": round(100 * exposure)},
            )
        )
    single = {i["id"]: i for _row, pool in pools for i in pool if i.get("type") == "single_choice"}
    if single:
        share = sum(1 for i in single.values() if key_is_longest(i)) / len(single)
        if share > KEY_LONGEST_MAX_SHARE:
            found.append(
                Finding(
                    "key-longest",
                    code,
                    _("đáp án đúng là phương án dài nhất ở %(percent)s%% câu một lựa chọn của chuẩn (tối đa 30%%)")
                    % {"percent": round(100 * share)},
                )
            )
    length = sum(int(row["items"]) for row, _pool in pools)
    forced = sum(
        max(0, int(row["items"]) - len({family_key(i) for i in pool if i.get("type") != "true_false"}))
        for row, pool in pools
    )
    if length and forced > drawing.true_false_limit(length):
        found.append(
            Finding(
                "true-false",
                code,
                _("ngân hàng buộc mỗi đề có %(forced)s câu Đúng/Sai trên %(length)s câu (tối đa 15%%)")
                % {"forced": forced, "length": length},
            )
        )
    return found


def lint(items_dir: Path, standards_path: Path | None) -> list[Finding]:
    items, found = read_items(items_dir)
    found += item_findings(items)
    if standards_path is not None:
        for standard in read_standards(standards_path):
            found += standard_findings(items, standard)
    return found


def group_counts(findings: list[Finding]) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for finding in findings:
        counts[finding.rule] += 1
    return dict(sorted(counts.items()))
